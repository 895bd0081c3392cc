import { beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, CLIENT, createTestBot, OPERATOR, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { changeLog, resetClients } from './fixture.js';

const ACCOUNT = '5b0e7c2a-1111-4222-8333-944444444444';

describe(`approvedash and denydash (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;

  beforeEach(async () => {
    const db = database().db;
    await resetClients(db);
    await db.query(
      `INSERT INTO dashboard_user (user_id, username, password_hash, role, status, client_id) VALUES ($1, 'ops.abc', 'x', 'operator', false, $2)`,
      [ACCOUNT, CLIENT],
    );
    t = await createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const status = async () =>
    (await database().db.query<{ status: boolean }>('SELECT status FROM dashboard_user WHERE user_id = $1', [ACCOUNT])).rows[0]!.status;

  it('approves by user_id and denies by username, ending chat sessions; change_log names the account', async () => {
    expect(await t.replies(ADMIN, `approvedash#${ACCOUNT}`)).toEqual(['✅ Akun dashboard *ops.abc* disetujui dan dapat login.']);
    expect(await status()).toBe(true);
    expect(await t.replies(ADMIN, `approvedash#${ACCOUNT}`)).toEqual(['ℹ️ Akun dashboard *ops.abc* memang sudah disetujui (aktif).']);
    const db = database().db;
    await db.query(
      `INSERT INTO operator_session (sender_key, dashboard_user_id, signed_in_at, expires_at) VALUES ('6281999', $1, $2, $3)`,
      [ACCOUNT, t.clock.now, new Date(t.clock.now.getTime() + 3_600_000)],
    );
    expect(await t.replies(ADMIN, 'denydash#OPS.ABC')).toEqual(['❌ Akun dashboard *ops.abc* ditolak (nonaktif) dan tidak dapat login. 1 sesi login di chat diakhiri.']);
    expect(await status()).toBe(false);
    expect((await db.query('SELECT 1 FROM operator_session')).rows).toEqual([]);
    expect((await changeLog(db)).map((r) => [r.client_id, r.user_id, r.field, r.old_value, r.new_value, r.actor])).toEqual([
      [CLIENT, ACCOUNT, 'dashboard_user.status', 'false', 'true', ADMIN],
      [CLIENT, ACCOUNT, 'dashboard_user.status', 'true', 'false', ADMIN],
    ]);
  });

  it('says an unknown account is unknown, and refuses every role but admin', async () => {
    expect(await t.replies(ADMIN, 'approvedash#nobody')).toEqual([
      '❌ Akun dashboard *nobody* tidak ditemukan. Sebutkan user_id atau username-nya (lihat *npx cicero dashboard-user list*).',
    ]);
    expect(await t.replies(OPERATOR, `approvedash#${ACCOUNT}`)).toEqual(['❌ Perintah *approvedash* hanya dapat digunakan oleh admin.']);
    expect(await t.replies(OPERATOR, `denydash#${ACCOUNT}`)).toEqual(['❌ Perintah *denydash* hanya dapat digunakan oleh admin.']);
    expect(await status()).toBe(false);
    expect(await changeLog(database().db)).toEqual([]);
  });
});
