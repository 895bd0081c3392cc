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
/** Settings changed well before the day under test. */
const LONG_AGO = new Date('2026-11-01T00:00:00Z');

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
    // Beside each group's recap, its chart (likes and comments); the operator gets none.
    for (const group of [GROUP, OTHER_GROUP]) {
      const pictures = messages.flatMap((m) => (m.chatId === group && m.kind === 'image' ? [m.image] : []));
      expect(pictures.map((p) => p.fileName).sort()).toEqual([
        'grafik-komentar-tiktok-polresabc-2026-11-25.png',
        'grafik-likes-instagram-polresabc-2026-11-25.png',
      ]);
      for (const p of pictures) expect(p.data.subarray(1, 4).toString()).toBe('PNG');
    }
    expect(messages.some((m) => m.chatId === OPERATOR_CHAT && m.kind === 'image')).toBe(false);
    const operator = textsTo(messages, OPERATOR_CHAT).join('\n');
    expect(operator).toContain('✅ *Sudah melaksanakan* (');
    expect(operator).toContain('BUDI');
    expect(operator).toContain('Komentar TikTok');
    // Whatever ticks again in that minute or the next, nothing is sent twice.
    expect(await tick(wib('15:00'))).toEqual([]);
    expect(await tick(wib('15:01'))).toEqual([]);
    expect(await sent()).toEqual([]);
  });

  it('sends no chart with CICERO_RECAP_CHART=false', async () => {
    t = await createTestBot(database().db, { env: { CICERO_RECAP_CHART: 'false' } });
    await tick(wib('15:00'));
    const messages = await sent();
    expect(textsTo(messages, GROUP)).toHaveLength(2);
    expect(messages.filter((m) => m.kind === 'image')).toEqual([]);
  });

  it('keeps a disabled job silent', async () => {
    await setEnabled(database().db, CLIENT, 'likes', false, LONG_AGO);
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
    await tick(wib('21:00', '2026-11-24')); // the day before, a bot ran the 21.00 recaps
    t = await createTestBot(database().db); // then none until 16.01: this one starts
    const ran = await tick(wib('16:01'));
    // 16.00's fetch and 15.05's links run; the 15.00 recaps are 61 minutes old.
    expect(ran.map((r) => r.job)).toEqual(['fetch', 'links']);
    expect((await sent()).some((m) => m.kind === 'text' && m.text.includes('Likes Instagram'))).toBe(false);
    const reply = (await t.replies(OPERATOR, 'jadwal')).join('\n');
    expect(reply).toContain('terlewat pukul 15.00');
  });

  it('never carries a job into the next Jakarta day', async () => {
    await setCron(database().db, CLIENT, 'registration', ['50 23 * * *'], LONG_AGO);
    expect((await tick(wib('00:10', '2026-11-26'))).filter((r) => r.job === 'registration')).toEqual([]);
  });

  it('fires at a Jakarta time that is the previous day in UTC', async () => {
    await setCron(database().db, CLIENT, 'registration', ['30 6 * * *'], LONG_AGO);
    const ran = await tick(new Date('2026-11-24T23:30:00Z')); // 06.30 WIB on the 25th
    expect(ran.map((r) => r.job).sort()).toEqual(['fetch', 'registration']);
    const text = textsTo(await sent(), GROUP).join('\n');
    expect(text).toContain('25/11/2026');
  });
});

describe('changes by jadwal', () => {
  it('switching a job back on, or moving its time earlier, sends no past recap late', async () => {
    await setEnabled(database().db, CLIENT, 'likes', false, wib('14:00'));
    expect((await tick(wib('15:00'))).map((r) => r.job)).not.toContain('likes');
    t.clock.now = wib('15:30');
    await t.replies(OPERATOR, 'jadwal#on#likes');
    expect((await tick(wib('15:31'))).map((r) => r.job)).not.toContain('likes');
    t.clock.now = wib('15:40');
    await t.replies(OPERATOR, 'jadwal#ubah#registration#15:35');
    expect(await tick(wib('15:41'))).toEqual([]);
    t.clock.now = wib('15:00', '2026-11-26');
    expect((await tick(wib('15:00', '2026-11-26'))).map((r) => r.job).sort()).toEqual(['comments', 'fetch', 'likes']);
  });

  it('ignores a job time written wrongly by SQL instead of stopping every job, and jadwal shows it', async () => {
    const { db } = database();
    await listJobs(db);
    await db.query(`UPDATE schedule_job SET cron = '{"jam tiga"}' WHERE client_id = $1 AND job = 'likes'`, [CLIENT]);
    expect((await tick(wib('15:00'))).map((r) => r.job).sort()).toEqual(['comments', 'fetch']);
    expect((await t.replies(OPERATOR, 'jadwal')).join('\n')).toContain('⚠️ Jadwal tidak valid, diabaikan: jam tiga;');
  });
});

describe('WhatsApp down at the job time', () => {
  it('runs the recaps when it is back within the grace; only the fetch runs without it', async () => {
    t.transport.simulateState('disconnected');
    expect((await tick(wib('15:00'))).map((r) => r.job)).toEqual(['fetch']);
    expect(await sent()).toEqual([]);
    t.transport.simulateState('ready');
    expect((await tick(wib('15:20'))).map((r) => r.job).sort()).toEqual(['comments', 'likes', 'links']);
    const group = textsTo(await sent(), GROUP);
    expect(group.filter((x) => x.includes('Jam: 15.20'))).toHaveLength(2);
  });

  it('keeps queued messages in the outbox, and a newer recap supersedes one still waiting', async () => {
    await tick(wib('18:00')); // queued; WhatsApp drops before they leave
    t.transport.simulateState('disconnected');
    expect(await sent()).toEqual([]);
    t.transport.simulateState('ready');
    const later = await tick(wib('21:00'));
    expect(later.find((r) => r.job === 'likes')?.result).toContain('pesan sebelumnya yang belum terkirim dibatalkan');
    const group = textsTo(await sent(), GROUP);
    expect(group).toHaveLength(2);
    expect(group.every((x) => x.includes('Jam: 21.00'))).toBe(true);
    // Running the 21.00 occurrence again (another process, a retry) adds nothing.
    expect(await tick(wib('21:00'))).toEqual([]);
  });

  it('notes a recap missed while WhatsApp stayed down past the grace', async () => {
    await tick(wib('21:00', '2026-11-24'));
    t.transport.simulateState('disconnected');
    await tick(wib('15:00'));
    await tick(wib('16:01'));
    const { db } = database();
    const likes = (await listJobs(db, CLIENT)).find((j) => j.job === 'likes')!;
    expect(likes.lastResult).toBe(
      'terlewat pukul 15.00: bot tidak berjalan atau WhatsApp tidak tersambung, dan sudah lewat batas CICERO_SCHEDULE_GRACE_MIN',
    );
    t.transport.simulateState('ready');
    expect((await tick(wib('16:31'))).map((r) => r.job)).toEqual(['fetch']);
  });

  it('a run taken over after its process died queues nothing twice, even when the recap changed', async () => {
    const { db } = database();
    t = await createTestBot(db, { env: { CICERO_MESSAGE_MAX_CHARS: '300' } });
    await tick(wib('18:00'));
    const rows = async () =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE message_key LIKE 'jadwal:POLRESABC:likes:%'`)).rows[0]!.n;
    const before = await rows();
    // The process died after queuing, before recording the run; the data changed meanwhile.
    await db.query(`UPDATE schedule_run SET finished_at = NULL, claimed_by = 'died' WHERE job = 'likes'`);
    await db.query(
      `INSERT INTO "user" (user_id, nama, title, divisi, client_id, insta) VALUES
         ('90000001', 'BARU SATU', 'BRIPDA', 'SAT SAMAPTA', $1, 'baru1'), ('90000002', 'BARU DUA', 'BRIPDA', 'SAT SAMAPTA', $1, 'baru2')`,
      [CLIENT],
    );
    const again = await tick(wib('18:01'));
    expect(again.find((r) => r.job === 'likes')?.result).toContain('pesan sudah diantrekan sebelumnya, tidak diantrekan lagi');
    expect(await rows()).toBe(before);
  });

  it('never cuts a recap in the middle: a message whose first page left is not superseded', async () => {
    const { db } = database();
    t = await createTestBot(db, { env: { CICERO_MESSAGE_MAX_CHARS: '300' } }); // recaps of several pages
    await tick(wib('18:00'));
    // The first page of the operator's likes recap left before WhatsApp dropped.
    const { rows } = await db.query<{ message_key: string; parts: number }>(
      `UPDATE outbox SET status = 'sent', sent_at = now()
        WHERE part = 1 AND chat_id = $1 AND message_key LIKE 'jadwal:POLRESABC:likes:%' RETURNING message_key, parts`,
      [OPERATOR_CHAT],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.parts).toBeGreaterThan(2);
    await tick(wib('21:00'));
    const left = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE message_key = $1 AND status = 'pending'`, [
      rows[0]!.message_key,
    ]);
    expect(left.rows[0]!.n).toBe(rows[0]!.parts - 1);
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
      await setEnabled(database().db, CLIENT, 'fetch', false, LONG_AGO);
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

describe('a job never overlaps itself', () => {
  const unfinished = async (worker: string, at: Date) =>
    database().db.query(
      `INSERT INTO schedule_run (client_id, job, occurrence_at, claimed_by, claimed_at) VALUES ($1, 'fetch', $2, $3, $2)`,
      [CLIENT, at, worker],
    );

  it('waits while the previous occurrence runs in another live process, then runs within the grace', async () => {
    await listJobs(database().db);
    await database().db.query(`INSERT INTO bot_worker (worker, pid, hostname, seen_at) VALUES ('other-live', 1, 'h', now())`);
    await unfinished('other-live', wib('06:00'));
    expect(await tick(wib('06:30'))).toEqual([]);
    await database().db.query(`UPDATE schedule_run SET finished_at = $1 WHERE occurrence_at = $2`, [wib('06:40'), wib('06:00')]);
    expect((await tick(wib('06:41'))).map((r) => r.job)).toEqual(['fetch']); // the 06.30 occurrence, late but within the grace

    await unfinished('other-live', wib('07:00'));
    expect(await tick(wib('07:30'))).toEqual([]);
    expect(await t.replies(OPERATOR, 'jadwal#run#fetch')).toEqual([
      '⏳ Menjalankan job *fetch* (Ambil data Instagram dan TikTok) client *POLRESABC*…',
      '⏳ Job *fetch* (Ambil data Instagram dan TikTok) client *POLRESABC* sedang berjalan; tunggu sampai selesai.',
    ]);
  });

  it("is not held back by its own run whose record failed (its process is this one, and nothing runs)", async () => {
    await listJobs(database().db);
    await unfinished(t.bot.presence.worker, wib('06:00'));
    expect((await tick(wib('06:30'))).map((r) => r.job)).toEqual(['fetch']);
  });

  it('does not wait for a run whose process died', async () => {
    await listJobs(database().db);
    await unfinished('died-long-ago', wib('06:00'));
    expect((await tick(wib('06:30'))).map((r) => r.job)).toEqual(['fetch']);
  });
});
