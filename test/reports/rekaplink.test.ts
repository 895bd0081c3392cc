/** `rekaplink`: the day's amplification links, counted without duplicates and listed per member, in text and Excel. */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { linkKey } from '../../src/compliance/links.js';
import type { Db } from '../../src/db/db.js';
import { ADMIN, CLIENT, createTestBot, OPERATOR, seedChatFixture, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const OTHER_OPERATOR = '6281200000022';
const SYNTAX = '⚠️ Format perintah salah.\nFormat: *rekaplink[#<client>][#<tanggal>|kemarin][#excel]*\nContoh: rekaplink#POLRESABC';

type Links = Partial<Record<'instagram' | 'facebook' | 'twitter' | 'tiktok' | 'youtube', string>>;

async function report(db: Db, shortcode: string, userId: string, links: Links): Promise<void> {
  await db.query(
    `INSERT INTO link_report (shortcode, user_id, instagram_link, facebook_link, twitter_link, tiktok_link, youtube_link)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [shortcode, userId, links.instagram ?? null, links.facebook ?? null, links.twitter ?? null, links.tiktok ?? null, links.youtube ?? null],
  );
}

/**
 * POLRES ABC with five active members (one silent) and one inactive; two posts today
 * (clock: Wednesday 25/11/2026 10.00 WIB), one yesterday and one removed; a second
 * client with its own operator and a member who reported on POLRES ABC's post.
 */
async function seed(db: Db): Promise<void> {
  await seedChatFixture(db);
  await db.query(`INSERT INTO clients (client_id, nama, client_operator) VALUES ('POLRESXYZ', 'POLRES XYZ', $1)`, [OTHER_OPERATOR]);
  await db.query(
    `INSERT INTO "user" (user_id, nama, title, divisi, jabatan, status, client_id) VALUES
       ('u-citra', 'Citra', 'bripka', 'bag ops', 'KASUBBAG', true, $1),
       ('u-andi', 'ANDI', 'BRIPDA', 'SAT LANTAS', NULL, true, $1),
       ('u-doni', 'DONI', 'BRIGPOL', 'POLSEK KOTA', NULL, true, $1),
       ('u-edi', 'EDI', 'AIPDA', 'SAT LANTAS', NULL, true, $1),
       ('u-fajar', 'FAJAR', 'BRIPDA', 'SAT LANTAS', NULL, false, $1),
       ('x-1', 'ASING', 'BRIPDA', 'BAG OPS', NULL, true, 'POLRESXYZ')`,
    [CLIENT],
  );
  await db.query(
    `INSERT INTO insta_post (shortcode, client_id, created_at, removed_at) VALUES
       ('p1', $1, '2026-11-25T01:00:00Z', NULL), ('p2', $1, '2026-11-25T02:00:00Z', NULL),
       ('pold', $1, '2026-11-24T16:00:00Z', NULL), ('prem', $1, '2026-11-25T01:30:00Z', '2026-11-25T02:30:00Z'),
       ('p23', $1, '2026-11-23T02:00:00Z', NULL)`,
    [CLIENT],
  );
  const budi = '75070206';
  await report(db, 'p1', budi, { instagram: 'https://www.instagram.com/p/BudiIG1/', facebook: 'https://www.facebook.com/budi/posts/1' });
  // The same link for the second post (but for the trailing slash): one link.
  await report(db, 'p2', budi, { instagram: 'https://www.instagram.com/p/BudiIG1', tiktok: 'https://www.tiktok.com/@budi/video/1' });
  await report(db, 'p1', 'u-citra', { twitter: 'https://x.com/citra/status/1', youtube: 'https://youtu.be/shared123' });
  // The same YouTube link as CITRA: counted once across members, listed for both.
  await report(db, 'p1', 'u-andi', { youtube: 'https://youtu.be/shared123', facebook: 'https://www.facebook.com/andi/posts/1' });
  await report(db, 'p2', 'u-andi', { facebook: 'https://www.facebook.com/andi/posts/2' });
  await report(db, 'p2', 'u-doni', { instagram: 'https://www.instagram.com/p/DoniIG/' });
  // None of these counts: an inactive member, another client's member, a removed post, yesterday's post.
  await report(db, 'p1', 'u-fajar', { instagram: 'https://www.instagram.com/p/Fajar/' });
  await report(db, 'p1', 'x-1', { instagram: 'https://www.instagram.com/p/Other/' });
  await report(db, 'prem', budi, { tiktok: 'https://www.tiktok.com/@budi/video/99' });
  await report(db, 'pold', budi, { facebook: 'https://www.facebook.com/budi/posts/old' });
}

const EXPECTED = [
  'Mohon ijin Komandan,',
  '',
  '📋 *Rekap Link Amplifikasi*',
  '*Polres*: *POLRES ABC*',
  'Hari/tanggal: Rabu, 25/11/2026',
  'Dibuat: Rabu, 25/11/2026 10.00.00 WIB',
  '',
  '*Jumlah Konten Resmi:* 2',
  'https://www.instagram.com/p/p1',
  'https://www.instagram.com/p/p2',
  '*Jumlah user yang melapor:* 4 dari 5 (belum melapor: 1)',
  '*Jumlah link (tanpa duplikat):* 8 — IG 2 · FB 3 · X 1 · TT 1 · YT 1',
  '',
  '*BAG OPS* (2 user):',
  '1. BRIPKA CITRA — X ✓ YT ✓',
  '2. AIPTU BUDI SANTOSO — IG ✓ FB ✓ TT ✓',
  '',
  '*SAT LANTAS* (1 user):',
  '3. BRIPDA ANDI — FB ✓ YT ✓',
  '',
  '*POLSEK KOTA* (1 user):',
  '4. BRIGPOL DONI — IG ✓',
  '',
  'Terima kasih.',
].join('\n');

describe(`rekaplink (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  beforeAll(async () => {
    await seed(database().db);
    t = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  it('groups the reporters by division in unit order, numbered, with a tick per platform and distinct counts', async () => {
    expect(await t.replies(OPERATOR, 'rekaplink')).toEqual([EXPECTED]);
    expect(await t.replies(ADMIN, `rekaplink#${CLIENT.toLowerCase()}#2026-11-25`)).toEqual([EXPECTED]);
  });

  it('says so when nobody reported, and keeps the no-content answer for a day without posts', async () => {
    const [yesterday] = await t.replies(ADMIN, `rekaplink#${CLIENT}#kemarin`);
    expect(yesterday).toContain(
      '*Jumlah Konten Resmi:* 1\nhttps://www.instagram.com/p/pold\n*Jumlah user yang melapor:* 1 dari 5 (belum melapor: 4)',
    );
    const [empty] = await t.replies(ADMIN, `rekaplink#${CLIENT}#2026-11-23`);
    expect(empty).toBe(
      [
        ...EXPECTED.split('\n').slice(0, 4),
        'Hari/tanggal: Senin, 23/11/2026',
        'Dibuat: Rabu, 25/11/2026 10.00.00 WIB',
        '',
        '*Jumlah Konten Resmi:* 1',
        'https://www.instagram.com/p/p23',
        '*Jumlah user yang melapor:* 0 dari 5 (belum melapor: 5)',
        '*Jumlah link (tanpa duplikat):* 0',
        '',
        'Belum ada user yang melapor link.',
        '',
        'Terima kasih.',
      ].join('\n'),
    );
    expect(await t.replies(ADMIN, `rekaplink#${CLIENT}#2026-11-22#excel`)).toEqual([
      'Tidak ada konten Instagram untuk *Polres*: *POLRES ABC* pada Minggu, 22/11/2026.',
    ]);
  });

  it('#excel sends the text, then a workbook with one row per member and link and the distinct counts', async () => {
    const sent = await t.exchange(OPERATOR, `rekaplink#${CLIENT}#excel`);
    expect(sent.map((m) => m.kind)).toEqual(['text', 'document']);
    expect(sent[0]!.kind === 'text' && sent[0]!.text).toBe(EXPECTED);
    const doc = sent[1]!.kind === 'document' ? sent[1]!.document : null;
    expect(doc?.fileName).toBe('rekaplink-polresabc-2026-11-25.xlsx');
    expect(doc?.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(doc?.caption).toBe('📎 Rekap link amplifikasi POLRES ABC 2026-11-25: 9 link dari 4 user, satu baris per link.');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(doc!.data as unknown as ArrayBuffer);
    const rows = (name: string): unknown[][] => {
      const out: unknown[][] = [];
      // An empty cell reads back as nothing.
      book.getWorksheet(name)!.eachRow((row) => out.push(Array.from((row.values as unknown[]).slice(1), (v) => v ?? '')));
      return out;
    };
    const sheet = book.getWorksheet('Link')!;
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(rows('Link')).toEqual([
      ['No', 'NRP/NIP', 'Pangkat', 'Nama', 'Divisi', 'Jabatan', 'Platform', 'Link'],
      [1, 'u-citra', 'BRIPKA', 'CITRA', 'BAG OPS', 'KASUBBAG', 'Twitter/X', 'https://x.com/citra/status/1'],
      [2, 'u-citra', 'BRIPKA', 'CITRA', 'BAG OPS', 'KASUBBAG', 'YouTube', 'https://youtu.be/shared123'],
      [3, '75070206', 'AIPTU', 'BUDI SANTOSO', 'BAG OPS', '', 'Instagram', 'https://www.instagram.com/p/BudiIG1'],
      [4, '75070206', 'AIPTU', 'BUDI SANTOSO', 'BAG OPS', '', 'Facebook', 'https://www.facebook.com/budi/posts/1'],
      [5, '75070206', 'AIPTU', 'BUDI SANTOSO', 'BAG OPS', '', 'TikTok', 'https://www.tiktok.com/@budi/video/1'],
      [6, 'u-andi', 'BRIPDA', 'ANDI', 'SAT LANTAS', '', 'Facebook', 'https://www.facebook.com/andi/posts/1'],
      [7, 'u-andi', 'BRIPDA', 'ANDI', 'SAT LANTAS', '', 'Facebook', 'https://www.facebook.com/andi/posts/2'],
      [8, 'u-andi', 'BRIPDA', 'ANDI', 'SAT LANTAS', '', 'YouTube', 'https://youtu.be/shared123'],
      [9, 'u-doni', 'BRIGPOL', 'DONI', 'POLSEK KOTA', '', 'Instagram', 'https://www.instagram.com/p/DoniIG'],
    ]);
    expect(rows('Per platform')).toEqual([
      ['Platform', 'Link (tanpa duplikat)', 'User melapor'],
      ['Instagram', 2, 2],
      ['Facebook', 3, 2],
      ['Twitter/X', 1, 1],
      ['TikTok', 1, 1],
      ['YouTube', 1, 2],
      ['Total', 8, 4],
    ]);
  });

  it('answers bad input with the syntax', async () => {
    expect(await t.replies(ADMIN, `rekaplink#${CLIENT}#foo`)).toEqual([SYNTAX]);
    expect(await t.replies(OPERATOR, 'rekaplink#excel#foo')).toEqual([SYNTAX]);
    expect(await t.replies(ADMIN, `rekaplink#${CLIENT}#grafik`)).toEqual([SYNTAX]);
    expect(await t.replies(ADMIN, `rekaplink#${CLIENT}#2026-11-25#excel#foo`)).toEqual([expect.stringMatching(/^⚠️ Format perintah salah/)]);
  });

  it('refuses an operator of another client, revealing nothing', async () => {
    for (const text of [`rekaplink#${CLIENT}`, `rekaplink#${CLIENT}#excel`]) {
      const sent = await t.exchange(OTHER_OPERATOR, text);
      expect(sent).toEqual([
        { chatId: `${OTHER_OPERATOR}@c.us`, kind: 'text', text: '❌ Anda hanya dapat melihat rekap client Anda sendiri (*POLRESXYZ*).' },
      ]);
    }
    // Their own client has no posts today.
    expect(await t.replies(OTHER_OPERATOR, 'rekaplink')).toEqual([
      'Tidak ada konten Instagram untuk *Polres*: *POLRES XYZ* pada Rabu, 25/11/2026.',
    ]);
  });
});

describe(`rekaplink over several messages (${backend})`, () => {
  const database = useTestDatabase();
  const MAX = 300;
  const DIVISIONS = ['BAG OPS', 'BAG SUMDA', 'SAT LANTAS', 'SAT RESKRIM', 'SI HUMAS', 'POLSEK KOTA'];
  let t: TestBot;
  beforeAll(async () => {
    const { db } = database();
    await seedChatFixture(db);
    await db.query(`INSERT INTO insta_post (shortcode, client_id, created_at) VALUES ('p1', $1, '2026-11-25T01:00:00Z')`, [CLIENT]);
    await report(db, 'p1', '75070206', { instagram: 'https://www.instagram.com/p/Budi1/' });
    for (let i = 0; i < 60; i++) {
      const id = `m${String(i).padStart(3, '0')}`;
      await db.query(`INSERT INTO "user" (user_id, nama, title, divisi, status, client_id) VALUES ($1, $2, 'BRIPDA', $3, true, $4)`, [
        id,
        `ANGGOTA ${id.toUpperCase()}`,
        DIVISIONS[i % DIVISIONS.length],
        CLIENT,
      ]);
      // Everyone re-posted the same Facebook post link: one distinct link.
      await report(db, 'p1', id, { facebook: 'https://www.facebook.com/unit/posts/1', ...(i % 3 === 0 ? { tiktok: `https://vt.tiktok.com/ZS${id}/` } : {}) });
    }
    t = await createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000', CICERO_MESSAGE_MAX_CHARS: String(MAX) } });
  });

  it('cuts between divisions: every message fits, a heading stays with its first line, every reporter appears once', async () => {
    const messages = await t.replies(OPERATOR, 'rekaplink');
    expect(messages.length).toBeGreaterThan(3);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(MAX);
    const text = messages.join('\n');
    expect(text).toContain('*Jumlah user yang melapor:* 61 dari 61 (belum melapor: 0)');
    expect(text).toContain('*Jumlah link (tanpa duplikat):* 22 — IG 1 · FB 1 · X 0 · TT 20 · YT 0');
    expect(messages.at(-1)!.endsWith('Terima kasih.')).toBe(true);
    for (const m of messages) {
      const lines = m.split('\n');
      lines.forEach((line, i) => {
        if (/^\*[A-Z ]+\* \(\d+ user\)( \(lanjutan\))?:$/.test(line)) expect(lines[i + 1], `after ${line}`).toMatch(/^\d+\. /);
      });
    }
    const numbered = messages.flatMap((m) => m.split('\n')).filter((line) => /^\d+\. /.test(line));
    expect(numbered.map((line) => Number.parseInt(line, 10))).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
    const names = numbered.map((line) => /^\d+\. (.+) — /.exec(line)![1]);
    expect(new Set(names).size).toBe(61);
    expect(names).toContain('AIPTU BUDI SANTOSO');
    // Divisions in unit order, each heading printed once (a continuation is marked).
    const headings = messages.flatMap((m) => m.split('\n')).filter((line) => / \(\d+ user\):$/.test(line));
    expect(headings.map((h) => h.slice(1, h.indexOf('*', 1)))).toEqual(['BAG OPS', 'BAG SUMDA', 'SAT LANTAS', 'SAT RESKRIM', 'SI HUMAS', 'POLSEK KOTA']);
    expect(headings[0]).toBe('*BAG OPS* (11 user):');
  });
});

describe('linkKey', () => {
  it('drops share tracking from Instagram, TikTok and X links, keeps the queries that name a post', () => {
    expect(linkKey(' https://www.instagram.com/p/Cx1abc/?igsh=MTIz ')).toBe('https://www.instagram.com/p/Cx1abc');
    expect(linkKey('https://www.tiktok.com/@budi/video/123?is_from_webapp=1&sender_device=pc')).toBe('https://www.tiktok.com/@budi/video/123');
    expect(linkKey('https://x.com/budi/status/1?s=20')).toBe('https://x.com/budi/status/1');
    expect(linkKey('https://www.youtube.com/watch?v=abcdefgh')).toBe('https://www.youtube.com/watch?v=abcdefgh');
    expect(linkKey('https://www.facebook.com/story.php?story_fbid=1&id=2')).toBe('https://www.facebook.com/story.php?story_fbid=1&id=2');
  });
});
