/**
 * The scheduler with a controlled clock: what each recipient gets at the Jakarta times,
 * once; disabled jobs; the catch-up grace; skip when complete; superseded recaps.
 * The worked example's day is Wednesday 25/11/2026 (WIB = UTC+7).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { PostgresDb } from '../../src/db/postgres.js';
import { startFakeRapidApi } from '../../src/rapidapi/fake-server.js';
import { listJobs, setCron, setEnabled } from '../../src/schedule/jobs.js';
import type { SentMessage } from '../../src/transport/memory.js';
import { CLIENT, createTestBot, dm, GROUP, OPERATOR, type TestBot } from '../helpers/bot.js';
import { seedWorkedExample } from '../helpers/compliance.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const database = useTestDatabase();
const wib = (hhmm: string, day = '2026-11-25') => new Date(`${day}T${hhmm}:00+07:00`);
const OTHER_GROUP = '120363222222222222@g.us';
const OPERATOR_CHAT = dm(OPERATOR);

let t: TestBot;

beforeEach(async () => {
  const { db } = database();
  // Clients take their members, posts and jobs with them.
  for (const table of ['outbox', 'clients']) await db.query(`DELETE FROM ${table}`);
  await seedWorkedExample(db);
  t = await createTestBot(database().db);
});

async function tick(at: Date, bot = t): Promise<Array<{ job: string; result: string }>> {
  bot.clock.now = at;
  return (await bot.bot.services.scheduler.tick(at)).map((r) => ({ job: r.job, result: r.result }));
}

async function sent(bot = t): Promise<SentMessage[]> {
  await bot.bot.outbox.drain();
  return bot.transport.takeSent();
}

const textsTo = (messages: SentMessage[], chatId: string): string[] =>
  messages.flatMap((m) => (m.chatId === chatId && m.kind === 'text' ? [m.text] : []));

describe('the 15.00 recaps', () => {
  it('sends groups the belum list and the operator the full recap, each once', async () => {
    const ran = await tick(wib('15:00'));
    expect(ran.map((r) => r.job).sort()).toEqual(['comments', 'fetch', 'likes']);
    expect(ran.find((r) => r.job === 'fetch')?.result).toContain('RAPIDAPI_KEY belum diatur');
    const messages = await sent();
    expect(new Set(messages.map((m) => m.chatId))).toEqual(new Set([GROUP, OTHER_GROUP, OPERATOR_CHAT]));
    for (const group of [GROUP, OTHER_GROUP]) {
      const texts = textsTo(messages, group);
      expect(texts).toHaveLength(2); // likes and comments
      const likes = texts.find((x) => x.includes('Likes Instagram'))!;
      expect(likes).toContain('❌ *Belum melaksanakan*');
      expect(likes).not.toContain('✅ *Sudah melaksanakan* (');
      expect(likes).toContain('CANDRA');
      expect(likes).not.toContain('BUDI');
    }
    const operator = textsTo(messages, OPERATOR_CHAT).join('\n');
    expect(operator).toContain('✅ *Sudah melaksanakan* (');
    expect(operator).toContain('BUDI');
    expect(operator).toContain('Komentar TikTok');
    // Whatever ticks again in that minute or the next, nothing is sent twice.
    expect(await tick(wib('15:00'))).toEqual([]);
    expect(await tick(wib('15:01'))).toEqual([]);
    expect(await sent()).toEqual([]);
  });

  it('keeps a disabled job silent', async () => {
    await setEnabled(database().db, CLIENT, 'likes', false);
    const ran = await tick(wib('15:00'));
    expect(ran.map((r) => r.job).sort()).toEqual(['comments', 'fetch']);
    expect((await sent()).some((m) => m.kind === 'text' && m.text.includes('Likes Instagram'))).toBe(false);
  });

  it('sends groups nothing when nobody is missing, the operator still the full recap', async () => {
    await database().db.query(`UPDATE "user" SET exception = true WHERE client_id = $1`, [CLIENT]);
    const ran = await tick(wib('18:00'));
    expect(ran.find((r) => r.job === 'likes')?.result).toContain('grup tidak dikirimi (semua sudah)');
    const messages = await sent();
    expect(textsTo(messages, GROUP)).toEqual([]);
    expect(textsTo(messages, OPERATOR_CHAT)).toHaveLength(2);
  });

  it('sends groups one short line when nobody is missing and CICERO_RECAP_SEND_COMPLETE is on', async () => {
    const complete = await createTestBot(database().db, { env: { CICERO_RECAP_SEND_COMPLETE: 'true' } });
    await database().db.query(`UPDATE "user" SET exception = true WHERE client_id = $1`, [CLIENT]);
    await tick(wib('21:00'), complete);
    const group = textsTo(await sent(complete), GROUP);
    expect(group).toEqual([
      '✅ *POLRES ABC*, Rabu, 25/11/2026: semua sudah melaksanakan likes Instagram. Terima kasih.',
      '✅ *POLRES ABC*, Rabu, 25/11/2026: semua sudah melaksanakan komentar TikTok. Terima kasih.',
    ]);
  });

  it('reads the recipients when the job runs: extra recipients, numbers in any form, no group', async () => {
    const { db } = database();
    await db.query(`UPDATE clients SET client_group = NULL, client_super = '+62 813-0000-0099' WHERE client_id = $1`, [CLIENT]);
    await listJobs(db); // the rows are made on first read
    await db.query(`UPDATE schedule_job SET extra_recipients = '{0813-0000-0098,120363333333333333@g.us}' WHERE client_id = $1 AND job = 'registration'`, [
      CLIENT,
    ]);
    const ran = (await tick(wib('09:00'))).filter((r) => r.job !== 'fetch');
    expect(ran).toHaveLength(1);
    expect(ran[0]!.result).toContain('4 penerima');
    const messages = await sent();
    expect(new Set(messages.map((m) => m.chatId))).toEqual(
      new Set([OPERATOR_CHAT, '6281300000099@c.us', '6281300000098@c.us', '120363333333333333@g.us']),
    );
    const likes = await tick(wib('15:00'));
    expect(likes.find((r) => r.job === 'likes')?.result).toContain('tidak ada grup terhubung');
  });
});

describe('missed times', () => {
  it('runs a recap missed while no bot ran once, within the grace', async () => {
    const ran = await tick(wib('15:40'));
    expect(ran.map((r) => r.job).sort()).toEqual(['comments', 'fetch', 'likes', 'links']);
    const likes = textsTo(await sent(), GROUP).find((x) => x.includes('Likes Instagram'))!;
    expect(likes).toContain('Jam: 15.40');
    expect(await tick(wib('15:41'))).toEqual([]);
  });

  it('skips it past the grace, and jadwal says so', async () => {
    const ran = await tick(wib('16:01'));
    // 16.00's fetch and 15.05's links run; the 15.00 recaps are 61 minutes old.
    expect(ran.map((r) => r.job)).toEqual(['fetch', 'links']);
    expect((await sent()).some((m) => m.kind === 'text' && m.text.includes('Likes Instagram'))).toBe(false);
    const reply = (await t.replies(OPERATOR, 'jadwal')).join('\n');
    expect(reply).toContain('terlewat pukul 15.00');
  });

  it('never carries a job into the next Jakarta day', async () => {
    await setCron(database().db, CLIENT, 'registration', ['50 23 * * *']);
    expect((await tick(wib('00:10', '2026-11-26'))).filter((r) => r.job === 'registration')).toEqual([]);
  });

  it('fires at a Jakarta time that is the previous day in UTC', async () => {
    await setCron(database().db, CLIENT, 'registration', ['30 6 * * *']);
    const ran = await tick(new Date('2026-11-24T23:30:00Z')); // 06.30 WIB on the 25th
    expect(ran.map((r) => r.job).sort()).toEqual(['fetch', 'registration']);
    const text = textsTo(await sent(), GROUP).join('\n');
    expect(text).toContain('25/11/2026');
  });
});

describe('WhatsApp down at the job time', () => {
  it('keeps the messages in the outbox, and a newer recap supersedes one still waiting', async () => {
    t.transport.simulateState('disconnected');
    await tick(wib('15:00'));
    expect(await sent()).toEqual([]);
    const later = await tick(wib('18:00'));
    expect(later.find((r) => r.job === 'likes')?.result).toContain('pesan sebelumnya yang belum terkirim dibatalkan');
    t.transport.simulateState('ready');
    const group = textsTo(await sent(), GROUP);
    expect(group).toHaveLength(2);
    expect(group.every((x) => x.includes('Jam: 18.00'))).toBe(true);
    // Running the 18.00 occurrence again (another process, a retry) adds nothing.
    expect(await tick(wib('18:00'))).toEqual([]);
  });
});

describe('a job whose fetch fails', () => {
  it('still sends the recap from the stored data, saying from when', async () => {
    const fake = await startFakeRapidApi({ port: 0, now: () => wib('15:00') });
    try {
      fake.setInstagramAccount('polresabc', 'missing');
      const withKey = await createTestBot(database().db, {
        env: { RAPIDAPI_KEY: fake.key, RAPIDAPI_INSTAGRAM_URL: fake.url, RAPIDAPI_TIKTOK_URL: fake.url },
      });
      await setEnabled(database().db, CLIENT, 'fetch', false);
      const ran = await tick(wib('15:00'), withKey);
      expect(ran.find((r) => r.job === 'likes')?.result).toContain('Instagram: daftar konten');
      const likes = textsTo(await sent(withKey), GROUP).find((x) => x.includes('Pengambilan data likes'));
      expect(likes).toBe(
        '⚠️ Pengambilan data likes terbaru tidak berhasil (daftar konten: konten tidak ditemukan); rekap ini memakai data per pukul 09.30.',
      );
    } finally {
      await fake.close();
    }
  });
});

describe.skipIf(backend !== 'postgres')('two bot processes on one database', () => {
  it('send each occurrence once', async () => {
    const second = await PostgresDb.open(database().url!, { max: 4 });
    try {
      const other = await createTestBot(second);
      const [a, b] = await Promise.all([tick(wib('15:00')), tick(wib('15:00'), other)]);
      const ran = [...a, ...b].map((r) => r.job).sort();
      expect(ran).toEqual(['comments', 'fetch', 'likes']);
      const messages = [...(await sent()), ...(await sent(other))];
      expect(textsTo(messages, GROUP)).toHaveLength(2);
      expect(textsTo(messages, OPERATOR_CHAT).filter((x) => x.startsWith('Mohon ijin'))).toHaveLength(2);
    } finally {
      await second.close();
    }
  });
});
