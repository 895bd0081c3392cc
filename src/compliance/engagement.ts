/**
 * The numbers behind a compliance report: a client's posts of one Jakarta day and,
 * for every active member, which of those posts they engaged with. Three queries
 * whatever the size of the unit: the matching itself was done when the likes,
 * comments or handles were written (engagement_match, migration 004).
 */
import type { Queryable } from '../db/db.js';
import type { DayWindow } from '../time/day.js';
import type { ComplianceClient } from './clients.js';
import { normaliseHandle, type Platform } from './handle.js';
import { type MemberName, type MemberNameRow, memberName } from './member.js';

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
  /** Indexes into `posts` of the posts this member engaged with. */
  engaged: number[];
  /** Links reported (links source only). */
  links: number;
}

export interface EngagementDay {
  source: Source;
  day: DayWindow;
  posts: DayPost[];
  members: MemberEngagement[];
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

const HANDLE: Record<Source, string> = { likes: 'u.insta', comments: 'u.tiktok', links: "''" };

/** $1 client. */
const MEMBERS = (source: Source) =>
  `SELECT u.user_id, u.nama, u.title, u.divisi, u.jabatan, u.exception,
          ${HANDLE[source]} AS handle
     FROM "user" u WHERE u.client_id = $1 AND u.status`;

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

/** Separates the user ids of one post: one string parses far faster than a text[] of thousands. */
const SEPARATOR = String.fromCharCode(31);

interface PostRow {
  id: string;
  created_at: Date;
  fetched: boolean;
  partial: boolean;
  updated_at: Date | null;
}

interface MemberRow extends MemberNameRow {
  exception: boolean;
  handle: string | null;
}

export interface EngagedRow {
  post_id: string;
  /** User ids joined by SEPARATOR. */
  users: string;
  /** Links per user (links source only). */
  links: number[] | null;
}

/** FNV-1a over `s[from, to)`: the ids are looked up where they lie in the post's string, never cut out of it. */
function hashOf(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let k = from; k < to; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

/**
 * Member indexes by user id, as an open-addressing table keyed on the id's characters.
 * A province's day is 120,000 matches: splitting each post's string and looking the
 * pieces up in a Map made a string per match, which cost more than the queries.
 */
class IdIndex {
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

/**
 * Per member (by index in `members`): the positions of the posts they engaged with, in
 * order, and the links they reported. Inactive members and strangers to the client are
 * not among `members`, so their rows are passed over.
 */
export function tally(
  members: readonly { user_id: string }[],
  perPost: readonly EngagedRow[],
  ids: readonly string[],
): { engaged: number[][]; links: Int32Array } {
  const index = new IdIndex(members.map((m) => m.user_id));
  const engaged = members.map((): number[] => []);
  const links = new Int32Array(members.length);
  const position = new Map(ids.map((id, i) => [id, i]));
  const inOrder = perPost.map((r) => ({ r, at: position.get(r.post_id)! })).sort((x, y) => x.at - y.at);
  for (const { r, at } of inOrder) {
    const users = r.users;
    let k = 0;
    for (let start = 0; start < users.length; k++) {
      let end = users.indexOf(SEPARATOR, start);
      if (end === -1) end = users.length;
      const i = index.find(users, start, end);
      if (i !== -1) {
        engaged[i]!.push(at);
        links[i]! += r.links?.[k] ?? 0;
      }
      start = end + 1;
    }
  }
  return { engaged, links };
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
  const platform = PLATFORM_OF[source];
  const [memberRows, engagedRows] = await Promise.all([
    db.query<MemberRow>(MEMBERS(source), [client.clientId]),
    db.query<EngagedRow>(ENGAGED[source], [ids]),
  ]);
  const rows = memberRows.rows;
  const { engaged, links } = tally(rows, engagedRows.rows, ids);
  const members = rows.map((r, i): MemberEngagement => {
    const name = memberName(r);
    return {
      userId: name.userId,
      nama: name.nama,
      title: name.title,
      divisi: name.divisi,
      jabatan: name.jabatan,
      handle: source === 'links' ? '' : normaliseHandle(r.handle, platform),
      exception: r.exception,
      engaged: engaged[i]!,
      links: links[i]!,
    };
  });
  const stamps = posts.flatMap((p) => (p.updatedAt ? [p.updatedAt.getTime()] : []));
  return {
    source,
    day,
    posts,
    members,
    lastUpdated: stamps.length ? new Date(Math.max(...stamps)) : null,
  };
}
