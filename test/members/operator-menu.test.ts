/**
 * The operator menu (`oprrequest`) as whole conversations: an operator adds a member
 * (rank and division picked from the client's lists), changes a field, deactivates,
 * marks an exception, releases a number after seeing the card, finds by name, lists
 * exceptions; an admin picks the client first; another client's member is not found;
 * bad answers are asked again; `batal` leaves; members and unknown numbers are refused.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CONVERSATION_CANCELLED } from '../../src/bot/texts.js';
import * as t from '../../src/members/manage-texts.js';
import { ADMIN, CLIENT, createTestBot, MEMBER, OPERATOR, STRANGER, seedChatFixture, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`the operator menu (${backend})`, () => {
  const database = useTestDatabase();
  let bot: TestBot;

  beforeEach(async () => {
    const { db } = database();
    for (const table of ['change_log', '"user"', 'conversation']) await db.query(`DELETE FROM ${table}`);
    await seedChatFixture(db);
    await db.query(`INSERT INTO clients (client_id, nama) VALUES ('POLRESXYZ', 'POLRES XYZ') ON CONFLICT (client_id) DO NOTHING`);
    await db.query(
      `INSERT INTO "user" (user_id, nama, title, divisi, client_id, whatsapp, exception) VALUES
         ('75070207', 'SITI AMINAH', 'BRIPKA', 'SAT LANTAS', $1, '6281300000077', false),
         ('80010001', 'DEDI XYZ', 'BRIPTU', 'SAT SAMAPTA', 'POLRESXYZ', NULL, false)`,
      [CLIENT],
    );
    bot = await createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const say = async (from: string, text: string) => (await bot.replies(from, text)).join('\n');
  const row = async (nrp: string) => (await database().db.query('SELECT nama, title, divisi, jabatan, status, exception, whatsapp, client_id FROM "user" WHERE user_id = $1', [nrp])).rows[0];

  it('an operator adds a member, picking rank and division from the client\'s lists, and comes back to the menu', async () => {
    expect(await say(OPERATOR, 'oprrequest')).toBe(t.operatorMenu(CLIENT));
    expect(await say(OPERATOR, '9')).toBe(`${t.MENU_CHOICE}\n\n${t.operatorMenu(CLIENT)}`);
    expect(await say(OPERATOR, '1')).toBe(t.ASK_NEW_NRP);
    expect(await say(OPERATOR, 'abc')).toMatch(/^❌ Itu bukan NRP\/NIP/);
    expect(await say(OPERATOR, '7654321')).toBe(t.ASK_NAME);
    const ranks = await say(OPERATOR, 'ani   wijaya');
    expect(ranks).toMatch(/^Pilih pangkat \(balas angkanya\), atau ketik pangkat baru:\n1\. AIPTU\n2\. BRIPKA$/);
    const divisions = await say(OPERATOR, '2');
    expect(divisions).toMatch(/^Pilih satfung/);
    expect(divisions).toContain('BAG OPS');
    expect(await say(OPERATOR, 'sat intelkam')).toBe(t.ASK_POSITION);
    const done = await say(OPERATOR, '-');
    expect(done).toMatch(/^✅ \*Anggota baru berhasil ditambahkan:\*/);
    expect(done).toContain('👤 *BRIPKA ANI WIJAYA*');
    expect(done.endsWith(t.operatorMenu(CLIENT))).toBe(true);
    expect(await row('07654321')).toMatchObject({ nama: 'ANI WIJAYA', title: 'BRIPKA', divisi: 'SAT INTELKAM', jabatan: null, client_id: CLIENT });
    expect(await say(OPERATOR, 'batal')).toBe(CONVERSATION_CANCELLED);
  });

  it('changes a field, deactivates, marks an exception and releases a number after showing the card', async () => {
    await say(OPERATOR, 'oprrequest');
    await say(OPERATOR, '2');
    expect(await say(OPERATOR, '80010001')).toBe(`❌ Anggota dengan NRP/NIP *80010001* tidak ditemukan di client Anda.\n\n${t.ASK_MEMBER_NRP}`);
    expect(await say(OPERATOR, '75070207')).toBe(t.FIELD_MENU_OPR);
    expect(await say(OPERATOR, '6')).toBe(t.askValue('insta'));
    expect(await say(OPERATOR, 'https://www.instagram.com/p/XYZ/')).toMatch(/^❌ Itu link postingan\/video/);
    const changed = await say(OPERATOR, 'https://www.instagram.com/Siti.Aminah/');
    expect(changed).toMatch(/^✅ Instagram untuk NRP\/NIP \*75070207\* berhasil diubah\./);
    expect(changed.endsWith(t.operatorMenu(CLIENT))).toBe(true);

    await say(OPERATOR, '3');
    const shown = await say(OPERATOR, '75070207');
    expect(shown).toContain('👤 *BRIPKA SITI AMINAH*');
    expect(shown.endsWith(t.ASK_STATUS)).toBe(true);
    expect(await say(OPERATOR, 'mungkin')).toMatch(new RegExp(`^${t.ASK_STATUS.replace(/[*.]/g, '\\$&')}`));
    expect(await say(OPERATOR, 'nonaktif')).toContain('Status: 🔴 NONAKTIF');

    await say(OPERATOR, '4');
    await say(OPERATOR, '75070207');
    expect(await say(OPERATOR, 'ya')).toContain('Exception: ya');

    await say(OPERATOR, '2');
    await say(OPERATOR, '75070207');
    const confirm = await say(OPERATOR, '8');
    expect(confirm).toContain('WhatsApp: 6281300000077');
    expect(confirm.endsWith(t.ASK_RELEASE)).toBe(true);
    expect(await say(OPERATOR, 'ya')).toContain('WhatsApp: belum terhubung');
    expect(await row('75070207')).toMatchObject({ status: false, exception: true, whatsapp: null });
    const { rows } = await database().db.query<{ field: string }>(`SELECT field FROM change_log WHERE user_id = '75070207' ORDER BY id`);
    expect(rows.map((r) => r.field)).toEqual(['insta', 'status', 'exception', 'whatsapp']);
  });

  it('finds members by name fragment or NRP and lists the exceptions', async () => {
    await say(OPERATOR, 'oprrequest');
    await say(OPERATOR, '5');
    const list = await say(OPERATOR, 'ami');
    expect(list).toMatch(/^🔎 \*1 anggota\* dengan nama mengandung \*ami\*:\n1\. BRIPKA SITI AMINAH \(75070207\)/);
    await say(OPERATOR, '5');
    expect(await say(OPERATOR, 'xyz')).toMatch(/^❌ Tidak ada anggota client ini dengan nama mengandung \*xyz\*/);
    await say(OPERATOR, '5');
    expect(await say(OPERATOR, '80010001')).toMatch(/^❌ Anggota dengan NRP\/NIP \*80010001\* tidak ditemukan/);
    await say(OPERATOR, '75070207');
    expect(await say(OPERATOR, '6')).toMatch(/^ℹ️ Tidak ada anggota exception di client \*POLRESABC\*/);
    // The recaps, as their commands send them, then the menu again.
    const registration = await bot.replies(OPERATOR, '7');
    expect(registration[0]).toMatch(/^📋 \*Absensi Registrasi\*/);
    expect(registration.at(-1)).toBe(t.operatorMenu(CLIENT));
    const links = await bot.replies(OPERATOR, '8');
    expect(links[0]).toMatch(/^Tidak ada konten Instagram untuk/);
    expect(links.at(-1)).toBe(t.operatorMenu(CLIENT));
  });

  it('an admin picks the client first, then manages that client only; members and unknown numbers are refused', async () => {
    const picker = await say(ADMIN, 'oprrequest');
    expect(picker).toBe('*Daftar Client*\nBalas angka untuk pilih client:\n1. *POLRESABC* - POLRES ABC\n2. *POLRESXYZ* - POLRES XYZ');
    expect(await say(ADMIN, '7')).toMatch(/^❌ Pilihan tidak dikenali/);
    expect(await say(ADMIN, 'polresxyz')).toBe(t.operatorMenu('POLRESXYZ'));
    await say(ADMIN, '1');
    await say(ADMIN, '75070208');
    await say(ADMIN, 'BUDI XYZ');
    await say(ADMIN, 'BRIPDA');
    await say(ADMIN, 'SAT SABHARA');
    await say(ADMIN, 'BANIT');
    expect(await row('75070208')).toMatchObject({ client_id: 'POLRESXYZ', jabatan: 'BANIT' });
    await say(ADMIN, '2');
    expect(await say(ADMIN, '75070207')).toMatch(/tidak ditemukan di client Anda/);
    expect(await say(MEMBER, 'oprrequest')).toMatch(/^❌ Perintah \*oprrequest\* hanya dapat digunakan oleh admin atau operator\./);
    expect(await say(STRANGER, 'oprrequest')).not.toMatch(/MENU OPERATOR/);
  });
});
