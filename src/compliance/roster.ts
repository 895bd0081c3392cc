/**
 * A client's active members as every compliance report reads them (name, rank, division,
 * position, the source's handle, exception), in unit order, with an index by user id.
 *
 * Kept between reports while the members are unchanged: at province size (10,000
 * members) reading, naming and sorting them is a third of a report, and members change
 * a few times a day while reports are asked for all day. Whether they changed is asked of
 * the database each time, by a fingerprint of exactly what is read: the count of the
 * active members and the sum of a 64-bit hash of each one's row. So a cached list is
 * never served for data it was not read from, whichever process or tool changed it.
 */
import type { Queryable } from '../db/db.js';
import type { ComplianceClient } from './clients.js';
import type { Source } from './engagement.js';
import { normaliseHandle, type Platform } from './handle.js';
import { type MemberName, type MemberNameRow, memberName, sortInUnitOrder } from './member.js';

export interface RosterMember extends MemberName {
  /** Normalised handle for the platform; null = not registered (always '' for links, which need none). */
  handle: string | null;
  exception: boolean;
}

export interface Roster {
  /** The fingerprint of the rows it was built from. */
  fingerprint: string;
  /** In unit order (the client's division order included). Shared between reports: never changed. */
  members: readonly RosterMember[];
  index: IdIndex;
}

const HANDLE: Record<Source, string> = { likes: 'u.insta', comments: 'u.tiktok', links: "''" };
const PLATFORM: Record<Source, Platform> = { likes: 'instagram', comments: 'tiktok', links: 'instagram' };

/** One member's row as text: NULL and '' differ, so any change to a column read changes it. */
const ROW = (source: Source) => `row(u.user_id, u.nama, u.title, u.divisi, u.jabatan, u.exception, ${HANDLE[source]})::text`;
const HASH = (source: Source) => `hashtextextended(${ROW(source)}, 0)::numeric`;
const ACTIVE = `FROM "user" u WHERE u.client_id = $1 AND u.status`;

/** $1 client. The fingerprint alone: one row whatever the size of the unit. */
const FINGERPRINT = (source: Source) =>
  `SELECT count(*)::text || ':' || coalesce(sum(${HASH(source)}), 0)::text AS fingerprint ${ACTIVE}`;

/** $1 client. The members, each row carrying the fingerprint of them all, from the same snapshot. */
const MEMBERS = (source: Source) =>
  `SELECT u.user_id, u.nama, u.title, u.divisi, u.jabatan, u.exception, ${HANDLE[source]} AS handle,
          count(*) OVER ()::text || ':' || coalesce(sum(${HASH(source)}) OVER (), 0)::text AS fingerprint
     ${ACTIVE}`;

interface MemberRow extends MemberNameRow {
  exception: boolean;
  handle: string | null;
  fingerprint: string;
}

/** Rosters kept, most recently used last. A province's is a few MB. */
const KEPT = 16;
const kept = new Map<string, Roster>();

/** The client's roster for `source`: the one kept when the members are unchanged, else read now. */
export async function loadRoster(db: Queryable, client: ComplianceClient, source: Source): Promise<Roster> {
  const key = [client.clientId, source, ...client.divisionOrder].join('\u001f');
  const cached = kept.get(key);
  if (cached) {
    const { rows } = await db.query<{ fingerprint: string }>(FINGERPRINT(source), [client.clientId]);
    kept.delete(key);
    if (rows[0]?.fingerprint === cached.fingerprint) {
      kept.set(key, cached);
      return cached;
    }
  }
  const { rows } = await db.query<MemberRow>(MEMBERS(source), [client.clientId]);
  const roster = rosterOf(rows, source, client.divisionOrder);
  kept.set(key, roster);
  if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  return roster;
}

function rosterOf(rows: readonly MemberRow[], source: Source, divisionOrder: readonly string[]): Roster {
  const members = sortInUnitOrder(
    rows.map((r): RosterMember => {
      const name = memberName(r);
      return {
        userId: name.userId,
        nama: name.nama,
        title: name.title,
        divisi: name.divisi,
        jabatan: name.jabatan,
        handle: source === 'links' ? '' : normaliseHandle(r.handle, PLATFORM[source]),
        exception: r.exception,
      };
    }),
    divisionOrder,
  );
  return { fingerprint: rows[0]?.fingerprint ?? '0:0', members, index: new IdIndex(members.map((m) => m.userId)) };
}

/** FNV-1a over `s[from, to)`: ids are looked up where they lie in a longer string, never cut out of it. */
function hashOf(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let k = from; k < to; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

/**
 * Member indexes by user id, as an open-addressing table keyed on the id's characters.
 * A province's day is 120,000 matches: splitting each post's string of ids and looking
 * the pieces up in a Map made a string per match, which cost more than the queries.
 */
export class IdIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly ids: readonly string[]) {
    let size = 16;
    while (size < ids.length * 2) size <<= 1;
    this.slots = new Int32Array(size); // index + 1; 0 is empty
    this.mask = size - 1;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      let slot = hashOf(id, 0, id.length) & this.mask;
      for (;;) {
        const at = this.slots[slot]!;
        if (at === 0) {
          this.slots[slot] = i + 1;
          break;
        }
        if (ids[at - 1] === id) break; // a duplicate id: the first one counts
        slot = (slot + 1) & this.mask;
      }
    }
  }

  /** How many ids it was built from. */
  get size(): number {
    return this.ids.length;
  }

  /** The index of the id spelled by `s[from, to)`, or -1. */
  find(s: string, from: number, to: number): number {
    const length = to - from;
    for (let slot = hashOf(s, from, to) & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot]!;
      if (at === 0) return -1;
      const id = this.ids[at - 1]!;
      if (id.length === length && s.startsWith(id, from)) return at - 1;
    }
  }
}
