/**
 * A client's active members as every compliance report reads them (name, rank, division,
 * position, the source's handle, exception), in unit order, with an index by user id.
 *
 * Kept between reports while the members are unchanged: at province size (10,000
 * members) reading, naming and sorting them is a third of a report, and members change
 * a few times a day while reports are asked for all day. Whether they changed is asked of
 * the database each time: `roster_version` (migration 019), a random UUID that a trigger
 * replaces in the same transaction as any write to "user" that changes what is read
 * here, whichever process or tool made it. The list and its version are read in one statement (one
 * snapshot), so a kept list is never served for members it was not read from.
 *
 * A column read here must be in that trigger's list (cicero_user_roster_updated).
 */
import type { Queryable } from '../db/db.js';
import type { ComplianceClient } from './clients.js';
// Used only when called, never while the modules load: the import cycle with engagement.ts is harmless.
import { PLATFORM_OF, type Source } from './engagement.js';
import { normaliseHandle } from './handle.js';
import { type MemberName, type MemberNameRow, memberName, sortInUnitOrder } from './member.js';

export interface RosterMember extends MemberName {
  /** Normalised handle for the platform; null = not registered (always '' for links, which need none). */
  handle: string | null;
  exception: boolean;
}

export interface Roster {
  /** The client's roster_version when it was read; null (none yet) is never kept. */
  version: string | null;
  /** In unit order (the client's division order included). Shared between reports: never changed. */
  members: readonly RosterMember[];
  index: IdIndex;
}

const HANDLE: Record<Source, string> = { likes: 'u.insta', comments: 'u.tiktok', links: "''" };

const ACTIVE = `FROM "user" u WHERE u.client_id = $1 AND u.status`;

/**
 * NULL as a field of its own (GS): a position left NULL reads back as null, an empty one as
 * ''. A value that is GS itself is sent as RS, so the list does not split and the unit is
 * read as rows: NULL and that value never read the same.
 */
const field = (column: string) => `CASE WHEN ${column} IS NULL THEN chr(29) WHEN ${column} = chr(29) THEN chr(30) ELSE ${column} END`;
const NULL_FIELD = String.fromCharCode(29);
const MEMBER_SEPARATOR = String.fromCharCode(30);
const FIELD_SEPARATOR = String.fromCharCode(31);
const FIELDS = 7;

/**
 * The active members as one string: members split by RS, their fields by US, in no
 * particular order (sorting them here costs less than asking the database to). Both
 * drivers (PGlite above all) parse one long string far faster than 10,000 rows.
 */
const LIST = (source: Source) =>
  `string_agg(concat_ws(chr(31), u.user_id, ${field('u.nama')}, ${field('u.title')}, ${field('u.divisi')}, ${field('u.jabatan')},
                        ${field('u.exception::text')}, ${field(HANDLE[source])}), chr(30))`;

/** $1 client. Its roster version; in the statement that reads the members, of the same snapshot. */
const VERSION = `(SELECT version::text FROM roster_version WHERE client_id = $1)`;

/** $1 client. The list, how many members it holds, and the version it is of. */
const MEMBERS = (source: Source) => `SELECT count(*)::int AS count, ${LIST(source)} AS list, ${VERSION} AS version ${ACTIVE}`;

/**
 * $1 client. The members as rows, each with the version: for the (rare) unit where some
 * field holds one of the list's separators (control characters), so the list does not
 * split right.
 */
const MEMBER_ROWS = (source: Source) =>
  `SELECT u.user_id, u.nama, u.title, u.divisi, u.jabatan, u.exception, ${HANDLE[source]} AS handle, ${VERSION} AS version ${ACTIVE}`;

type MemberRow = MemberNameRow & { exception: boolean; handle: string | null };

interface ListRow {
  count: number;
  /** NULL when the client has no active member. */
  list: string | null;
  version: string | null;
}

/** The member rows in `list`, or null when it does not split into `count` members of seven fields (a field held a separator). */
function rowsOf(list: string | null, count: number): MemberRow[] | null {
  if (!list) return count === 0 ? [] : null;
  const members = list.split(MEMBER_SEPARATOR);
  if (members.length !== count) return null;
  const value = (v: string) => (v === NULL_FIELD ? null : v);
  const rows: MemberRow[] = [];
  for (const member of members) {
    const f = member.split(FIELD_SEPARATOR);
    if (f.length !== FIELDS) return null;
    rows.push({
      user_id: f[0]!,
      nama: value(f[1]!),
      title: value(f[2]!),
      divisi: value(f[3]!),
      jabatan: value(f[4]!),
      exception: f[5] === 'true',
      handle: value(f[6]!),
    });
  }
  return rows;
}

interface Read {
  version: string | null;
  rows: MemberRow[];
}

/** The members and the version they are of. */
async function readMembers(db: Queryable, clientId: string, source: Source): Promise<Read> {
  const { rows: listed } = await db.query<ListRow>(MEMBERS(source), [clientId]);
  const read = listed[0] ?? { count: 0, list: null, version: null };
  const rows = rowsOf(read.list, read.count);
  if (rows) return { version: read.version, rows };
  const { rows: each } = await db.query<MemberRow & { version: string | null }>(MEMBER_ROWS(source), [clientId]);
  return { version: each[0]?.version ?? null, rows: each };
}

/** Rosters kept, most recently used last. A province's is a few MB. */
const KEPT = 16;
const kept = new Map<string, Roster>();

/** The client's roster for `source`: the one kept when the members are unchanged, else read now. */
export async function loadRoster(db: Queryable, client: ComplianceClient, source: Source): Promise<Roster> {
  const key = JSON.stringify([client.clientId, source, client.divisionOrder]);
  const cached = kept.get(key);
  if (cached) {
    const { rows } = await db.query<{ version: string | null }>(`SELECT ${VERSION} AS version`, [client.clientId]);
    kept.delete(key);
    if (rows[0]?.version === cached.version) {
      kept.set(key, cached);
      return cached;
    }
  }
  const roster = rosterOf(await readMembers(db, client.clientId, source), source, client.divisionOrder);
  // A client without a version yet (no member ever written) has nothing worth keeping.
  if (roster.version !== null) kept.set(key, roster);
  if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  return roster;
}

function rosterOf(read: Read, source: Source, divisionOrder: readonly string[]): Roster {
  const members = sortInUnitOrder(
    read.rows.map((r): RosterMember => {
      const name = memberName(r);
      return {
        userId: name.userId,
        nama: name.nama,
        title: name.title,
        divisi: name.divisi,
        jabatan: name.jabatan,
        handle: source === 'links' ? '' : normaliseHandle(r.handle, PLATFORM_OF[source]),
        exception: r.exception,
      };
    }),
    divisionOrder,
  );
  return { version: read.version, members, index: new IdIndex(members.map((m) => m.userId)) };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Separates the ids of one string given to {@link IdIndex.findAll}. */
const SEPARATOR = 31;
/** Digits whose value a double holds exactly (below 2^53), so equal values mean equal digits of equal length. */
const MAX_DIGITS = 15;
const ALL_DIGITS = /^[0-9]+$/;

/** FNV-1a over `s[from, to)`: ids are looked up where they lie in a longer string, never cut out of it. */
function hashOf(s: string, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let k = from; k < to; k++) h = Math.imul(h ^ s.charCodeAt(k), FNV_PRIME);
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

  /** Each id's value when it is all digits (at most {@link MAX_DIGITS}), else -1. */
  private readonly values: Float64Array;

  constructor(private readonly ids: readonly string[]) {
    this.values = Float64Array.from(ids, (id) => (id.length <= MAX_DIGITS && ALL_DIGITS.test(id) ? Number(id) : -1));
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

  /** The index of the id spelled by `s[from, to)` (whose hash is `hash`), or -1. */
  private probe(s: string, from: number, to: number, hash: number): number {
    const length = to - from;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot]!;
      if (at === 0) return -1;
      const id = this.ids[at - 1]!;
      if (id.length === length && s.startsWith(id, from)) return at - 1;
    }
  }

  /**
   * The index (or -1) of each id in `s`, ids separated by US (chr 31), written to `out`
   * in order; returns how many. One pass: each id is hashed as its characters are read.
   * `out` must have room for one entry per separator, plus one.
   */
  findAll(s: string, out: Int32Array): number {
    if (s.length === 0) return 0;
    let count = 0;
    let start = 0;
    let h = FNV_OFFSET;
    // The id's value while it is all digits (NRPs are), -1 once it is not: compared instead of the characters.
    let value = 0;
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c !== SEPARATOR) {
        h = Math.imul(h ^ c, FNV_PRIME);
        value = value >= 0 && c >= 48 && c <= 57 ? value * 10 + (c - 48) : -1;
        continue;
      }
      out[count++] = this.probeValue(s, start, k, h >>> 0, value);
      start = k + 1;
      h = FNV_OFFSET;
      value = 0;
    }
    out[count++] = this.probeValue(s, start, s.length, h >>> 0, value);
    return count;
  }

  /** As probe, comparing an all-digit id of at most 15 digits by value and length. */
  private probeValue(s: string, from: number, to: number, hash: number, value: number): number {
    const length = to - from;
    if (value < 0 || length === 0 || length > MAX_DIGITS) return this.probe(s, from, to, hash);
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot]!;
      if (at === 0) return -1;
      if (this.values[at - 1] === value && this.ids[at - 1]!.length === length) return at - 1;
    }
  }
}
