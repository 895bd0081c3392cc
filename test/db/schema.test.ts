import { describe, expect, it } from 'vitest';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`schema rules (${backend})`, () => {
  const database = useTestDatabase();

  async function client(id: string): Promise<void> {
    await database().db.query(`INSERT INTO clients (client_id, nama) VALUES ($1, $2)`, [id, `POLRES ${id}`]);
  }

  it('gives the bot’s added columns their defaults', async () => {
    const { db } = database();
    await client('DEFAULTS');
    await db.query(`INSERT INTO "user" (user_id, nama, client_id) VALUES ('10000001', 'BUDI', 'DEFAULTS')`);
    const { rows } = await db.query(
      `SELECT c.client_insta_status, c.client_tiktok_status, c.client_amplify_status, c.client_status,
              u.status, u.exception, u.whatsapp, u.jabatan
         FROM clients c JOIN "user" u USING (client_id) WHERE c.client_id = 'DEFAULTS'`,
    );
    expect(rows).toEqual([
      {
        client_insta_status: true,
        client_tiktok_status: true,
        client_amplify_status: true,
        client_status: true,
        status: true,
        exception: false,
        whatsapp: null,
        jabatan: null,
      },
    ]);
  });

  it('binds a WhatsApp number to at most one member, and any number of members to none', async () => {
    const { db } = database();
    await client('WA');
    await db.query(
      `INSERT INTO "user" (user_id, client_id, whatsapp) VALUES ('20000001', 'WA', '6281234567890'), ('20000002', 'WA', NULL), ('20000003', 'WA', NULL)`,
    );
    await expect(
      db.query(`INSERT INTO "user" (user_id, client_id, whatsapp) VALUES ('20000004', 'WA', '6281234567890')`),
    ).rejects.toThrow(/duplicate key|unique/i);
  });

  it('accepts likes and comments as plain jsonb arrays of strings or objects, and nothing else', async () => {
    const { db } = database();
    await client('LIKES');
    await db.query(`INSERT INTO insta_post (shortcode, client_id) VALUES ('sc1', 'LIKES')`);
    await db.query(`INSERT INTO insta_like (shortcode, likes) VALUES ('sc1', '["budi.s", {"username": "ani_r"}]')`);
    const { rows } = await db.query<{ likes: unknown }>(`SELECT likes FROM insta_like WHERE shortcode = 'sc1'`);
    expect(rows[0]!.likes).toEqual(['budi.s', { username: 'ani_r' }]);
    await db.query(`INSERT INTO tiktok_post (video_id, client_id) VALUES ('v1', 'LIKES')`);
    await expect(db.query(`INSERT INTO tiktok_comment (video_id, comments) VALUES ('v1', '{"a": 1}')`)).rejects.toThrow(
      /tiktok_comment_comments_array/,
    );
  });

  it('removing a client removes what it owns and keeps dashboard accounts unlinked', async () => {
    const { db } = database();
    await client('GONE');
    await db.query(`INSERT INTO "user" (user_id, client_id) VALUES ('30000001', 'GONE')`);
    await db.query(`INSERT INTO insta_post (shortcode, client_id) VALUES ('gone1', 'GONE')`);
    await db.query(`INSERT INTO insta_like (shortcode, likes) VALUES ('gone1', '[]')`);
    await db.query(`INSERT INTO link_report (shortcode, user_id, instagram_link) VALUES ('gone1', '30000001', 'x')`);
    await db.query(`INSERT INTO tiktok_post (video_id, client_id) VALUES ('gonev', 'GONE')`);
    await db.query(
      `INSERT INTO dashboard_user (user_id, username, password_hash, role, client_id) VALUES ('u1', 'op_gone', '$2b$10$x', 'operator', 'GONE')`,
    );
    await db.query(`DELETE FROM clients WHERE client_id = 'GONE'`);
    const { rows } = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM "user" WHERE user_id = '30000001')
            + (SELECT count(*) FROM insta_post WHERE shortcode = 'gone1')
            + (SELECT count(*) FROM insta_like WHERE shortcode = 'gone1')
            + (SELECT count(*) FROM link_report WHERE shortcode = 'gone1')
            + (SELECT count(*) FROM tiktok_post WHERE video_id = 'gonev') AS n`,
    );
    expect(rows[0]!.n).toBe(0);
    const dash = await db.query(`SELECT client_id FROM dashboard_user WHERE user_id = 'u1'`);
    expect(dash.rows).toEqual([{ client_id: null }]);
  });

  it('records logins with their time as timestamptz and counts as numbers on both backends', async () => {
    const { db } = database();
    await db.query(`INSERT INTO login_log (actor_id, login_type, login_source) VALUES ('POLRESABC', 'operator', 'whatsapp')`);
    const { rows } = await db.query<{ n: number; logged_at: Date }>(
      `SELECT count(*) AS n, max(logged_at) AS logged_at FROM login_log`,
    );
    expect(rows[0]!.n).toBe(1);
    expect(rows[0]!.logged_at).toBeInstanceOf(Date);
  });
});
