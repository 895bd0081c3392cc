/**
 * An admin's changes to a client's members or settings reach the client's operator in
 * one short message per run of the minutely job; operators' own changes are not told;
 * each change is told once, also with two processes running the job.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { tellOperators } from '../../src/app/operator-notices.js';
import { ADMIN, CLIENT, createTestBot, dm, OPERATOR, seedChatFixture, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`operators told of admins' changes (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;

  beforeEach(async () => {
    const { db } = database();
    for (const table of ['change_log', 'operator_notice', '"user"', 'outbox']) await db.query(`DELETE FROM ${table}`);
    await seedChatFixture(db);
    await db.query(`INSERT INTO "user" (user_id, nama, title, divisi, client_id) VALUES ('75070207', 'SITI AMINAH', 'BRIPKA', 'SAT LANTAS', $1)`, [CLIENT]);
    t = await createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const tell = () => tellOperators(database().db, t.bot.outbox, 'Asia/Jakarta', t.clock.now);
  const toOperator = async () => {
    await t.bot.outbox.drain();
    return t.transport.takeTexts().filter((m) => m.chatId === dm(OPERATOR)).map((m) => m.text);
  };

  it('batches an admin\'s changes into one message to the operator, once', async () => {
    await t.say(ADMIN, 'statusanggota#75070207#nonaktif');
    await t.say(ADMIN, 'ubahanggota#75070207#jabatan#kanit');
    await t.say(OPERATOR, 'exception#75070207#ya'); // the operator's own change: not told
    t.transport.takeTexts();
    expect(await tell()).toBe(1);
    const [notice, ...rest] = await toOperator();
    expect(rest).toEqual([]);
    expect(notice!.split('\n')).toEqual([
      expect.stringMatching(/^ℹ️ \[Notifikasi\] Admin mengubah data client \*POLRESABC\* \(2 perubahan, terakhir .+ WIB\):$/),
      '• NRP 75070207 status: true → false',
      '• NRP 75070207 jabatan: - → KANIT',
      'Ketik *riwayat#<NRP>* untuk riwayat seorang anggota.',
    ]);
    // Told once: a second run (this process or another) has nothing to tell.
    expect(await tell()).toBe(0);
    const other = await createTestBot(database().db);
    expect(await tellOperators(database().db, other.bot.outbox, 'Asia/Jakarta', t.clock.now)).toBe(0);
    expect(await toOperator()).toEqual([]);
  });

  it('two processes running the job at once queue one message', async () => {
    await t.say(ADMIN, 'statusanggota#75070207#nonaktif');
    const other = await createTestBot(database().db);
    const counts = await Promise.all([tell(), tellOperators(database().db, other.bot.outbox, 'Asia/Jakarta', t.clock.now)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    const { rows } = await database().db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE message_key LIKE 'admin-changes:%'`);
    expect(rows[0]!.n).toBe(1);
  });
});
