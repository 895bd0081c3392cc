/**
 * The derived post × member table stays exact whoever writes likes, comments,
 * posts or members' handles, and the SQL normalisation is the TypeScript one.
 */
import { describe, expect, it } from 'vitest';
import { handleOfEntry, normaliseHandle, type Platform } from '../../src/compliance/handle.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const RAW_HANDLES = [
  'budi.s', '@Budi.S', ' budi.s ', '  @BUDI.S  ', '\u00a0budi.s\t', 'https://www.instagram.com/budi.s/',
  'http://instagram.com/budi.s', 'instagram.com/budi.s?igsh=MTIzNDU2', 'www.instagram.com/Budi_S/?hl=id',
  'https://m.instagram.com/budi.s', 'https://www.instagram.com/p/Cx1abcDEF/', 'https://www.instagram.com/reel/X/',
  'https://www.tiktok.com/@budi', 'tiktok.com/@Budi_S?lang=id', 'https://www.tiktok.com/@budi.santoso/video/73',
  'https://www.tiktok.com/video/123', 'budi santoso', 'a'.repeat(31), 'a'.repeat(30), '', '   ', '-', 'x', '@@budi',
  'budi/', 'https://instagram.com/', 'https://www.instagram.com//budi', 'BudiSantoso', 'österreich', 'budi#1',
  'facebook.com/budi', 'https://tiktok.com/@', '@', 'Ünïcode', 'budi.s/extra', '\u0130bu', 'BUD\u0130', 'bu\u0085',
  '\u180ebudi', '\u200bbudi', '\u3000budi\ufeff', 'Instagram.COM/Budi',
];

const ENTRIES: unknown[] = [
  'Budi.S', { username: '@Budi.S', full_name: 'Budi' }, { unique_id: 'BudiS' }, { user: { unique_id: 'budis' } },
  { user: { username: 'budis' } }, { username: null, unique_id: 'second' }, { username: 42 }, { id: 42 }, 42, null,
  ['budi'], { user: 'budi' }, true,
];

describe(`engagement matching in SQL (${backend})`, () => {
  const database = useTestDatabase();

  it.each(['instagram', 'tiktok'] as Platform[])('normalises %s handles exactly as the TypeScript does', async (platform) => {
    const { rows } = await database().db.query<{ raw: string; handle: string | null }>(
      `SELECT raw, cicero_handle(raw, $2) AS handle FROM unnest($1::text[]) AS raw`,
      [RAW_HANDLES, platform],
    );
    expect(rows.map((r) => [r.raw, r.handle])).toEqual(RAW_HANDLES.map((raw) => [raw, normaliseHandle(raw, platform)]));
  });

  it.each(['instagram', 'tiktok'] as Platform[])('reads %s entries stored as strings or objects as the TypeScript does', async (platform) => {
    const { rows } = await database().db.query<{ handle: string | null }>(
      `SELECT cicero_entry_handle(e, $2) AS handle FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x (e, i) ORDER BY i`,
      [JSON.stringify(ENTRIES), platform],
    );
    expect(rows.map((r) => r.handle)).toEqual(ENTRIES.map((entry) => handleOfEntry(entry, platform)));
  });

  async function matches(platform: Platform = 'instagram'): Promise<string[]> {
    const { rows } = await database().db.query<{ m: string }>(
      `SELECT post_id || ':' || user_id AS m FROM engagement_match WHERE platform = $1 ORDER BY 1`,
      [platform],
    );
    return rows.map((r) => r.m);
  }

  it('keeps matches in step with every write to likes, posts and members', async () => {
    const { db } = database();
    await db.exec(`
      INSERT INTO clients (client_id, nama) VALUES ('SYNC', 'POLRES SYNC'), ('OTHER', 'POLRES OTHER');
      INSERT INTO "user" (user_id, nama, client_id, insta) VALUES
        ('s1', 'BUDI', 'SYNC', '@Budi.S'), ('s2', 'ANI', 'SYNC', 'https://www.instagram.com/ani_r/'),
        ('s3', 'EKO', 'SYNC', NULL), ('o1', 'BUDI LAIN', 'OTHER', 'budi.s');
      INSERT INTO insta_post (shortcode, client_id) VALUES ('sc1', 'SYNC'), ('sc2', 'SYNC');
    `);
    // Likes arrive: strings and objects, any case, strangers ignored, the other client's member not matched.
    await db.query(`INSERT INTO insta_like (shortcode, likes) VALUES ('sc1', $1)`, [
      JSON.stringify(['BUDI.S', { username: 'ani_r' }, 'stranger']),
    ]);
    expect(await matches()).toEqual(['sc1:s1', 'sc1:s2']);

    // A refresh that drops a liker drops the match.
    await db.query(`UPDATE insta_like SET likes = '["budi.s"]' WHERE shortcode = 'sc1'`);
    expect(await matches()).toEqual(['sc1:s1']);

    // A member sets a handle that already liked; another clears theirs.
    await db.query(`UPDATE insta_like SET likes = '["budi.s", "eko.p"]' WHERE shortcode = 'sc1'`);
    await db.query(`UPDATE "user" SET insta = 'Eko.P' WHERE user_id = 's3'`);
    await db.query(`UPDATE "user" SET insta = NULL WHERE user_id = 's1'`);
    expect(await matches()).toEqual(['sc1:s3']);

    // A new member, inserted by an import, is matched at once.
    await db.query(`INSERT INTO "user" (user_id, nama, client_id, insta) VALUES ('s4', 'DEDI', 'SYNC', 'BUDI.S')`);
    expect(await matches()).toEqual(['sc1:s3', 'sc1:s4']);

    // A member moving to another client loses the matches of the old one.
    await db.query(`UPDATE "user" SET client_id = 'OTHER' WHERE user_id = 's4'`);
    expect(await matches()).toEqual(['sc1:s3']);

    // A post moved to the other client is matched against that client's members.
    await db.query(`UPDATE insta_post SET client_id = 'OTHER' WHERE shortcode = 'sc1'`);
    expect(await matches()).toEqual(['sc1:o1', 'sc1:s4']);

    // A renamed member keeps the matches; a deleted one and a deleted post take theirs along.
    await db.query(`UPDATE "user" SET user_id = 'o1-new' WHERE user_id = 'o1'`);
    expect(await matches()).toEqual(['sc1:o1-new', 'sc1:s4']);
    await db.query(`DELETE FROM "user" WHERE user_id = 's4'`);
    expect(await matches()).toEqual(['sc1:o1-new']);
    await db.query(`DELETE FROM insta_post WHERE shortcode = 'sc1'`);
    expect(await matches()).toEqual([]);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM engagement_post`);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('survives maintenance, which evaluates the handle indexes with only pg_catalog on the search_path', async () => {
    const { db } = database();
    await db.exec(`INSERT INTO clients (client_id, nama) VALUES ('VAC', 'POLRES VAC');
                   INSERT INTO "user" (user_id, client_id, insta) VALUES ('v1', 'VAC', 'https://instagram.com/Vac.One/')`);
    await db.exec('VACUUM ANALYZE "user"');
    await db.exec('REINDEX TABLE "user"');
  });

  it('matches TikTok comments, and forgets everything on TRUNCATE', async () => {
    const { db } = database();
    await db.exec(`
      INSERT INTO clients (client_id, nama) VALUES ('TT', 'POLRES TT');
      INSERT INTO "user" (user_id, nama, client_id, tiktok) VALUES ('t1', 'BUDI', 'TT', '@BudiS'), ('t2', 'ANI', 'TT', 'tiktok.com/@ani.r');
      INSERT INTO tiktok_post (video_id, client_id) VALUES ('v1', 'TT');
      INSERT INTO tiktok_comment (video_id, comments) VALUES ('v1', '["budis", {"user": {"unique_id": "Ani.R"}}]');
    `);
    expect(await matches('tiktok')).toEqual(['v1:t1', 'v1:t2']);
    await db.exec(`TRUNCATE tiktok_comment`);
    expect(await matches('tiktok')).toEqual([]);
  });

  it('leaves updated_at to the writer (the time of the last complete fetch), and rematches a plain UPDATE', async () => {
    const { db } = database();
    await db.exec(`
      INSERT INTO clients (client_id, nama) VALUES ('TOUCH', 'POLRES TOUCH');
      INSERT INTO "user" (user_id, nama, client_id, insta) VALUES ('tu1', 'BUDI', 'TOUCH', 'a');
      INSERT INTO insta_post (shortcode, client_id) VALUES ('t1', 'TOUCH');
      INSERT INTO insta_like (shortcode, likes, updated_at) VALUES ('t1', '[]', '2026-01-01T00:00:00Z');
      UPDATE insta_like SET likes = '["a"]' WHERE shortcode = 't1';
    `);
    const { rows } = await db.query<{ at: Date }>(`SELECT updated_at AS at FROM insta_like WHERE shortcode = 't1'`);
    expect(rows[0]?.at.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(await matches()).toContain('t1:tu1');
    // A plain insert that leaves it out still gets one: other writers' rows count as complete.
    await db.query(`INSERT INTO insta_post (shortcode, client_id) VALUES ('t2', 'TOUCH')`);
    await db.query(`INSERT INTO insta_like (shortcode, likes) VALUES ('t2', '[]')`);
    const fresh = await db.query<{ at: Date | null }>(`SELECT updated_at AS at FROM insta_like WHERE shortcode = 't2'`);
    expect(fresh.rows[0]?.at).toBeInstanceOf(Date);
  });
});
