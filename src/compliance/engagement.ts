/**
 * The numbers behind a compliance report: a client's posts of one Jakarta day and,
 * for every active member, which of those posts they engaged with. Three queries
 * whatever the size of the unit (two while its members are unchanged, see roster.ts):
 * the matching itself was done when the likes, comments or handles were written
 * (engagement_match, migration 004).
 */
import type { Queryable } from '../db/db.js';
import type { DayWindow } from '../time/day.js';
import type { ComplianceClient } from './clients.js';
import type { Platform } from './handle.js';
import type { MemberName } from './member.js';
import { type IdIndex, loadRoster } from './roster.js';

/** What members are asked to do: like Instagram posts, comment on TikTok videos, or report re-post links. */
export type Source = 'likes' | 'comments' | 'links';

export const PLATFORM_OF: Record<Source, Platform> = { likes: 'instagram', comments: 'tiktok', links: 'instagram' };

export interface DayPost {
  id: string;
  url: string;
  createdAt: Date;
  /** False when the likes/comments were never fetched: the post then counts against no one. */
  fetched: boolean;
  /** Fetched, but never completely (a failure or the page limit): some who engaged may be missing. */
  partial: boolean;
  /** When its likers/commenters were last fetched completely. */
  updatedAt: Date | null;
}

export interface MemberEngagement extends MemberName {
  /** Normalised handle for the platform; null = not registered (always '' for links, which need none). */
  handle: string | null;
  exception: boolean;
  /** Indexes into `posts` of the posts this member engaged with, in order; shared between members (never change it). */
  engaged: readonly number[];
  /** Links reported (links source only). */
  links: number;
}

export interface EngagementDay {
  source: Source;
  day: DayWindow;
  posts: DayPost[];
  members: MemberEngagement[];
  /**
   * When set, `members` are already in unit order by this division order (the kept
   * roster's), so a recap for the same order need not sort them again.
   */
  inUnitOrder?: readonly string[];
  /** Latest complete fetch of engagement data among the day's posts. */
  lastUpdated: Date | null;
}

export const instagramPostUrl = (shortcode: string): string => `https://www.instagram.com/p/${shortcode}`;

export function postUrl(source: Source, client: ComplianceClient, id: string): string {
  if (source === 'comments') return `https://www.tiktok.com/@${(client.tiktok ?? '').replace(/^@+/, '')}/video/${id}`;
  return instagramPostUrl(id);
}

/**
 * $1 client, $2 and $3 the day. A post missing from its account's latest complete
 * listing (removed_at) is in no report. A post whose likers/commenters were stored
 * counts, even when no fetch of them was ever complete (updated_at NULL, migration
 * 011): a popular post whose likers run past the page limit never is, and leaving it
 * out would spare everyone on it for good. The report marks such a post as incomplete.
 */
const POSTS: Record<Source, string> = {
  likes: `SELECT p.shortcode AS id, p.created_at, l.shortcode IS NOT NULL AS fetched, l.shortcode IS NOT NULL AND l.updated_at IS NULL AS partial, l.updated_at
            FROM insta_post p LEFT JOIN insta_like l ON l.shortcode = p.shortcode
           WHERE p.client_id = $1 AND p.created_at >= $2 AND p.created_at < $3 AND p.removed_at IS NULL
           ORDER BY p.created_at, p.shortcode`,
  comments: `SELECT p.video_id AS id, p.created_at, c.video_id IS NOT NULL AS fetched, c.video_id IS NOT NULL AND c.updated_at IS NULL AS partial, c.updated_at
               FROM tiktok_post p LEFT JOIN tiktok_comment c ON c.video_id = p.video_id
              WHERE p.client_id = $1 AND p.created_at >= $2 AND p.created_at < $3 AND p.removed_at IS NULL
              ORDER BY p.created_at, p.video_id`,
  links: `SELECT p.shortcode AS id, p.created_at, true AS fetched, false AS partial,
                 (SELECT max(r.created_at) FROM link_report r WHERE r.shortcode = p.shortcode) AS updated_at
            FROM insta_post p
           WHERE p.client_id = $1 AND p.created_at >= $2 AND p.created_at < $3 AND p.removed_at IS NULL
           ORDER BY p.created_at, p.shortcode`,
};

/**
 * $1 the day's post ids: who engaged with each, one row per post. Read apart from the
 * members, not joined to them: a join's plan depends on table statistics, which are
 * stale right after a collector wrote the day's likes. Grouped by post (a handful of
 * rows) rather than by member (thousands).
 */
const ENGAGED: Record<Source, string> = {
  likes: `SELECT post_id, string_agg(user_id, chr(31)) AS users, NULL::int[] AS links
            FROM engagement_match WHERE platform = 'instagram' AND post_id = ANY ($1::text[])
           GROUP BY post_id`,
  comments: `SELECT post_id, string_agg(user_id, chr(31)) AS users, NULL::int[] AS links
               FROM engagement_match WHERE platform = 'tiktok' AND post_id = ANY ($1::text[])
              GROUP BY post_id`,
  links: `SELECT shortcode AS post_id, string_agg(user_id, chr(31) ORDER BY user_id) AS users,
                 array_agg(num_nonnulls(instagram_link, facebook_link, twitter_link, tiktok_link, youtube_link) ORDER BY user_id) AS links
            FROM link_report
           WHERE shortcode = ANY ($1::text[])
             AND num_nonnulls(instagram_link, facebook_link, twitter_link, tiktok_link, youtube_link) > 0
           GROUP BY shortcode`,
};

interface PostRow {
  id: string;
  created_at: Date;
  fetched: boolean;
  partial: boolean;
  updated_at: Date | null;
}

export interface EngagedRow {
  post_id: string;
  /** User ids joined by US (chr 31): one string parses far faster than a text[] of thousands. */
  users: string;
  /** Links per user (links source only). */
  links: number[] | null;
}

/**
 * Per member (by their index in `index`): the posts they engaged with and the links
 * they reported. Inactive members and strangers to the client are not in the index, so
 * their ids are passed over. Posts are added a batch at a time, each batch's posts after
 * the previous batch's, so a batch can be counted while the database still works on the
 * next.
 *
 * Who engaged with what is kept as bits (32 posts a word) and turned into lists once, at
 * the end: members who engaged with the same posts share one list (a unit told to like
 * everything has most members on all posts or none; the bench's random province still
 * needs only 5,572 lists for 10,000 members). A list per member, grown a post at a time,
 * was 2 MB of the bench's province report that lived on while its Excel file was built,
 * and the bot's next collection copied it with no chat answered meanwhile.
 */
export class Tally {
  readonly links: Int32Array;
  private readonly bits: Int32Array;
  private readonly words: number;
  private readonly position: Map<string, number>;

  constructor(
    private readonly index: IdIndex,
    ids: readonly string[],
  ) {
    this.words = Math.max(1, Math.ceil(ids.length / 32));
    this.bits = new Int32Array(index.size * this.words);
    this.links = new Int32Array(index.size);
    this.position = new Map(ids.map((id, i) => [id, i]));
  }

  add(perPost: readonly EngagedRow[]): void {
    const { bits, words, links, index } = this;
    const inOrder = perPost.map((r) => ({ r, at: this.position.get(r.post_id)! })).sort((x, y) => x.at - y.at);
    for (const { r, at } of inOrder) {
      const found = this.room(r.users.length);
      const count = index.findAll(r.users, found);
      const word = at >> 5;
      const bit = 1 << (at & 31);
      for (let k = 0; k < count; k++) {
        const i = found[k]!;
        if (i !== -1) {
          bits[i * words + word]! |= bit;
          links[i]! += r.links?.[k] ?? 0;
        }
      }
    }
  }

  /** Per member, the positions of the posts they engaged with, in order; the same posts, the same (shared) list. */
  engaged(): (readonly number[])[] {
    const { bits, words } = this;
    const shared = new Map<number | string, readonly number[]>();
    const lists: (readonly number[])[] = new Array(this.index.size);
    for (let i = 0; i < lists.length; i++) {
      const from = i * words;
      const key = words === 1 ? bits[from]! : bits.subarray(from, from + words).join(',');
      let list = shared.get(key);
      if (!list) {
        list = positions(bits, from, words);
        shared.set(key, list);
      }
      lists[i] = list;
    }
    return lists;
  }

  private found = new Int32Array(0);

  /** Room for the ids of a string of `length` characters (at most one per character, plus one), reused between posts. */
  private room(length: number): Int32Array {
    const need = length + 1;
    if (this.found.length < need) this.found = new Int32Array(Math.max(need, this.found.length * 2));
    return this.found;
  }
}

/** The positions of the bits set in `words` words of `bits` from `from`, lowest first. */
function positions(bits: Int32Array, from: number, words: number): number[] {
  const out: number[] = [];
  for (let w = 0; w < words; w++) {
    let word = bits[from + w]!;
    while (word !== 0) {
      const lowest = word & -word;
      out.push(w * 32 + 31 - Math.clz32(lowest));
      word ^= lowest;
    }
  }
  return out;
}

/** The day's posts in this many batches of matches, read side by side: the database works on several cores. */
const BATCHES = 2;

function batches<T>(items: readonly T[], count: number): T[][] {
  const size = Math.max(1, Math.ceil(items.length / count));
  const out: T[][] = [];
  for (let from = 0; from < items.length; from += size) out.push(items.slice(from, from + size));
  return out.length ? out : [[]];
}

export async function loadEngagement(
  db: Queryable,
  client: ComplianceClient,
  source: Source,
  day: DayWindow,
): Promise<EngagementDay> {
  const posts = (await db.query<PostRow>(POSTS[source], [client.clientId, day.start, day.end])).rows.map(
    (r): DayPost => ({
      id: r.id,
      url: postUrl(source, client, r.id),
      createdAt: r.created_at,
      fetched: r.fetched,
      partial: r.partial,
      updatedAt: r.updated_at,
    }),
  );
  const ids = posts.map((p) => p.id);
  const matches = batches(ids, BATCHES).map((batch) => db.query<EngagedRow>(ENGAGED[source], [batch]));
  // Awaited one by one below: a batch failing meanwhile is not an unhandled rejection.
  for (const m of matches) m.catch(() => {});
  const roster = await loadRoster(db, client, source);
  const counted = new Tally(roster.index, ids);
  for (const m of matches) counted.add((await m).rows);
  const engaged = counted.engaged();
  const { links } = counted;
  // Spelled out rather than spread: a spread with more fields after it copies slowly, and this runs 10,000 times.
  const members = roster.members.map(
    (m, i): MemberEngagement => ({
      userId: m.userId,
      nama: m.nama,
      title: m.title,
      divisi: m.divisi,
      jabatan: m.jabatan,
      handle: m.handle,
      exception: m.exception,
      engaged: engaged[i]!,
      links: links[i]!,
    }),
  );
  const stamps = posts.flatMap((p) => (p.updatedAt ? [p.updatedAt.getTime()] : []));
  return {
    source,
    day,
    posts,
    members,
    inUnitOrder: client.divisionOrder,
    lastUpdated: stamps.length ? new Date(Math.max(...stamps)) : null,
  };
}
