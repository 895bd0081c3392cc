/** The compliance reports driven through the bot, on the worked example of the reference (§2.6). */
import ExcelJS from 'exceljs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, CLIENT, createTestBot, OPERATOR, type TestBot } from '../helpers/bot.js';
import { MEMBERS, seedWorkedExample } from '../helpers/compliance.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const HEADER = (title: string, n = 2) =>
  [
    'Mohon ijin Komandan,',
    '',
    `📋 *${title}*`,
    '*Polres*: *POLRES ABC*',
    'Rabu, 25/11/2026',
    'Jam: 10.00.00 WIB',
    '',
    `*Jumlah Konten:* ${n}`,
    '*Daftar Link Konten:*',
    'https://www.instagram.com/p/sc1',
    'https://www.instagram.com/p/sc2',
  ].join('\n');

const COUNTS = [
  '*Jumlah user:* 5',
  '✅ *Sudah melaksanakan* : *2 user*',
  '❌ *Belum melaksanakan* : *2 user*',
  '➖ *Dikecualikan (exception)* : *1 user*',
  '*Syarat sudah:* minimal 1 dari 2 konten',
].join('\n');

const EXCEPTION = ['➖ *Dikecualikan (exception)* (1 user):', '*BAG OPS* (1):', 'KOMPOL DEDI'].join('\n');

/** Belum in detail (numbered, handle where nothing matched, c/N), sudah and exceptions as names per division. */
const ACCUMULATED = `${HEADER('Rekap Akumulasi Likes Instagram')}
*Data likes terakhir diperbarui:* Rabu, 25/11/2026 09.30.00 WIB

${COUNTS}

❌ *Belum melaksanakan* (2 user):
*SAT LANTAS* (1):
1. BRIPDA CANDRA belum mengisi

*POLSEK KOTA* (1):
2. BRIGPOL EKO @eko 0/2

✅ *Sudah melaksanakan* (2 user):
*BAG OPS* (1):
AIPTU BUDI

*SAT BINMAS* (1):
BRIPKA ANI

${EXCEPTION}

Terima kasih.`;

const PER_CONTENT = `${HEADER('Rekap Per Konten Likes Instagram')}
*Data likes terakhir diperbarui:* Rabu, 25/11/2026 09.30.00 WIB

${COUNTS}

*Konten 1:* https://www.instagram.com/p/sc1
✅ 2 sudah · ❌ 2 belum

❌ *Belum melaksanakan* (2 user):
*SAT LANTAS* (1):
BRIPDA CANDRA

*POLSEK KOTA* (1):
BRIGPOL EKO

*Konten 2:* https://www.instagram.com/p/sc2
✅ 1 sudah · ❌ 3 belum

❌ *Belum melaksanakan* (3 user):
*SAT BINMAS* (1):
BRIPKA ANI

*SAT LANTAS* (1):
BRIPDA CANDRA

*POLSEK KOTA* (1):
BRIGPOL EKO

${EXCEPTION}

Terima kasih.`;

/** Section headers and the member lines under them: numbered details and paragraphs of names. */
function sections(text: string): string[] {
  return text.split('\n').filter((l) => /^(✅|❌|➖) \*.*\(\d+ user\):$|^\d+\. |^[A-Z][A-Z .']+(; [A-Z][A-Z .']+)*;?$/.test(l));
}

describe(`compliance reports (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  beforeAll(async () => {
    await seedWorkedExample(database().db);
    t = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });
  beforeEach(async () => {
    await database().db.query(`UPDATE clients SET absensi_threshold = 'half', client_insta_status = true, client_tiktok_status = true`);
  });

  const ask = async (text: string, from = ADMIN): Promise<string> => {
    const replies = await t.replies(from, text);
    expect(replies).toHaveLength(1);
    return replies[0]!;
  };

  describe('the worked example', () => {
    it('accumulated: Jumlah user 5, Sudah 2, Belum 2, Dikecualikan 1, exactly as laid out', async () => {
      expect(await ask(`absensilikes#${CLIENT}#akumulasi`)).toBe(ACCUMULATED);
    });

    it('per content: one section pair per post, the exception section once', async () => {
      expect(await ask(`absensilikes#${CLIENT}`)).toBe(PER_CONTENT);
    });

    it('the sudah and belum filters leave out the other sections and keep every count', async () => {
      const accSudah = await ask(`absensilikes#${CLIENT}#akumulasi#sudah`);
      expect(accSudah).toContain(COUNTS);
      expect(sections(accSudah)).toEqual(['✅ *Sudah melaksanakan* (2 user):', 'AIPTU BUDI', 'BRIPKA ANI']);
      const accBelum = await ask(`absensilikes#${CLIENT}#AKUMULASI#Belum`);
      expect(accBelum).toContain(COUNTS);
      expect(sections(accBelum)).toEqual(['❌ *Belum melaksanakan* (2 user):', '1. BRIPDA CANDRA belum mengisi', '2. BRIGPOL EKO @eko 0/2']);
      const perSudah = await ask(`absensilikes#${CLIENT}#sudah`);
      expect(perSudah).toContain(COUNTS);
      expect(sections(perSudah)).toEqual([
        '✅ *Sudah melaksanakan* (2 user):',
        'AIPTU BUDI',
        'BRIPKA ANI',
        '✅ *Sudah melaksanakan* (1 user):',
        'AIPTU BUDI',
      ]);
      const perBelum = await ask(`absensilikes#${CLIENT}#belum`);
      expect(perBelum).toContain(COUNTS);
      expect(sections(perBelum)).toEqual([
        '❌ *Belum melaksanakan* (2 user):',
        'BRIPDA CANDRA',
        'BRIGPOL EKO',
        '❌ *Belum melaksanakan* (3 user):',
        'BRIPKA ANI',
        'BRIPDA CANDRA',
        'BRIGPOL EKO',
      ]);
    });

    it('the client id is case-insensitive, and the operator gets their own client', async () => {
      expect(await ask('absensilikes#polresabc#akumulasi', OPERATOR)).toBe(ACCUMULATED);
      expect(await ask(`absensilikes#${CLIENT}##akumulasi#`)).toBe(ACCUMULATED); // stray #s add nothing
    });

    it('a client requiring all posts moves ANI (1 of 2) to belum', async () => {
      expect(await ask(`ambangabsensi#${CLIENT}#semua`, OPERATOR)).toMatch(/^✅ Syarat sudah untuk \*POLRESABC\*/);
      const text = await ask(`absensilikes#${CLIENT}#akumulasi`);
      expect(text).toContain('✅ *Sudah melaksanakan* : *1 user*\n❌ *Belum melaksanakan* : *3 user*');
      expect(text).toContain('*Syarat sudah:* semua 2 konten');
      expect(sections(text)).toContain('1. BRIPKA ANI 1/2');
      expect(text.indexOf('1. BRIPKA ANI')).toBeGreaterThan(text.indexOf('❌ *Belum melaksanakan* (3 user):'));
    });
  });

  describe('days', () => {
    it('kemarin, 2026-11-24 and 24-11-2026 pick the post at 23:59 WIB yesterday, and only it', async () => {
      for (const day of ['kemarin', '2026-11-24', '24-11-2026', '24/11/2026']) {
        const text = await ask(`absensilikes#${CLIENT}#${day}#akumulasi`);
        expect(text).toContain('Selasa, 24/11/2026\nDibuat: Rabu, 25/11/2026 10.00.00 WIB');
        expect(text).toContain('*Jumlah Konten:* 1\n*Daftar Link Konten:*\nhttps://www.instagram.com/p/old1\n');
        expect(sections(text)).toEqual([
          '❌ *Belum melaksanakan* (3 user):',
          '1. AIPTU BUDI @budi.s 0/1',
          '2. BRIPKA ANI @ani_r 0/1',
          '3. BRIPDA CANDRA belum mengisi',
          '✅ *Sudah melaksanakan* (1 user):',
          'BRIGPOL EKO',
          '➖ *Dikecualikan (exception)* (1 user):',
          'KOMPOL DEDI',
        ]);
      }
    });

    it('the post at 00:01 WIB belongs to today, whatever the server zone', async () => {
      const text = await ask(`absensilikes#${CLIENT}#akumulasi#2026-11-25`);
      expect(text).toContain('https://www.instagram.com/p/sc1\nhttps://www.instagram.com/p/sc2\n*Data');
      expect(text).not.toContain('old1');
    });

    it('a day without posts says so, naming the client and the date', async () => {
      expect(await ask(`absensilikes#${CLIENT}#akumulasi#2026-11-01`)).toBe(
        'Tidak ada konten Instagram untuk *Polres*: *POLRES ABC* pada Minggu, 1/11/2026.',
      );
    });

    it('a malformed or future date says so', async () => {
      expect(await ask(`absensilikes#${CLIENT}#2026-13-01`)).toBe(
        '⚠️ Tanggal *2026-13-01* tidak valid. Gunakan format 2026-11-24, 24-11-2026, atau *kemarin*.',
      );
      expect(await ask(`absensilikes#${CLIENT}#31-02-2026`)).toMatch(/^⚠️ Tanggal \*31-02-2026\* tidak valid/);
      // Years PostgreSQL cannot even store (0000) or no report can be about: the same answer, no SQL.
      for (const date of ['0000-01-01', '0001-01-01', '1899-12-31', '1999-12-31', '01-01-0000']) {
        expect(await ask(`absensilikes#${CLIENT}#${date}`)).toBe(
          `⚠️ Tanggal *${date}* tidak valid. Gunakan format 2026-11-24, 24-11-2026, atau *kemarin*.`,
        );
      }
      expect(await ask(`absensilikes#${CLIENT}#akumulasi#2026-11-26`)).toBe(
        '⚠️ Tanggal *2026-11-26* belum terjadi (hari ini 2026-11-25).',
      );
      expect(await ask(`absensilikes#${CLIENT}#kemarin#2026-11-20`)).toMatch(/^⚠️ Tanggal hanya boleh satu\.\nFormat: /);
    });
  });

  describe('bad input and scope', () => {
    it('an unknown mode answers with the syntax and an example', async () => {
      expect(await ask(`absensilikes#${CLIENT}#rekap`)).toBe(
        [
          '⚠️ Mode *rekap* tidak dikenal. Pilih mode [akumulasi|sudah|belum].',
          'Format: *absensilikes[#<client>][#akumulasi|sudah|belum[#sudah|belum]][#<tanggal>|kemarin][#excel][#grafik]*',
          'Contoh: absensilikes#POLRESABC#akumulasi#belum',
        ].join('\n'),
      );
      expect(await ask(`absensilikes#${CLIENT}#akumulasi#semua`)).toMatch(/^⚠️ Mode \*akumulasi#semua\* tidak dikenal/);
      expect(await ask(`absensilikes#${CLIENT}#sudah#belum`)).toMatch(/^⚠️ Mode \*sudah#belum\* tidak dikenal/);
      // An admin in a private chat has no client of their own to default to.
      expect(await ask('absensilikes')).toMatch(/^⚠️ Sebutkan client-nya\.\nFormat: \*absensilikes\[#<client>\]/);
    });

    it('an unknown client: admins get the valid ids, operators a refusal', async () => {
      await database().db.query(`INSERT INTO clients (client_id, nama) VALUES ('POLRESXYZ', 'POLRES XYZ') ON CONFLICT DO NOTHING`);
      expect(await ask('absensilikes#NOPE#akumulasi')).toBe(
        '❌ Client *NOPE* tidak dikenal.\nClient yang terdaftar: POLRESABC, POLRESXYZ',
      );
      const refusal = '❌ Anda hanya dapat melihat rekap client Anda sendiri (*POLRESABC*).';
      expect(await ask('absensilikes#NOPE#akumulasi', OPERATOR)).toBe(refusal);
      expect(await ask('absensilikes#POLRESXYZ#akumulasi', OPERATOR)).toBe(refusal);
      expect(await ask('ambangabsensi#POLRESXYZ#semua', OPERATOR)).toBe(refusal);
      const { rows } = await database().db.query(`SELECT absensi_threshold FROM clients WHERE client_id = 'POLRESXYZ'`);
      expect(rows).toEqual([{ absensi_threshold: 'half' }]);
    });

    it('a platform switched off or without an account says so', async () => {
      await database().db.query(`UPDATE clients SET client_insta_status = false WHERE client_id = $1`, [CLIENT]);
      expect(await ask(`absensilikes#${CLIENT}`)).toBe('⚠️ Absensi Instagram dinonaktifkan untuk client *POLRESABC* (POLRES ABC).');
      await database().db.query(`UPDATE clients SET client_tiktok_status = false WHERE client_id = $1`, [CLIENT]);
      expect(await ask(`absensikomentar#${CLIENT}`)).toBe('⚠️ Absensi TikTok dinonaktifkan untuk client *POLRESABC* (POLRES ABC).');
      expect(await ask('ambangabsensi#POLRESABC#banyak')).toMatch(/^⚠️ Pilihan \*banyak\* tidak dikenal\.\nFormat: /);
    });
  });

  describe('data', () => {
    it('a post whose likes were never fetched accuses no one', async () => {
      const { db } = database();
      await db.query(`INSERT INTO insta_post (shortcode, client_id, created_at) VALUES ('sc3', $1, '2026-11-25T02:50:00Z')`, [CLIENT]);
      try {
        const text = await ask(`absensilikes#${CLIENT}#akumulasi`);
        expect(text).toContain('https://www.instagram.com/p/sc3 (data likes belum tersedia)\n');
        expect(text).toContain('⚠️ 1 konten belum tersedia data likesnya dan tidak dihitung.');
        expect(text).toContain(COUNTS); // still N = 2
        const perContent = await ask(`absensilikes#${CLIENT}`);
        expect(perContent).toContain('*Konten 3:* https://www.instagram.com/p/sc3\n⚠️ Data likes belum tersedia; konten ini tidak dihitung.');
      } finally {
        await db.query(`DELETE FROM insta_post WHERE shortcode = 'sc3'`);
      }
    });

    it('when no post of the day has data, nobody is judged', async () => {
      const { db } = database();
      await db.query(`INSERT INTO insta_post (shortcode, client_id, created_at) VALUES ('nodata', $1, '2026-11-20T02:00:00Z')`, [CLIENT]);
      const text = await ask(`absensilikes#${CLIENT}#akumulasi#2026-11-20`);
      expect(text).toContain('*Jumlah user:* 5\n⚠️ Data likes belum tersedia untuk konten hari itu; belum ada yang dinilai.\n\nTerima kasih.');
      expect(text).toContain('*Data likes terakhir diperbarui:* belum pernah diambil');
      expect(sections(text)).toEqual([]);
      // Nor in the Excel file.
      const sent = await t.exchange(ADMIN, `absensilikes#${CLIENT}#akumulasi#2026-11-20#excel`);
      const doc = sent[1]?.kind === 'document' ? sent[1].document : null;
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(doc!.data as unknown as ArrayBuffer);
      // Every member on their division's sheet (those after Konten), Status in column I.
      const statuses: unknown[] = [];
      for (const sheet of book.worksheets.slice(book.worksheets.findIndex((s) => s.name === 'Konten') + 1)) {
        sheet.eachRow((row, n) => {
          if (n > 1) statuses.push(row.getCell(9).value);
        });
      }
      expect(statuses).toEqual(Array(5).fill('Belum dinilai'));
      const summary: unknown[] = [];
      book.getWorksheet('Ringkasan')!.eachRow((row) => summary.push(row.getCell(1).value));
      expect(summary.slice(-2)).toEqual(['Divisi', 'Belum dinilai: data likes belum tersedia untuk konten hari itu.']);
    });

    it('a member who fixes their handle is counted at once; inactive members never appear', async () => {
      const { db } = database();
      await db.query(`UPDATE "user" SET insta = 'https://instagram.com/Eko.Baru?igsh=x' WHERE user_id = $1`, [MEMBERS.eko]);
      await db.query(`UPDATE insta_like SET likes = likes || '["eko.baru"]' WHERE shortcode = 'sc2'`);
      try {
        const text = await ask(`absensilikes#${CLIENT}#akumulasi`);
        // Counted with the new handle: EKO moves from belum to sudah.
        expect(sections(text)).toEqual(['❌ *Belum melaksanakan* (1 user):', '1. BRIPDA CANDRA belum mengisi', '✅ *Sudah melaksanakan* (3 user):', 'AIPTU BUDI', 'BRIPKA ANI', 'BRIGPOL EKO', '➖ *Dikecualikan (exception)* (1 user):', 'KOMPOL DEDI']);
        expect(text).not.toContain('LAMA');
      } finally {
        await db.query(`UPDATE "user" SET insta = 'https://www.instagram.com/eko/' WHERE user_id = $1`, [MEMBERS.eko]);
        // Back to the fixture, its "last updated" stamp included.
        await db.query(`UPDATE insta_like SET likes = likes - 'eko.baru', updated_at = '2026-11-25T02:20:00Z' WHERE shortcode = 'sc2'`);
      }
    });

    it('TikTok comments: object-form commenters, handles without @, TikTok links', async () => {
      const text = await ask(`absensikomentar#${CLIENT}#akumulasi`);
      expect(text).toContain('📋 *Rekap Akumulasi Komentar TikTok*');
      expect(text).toContain('*Daftar Link Konten:*\nhttps://www.tiktok.com/@polresabc/video/v1\n');
      expect(sections(text)).toEqual([
        '❌ *Belum melaksanakan* (3 user):',
        '1. AIPTU BUDI @budi.s 0/1',
        '2. BRIPDA CANDRA belum mengisi',
        '3. BRIGPOL EKO belum mengisi',
        '✅ *Sudah melaksanakan* (1 user):',
        'BRIPKA ANI',
        '➖ *Dikecualikan (exception)* (1 user):',
        'KOMPOL DEDI',
      ]);
    });
  });

  describe('Excel', () => {
    it('#excel sends the recap as an .xlsx document that reads back to the same verdicts', async () => {
      const sent = await t.exchange(ADMIN, `absensilikes#${CLIENT}#akumulasi#excel`);
      expect(sent.map((m) => m.kind)).toEqual(['text', 'document']);
      expect(sent[0]).toMatchObject({ kind: 'text', text: ACCUMULATED });
      const doc = sent[1]!.kind === 'document' ? sent[1]!.document : null;
      expect(doc?.fileName).toBe('rekap-likes-instagram-polresabc-2026-11-25.xlsx');
      expect(doc?.caption).toMatch(/^📎 Rekap Excel POLRES ABC, 2026-11-25: 5 user/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(doc!.data as unknown as ArrayBuffer);
      const rowsOf = (name: string): unknown[][] => {
        const rows: unknown[][] = [];
        book.getWorksheet(name)!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
        return rows;
      };
      // A sheet per section, then one per division in unit order.
      expect(book.worksheets.map((s) => s.name)).toEqual([
        'Ringkasan', 'Sudah', 'Belum', 'Dikecualikan', 'Konten', 'BAG OPS', 'SAT BINMAS', 'SAT LANTAS', 'POLSEK KOTA',
      ]);
      expect(rowsOf('Sudah')[0]).toEqual(['No', 'NRP/NIP', 'Pangkat', 'Nama', 'Divisi', 'Jabatan', 'Akun', 'Jumlah', 'Persen', 'Tingkat', 'Konten terlewat']);
      // Empty cells read back as undefined (at the end of a row, not at all); Persen is count / countable posts.
      expect(rowsOf('Sudah').slice(1)).toEqual([
        [1, MEMBERS.budi, 'AIPTU', 'BUDI', 'BAG OPS', undefined, '@budi.s', 2, 1, 'Lengkap'],
        [2, MEMBERS.ani, 'BRIPKA', 'ANI', 'SAT BINMAS', undefined, '@ani_r', 1, 0.5, 'Kurang lengkap', '2'],
      ]);
      expect(rowsOf('Belum').slice(1)).toEqual([
        [1, MEMBERS.candra, 'BRIPDA', 'CANDRA', 'SAT LANTAS', undefined, undefined, 0, 0, 'Belum mengisi akun', 'Semua'],
        [2, MEMBERS.eko, 'BRIGPOL', 'EKO', 'POLSEK KOTA', undefined, '@eko', 0, 0, 'Belum', 'Semua'],
      ]);
      expect(rowsOf('Dikecualikan').slice(1)).toEqual([
        [1, MEMBERS.dedi, 'KOMPOL', 'DEDI', 'BAG OPS', 'KABAG OPS', '@dedi', 0, 0, 'Belum', 'Semua'],
      ]);
      // Unit order: the head of BAG OPS (KABAG) before his members, whatever their rank.
      expect(rowsOf('BAG OPS')).toEqual([
        ['No', 'NRP/NIP', 'Pangkat', 'Nama', 'Jabatan', 'Akun', 'Jumlah', 'Persen', 'Status', 'Tingkat', 'Konten terlewat'],
        [1, MEMBERS.dedi, 'KOMPOL', 'DEDI', 'KABAG OPS', '@dedi', 0, 0, 'Dikecualikan', 'Belum', 'Semua'],
        [2, MEMBERS.budi, 'AIPTU', 'BUDI', undefined, '@budi.s', 2, 1, 'Sudah', 'Lengkap'],
      ]);
      const summary = rowsOf('Ringkasan');
      expect(summary.slice(summary.findIndex((r) => r[0] === 'Divisi'))).toEqual([
        ['Divisi', 'Jumlah user', 'Sudah', 'Kurang', 'Belum', 'Dikecualikan', 'Persen sudah'],
        // Weakest first; ties in unit order.
        ['SAT LANTAS', 1, 0, 0, 1, 0, 0],
        ['POLSEK KOTA', 1, 0, 0, 1, 0, 0],
        ['BAG OPS', 2, 1, 0, 0, 1, 1],
        ['SAT BINMAS', 1, 1, 0, 0, 0, 1],
      ]);
    });
  });
});
