/**
 * A client's posts of one day as the API listed them. A post missing from a complete
 * listing is marked removed (removed_at, migration 011), never deleted: its likes and
 * link reports stay, reports leave it out, and it is restored when listed again.
 */
import type { Platform } from '../compliance/handle.js';
import type { Db, Queryable } from '../db/db.js';
import type { DayWindow } from '../time/day.js';
import type { FetchedPost, PostsStored } from './store.js';

/**
 * One statement per platform. `before` reads the rows as they were (a statement sees
 * one snapshot), so the counts compare old and new. Fields the listing left out (NULL)
 * keep what is stored; a post already owned by another client stays that client's.
 */
const UPSERT: Record<Platform, string> = {
  instagram: `
    WITH input AS (
      SELECT * FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::int[], $6::int[], $7::bool[], $8::text[],
                           $9::text[], $10::text[], $11::jsonb[], $12::bool[])
        AS i (shortcode, created_at, caption, like_count, comment_count, is_video, image_url, video_url, thumbnail_url,
              images_url, is_carousel)
    ), before AS (
      SELECT p.shortcode, p.removed_at, to_jsonb(p) - 'removed_at' AS doc FROM insta_post p JOIN input USING (shortcode)
    ), written AS (
      INSERT INTO insta_post AS p (shortcode, client_id, created_at, caption, like_count, comment_count, is_video, image_url,
                                   video_url, thumbnail_url, images_url, is_carousel)
      SELECT i.shortcode, $1, i.created_at, i.caption, i.like_count, i.comment_count, coalesce(i.is_video, false), i.image_url,
             i.video_url, i.thumbnail_url, i.images_url, coalesce(i.is_carousel, false)
        FROM input i
      ON CONFLICT (shortcode) DO UPDATE SET
        client_id = coalesce(p.client_id, EXCLUDED.client_id),
        created_at = EXCLUDED.created_at,
        caption = coalesce(EXCLUDED.caption, p.caption),
        like_count = coalesce(EXCLUDED.like_count, p.like_count),
        comment_count = coalesce(EXCLUDED.comment_count, p.comment_count),
        is_video = coalesce((SELECT i.is_video FROM input i WHERE i.shortcode = EXCLUDED.shortcode), p.is_video),
        image_url = coalesce(EXCLUDED.image_url, p.image_url),
        video_url = coalesce(EXCLUDED.video_url, p.video_url),
        thumbnail_url = coalesce(EXCLUDED.thumbnail_url, p.thumbnail_url),
        images_url = coalesce(EXCLUDED.images_url, p.images_url),
        is_carousel = coalesce((SELECT i.is_carousel FROM input i WHERE i.shortcode = EXCLUDED.shortcode), p.is_carousel),
        removed_at = NULL
      RETURNING p.shortcode, to_jsonb(p) - 'removed_at' AS doc
    )
    SELECT count(*) FILTER (WHERE b.shortcode IS NULL)::int AS new,
           count(*) FILTER (WHERE b.removed_at IS NULL AND b.doc <> w.doc)::int AS updated,
           count(*) FILTER (WHERE b.removed_at IS NOT NULL)::int AS restored
      FROM written w LEFT JOIN before b USING (shortcode)`,
  tiktok: `
    WITH input AS (
      SELECT * FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::int[], $6::int[])
        AS i (video_id, created_at, caption, like_count, comment_count)
    ), before AS (
      SELECT p.video_id, p.removed_at, to_jsonb(p) - 'removed_at' AS doc FROM tiktok_post p JOIN input USING (video_id)
    ), written AS (
      INSERT INTO tiktok_post AS p (video_id, client_id, created_at, caption, like_count, comment_count)
      SELECT i.video_id, $1, i.created_at, i.caption, i.like_count, i.comment_count FROM input i
      ON CONFLICT (video_id) DO UPDATE SET
        client_id = coalesce(p.client_id, EXCLUDED.client_id),
        created_at = EXCLUDED.created_at,
        caption = coalesce(EXCLUDED.caption, p.caption),
        like_count = coalesce(EXCLUDED.like_count, p.like_count),
        comment_count = coalesce(EXCLUDED.comment_count, p.comment_count),
        removed_at = NULL
      RETURNING p.video_id, to_jsonb(p) - 'removed_at' AS doc
    )
    SELECT count(*) FILTER (WHERE b.video_id IS NULL)::int AS new,
           count(*) FILTER (WHERE b.removed_at IS NULL AND b.doc <> w.doc)::int AS updated,
           count(*) FILTER (WHERE b.removed_at IS NOT NULL)::int AS restored
      FROM written w LEFT JOIN before b USING (video_id)`,
};

/** $1 client, $2 and $3 the day, $4 the time, $5 the ids listed. */
const MARK_REMOVED: Record<Platform, string> = {
  instagram: `UPDATE insta_post SET removed_at = $4
               WHERE client_id = $1 AND created_at >= $2 AND created_at < $3 AND removed_at IS NULL
                 AND NOT (shortcode = ANY ($5::text[]))`,
  tiktok: `UPDATE tiktok_post SET removed_at = $4
            WHERE client_id = $1 AND created_at >= $2 AND created_at < $3 AND removed_at IS NULL
              AND NOT (video_id = ANY ($5::text[]))`,
};

const DAY_POSTS: Record<Platform, string> = {
  instagram: `SELECT shortcode AS id FROM insta_post
               WHERE client_id = $1 AND created_at >= $2 AND created_at < $3 AND removed_at IS NULL
               ORDER BY created_at, shortcode`,
  tiktok: `SELECT video_id AS id FROM tiktok_post
            WHERE client_id = $1 AND created_at >= $2 AND created_at < $3 AND removed_at IS NULL
            ORDER BY created_at, video_id`,
};

/**
 * Upserts the day's posts of one client. Only posts whose createdAt falls inside `day`
 * are stored (others ignored). When `complete` is true, stored posts of that client and
 * day missing from `posts` are marked removed (never deleted); when false, nothing is
 * marked. A removed post in any listing is restored: being listed proves it is there.
 * A `complete` listing must cover the whole day: an empty one marks every post removed.
 */
export async function storePosts(
  db: Db,
  input: { platform: Platform; clientId: string; day: DayWindow; posts: FetchedPost[]; complete: boolean; at: Date },
): Promise<PostsStored> {
  const { platform, clientId, day } = input;
  const seen = new Set<string>();
  const posts = input.posts.filter((p) => {
    const inDay = p.createdAt >= day.start && p.createdAt < day.end && !seen.has(p.id);
    if (inDay) seen.add(p.id); // pages may overlap: ON CONFLICT cannot touch a row twice
    return inDay;
  });
  return db.tx(async (t) => {
    // Two runs for one client and platform at once would each count the other's writes.
    await t.query(`SELECT pg_advisory_xact_lock(hashtext('cicero.fetch-posts'), hashtext($1))`, [`${platform}:${clientId}`]);
    let counts = { new: 0, updated: 0, restored: 0 };
    if (posts.length > 0) {
      const common = [clientId, posts.map((p) => p.id), posts.map((p) => p.createdAt), posts.map((p) => p.caption),
        posts.map((p) => p.likeCount), posts.map((p) => p.commentCount)];
      const params = platform === 'tiktok' ? common : [...common, posts.map((p) => p.isVideo ?? null),
        posts.map((p) => p.imageUrl ?? null), posts.map((p) => p.videoUrl ?? null), posts.map((p) => p.thumbnailUrl ?? null),
        posts.map((p) => (p.imagesUrl ? JSON.stringify(p.imagesUrl) : null)), posts.map((p) => p.isCarousel ?? null)];
      const { rows } = await t.query<{ new: number; updated: number; restored: number }>(UPSERT[platform], params);
      counts = rows[0]!;
      if (platform === 'instagram') await storeExt(t, posts, input.at);
    }
    let removed = 0;
    if (input.complete) {
      const { rows } = await t.query<{ n: number }>(
        `WITH marked AS (${MARK_REMOVED[platform]} RETURNING 1) SELECT count(*)::int AS n FROM marked`,
        [clientId, day.start, day.end, input.at, posts.map((p) => p.id)],
      );
      removed = rows[0]!.n;
    }
    return { found: posts.length, ...counts, removed };
  });
}

/** Instagram's own ids and counters of the listed posts, where the API gave them. */
async function storeExt(t: Queryable, posts: FetchedPost[], at: Date): Promise<void> {
  const withExt = posts.flatMap((p) => (p.ext ? [{ post: p, ext: p.ext }] : []));
  if (withExt.length === 0) return;
  const owners = new Map<string, string>();
  for (const { ext } of withExt) if (ext.ownerId && ext.ownerUsername) owners.set(ext.ownerId, ext.ownerUsername);
  if (owners.size > 0) {
    await t.query(
      `INSERT INTO ig_ext_users (user_id, username) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username`,
      [[...owners.keys()], [...owners.values()]],
    );
  }
  const col = <T>(f: (x: (typeof withExt)[number]) => T): T[] => withExt.map(f);
  await t.query(
    `INSERT INTO ig_ext_posts AS e (post_id, shortcode, user_id, caption_text, created_at, like_count, comment_count,
                                    share_count, view_count, media_type, is_pinned)
     SELECT x.post_id, x.shortcode, u.user_id, x.caption, x.created_at, x.like_count, x.comment_count, x.share_count,
            x.view_count, x.media_type, coalesce(x.is_pinned, false)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int[], $7::int[], $8::int[],
                   $9::int[], $10::int[], $11::bool[])
         AS x (post_id, shortcode, owner_id, caption, created_at, like_count, comment_count, share_count, view_count,
               media_type, is_pinned)
       LEFT JOIN ig_ext_users u ON u.user_id = x.owner_id
     ON CONFLICT (post_id) DO UPDATE SET
       shortcode = EXCLUDED.shortcode,
       user_id = coalesce(EXCLUDED.user_id, e.user_id),
       caption_text = coalesce(EXCLUDED.caption_text, e.caption_text),
       created_at = EXCLUDED.created_at,
       like_count = coalesce(EXCLUDED.like_count, e.like_count),
       comment_count = coalesce(EXCLUDED.comment_count, e.comment_count),
       share_count = coalesce(EXCLUDED.share_count, e.share_count),
       view_count = coalesce(EXCLUDED.view_count, e.view_count),
       media_type = coalesce(EXCLUDED.media_type, e.media_type),
       is_pinned = EXCLUDED.is_pinned`,
    [col((x) => x.ext.postId), col((x) => x.post.id), col((x) => x.ext.ownerId ?? null), col((x) => x.post.caption),
      col((x) => x.post.createdAt), col((x) => x.post.likeCount), col((x) => x.post.commentCount),
      col((x) => x.ext.shareCount ?? null), col((x) => x.ext.viewCount ?? null), col((x) => x.ext.mediaType ?? null),
      col((x) => x.ext.isPinned ?? null)],
  );
  await t.query(
    `INSERT INTO ig_post_metrics AS m (post_id, play_count, save_count, share_count, view_count, like_count, comment_count, updated_at)
     SELECT x.*, $8 FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[]) AS x
     ON CONFLICT (post_id) DO UPDATE SET
       play_count = coalesce(EXCLUDED.play_count, m.play_count),
       save_count = coalesce(EXCLUDED.save_count, m.save_count),
       share_count = coalesce(EXCLUDED.share_count, m.share_count),
       view_count = coalesce(EXCLUDED.view_count, m.view_count),
       like_count = coalesce(EXCLUDED.like_count, m.like_count),
       comment_count = coalesce(EXCLUDED.comment_count, m.comment_count),
       updated_at = EXCLUDED.updated_at`,
    [col((x) => x.ext.postId), col((x) => x.ext.playCount ?? null), col((x) => x.ext.saveCount ?? null),
      col((x) => x.ext.shareCount ?? null), col((x) => x.ext.viewCount ?? null), col((x) => x.post.likeCount),
      col((x) => x.post.commentCount), at],
  );
}

/** The client's posts of the day that are not marked removed, oldest first. */
export async function dayPostIds(db: Queryable, platform: Platform, clientId: string, day: DayWindow): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(DAY_POSTS[platform], [clientId, day.start, day.end]);
  return rows.map((r) => r.id);
}
