/**
 * Reports at any size: a fixed number of queries whatever the number of members or
 * posts, and a summary (with the full lists in Excel) when the lists outgrow a phone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findClient } from '../../src/compliance/clients.js';
import { type EngagementDay, loadEngagement, type MemberEngagement, type Source } from '../../src/compliance/engagement.js';
import { buildRecap } from '../../src/compliance/recap.js';
import type { Db } from '../../src/db/db.js';
import { renderAbsensi } from '../../src/reports/absensi-text.js';
import { dayWindow } from '../../src/time/day.js';
import { ADMIN, createTestBot } from '../helpers/bot.js';
import { backend, counting, useTestDatabase } from '../helpers/db.js';

const NOW = new Date('2026-11-25T03:00:00Z');
const DAY = dayWindow(NOW, 'Asia/Jakarta');

/** A client with `members` active members in 8 divisions and `posts` posts today, each liked by two thirds. */
async function seedUnit(db: Db, id: string, members: number, posts: number): Promise<void> {
  await db.query(`INSERT INTO clients (client_id, nama, client_insta, client_tiktok) VALUES ($1, $2, 'x', '@x')`, [id, `POLRES ${id}`]);
  const ids = Array.from({ length: members }, (_, i) => `${id}-${i}`);
  await db.query(
    `INSERT INTO "user" (user_id, nama, title, divisi, client_id, insta, tiktok, exception)
     SELECT u, 'ANGGOTA ' || n, 'BRIPDA', 'SAT ' || (n % 8), $2, 'H_' || replace(u, '-', '_'), '@h_' || replace(u, '-', '_'), n % 50 = 0
       FROM unnest($1::text[]) WITH ORDINALITY AS x (u, n)`,
    [ids, id],
  );
  for (let p = 0; p < posts; p++) {
    const likers = ids.filter((_, i) => (i + p) % 3 !== 0).map((u) => `h_${u.replace('-', '_')}`.toLowerCase());
    await db.query(`INSERT INTO insta_post (shortcode, client_id, created_at) VALUES ($1, $2, $3)`, [`${id}-p${p}`, id, new Date(DAY.start.getTime() + (p + 1) * 60_000)]);
    await db.query(`INSERT INTO insta_like (shortcode, likes) VALUES ($1, $2)`, [`${id}-p${p}`, JSON.stringify(likers)]);
    await db.query(`INSERT INTO tiktok_post (video_id, client_id, created_at) VALUES ($1, $2, $3)`, [`${id}-v${p}`, id, new Date(DAY.start.getTime() + (p + 1) * 60_000)]);
    await db.query(`INSERT INTO tiktok_comment (video_id, comments) VALUES ($1, $2)`, [`${id}-v${p}`, JSON.stringify(likers)]);
    await db.query(
      `INSERT INTO link_report (shortcode, user_id, facebook_link) SELECT $1, u, 'https://fb.watch/x' FROM unnest($2::text[]) AS u`,
      [`${id}-p${p}`, ids.slice(0, members / 2)],
    );
  }
}

describe(`report size (${backend})`, () => {
  const database = useTestDatabase();
  beforeAll(async () => {
    await seedUnit(database().db, 'SMALL', 10, 2);
    await seedUnit(database().db, 'LARGE', 1000, 20);
  }, 120_000);

  it.each(['likes', 'comments', 'links'] as Source[])('%s: the same number of queries at 10 members × 2 posts and 1,000 × 20', async (source) => {
    const counts: number[] = [];
    // Each unit twice: its members read, then (unchanged) only fingerprinted.
    for (const id of ['SMALL', 'LARGE', 'SMALL', 'LARGE']) {
      const { db, statements } = counting(database().db);
      const client = (await findClient(db, id))!;
      const day = await loadEngagement(db, client, source, DAY);
      expect(day.members.length).toBe(id === 'SMALL' ? 10 : 1000);
      expect(day.posts.length).toBe(id === 'SMALL' ? 2 : 20);
      counts.push(statements.length);
    }
    // Client, posts, members (or their fingerprint), and the day's matches in two batches of posts.
    expect(counts).toEqual([5, 5, 5, 5]);
  });

  it('the whole command makes the same number of statements for 10 or 1,000 members', async () => {
    // With #excel both answer with a text and a document (the large one would attach it anyway).
    const counts: number[] = [];
    // Each unit twice: its members read, then (unchanged) only fingerprinted.
    for (const id of ['SMALL', 'LARGE', 'SMALL', 'LARGE']) {
      const { db, statements } = counting(database().db);
      const t = await createTestBot(db);
      await t.bot.outbox.drain(); // nothing pending; only the report's own statements are counted below
      statements.length = 0;
      await t.transport.receive({ senderId: `${ADMIN}@c.us`, chatId: `${ADMIN}@c.us`, text: `absensilikes#${id}#akumulasi#excel`, timestamp: t.clock.now });
      counts.push(statements.length);
      await t.bot.outbox.drain();
    }
    expect(counts[0]).toBe(counts[1]);
  });

  it('the numbers are right at 1,000 members: two thirds liked each post, every 50th is an exception', async () => {
    const client = (await findClient(database().db, 'LARGE'))!;
    const recap = buildRecap(await loadEngagement(database().db, client, 'likes', DAY), 'half');
    expect(recap.counts).toEqual({ members: 1000, sudah: 980, belum: 0, exception: 20 });
    const strict = buildRecap(await loadEngagement(database().db, client, 'likes', DAY), 'all');
    expect(strict.counts).toEqual({ members: 1000, sudah: 0, belum: 980, exception: 20 });
    expect(strict.members.filter((m) => m.verdict !== 'exception').every((m) => m.count === 13 || m.count === 14)).toBe(true);
  });

  it('a large report is summarised per division, weakest first, and the lists go to Excel', async () => {
    const t = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000' } });
    const sent = await t.exchange(ADMIN, 'absensilikes#LARGE#akumulasi');
    expect(sent.at(-1)?.kind).toBe('document');
    const texts = sent.flatMap((m) => (m.kind === 'text' ? [m.text] : []));
    expect(texts.length).toBeLessThanOrEqual(2);
    for (const part of texts) expect(part.length).toBeLessThanOrEqual(4000);
    const text = texts.join('\n');
    expect(text).toContain('📊 *Rekap per divisi* (terlemah lebih dulu):');
    expect(text).toContain('… daftar lengkap 1.000 user ada di lampiran Excel.');
    expect(text.split('\n').filter((l) => /^\d\. \*SAT \d\*: \d+ sudah, \d+ belum \(\d+%\)$/.test(l))).toHaveLength(8);
    // The worst divisions' belum names, as many as two messages hold: never all 1,000 members.
    expect((text.match(/BRIPDA ANGGOTA/g) ?? []).length).toBeLessThan(1000);
  });

  it('a large registration recap is summarised per division, with the full list in Excel', async () => {
    const t = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000' } });
    const sent = await t.exchange(ADMIN, 'absensiregistrasi#LARGE');
    expect(sent.map((m) => m.kind)).toEqual(['text', 'document']);
    const text = sent[0]!.kind === 'text' ? sent[0]!.text : '';
    expect(text).toContain('*Total user aktif:* 1000\n📱 WhatsApp terhubung: 0 user');
    expect(text).toContain('📊 *Per divisi* (terlemah lebih dulu):\n- *SAT 0*: 0/125 lengkap (0%)');
    expect(text).not.toContain('- BRIPDA ANGGOTA');
    const doc = sent[1]!.kind === 'document' ? sent[1]!.document : null;
    expect(doc?.fileName).toBe('registrasi-large.xlsx');
  });

  it('a per-content report at 1,000 × 20 is summarised per post too; sudah/belum lists split at line ends when asked for small', async () => {
    const t = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000', CICERO_REPORT_MAX_LINES: '100000', CICERO_MESSAGE_MAX_CHARS: '4000' } });
    const parts = await t.replies(ADMIN, 'absensilikes#SMALL#akumulasi');
    expect(parts).toHaveLength(1);
    const full = await t.exchange(ADMIN, 'absensilikes#LARGE#belum');
    const texts = full.flatMap((m) => (m.kind === 'text' ? [m.text] : []));
    expect(texts.length).toBeGreaterThan(10);
    for (const part of texts) {
      expect(part.length).toBeLessThanOrEqual(4000);
      expect(part.startsWith('\n')).toBe(false);
    }
    const summary = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000' } });
    const [summaryText] = await summary.replies(ADMIN, 'absensilikes#LARGE');
    expect(summaryText).toContain('📊 *Per konten*:\n- Konten 1: ');
    expect(summaryText!.split('\n').filter((l) => /^- Konten \d+: /.test(l))).toHaveLength(20);
  });
});

describe('the summary (pure)', () => {
  const member = (i: number, divisi: string, engaged: number[]): MemberEngagement => ({
    userId: `u${i}`,
    nama: `NAMA ${i}`,
    title: 'BRIPDA',
    divisi,
    jabatan: null,
    handle: `h${i}`,
    exception: false,
    engaged,
    links: 0,
  });

  it('orders divisions weakest first and names the belum of the worst divisions while two messages hold them', () => {
    const members = [
      ...Array.from({ length: 20 }, (_, i) => member(i, 'SAT A', i < 18 ? [0] : [])), // 90%, 2 belum
      ...Array.from({ length: 10 }, (_, i) => member(100 + i, 'BAG B', i < 2 ? [0] : [])), // 20%, 8 belum
      ...Array.from({ length: 4 }, (_, i) => member(200 + i, 'POLSEK C', [])), // 0%, 4 belum
    ];
    const day: EngagementDay = {
      source: 'likes',
      day: DAY,
      posts: [{ id: 'p', url: 'https://www.instagram.com/p/p', createdAt: NOW, fetched: true, partial: false, updatedAt: NOW }],
      members,
      lastUpdated: NOW,
    };
    const client = { clientId: 'X', nama: 'POLRES X', active: true, insta: 'x', instaEnabled: true, tiktok: null, tiktokEnabled: false, amplifyEnabled: true, threshold: 'half' as const, type: null, divisionOrder: [] };
    const { text, summarised } = renderAbsensi(buildRecap(day, 'half'), {
      client,
      kind: 'accumulated',
      filter: 'all',
      now: NOW,
      timezone: 'Asia/Jakarta',
      maxLines: 10,
    });
    expect(summarised).toBe(true);
    const tail = text.slice(text.indexOf('📊'));
    expect(tail).toBe(
      [
        '📊 *Rekap per divisi* (terlemah lebih dulu):',
        '1. *POLSEK C*: 0 sudah, 4 belum (0%)',
        '2. *BAG B*: 2 sudah, 8 belum (20%)',
        '3. *SAT A*: 18 sudah, 2 belum (90%)',
        '',
        '❌ *Belum melaksanakan*, divisi terlemah:',
        '*POLSEK C* (4):',
        'BRIPDA NAMA 200; BRIPDA NAMA 201; BRIPDA NAMA 202; BRIPDA NAMA 203',
        '',
        '*BAG B* (8):',
        'BRIPDA NAMA 102; BRIPDA NAMA 103; BRIPDA NAMA 104; BRIPDA NAMA 105; BRIPDA NAMA 106; BRIPDA NAMA 107; BRIPDA NAMA 108; BRIPDA NAMA 109',
        '',
        '*SAT A* (2):',
        'BRIPDA NAMA 18; BRIPDA NAMA 19',
        '',
        '… daftar lengkap 34 user ada di lampiran Excel.',
        '',
        'Terima kasih.',
      ].join('\n'),
    );
    // Within two messages: the worst division's names fit, the rest are left to the Excel file.
    const short = renderAbsensi(buildRecap(day, 'half'), { client, kind: 'accumulated', filter: 'all', now: NOW, timezone: 'Asia/Jakarta', maxLines: 10, maxChars: 800 });
    expect(short.messages.length).toBeLessThanOrEqual(2);
    expect(short.text).toContain('BRIPDA NAMA 200');
    expect(short.text).toContain('… daftar lengkap 34 user');
    expect(renderAbsensi(buildRecap(day, 'half'), { client, kind: 'accumulated', filter: 'all', now: NOW, timezone: 'Asia/Jakarta', maxLines: 34 }).summarised).toBe(false);
  });
});
