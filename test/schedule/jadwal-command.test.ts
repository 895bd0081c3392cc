/** `jadwal` by chat: listing, on/off, run, ubah, and every refusal. */
import { beforeAll, describe, expect, it } from 'vitest';
import { listJobs } from '../../src/schedule/jobs.js';
import { ADMIN, CLIENT, createTestBot, dm, GROUP, MEMBER, OPERATOR, type TestBot } from '../helpers/bot.js';
import { seedWorkedExample } from '../helpers/compliance.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const wib = (hhmm: string, day = '2026-11-25') => new Date(`${day}T${hhmm}:00+07:00`);

describe(`jadwal (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  beforeAll(async () => {
    const { db } = database();
    await seedWorkedExample(db);
    await db.query(`INSERT INTO clients (client_id, nama, client_operator) VALUES ('POLRESXYZ', 'POLRES XYZ', '0812-7777-0001')`);
    t = await createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000' } });
    t.clock.now = wib('10:00');
  });

  const job = async (clientId: string, name: string) => (await listJobs(database().db, clientId)).find((j) => j.job === name)!;

  it("lists the operator's own client with times, next run and recipients", async () => {
    const [text, ...more] = await t.replies(OPERATOR, 'jadwal');
    expect(more).toEqual([]);
    expect(text).toContain('🗓️ *Jadwal POLRESABC* (POLRES ABC)\nPenerima: 2 grup, 1 nomor');
    expect(text).toContain('*likes*: Rekap likes Instagram (aktif)\nJam: 15.00, 18.00, 21.00\nBerikutnya: Rabu, 25/11/2026 15.00.00 WIB\nTerakhir: belum pernah berjalan');
    expect(text).toContain('Jam: tiap 30 menit 06.00–20.30, 21.00');
  });

  it("gives an admin every client's jobs, one message per client", async () => {
    const texts = await t.replies(ADMIN, 'jadwal');
    expect(texts.map((x) => x.split('\n')[0])).toEqual(['🗓️ *Jadwal POLRESABC* (POLRES ABC)', '🗓️ *Jadwal POLRESXYZ* (POLRES XYZ)']);
    expect(texts[1]).toContain('⚠️ Belum ada grup terhubung: kirim *thisgroup#POLRESXYZ*');
  });

  it('switches a job off and on', async () => {
    expect(await t.replies(OPERATOR, 'jadwal#off#likes')).toEqual([
      '⏸️ Job *likes* (Rekap likes Instagram) client *POLRESABC* dihentikan; jalankan lagi dengan *jadwal#on#likes*.',
    ]);
    expect((await job(CLIENT, 'likes')).enabled).toBe(false);
    expect((await t.replies(OPERATOR, 'jadwal')).join('')).toContain('*likes*: Rekap likes Instagram (⏸️ nonaktif)');
    expect(await t.replies(ADMIN, 'jadwal#POLRESABC#ON#likes')).toEqual(['✅ Job *likes* (Rekap likes Instagram) client *POLRESABC* diaktifkan.']);
    expect((await job(CLIENT, 'likes')).enabled).toBe(true);
  });

  it('sets the times, validated, in Jakarta time', async () => {
    expect(await t.replies(OPERATOR, 'jadwal#ubah#registration#16:30,08.15,16:30')).toEqual([
      '✅ Jam job *registration* (Rekap registrasi akun) client *POLRESABC* sekarang 08.15, 16.30 (Asia/Jakarta).\nBerikutnya: Rabu, 25/11/2026 16.30.00 WIB',
    ]);
    expect((await job(CLIENT, 'registration')).cron).toEqual(['15 8 * * *', '30 16 * * *']);
    const everyMinute = Array.from({ length: 33 }, (_, i) => `10:${String(i).padStart(2, '0')}`).join(',');
    expect((await t.replies(OPERATOR, `jadwal#ubah#likes#${everyMinute}`))[0]).toContain('Paling banyak 32 jam sehari per job.');
    for (const bad of ['25:00', '8', 'jam tiga', '10:60', '']) {
      const [reply] = await t.replies(OPERATOR, `jadwal#ubah#registration#${bad}`);
      expect(reply, bad).toMatch(/tidak valid|Format/);
    }
    expect((await job(CLIENT, 'registration')).cron).toEqual(['15 8 * * *', '30 16 * * *']);
  });

  it('sets and clears extra recipients of a job, numbers in any form and group ids', async () => {
    expect(await t.replies(OPERATOR, 'jadwal#penerima#links#0813-0000-0098, 120363333333333333@g.us')).toEqual([
      '❌ Hanya admin yang dapat menambahkan grup sebagai penerima; grup unit Anda dihubungkan dengan *thisgroup#*.',
    ]);
    expect((await job(CLIENT, 'links')).extraRecipients).toEqual([]);
    const many = Array.from({ length: 11 }, (_, i) => `0813-0000-01${String(i).padStart(2, '0')}`).join(',');
    expect((await t.replies(OPERATOR, `jadwal#penerima#links#${many}`))[0]).toContain('Paling banyak 10 penerima tambahan per job.');
    expect(await t.replies(ADMIN, 'jadwal#POLRESABC#penerima#links#0813-0000-0098, 120363333333333333@g.us')).toEqual([
      '✅ Penerima tambahan job *links* (Rekap link amplifikasi) client *POLRESABC*: 120363333333333333@g.us, 6281300000098@c.us.',
    ]);
    expect((await job(CLIENT, 'links')).extraRecipients).toEqual(['120363333333333333@g.us', '6281300000098@c.us']);
    expect((await t.replies(OPERATOR, 'jadwal')).join('')).toContain('Penerima tambahan: 120363333333333333@g.us, 6281300000098@c.us');
    const [bad] = await t.replies(OPERATOR, 'jadwal#penerima#links#pak kapolres');
    expect(bad).toContain('Penerima *pak kapolres* tidak dikenali');
    expect((await job(CLIENT, 'links')).extraRecipients).toHaveLength(2);
    expect(await t.replies(OPERATOR, 'jadwal#penerima#links#hapus')).toEqual([
      '✅ Penerima tambahan job *links* (Rekap link amplifikasi) client *POLRESABC* dihapus; tinggal grup, operator, dan super client.',
    ]);
    expect((await job(CLIENT, 'links')).extraRecipients).toEqual([]);
  });

  it('names the jobs when one is unknown or missing', async () => {
    const [unknown] = await t.replies(OPERATOR, 'jadwal#on#rekap');
    expect(unknown).toContain('Job *rekap* tidak dikenal. Pilihan: fetch, likes, comments, registration, links.');
    const [missing] = await t.replies(OPERATOR, 'jadwal#run');
    expect(missing).toContain('Sebutkan job-nya: fetch, likes, comments, registration, links.');
    const [action] = await t.replies(OPERATOR, 'jadwal#POLRESABC#hapus#likes');
    expect(action).toContain('Pilihan *hapus* tidak dikenal');
  });

  it('runs a job now: its messages go to the recipients like a scheduled run', async () => {
    const sent = await t.exchange(OPERATOR, 'jadwal#run#likes');
    const toOperator = sent.filter((m) => m.chatId === dm(OPERATOR) && m.kind === 'text').map((m) => (m.kind === 'text' ? m.text : ''));
    expect(toOperator[0]).toBe('⏳ Menjalankan job *likes* (Rekap likes Instagram) client *POLRESABC*…');
    expect(toOperator.at(-1)).toMatch(/^✅ Job \*likes\* .* selesai: ambil data dilewati \(RAPIDAPI_KEY belum diatur\); belum 2 dari 5 user; 3 penerima\.\nPesan diantrekan: \d+\.$/);
    expect(toOperator.some((x) => x.startsWith('Mohon ijin Komandan'))).toBe(true);
    expect(sent.some((m) => m.chatId === GROUP && m.kind === 'text' && m.text.includes('❌ *Belum melaksanakan* (2 user)'))).toBe(true);
    expect((await job(CLIENT, 'likes')).lastResult).toContain('belum 2 dari 5 user');
  });

  it("refuses an operator another client's jobs, and members altogether", async () => {
    expect(await t.replies(OPERATOR, 'jadwal#POLRESXYZ#off#likes')).toEqual(['❌ Anda hanya dapat melihat rekap client Anda sendiri (*POLRESABC*).']);
    expect((await job('POLRESXYZ', 'likes')).enabled).toBe(true);
    expect(await t.replies(OPERATOR, 'jadwal#POLRESXYZ')).toEqual(['❌ Anda hanya dapat melihat rekap client Anda sendiri (*POLRESABC*).']);
    expect(await t.replies(MEMBER, 'jadwal')).toEqual(['❌ Perintah *jadwal* hanya dapat digunakan oleh admin atau operator.']);
    expect(await t.replies(ADMIN, 'jadwal#run#likes')).toEqual([expect.stringContaining('Sebutkan client-nya.')]);
  });

  it("keeps a bound group to its own client's jobs", async () => {
    const texts = await t.say(ADMIN, 'jadwal', { group: GROUP });
    expect(texts.map((m) => m.text.split('\n')[0])).toEqual(['🗓️ *Jadwal POLRESABC* (POLRES ABC)']);
    expect((await t.say(ADMIN, 'jadwal#POLRESXYZ', { group: GROUP }))[0]!.text).toBe('❌ Grup ini hanya dapat menampilkan data client grup ini (*POLRESABC*).');
  });
});
