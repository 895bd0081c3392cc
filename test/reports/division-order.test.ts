/**
 * The order of divisions in the reports, through the bot: PIMPINAN first by default,
 * the client's own order (`urutandivisi`) first when set, shown by `clientinfo` and
 * followed by `absensiregistrasi` too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, CLIENT, createTestBot, MEMBER, OPERATOR, STRANGER, type TestBot } from '../helpers/bot.js';
import { seedWorkedExample } from '../helpers/compliance.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const OTHER_OPERATOR = '6281200000077';
const DEFAULT_ORDER = ['PIMPINAN', 'BAG OPS', 'SAT BINMAS', 'SAT LANTAS', 'POLSEK KOTA'];
/** PIMPINAN stays first: the client's list does not name it. */
const CUSTOM_ORDER = ['PIMPINAN', 'POLSEK KOTA', 'SAT LANTAS', 'BAG OPS', 'SAT BINMAS'];

const SECTION = /^(✅|❌|➖) \*[^*]+\*/;
const HEADING = /^\*([^*]+)\* \(\d+( user)?\):$/;

/** Per section title, the divisions in the order their headings appear (a title repeated per post: the last one). */
function divisionsBySection(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let section: string | null = null;
  for (const line of text.split('\n')) {
    if (SECTION.test(line) && line.includes('user):')) {
      section = line.split('*')[1]!;
      out[section] = [];
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading && section) out[section]!.push(heading[1]!);
  }
  return out;
}

const numbered = (divisions: readonly string[]): string => divisions.map((d, i) => `${i + 1}. ${d}`).join('\n');

describe(`division order (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;

  beforeAll(async () => {
    const db = database().db;
    await seedWorkedExample(db);
    await db.query(`UPDATE clients SET client_insta_status = true, client_tiktok_status = true WHERE client_id = $1`, [CLIENT]);
    // The leadership typed in lower and mixed case, and a SAT LANTAS member who liked sc1.
    await db.query(
      `INSERT INTO "user" (user_id, nama, title, divisi, jabatan, insta, tiktok, exception, status, client_id) VALUES
         ('80020001', 'HARTONO', 'AKBP', 'pimpinan', 'KAPOLRES', 'hartono', NULL, false, true, $1),
         ('80020002', 'WATI', 'BRIPDA', 'Pimpinan ', 'BAMIN PIMPINAN', 'wati', NULL, false, true, $1),
         ('80020003', 'RUDI', 'BRIPTU', 'SAT LANTAS', 'BA SAT LANTAS', 'rudi', NULL, false, true, $1)`,
      [CLIENT],
    );
    // The likes written again after the members: matching happens when likes are written.
    await db.query(
      `UPDATE insta_like SET likes = '["BUDI.S", "ani_r", {"username": "Inactive.Guy"}, "stranger", "hartono", "rudi"]' WHERE shortcode = 'sc1'`,
    );
    await db.query(
      `INSERT INTO clients (client_id, nama, client_operator) VALUES ('POLRESXYZ', 'POLRES XYZ', '0812-0000-0077')`,
    );
    t = await createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const ask = async (text: string, from = ADMIN): Promise<string> => {
    const replies = await t.replies(from, text);
    expect(replies).toHaveLength(1);
    return replies[0]!;
  };
  const stored = async (): Promise<string[]> => {
    const { rows } = await database().db.query<{ division_order: string[] }>(`SELECT division_order FROM clients WHERE client_id = $1`, [CLIENT]);
    return rows[0]!.division_order;
  };

  it('by default PIMPINAN (typed in any case) comes first in the belum and sudah sections', async () => {
    const text = await ask(`absensilikes#${CLIENT}#akumulasi`);
    expect(divisionsBySection(text)).toEqual({
      'Belum melaksanakan': ['PIMPINAN', 'SAT LANTAS', 'POLSEK KOTA'],
      'Sudah melaksanakan': ['PIMPINAN', 'BAG OPS', 'SAT BINMAS', 'SAT LANTAS'],
      'Dikecualikan (exception)': ['BAG OPS'],
    });
    expect(text).toContain(
      [
        '❌ *Belum melaksanakan* (3 user):',
        '*PIMPINAN* (1):',
        '1. BRIPDA WATI (BAMIN) @wati 0/2',
        '',
        '*SAT LANTAS* (1):',
        '2. BRIPDA CANDRA belum mengisi',
        '',
        '*POLSEK KOTA* (1):',
        '3. BRIGPOL EKO @eko 0/2',
      ].join('\n'),
    );
    expect(text).toContain('✅ *Sudah melaksanakan* (4 user):\n*PIMPINAN* (1):\nAKBP HARTONO\n');
    // The per-content report too.
    const perContent = await ask(`absensilikes#${CLIENT}#belum`);
    expect(perContent).toContain('❌ *Belum melaksanakan* (3 user):\n*PIMPINAN* (1):\nBRIPDA WATI\n');
    expect(await ask(`urutandivisi#${CLIENT}`)).toBe(
      `📋 Urutan divisi *${CLIENT}* (POLRES ABC): urutan bawaan (PIMPINAN, BAG, SAT, SI, SPKT, POLSEK, lainnya menurut abjad).\n\n${numbered(DEFAULT_ORDER)}`,
    );
  });

  it('the operator sets POLSEK KOTA, SAT LANTAS first: saved, the reports follow, clientinfo and urutandivisi show it', async () => {
    expect(await ask(`urutandivisi#${CLIENT}#POLSEK KOTA,SAT LANTAS`, OPERATOR)).toBe(
      `✅ Urutan divisi *${CLIENT}* disimpan; rekap berikutnya memakai urutan ini.\n\n${numbered(CUSTOM_ORDER)}`,
    );
    expect(await stored()).toEqual(['POLSEK KOTA', 'SAT LANTAS']);

    const text = await ask(`absensilikes#${CLIENT}#akumulasi`);
    expect(divisionsBySection(text)).toEqual({
      'Belum melaksanakan': ['PIMPINAN', 'POLSEK KOTA', 'SAT LANTAS'],
      'Sudah melaksanakan': ['PIMPINAN', 'SAT LANTAS', 'BAG OPS', 'SAT BINMAS'],
      'Dikecualikan (exception)': ['BAG OPS'],
    });
    // Numbered in the new order.
    expect(text).toContain('1. BRIPDA WATI (BAMIN) @wati 0/2');
    expect(text).toContain('2. BRIGPOL EKO @eko 0/2');
    expect(text).toContain('3. BRIPDA CANDRA belum mengisi');
    // The operator's own report and the per-content one follow it too.
    expect(divisionsBySection(await ask(`absensilikes#akumulasi#belum`, OPERATOR))).toEqual({
      'Belum melaksanakan': ['PIMPINAN', 'POLSEK KOTA', 'SAT LANTAS'],
    });
    // Per content (the last post's section is kept): sc2 was liked by BUDI only.
    expect(divisionsBySection(await ask(`absensilikes#${CLIENT}#belum`))['Belum melaksanakan']).toEqual([
      'PIMPINAN',
      'POLSEK KOTA',
      'SAT LANTAS',
      'SAT BINMAS',
    ]);

    expect(await ask(`clientinfo#${CLIENT}`)).toContain('\nUrutan divisi: POLSEK KOTA, SAT LANTAS');
    expect(await ask(`urutandivisi#${CLIENT}`, OPERATOR)).toBe(
      `📋 Urutan divisi *${CLIENT}* (POLRES ABC): diatur client: POLSEK KOTA, SAT LANTAS; sisanya urutan bawaan.\n\n${numbered(CUSTOM_ORDER)}`,
    );
    expect(await ask(`urutandivisi#${CLIENT}`)).toBe(await ask(`urutandivisi`, OPERATOR));
  });

  it('absensiregistrasi follows the client’s order', async () => {
    const sections = divisionsBySection(await ask(`absensiregistrasi#${CLIENT}`));
    const expected = (present: string[]) => CUSTOM_ORDER.filter((d) => present.includes(d));
    expect(Object.keys(sections)).toEqual(['Sudah lengkap', 'Belum lengkap']);
    for (const divisions of Object.values(sections)) {
      expect(divisions).toEqual(expected(divisions));
    }
    // Everyone lacks WhatsApp but BUDI and DEDI: the belum list holds every division, custom ones first.
    expect(sections['Belum lengkap']).toEqual(['PIMPINAN', 'POLSEK KOTA', 'SAT LANTAS', 'BAG OPS', 'SAT BINMAS']);
  });

  it('hapus returns to the default order, in the reports and on the card', async () => {
    expect(await ask(`urutandivisi#${CLIENT}#hapus`)).toBe(
      `✅ Urutan divisi *${CLIENT}* kembali ke urutan bawaan.\n\n${numbered(DEFAULT_ORDER)}`,
    );
    expect(await stored()).toEqual([]);
    expect(await ask(`clientinfo#${CLIENT}`)).toContain('\nUrutan divisi: bawaan (PIMPINAN, BAG, SAT, SI, SPKT, POLSEK, lainnya)');
    expect(divisionsBySection(await ask(`absensilikes#${CLIENT}#akumulasi#belum`))['Belum melaksanakan']).toEqual([
      'PIMPINAN',
      'SAT LANTAS',
      'POLSEK KOTA',
    ]);
    expect(divisionsBySection(await ask(`absensiregistrasi#${CLIENT}`))['Belum lengkap']).toEqual(DEFAULT_ORDER);
  });

  it('the operator may leave out the client id: urutandivisi#POLSEK KOTA sets their own client’s order', async () => {
    expect(await ask('urutandivisi#POLSEK KOTA', OPERATOR)).toBe(
      `✅ Urutan divisi *${CLIENT}* disimpan; rekap berikutnya memakai urutan ini.\n\n${numbered(['PIMPINAN', 'POLSEK KOTA', ...DEFAULT_ORDER.filter((d) => d !== 'POLSEK KOTA' && d !== 'PIMPINAN')])}`,
    );
    expect(await stored()).toEqual(['POLSEK KOTA']);
    // Typed in lower case with spaces around the commas: the same divisions.
    // Named, PIMPINAN goes where the client put it.
    expect(await ask('urutandivisi#sat lantas , pimpinan', OPERATOR)).toMatch(/^✅ Urutan divisi \*POLRESABC\* disimpan[\s\S]*\n\n1\. SAT LANTAS\n2\. PIMPINAN\n/);
    expect(await stored()).toEqual(['SAT LANTAS', 'PIMPINAN']);
    expect(await ask('urutandivisi#hapus', OPERATOR)).toMatch(/^✅ Urutan divisi \*POLRESABC\* kembali ke urutan bawaan\./);
    expect(await stored()).toEqual([]);
  });

  describe('refusals and bad input, each answered and nothing saved', () => {
    it('an unknown division is named, with the divisions that exist', async () => {
      expect(await ask(`urutandivisi#${CLIENT}#POLSEK KOTA,SAT NARKOBA`, OPERATOR)).toBe(
        `❌ Divisi *SAT NARKOBA* tidak ada di *${CLIENT}*.\nDivisi yang ada: ${DEFAULT_ORDER.join(', ')}`,
      );
      expect(await ask(`urutandivisi#${CLIENT}#BAG SDM,SAT NARKOBA`)).toBe(
        `❌ Divisi *BAG SDM*, *SAT NARKOBA* tidak ada di *${CLIENT}*.\nDivisi yang ada: ${DEFAULT_ORDER.join(', ')}`,
      );
      expect(await stored()).toEqual([]);
    });

    it('a division named twice', async () => {
      expect(await ask(`urutandivisi#${CLIENT}#SAT LANTAS,POLSEK KOTA,sat lantas`, OPERATOR)).toBe('❌ Divisi *SAT LANTAS* disebut dua kali.');
      expect(await stored()).toEqual([]);
    });

    it('no division after a comma-only list', async () => {
      for (const text of [`urutandivisi#${CLIENT}#,`, `urutandivisi#${CLIENT}# , ,`]) {
        expect(await ask(text, OPERATOR)).toMatch(/^⚠️ Sebutkan divisinya, dipisah koma\.\nFormat: \*urutandivisi/);
      }
      expect(await ask('urutandivisi#,', OPERATOR)).toMatch(/^⚠️ Sebutkan divisinya, dipisah koma\./);
      expect(await stored()).toEqual([]);
    });

    it('an admin must name the client', async () => {
      expect(await ask('urutandivisi#POLSEK KOTA')).toMatch(/^⚠️ Sebutkan client-nya\.\nFormat: \*urutandivisi/);
      expect(await stored()).toEqual([]);
    });

    it('an operator of another client, a member and a stranger are refused', async () => {
      const own = '❌ Anda hanya dapat melihat rekap client Anda sendiri (*POLRESXYZ*).';
      expect(await ask(`urutandivisi#${CLIENT}#SAT LANTAS`, OTHER_OPERATOR)).toBe(own);
      expect(await ask(`urutandivisi#${CLIENT}`, OTHER_OPERATOR)).toBe(own);
      expect(await ask(`urutandivisi#${CLIENT}#hapus`, OTHER_OPERATOR)).toBe(own);
      expect(await ask(`urutandivisi#${CLIENT}#SAT LANTAS`, MEMBER)).toBe(
        '❌ Perintah *urutandivisi* hanya dapat digunakan oleh admin atau operator.',
      );
      expect(await ask(`urutandivisi#${CLIENT}#SAT LANTAS`, STRANGER)).toMatch(/^🤖 Nomor WhatsApp Anda belum terdaftar di Cicero\./);
      expect(await stored()).toEqual([]);
    });
  });
});
