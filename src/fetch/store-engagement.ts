/**
 * Likers (Instagram) and commenters (TikTok) of one post, merged into what is stored.
 * The API's answers vary from run to run (a page fails, a liker hides): a handle once
 * stored stays, so a poorer answer never costs a member a like they gave.
 *
 * The work is one SQL call, cicero_engagement_merge (migration 011): it appends only
 * the handles not stored yet, as plain lower-case strings (the form the matching reads
 * fastest), and matches only those, so a refresh of a post with 26,000 likers that
 * adds 200 costs about what 200 cost.
 */
import { normaliseHandle, type Platform } from '../compliance/handle.js';
import type { Db, Queryable } from '../db/db.js';
import type { Engager, EngagementStored } from './store.js';

/**
 * A username already in normal form, as the APIs send nearly all of them, skips
 * normaliseHandle (which it would return unchanged): 26,000 likers take 3 ms, not 40.
 */
const NORMAL: Record<Platform, RegExp> = { instagram: /^[a-z0-9._]{1,30}$/, tiktok: /^[a-z0-9._]{2,24}$/ };

/**
 * Handles travel as one string joined by this (never in a handle): tens of thousands
 * of them bind and parse far faster than a text[] parameter.
 */
const SEPARATOR = String.fromCharCode(31);

/**
 * Merges likers (instagram → insta_like.likes) or commenters (tiktok →
 * tiktok_comment.comments) of one post into what is stored: a handle once stored stays
 * (a later run with fewer never removes or shortens), duplicates are not added,
 * `updated_at` is set to `at` only when `complete` is true (a row first written by a
 * partial fetch has NULL: never completely fetched). Usernames that do not normalise
 * are dropped. Instagram likers with a userId also go to ig_post_like_users (and
 * ig_ext_users) when the post has an ig_ext_posts row — only the new likers.
 * The post must be stored (insta_post / tiktok_post).
 */
export async function mergeEngagement(
  db: Db,
  input: { platform: Platform; postId: string; engagers: Engager[]; complete: boolean; at: Date },
): Promise<EngagementStored> {
  const normal = NORMAL[input.platform];
  const byHandle = new Map<string, Engager>();
  for (const engager of input.engagers) {
    const name = engager.username;
    const handle = typeof name === 'string' && normal.test(name) ? name : normaliseHandle(name, input.platform);
    if (handle !== null && !byHandle.has(handle)) byHandle.set(handle, engager);
  }
  return db.tx(async (t) => {
    const { rows } = await t.query<{ added: string; total: number }>(
      `SELECT array_to_string(added, chr(31)) AS added, total
         FROM cicero_engagement_merge($1, $2, string_to_array($3, chr(31)), $4, $5)`,
      [input.platform, input.postId, [...byHandle.keys()].join(SEPARATOR), input.complete, input.at],
    );
    const added = rows[0]!.added === '' ? [] : rows[0]!.added.split(SEPARATOR);
    const total = rows[0]!.total;
    if (input.platform === 'instagram') {
      const known = added.flatMap((handle) => {
        const e = byHandle.get(handle);
        return e?.userId ? [{ handle, ...e, userId: e.userId }] : [];
      });
      if (known.length > 0) await storeLikeUsers(t, input.postId, known);
    }
    return { added: added.length, total };
  });
}

/** New likers with an Instagram id, for the data-mining tables; nothing when the post has no ig_ext_posts row. */
async function storeLikeUsers(t: Queryable, shortcode: string, likers: (Engager & { handle: string; userId: string })[]): Promise<void> {
  const unique = [...new Map(likers.map((l) => [l.userId, l])).values()];
  const col = <T>(f: (l: (typeof unique)[number]) => T): T[] => unique.map(f);
  await t.query(
    `WITH ext AS (
       SELECT post_id FROM ig_ext_posts WHERE shortcode = $1
     ), liker AS (
       SELECT l.* FROM unnest($2::text[], $3::text[], $4::text[], $5::bool[], $6::bool[], $7::text[])
                    AS l (user_id, username, full_name, is_private, is_verified, profile_pic_url)
        WHERE EXISTS (SELECT 1 FROM ext)
     ), users AS (
       INSERT INTO ig_ext_users AS u (user_id, username, full_name, is_private, is_verified, profile_pic_url)
       SELECT * FROM liker
       ON CONFLICT (user_id) DO UPDATE SET
         username = EXCLUDED.username,
         full_name = coalesce(EXCLUDED.full_name, u.full_name),
         is_private = coalesce(EXCLUDED.is_private, u.is_private),
         is_verified = coalesce(EXCLUDED.is_verified, u.is_verified),
         profile_pic_url = coalesce(EXCLUDED.profile_pic_url, u.profile_pic_url)
     )
     INSERT INTO ig_post_like_users (post_id, user_id, username)
     SELECT ext.post_id, liker.user_id, liker.username FROM ext CROSS JOIN liker
     ON CONFLICT (post_id, user_id) DO UPDATE SET username = EXCLUDED.username`,
    [shortcode, col((l) => l.userId), col((l) => l.handle), col((l) => l.fullName ?? null), col((l) => l.isPrivate ?? null),
      col((l) => l.isVerified ?? null), col((l) => l.profilePicUrl ?? null)],
  );
}
