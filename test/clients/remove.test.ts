import { beforeEach, describe, expect, it } from 'vitest';
import { CONVERSATION_CANCELLED, conversationExpired } from '../../src/bot/texts.js';
import { ADMIN, CLIENT, createTestBot, MEMBER, OPERATOR, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { changeLog, clientRow, OTHER_CLIENT, resetClients } from './fixture.js';

describe(`removeclient (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;

  beforeEach(async () => {
    const db = database().db;
    await resetClients(db);
    // POLRESABC gets a post with likes, a video with comments, a link report and a dashboard operator signed in by chat.
    await db.query(`INSERT INTO insta_post (shortcode, client_id) VALUES ('sc1', $1)`, [CLIENT]);
    await db.query(`INSERT INTO insta_like (shortcode, likes) VALUES ('sc1', '["budi"]')`);
    await db.query(`INSERT INTO tiktok_post (video_id, client_id) VALUES ('v1', $1)`, [CLIENT]);
    await db.query(`INSERT INTO tiktok_comment (video_id, comments) VALUES ('v1', '["budi"]')`);
    await db.query(`INSERT INTO link_report (shortcode, user_id, instagram_link) VALUES ('sc1', '75070206', 'https://instagram.com/p/x')`);
    await db.query(`INSERT INTO "user" (user_id, nama, client_id) VALUES ('75070999', 'XYZ MEMBER', $1)`, [OTHER_CLIENT]);
    await db.query(
      `INSERT INTO dashboard_user (user_id, username, password_hash, role, client_id) VALUES ('d1', 'ops.abc', 'x', 'operator', $1)`,
      [CLIENT],
    );
    await db.query(`INSERT INTO operator_session (sender_key, dashboard_user_id, signed_in_at, expires_at) VALUES ('6281999', 'd1', now(), now() + interval '1 day')`);
    t = await createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const count = async (sql: string): Promise<number> =>
    (await database().db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`)).rows[0]!.n;

  it('says what goes with the client, and deletes it all on ya (other clients untouched), with change_log rows', async () => {
    const [question] = await t.replies(ADMIN, 'removeclient#polresabc');
    expect(question).toBe(
      [
        '⚠️ Hapus client *POLRESABC* (POLRES ABC)?',
        'Ikut terhapus, dan tidak bisa dikembalikan:',
        '• 1 anggota (1 aktif)',
        '• 1 konten Instagram dan 1 konten TikTok, dengan likes dan komentarnya',
        '• 1 laporan link',
        '• ikatan 2 grup',
        '1 akun dashboard client ini tetap ada, tetapi tanpa client.',
        '',
        'Balas *ya* untuk menghapus, *nonaktif* untuk menonaktifkan saja (data tetap tersimpan), atau *tidak* untuk membatalkan.',
      ].join('\n'),
    );
    expect(await t.replies(ADMIN, 'mungkin')).toEqual([`Balas *ya*, *nonaktif* atau *tidak*.\n\n${question}`]);
    expect(await t.replies(ADMIN, 'YA')).toEqual(['🗑️ Client *POLRESABC* dihapus, bersama 1 anggota, 2 konten dan 1 laporan link.']);
    const db = database().db;
    expect(await clientRow(db, CLIENT)).toBeUndefined();
    expect(await count(`"user" WHERE client_id IS NULL OR client_id = '${CLIENT}'`)).toBe(0);
    expect(await count('insta_post')).toBe(0);
    expect(await count('insta_like')).toBe(0);
    expect(await count('tiktok_post')).toBe(0);
    expect(await count('link_report')).toBe(0);
    expect(await count('operator_session')).toBe(0);
    expect(await count(`dashboard_user WHERE client_id IS NULL`)).toBe(1);
    expect(await count(`"user" WHERE client_id = '${OTHER_CLIENT}'`)).toBe(1);
    expect(await clientRow(db, OTHER_CLIENT)).toBeDefined();
    const log = await changeLog(db);
    expect(log.map((r) => [r.field, r.old_value, r.new_value])).toEqual([
      ['nama', 'POLRES ABC', null],
      ['client_status', 'true', null],
      ['client_insta_status', 'true', null],
      ['client_tiktok_status', 'true', null],
      ['client_amplify_status', 'true', null],
      ['client_operator', '0812-0000-0002', null],
      ['client_group', '120363111111111111@g.us, 120363222222222222@g.us', null],
    ]);
    expect(log.every((r) => r.client_id === CLIENT && r.actor === ADMIN && r.actor_role === 'admin')).toBe(true);
  });

  it('asks again when members were added between the question and the ya, then deletes on the second ya', async () => {
    await t.replies(ADMIN, 'removeclient#POLRESABC');
    await database().db.query(`INSERT INTO "user" (user_id, nama, client_id) VALUES ('75071111', 'IMPOR BARU', $1)`, [CLIENT]);
    const [again] = await t.replies(ADMIN, 'ya');
    expect(again).toMatch(/^⚠️ Data client ini berubah sejak pertanyaan tadi/);
    expect(again).toContain('• 2 anggota (2 aktif)');
    expect(await count(`"user" WHERE client_id = '${CLIENT}'`)).toBe(2);
    expect((await t.replies(ADMIN, 'ya'))[0]).toMatch(/POLRESABC/);
    expect(await count(`clients WHERE client_id = '${CLIENT}'`)).toBe(0);
  });

  it('keeps everything on tidak, on batal, and when the menu times out', async () => {
    const db = database().db;
    await t.say(ADMIN, 'removeclient#POLRESABC');
    expect(await t.replies(ADMIN, 'tidak')).toEqual(['👍 Client *POLRESABC* tidak dihapus.']);
    await t.say(ADMIN, 'removeclient#POLRESABC');
    expect(await t.replies(ADMIN, 'batal')).toEqual([CONVERSATION_CANCELLED]);
    await t.say(ADMIN, 'removeclient#POLRESABC');
    t.clock.now = new Date(t.clock.now.getTime() + 301_000);
    // The late ya only hears that the menu closed (and, as any stray text, a hint).
    expect((await t.replies(ADMIN, 'ya'))[0]).toBe(conversationExpired(300_000));
    expect(await clientRow(db, CLIENT)).toBeDefined();
    expect(await count('"user"')).toBe(2);
    expect(await changeLog(db)).toEqual([]);
  });

  it('deactivates instead on nonaktif, keeping the data', async () => {
    const db = database().db;
    await t.say(ADMIN, 'removeclient#POLRESABC');
    const [done] = await t.replies(ADMIN, 'nonaktif');
    expect(done).toMatch(/^✅ Client dinonaktifkan; datanya tetap tersimpan\./);
    expect(done).toContain('client_status: ❌ nonaktif');
    expect(await clientRow(db, CLIENT)).toMatchObject({ client_status: false });
    expect(await count('"user"')).toBe(2);
    expect((await changeLog(db)).map((r) => [r.field, r.old_value, r.new_value])).toEqual([['client_status', 'true', 'false']]);
    await t.say(ADMIN, 'removeclient#POLRESABC');
    expect(await t.replies(ADMIN, 'nonaktif')).toEqual(['ℹ️ Client *POLRESABC* memang sudah nonaktif; tidak ada yang berubah.']);
  });

  it('refuses other roles, an unknown client, and runs in private chats only', async () => {
    expect(await t.replies(OPERATOR, 'removeclient#POLRESABC')).toEqual(['❌ Perintah *removeclient* hanya dapat digunakan oleh admin.']);
    expect(await t.replies(MEMBER, 'removeclient#POLRESABC')).toEqual(['❌ Perintah *removeclient* hanya dapat digunakan oleh admin.']);
    expect((await t.replies(ADMIN, 'removeclient#NOPE'))[0]).toMatch(/^❌ Client \*NOPE\* tidak dikenal\.\nClient yang terdaftar: POLRESABC, POLRESXYZ$/);
    expect((await t.replies(ADMIN, 'removeclient'))[0]).toMatch(/^⚠️ Format perintah salah/);
    expect(await clientRow(database().db, CLIENT)).toBeDefined();
  });
});
