/**
 * The worked example of the reference (§2.6) as data: POLRES ABC with five active
 * members, two Instagram posts today and one yesterday at 23:59 WIB, one TikTok video.
 * The test bot's clock is Wednesday 25/11/2026 10.00.00 WIB.
 */
import type { Db } from '../../src/db/db.js';
import { CLIENT, MEMBER, seedChatFixture } from './bot.js';

export const MEMBERS = {
  budi: '75070206', // the chat fixture's member, bound to MEMBER
  dedi: '80010001',
  ani: '80010002',
  candra: '80010003',
  eko: '80010004',
  inactive: '80010005',
} as const;

export async function seedWorkedExample(db: Db): Promise<void> {
  await seedChatFixture(db);
  await db.query(
    `UPDATE clients SET client_insta = 'polresabc', client_tiktok = '@polresabc' WHERE client_id = $1`,
    [CLIENT],
  );
  await db.query(
    `UPDATE "user" SET nama = 'BUDI', title = 'AIPTU', divisi = 'BAG OPS', insta = 'budi.s', tiktok = '@budi.s', whatsapp = $2
      WHERE user_id = $1`,
    [MEMBERS.budi, MEMBER],
  );
  await db.query(
    `INSERT INTO "user" (user_id, nama, title, divisi, jabatan, insta, tiktok, exception, status, whatsapp, client_id) VALUES
       ($1, 'DEDI', 'KOMPOL', 'BAG OPS', 'KABAG OPS', 'dedi', NULL, true, true, '6281300000011', $6),
       ($2, 'ANI', 'BRIPKA', 'SAT BINMAS', NULL, '@Ani_R', 'ani.r', false, true, NULL, $6),
       ($3, 'CANDRA', 'BRIPDA', 'SAT LANTAS', NULL, NULL, NULL, false, true, NULL, $6),
       ($4, 'EKO', 'BRIGPOL', 'POLSEK KOTA', NULL, 'https://www.instagram.com/eko/', NULL, false, true, NULL, $6),
       ($5, 'LAMA', 'AIPDA', 'BAG OPS', NULL, 'inactive.guy', NULL, false, false, NULL, $6)`,
    [MEMBERS.dedi, MEMBERS.ani, MEMBERS.candra, MEMBERS.eko, MEMBERS.inactive, CLIENT],
  );
  // sc1 at 00:01 WIB today, sc2 at 09:00 WIB today, old1 at 23:59 WIB yesterday.
  await db.query(
    `INSERT INTO insta_post (shortcode, client_id, created_at) VALUES
       ('sc1', $1, '2026-11-24T17:01:00Z'), ('sc2', $1, '2026-11-25T02:00:00Z'), ('old1', $1, '2026-11-24T16:59:00Z')`,
    [CLIENT],
  );
  await db.query(
    `INSERT INTO insta_like (shortcode, likes, updated_at) VALUES
       ('sc1', '["BUDI.S", "ani_r", {"username": "Inactive.Guy"}, "stranger"]', '2026-11-25T02:30:00Z'),
       ('sc2', '[{"username": "budi.s", "full_name": "Budi"}]', '2026-11-25T02:20:00Z'),
       ('old1', '["eko"]', '2026-11-24T17:10:00Z')`,
  );
  await db.query(`INSERT INTO tiktok_post (video_id, client_id, created_at) VALUES ('v1', $1, '2026-11-25T01:00:00Z')`, [CLIENT]);
  await db.query(
    `INSERT INTO tiktok_comment (video_id, comments, updated_at) VALUES ('v1', '[{"user": {"unique_id": "Ani.R"}}]', '2026-11-25T02:00:00Z')`,
  );
}
