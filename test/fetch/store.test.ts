/**
 * The fetch's storage: a day's posts (new, updated, removed, restored; the Jakarta day
 * at its edges), and likers/commenters merged run after run, with the write-time
 * matching exact after every merge, whoever else writes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findClient } from '../../src/compliance/clients.js';
import { loadEngagement } from '../../src/compliance/engagement.js';
import { loadDayLinks } from '../../src/compliance/links.js';
import { type FetchedPost, dayPostIds, mergeEngagement, storePosts } from '../../src/fetch/store.js';
import { dayWindowOf } from '../../src/time/day.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const DAY = dayWindowOf('2026-11-25', 'Asia/Jakarta');
const AT = new Date('2026-11-25T05:00:00Z');
const LATER = new Date('2026-11-25T06:00:00Z');
/** WIB = UTC+7: 00:00 WIB on the 25th is 17:00 UTC on the 24th. */
const wib = (time: string): Date => new Date(`2026-11-25T${time}+07:00`);

const post = (id: string, createdAt: Date, extra: Partial<FetchedPost> = {}): FetchedPost => ({
  id,
  createdAt,
  caption: `caption ${id}`,
  likeCount: 10,
  commentCount: 1,
  ...extra,
});

describe(`fetch storage (${backend})`, () => {
  const database = useTestDatabase();

  beforeAll(async () => {
    await database().db.exec(`
      INSERT INTO clients (client_id, nama, client_insta, client_tiktok) VALUES
        ('FS', 'POLRES FS', 'polresfs', '@polresfs'), ('FSB', 'POLRES FSB', 'polresfsb', NULL);
      INSERT INTO "user" (user_id, nama, divisi, client_id, insta, tiktok) VALUES
        ('f1', 'BUDI', 'BAG OPS', 'FS', '@Budi.S', 'budi.tt'), ('f2', 'ANI', 'SAT BINMAS', 'FS', 'https://www.instagram.com/ani_r/', NULL),
        ('f3', 'EKO', 'SAT LANTAS', 'FS', NULL, NULL), ('b1', 'BUDI LAIN', 'BAG OPS', 'FSB', 'budi.s', NULL);
    `);
  });

  const matches = async (platform: string, postId: string): Promise<string[]> =>
    (
      await database().db.query<{ user_id: string }>(
        `SELECT user_id FROM engagement_match WHERE platform = $1 AND post_id = $2 ORDER BY 1`,
        [platform, postId],
      )
    ).rows.map((r) => r.user_id);

  const likes = async (shortcode: string): Promise<{ likes: unknown[]; updated_at: Date | null } | undefined> =>
    (
      await database().db.query<{ likes: unknown[]; updated_at: Date | null }>(
        `SELECT likes, updated_at FROM insta_like WHERE shortcode = $1`,
        [shortcode],
      )
    ).rows[0];

  describe('posts', () => {
    it('counts new, updated, removed and restored, and a partial listing marks nothing', async () => {
      const { db } = database();
      const base = { platform: 'instagram' as const, clientId: 'FS', day: DAY, at: AT };
      const first = await storePosts(db, { ...base, complete: true, posts: [post('a1', wib('08:00:00')), post('a2', wib('09:00:00')), post('a3', wib('10:00:00'))] });
      expect(first).toEqual({ found: 3, new: 3, updated: 0, removed: 0, restored: 0 });

      // Same listing again: nothing changed.
      const same = await storePosts(db, { ...base, complete: true, posts: [post('a1', wib('08:00:00')), post('a2', wib('09:00:00')), post('a3', wib('10:00:00'))] });
      expect(same).toEqual({ found: 3, new: 0, updated: 0, removed: 0, restored: 0 });

      // A partial listing without a2 and a3: nothing marked; a1's counts moved.
      const partial = await storePosts(db, { ...base, complete: false, posts: [post('a1', wib('08:00:00'), { likeCount: 11 })] });
      expect(partial).toEqual({ found: 1, new: 0, updated: 1, removed: 0, restored: 0 });
      expect(await dayPostIds(db, 'instagram', 'FS', DAY)).toEqual(['a1', 'a2', 'a3']);

      // A complete listing without a2: marked removed, kept.
      const gone = await storePosts(db, { ...base, complete: true, posts: [post('a1', wib('08:00:00'), { likeCount: 11 }), post('a3', wib('10:00:00'))] });
      expect(gone).toEqual({ found: 2, new: 0, updated: 0, removed: 1, restored: 0 });
      expect(await dayPostIds(db, 'instagram', 'FS', DAY)).toEqual(['a1', 'a3']);
      const { rows } = await db.query<{ removed_at: Date | null }>(`SELECT removed_at FROM insta_post WHERE shortcode = 'a2'`);
      expect(rows[0]?.removed_at?.toISOString()).toBe(AT.toISOString());

      // Back in a later complete listing: restored.
      const back = await storePosts(db, { ...base, at: LATER, complete: true, posts: [post('a1', wib('08:00:00'), { likeCount: 11 }), post('a2', wib('09:00:00')), post('a3', wib('10:00:00'))] });
      expect(back).toEqual({ found: 3, new: 0, updated: 0, removed: 0, restored: 1 });
      expect(await dayPostIds(db, 'instagram', 'FS', DAY)).toEqual(['a1', 'a2', 'a3']);
    });

    it('takes a post at 23:59:59 WIB into its day and one at 00:00 WIB of the next day not', async () => {
      const { db } = database();
      const result = await storePosts(db, {
        platform: 'tiktok',
        clientId: 'FS',
        day: DAY,
        at: AT,
        complete: true,
        posts: [
          post('v-first', wib('00:00:00')),
          post('v-last', new Date('2026-11-25T23:59:59+07:00')),
          post('v-next', new Date('2026-11-26T00:00:00+07:00')),
          post('v-before', new Date('2026-11-24T23:59:59+07:00')),
        ],
      });
      expect(result).toEqual({ found: 2, new: 2, updated: 0, removed: 0, restored: 0 });
      expect(await dayPostIds(db, 'tiktok', 'FS', DAY)).toEqual(['v-first', 'v-last']);
      const { rows } = await db.query(`SELECT video_id FROM tiktok_post WHERE video_id IN ('v-next', 'v-before')`);
      expect(rows).toEqual([]);
    });

    it('keeps media fields the listing leaves out, and fills the ig_ext tables', async () => {
      const { db } = database();
      const base = { platform: 'instagram' as const, clientId: 'FS', day: DAY, at: AT, complete: false };
      const ext = { postId: '3100', ownerId: '900', ownerUsername: 'polresfs', mediaType: 2, viewCount: 500, playCount: 700 };
      await storePosts(db, { ...base, posts: [post('m1', wib('11:00:00'), { isVideo: true, videoUrl: 'https://v/1', imagesUrl: ['https://i/1'], ext })] });
      const again = await storePosts(db, { ...base, posts: [post('m1', wib('11:00:00'))] });
      expect(again.updated).toBe(0);
      const { rows } = await db.query(
        `SELECT p.is_video, p.video_url, p.images_url, e.post_id, e.user_id, e.media_type, m.play_count, u.username
           FROM insta_post p JOIN ig_ext_posts e ON e.shortcode = p.shortcode JOIN ig_post_metrics m ON m.post_id = e.post_id
           JOIN ig_ext_users u ON u.user_id = e.user_id WHERE p.shortcode = 'm1'`,
      );
      expect(rows).toEqual([{ is_video: true, video_url: 'https://v/1', images_url: ['https://i/1'], post_id: '3100', user_id: '900', media_type: 2, play_count: 700, username: 'polresfs' }]);
    });

    it('leaves a removed post out of the reports but keeps its likes and link reports', async () => {
      const { db } = database();
      const base = { platform: 'instagram' as const, clientId: 'FS', day: DAY, at: AT };
      await storePosts(db, { ...base, complete: true, posts: [post('r1', wib('12:00:00')), post('r2', wib('13:00:00')), post('a1', wib('08:00:00')), post('a2', wib('09:00:00')), post('a3', wib('10:00:00')), post('m1', wib('11:00:00'))] });
      await mergeEngagement(db, { platform: 'instagram', postId: 'r1', engagers: [{ username: 'budi.s' }], complete: true, at: AT });
      await mergeEngagement(db, { platform: 'instagram', postId: 'r2', engagers: [{ username: 'budi.s' }], complete: true, at: AT });
      await db.query(`INSERT INTO link_report (shortcode, user_id, facebook_link) VALUES ('r2', 'f1', 'https://www.facebook.com/budi/posts/1')`);
      const client = (await findClient(db, 'FS'))!;
      const before = await loadEngagement(db, client, 'likes', DAY);
      expect(before.posts.map((p) => p.id)).toContain('r2');

      const removed = await storePosts(db, { ...base, complete: true, posts: [post('r1', wib('12:00:00')), post('a1', wib('08:00:00')), post('a2', wib('09:00:00')), post('a3', wib('10:00:00')), post('m1', wib('11:00:00'))] });
      expect(removed.removed).toBe(1);
      for (const source of ['likes', 'links'] as const) {
        const day = await loadEngagement(db, client, source, DAY);
        expect(day.posts.map((p) => p.id)).not.toContain('r2');
      }
      const budi = (await loadEngagement(db, client, 'likes', DAY)).members.find((m) => m.userId === 'f1')!;
      expect(budi.engaged).toHaveLength(1);
      expect((await loadDayLinks(db, client, DAY)).posts).not.toContain('r2');
      expect((await likes('r2'))?.likes).toEqual(['budi.s']);
      expect(await matches('instagram', 'r2')).toEqual(['f1']);
      const { rows } = await db.query(`SELECT user_id FROM link_report WHERE shortcode = 'r2'`);
      expect(rows).toEqual([{ user_id: 'f1' }]);
    });
  });

  describe('engagement', () => {
    beforeAll(async () => {
      await storePosts(database().db, {
        platform: 'instagram',
        clientId: 'FS',
        day: DAY,
        at: AT,
        complete: false,
        posts: [post('e1', wib('14:00:00')), post('e2', wib('15:00:00')), post('e3', wib('16:00:00')), post('e4', wib('17:00:00'), { ext: { postId: '4400' } })],
      });
      await storePosts(database().db, { platform: 'tiktok', clientId: 'FS', day: DAY, at: AT, complete: false, posts: [post('t1', wib('14:00:00'))] });
    });

    it('merges: a later run with fewer removes none, duplicates are not doubled, bad usernames dropped', async () => {
      const { db } = database();
      const first = await mergeEngagement(db, {
        platform: 'instagram',
        postId: 'e1',
        engagers: [{ username: 'Budi.S' }, { username: 'stranger' }, { username: '@BUDI.S' }, { username: 'not a handle' }, { username: '' }],
        complete: true,
        at: AT,
      });
      expect(first).toEqual({ added: 2, total: 2 });
      expect(await matches('instagram', 'e1')).toEqual(['f1']);

      const fewer = await mergeEngagement(db, { platform: 'instagram', postId: 'e1', engagers: [{ username: 'ani_r' }], complete: true, at: LATER });
      expect(fewer).toEqual({ added: 1, total: 3 });
      const row = await likes('e1');
      expect([...((row?.likes ?? []) as string[])].sort()).toEqual(['ani_r', 'budi.s', 'stranger']);
      expect(await matches('instagram', 'e1')).toEqual(['f1', 'f2']);

      const nothing = await mergeEngagement(db, { platform: 'instagram', postId: 'e1', engagers: [], complete: false, at: LATER });
      expect(nothing).toEqual({ added: 0, total: 3 });
      expect((await likes('e1'))?.likes).toHaveLength(3);
    });

    it('moves updated_at only on a complete fetch; a row first written by a partial fetch has none', async () => {
      const { db } = database();
      const partial = await mergeEngagement(db, { platform: 'instagram', postId: 'e2', engagers: [{ username: 'budi.s' }], complete: false, at: AT });
      expect(partial).toEqual({ added: 1, total: 1 });
      expect(await likes('e2')).toEqual({ likes: ['budi.s'], updated_at: null });
      expect(await matches('instagram', 'e2')).toEqual(['f1']);
      // The report counts a post only ever fetched partly, marked as such.
      const client = (await findClient(db, 'FS'))!;
      const day = await loadEngagement(db, client, 'likes', DAY);
      expect(day.posts.find((p) => p.id === 'e2')).toMatchObject({ fetched: true, partial: true, updatedAt: null });

      await mergeEngagement(db, { platform: 'instagram', postId: 'e2', engagers: [{ username: 'budi.s' }], complete: true, at: AT });
      expect((await likes('e2'))?.updated_at?.toISOString()).toBe(AT.toISOString());
      await mergeEngagement(db, { platform: 'instagram', postId: 'e2', engagers: [{ username: 'ani_r' }], complete: false, at: LATER });
      expect(await likes('e2')).toEqual({ likes: ['budi.s', 'ani_r'], updated_at: AT });
      expect(await matches('instagram', 'e2')).toEqual(['f1', 'f2']);
      const after = await loadEngagement(db, client, 'likes', DAY);
      expect(after.posts.find((p) => p.id === 'e2')).toMatchObject({ fetched: true, partial: false, updatedAt: AT });
    });

    it('stays exact for a handle set later, a plain SQL write of the likes, and another client', async () => {
      const { db } = database();
      await mergeEngagement(db, { platform: 'instagram', postId: 'e3', engagers: [{ username: 'eko.p' }, { username: 'budi.s' }], complete: true, at: AT });
      expect(await matches('instagram', 'e3')).toEqual(['f1']); // b1 (budi.s too) belongs to FSB

      // A member sets the handle that liked after the likes were stored.
      await db.query(`UPDATE "user" SET insta = 'Eko.P' WHERE user_id = 'f3'`);
      expect(await matches('instagram', 'e3')).toEqual(['f1', 'f3']);

      // Another writer replaces the array by plain SQL: rematched in full.
      await db.query(`UPDATE insta_like SET likes = '["ani_r"]' WHERE shortcode = 'e3'`);
      expect(await matches('instagram', 'e3')).toEqual(['f2']);
      // A merge after it starts from what that writer stored.
      const merged = await mergeEngagement(db, { platform: 'instagram', postId: 'e3', engagers: [{ username: 'eko.p' }, { username: 'ani_r' }], complete: true, at: LATER });
      expect(merged).toEqual({ added: 1, total: 2 });
      expect(await matches('instagram', 'e3')).toEqual(['f2', 'f3']);

      // The handle changes away, then back: the member trigger finds the merged chunk.
      await db.query(`UPDATE "user" SET insta = 'someone.else' WHERE user_id = 'f3'`);
      expect(await matches('instagram', 'e3')).toEqual(['f2']);
      await db.query(`UPDATE "user" SET insta = 'eko.p' WHERE user_id = 'f3'`);
      expect(await matches('instagram', 'e3')).toEqual(['f2', 'f3']);
      await db.query(`UPDATE "user" SET insta = NULL WHERE user_id = 'f3'`);

      // Exactly the members whose handles are stored, by the read-time rule.
      const { rows } = await db.query<{ user_id: string }>(
        `SELECT DISTINCT u.user_id FROM insta_like l CROSS JOIN jsonb_array_elements(l.likes) AS e (entry)
           JOIN "user" u ON u.client_id = 'FS' AND cicero_handle(u.insta, 'instagram') = cicero_entry_handle(e.entry, 'instagram')
          WHERE l.shortcode = 'e3' ORDER BY 1`,
      );
      expect(await matches('instagram', 'e3')).toEqual(rows.map((r) => r.user_id));
    });

    it('folds many small merges into one chunk without losing a handle', async () => {
      const { db } = database();
      for (let i = 0; i < 40; i++) {
        await mergeEngagement(db, { platform: 'tiktok', postId: 't1', engagers: [{ username: `fan${i}` }], complete: true, at: AT });
      }
      const last = await mergeEngagement(db, { platform: 'tiktok', postId: 't1', engagers: [{ username: 'Budi.TT' }], complete: true, at: AT });
      expect(last).toEqual({ added: 1, total: 41 });
      expect(await matches('tiktok', 't1')).toEqual(['f1']);
      const { rows } = await db.query<{ chunks: number; handles: number }>(
        `SELECT count(*)::int AS chunks, sum(cardinality(handles))::int AS handles FROM engagement_post WHERE post_id = 't1'`,
      );
      expect(rows[0]!.handles).toBe(41);
      expect(rows[0]!.chunks).toBeLessThan(33);
      const stored = await db.query<{ n: number }>(`SELECT jsonb_array_length(comments) AS n FROM tiktok_comment WHERE video_id = 't1'`);
      expect(stored.rows[0]!.n).toBe(41);
    });

    it('puts only new likers with an id into ig_post_like_users and ig_ext_users', async () => {
      const { db } = database();
      await mergeEngagement(db, {
        platform: 'instagram',
        postId: 'e4',
        engagers: [{ username: 'Budi.S', userId: '11', fullName: 'Budi', isVerified: false }, { username: 'noid' }],
        complete: true,
        at: AT,
      });
      // A second run: budi again (with a new name, not written: not new), ani new.
      await mergeEngagement(db, {
        platform: 'instagram',
        postId: 'e4',
        engagers: [{ username: 'budi.s', userId: '11', fullName: 'Budi Baru' }, { username: 'ani_r', userId: '12', isPrivate: true }],
        complete: true,
        at: LATER,
      });
      const { rows } = await db.query(
        `SELECT l.post_id, l.user_id, l.username, u.full_name, u.is_private FROM ig_post_like_users l
           JOIN ig_ext_users u USING (user_id) ORDER BY l.user_id`,
      );
      expect(rows).toEqual([
        { post_id: '4400', user_id: '11', username: 'budi.s', full_name: 'Budi', is_private: null },
        { post_id: '4400', user_id: '12', username: 'ani_r', full_name: null, is_private: true },
      ]);
      // A post without an ig_ext_posts row writes none.
      await mergeEngagement(db, { platform: 'instagram', postId: 'e1', engagers: [{ username: 'new.one', userId: '13' }], complete: true, at: LATER });
      const none = await db.query(`SELECT * FROM ig_ext_users WHERE user_id = '13'`);
      expect(none.rows).toEqual([]);
    });
  });
});
