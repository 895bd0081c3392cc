/**
 * The admin client menu (`clientrequest`) as whole conversations: adding a client,
 * showing a card, changing settings, removing (or only deactivating) after the counts,
 * listing every client, approving and refusing dashboard accounts; bad answers asked
 * again; change_log rows as the short commands write them; every role but admin refused.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CONVERSATION_CANCELLED } from '../../src/bot/texts.js';
import * as m from '../../src/clients/menu-texts.js';
import * as text from '../../src/clients/texts.js';
import { ADMIN, CLIENT, createTestBot, GROUP, MEMBER, OPERATOR, STRANGER, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { changeLog, clientRow, OTHER_CLIENT, resetClients } from './fixture.js';

const PENDING = 'a0000000-0000-4000-8000-000000000001';
const REFUSED = 'a0000000-0000-4000-8000-000000000002';

describe(`the client menu (${backend})`, () => {
  const database = useTestDatabase();
  let bot: TestBot;

  beforeEach(async () => {
    await resetClients(database().db);
    bot = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const say = async (from: string, message: string) => (await bot.replies(from, message)).join('\n');
  const then = (said: string): string => `${said}\n\n${m.CLIENT_MENU}`;
  const log = async () => (await changeLog(database().db)).map((r) => [r.client_id, r.user_id, r.field, r.old_value, r.new_value, r.actor]);

  it('adds a client as addnewclient does: the ID and the name validated, the card, the menu again', async () => {
    expect(await say(ADMIN, 'clientrequest')).toBe(m.CLIENT_MENU);
    expect(m.CLIENT_MENU).toMatch(/^┏━━━ \*MENU CLIENT CICERO\* ━━━┓/);
    expect(await say(ADMIN, '9')).toBe(`${m.MENU_CHOICE}\n\n${m.CLIENT_MENU}`);
    expect(await say(ADMIN, '1')).toBe(m.ASK_NEW_ID);
    expect(await say(ADMIN, 'POLRES BARU')).toBe(`${text.BAD_ID}\n\n${m.ASK_NEW_ID}`);
    expect(await say(ADMIN, 'polresabc')).toBe(`${text.duplicateId(CLIENT)}\n\n${m.ASK_NEW_ID}`);
    expect(await say(ADMIN, 'polres_baru')).toBe(m.askNewName('POLRES_BARU'));
    expect(await say(ADMIN, '!!!')).toBe(`${text.BAD_NAME}\n\n${m.askNewName('POLRES_BARU')}`);
    const done = await say(ADMIN, 'POLRES  Baru # Timur');
    expect(done).toMatch(/^✅ Client baru ditambahkan/);
    expect(done).toContain('🏢 *Client* *POLRES_BARU*\nnama: POLRES Baru # Timur\nclient_type: -\nclient_status: ✅ aktif');
    expect(done.endsWith(`\n\n${m.CLIENT_MENU}`)).toBe(true);
    expect(await clientRow(database().db, 'POLRES_BARU')).toMatchObject({ nama: 'POLRES Baru # Timur', client_status: true, client_insta_status: false });
    expect(await log()).toEqual([
      ['POLRES_BARU', null, 'nama', null, 'POLRES Baru # Timur', ADMIN],
      ['POLRES_BARU', null, 'client_status', null, 'true', ADMIN],
      ['POLRES_BARU', null, 'client_insta_status', null, 'false', ADMIN],
      ['POLRES_BARU', null, 'client_tiktok_status', null, 'false', ADMIN],
      ['POLRES_BARU', null, 'client_amplify_status', null, 'false', ADMIN],
    ]);
    expect(await say(ADMIN, 'batal')).toBe(CONVERSATION_CANCELLED);
  });

  it('picks a client by number or ID, shows its card and lists every client with member counts', async () => {
    await say(ADMIN, 'clientrequest');
    const picker = await say(ADMIN, '2');
    expect(picker).toBe('*Pilih client*\nBalas angka pada daftar, atau ID client-nya:\n1. *POLRESABC* - POLRES ABC\n2. *POLRESXYZ* - POLRES XYZ');
    expect(await say(ADMIN, '3')).toBe(`${m.CLIENT_CHOICE}\n\n${picker}`);
    expect(await say(ADMIN, 'polresxyz')).toBe(m.clientActions(OTHER_CLIENT, 'POLRES XYZ'));
    expect(await say(ADMIN, '5')).toBe(`${m.ACTION_CHOICE}\n\n${m.clientActions(OTHER_CLIENT, 'POLRES XYZ')}`);
    expect(await say(ADMIN, '4')).toBe(m.CLIENT_MENU);
    await say(ADMIN, '2');
    expect(await say(ADMIN, '1')).toBe(m.clientActions(CLIENT, 'POLRES ABC'));
    const card = await say(ADMIN, '1');
    expect(card).toMatch(/^🏢 \*Client\* \*POLRESABC\*\nnama: POLRES ABC\n/);
    expect(card).toContain('Anggota: 1 aktif dari 1\nGrup terikat (2):');
    expect(card.endsWith(`\n\n${m.CLIENT_MENU}`)).toBe(true);
    const list = await say(ADMIN, '3');
    expect(list).toBe(
      then(
        [
          '🏢 *Daftar client* (2)',
          '• *POLRESABC* POLRES ABC: anggota 1 aktif / 1, grup 2',
          '• *POLRESXYZ* POLRES XYZ: anggota 0 aktif / 0, grup 1',
          '',
          'Rincian satu client: *clientinfo#<ID>*.',
        ].join('\n'),
      ),
    );
    expect(await log()).toEqual([]);
  });

  it('changes settings validated as updateclient validates them, with the card after and change_log rows', async () => {
    const abcSetting = async (pick: string) => {
      await say(ADMIN, '2');
      await say(ADMIN, '1');
      await say(ADMIN, '2');
      return say(ADMIN, pick);
    };
    await say(ADMIN, 'clientrequest');
    await say(ADMIN, '2');
    await say(ADMIN, '1');
    const fields = await say(ADMIN, '2');
    expect(fields).toBe(m.fieldMenu(CLIENT));
    expect(fields).toContain('4. client_insta (insta)\n');
    expect(await say(ADMIN, '11')).toBe(`${m.FIELD_CHOICE}\n\n${fields}`);
    expect(await say(ADMIN, 'warna')).toBe(`${m.FIELD_CHOICE}\n\n${fields}`);
    const ask = await say(ADMIN, 'insta');
    expect(ask).toBe('*client_insta* client *POLRESABC* sekarang: -\nKirim username Instagram client (mis. polres_abc) atau tautan profilnya, atau *-* untuk mengosongkan:');
    expect(await say(ADMIN, 'https://www.instagram.com/p/XYZ/')).toBe(`${text.badValue('client_insta', 'post-link')}\n\n${ask}`);
    const changed = await say(ADMIN, 'https://www.instagram.com/Polres.ABC/?igsh=x');
    expect(changed).toMatch(/^✅ \*client_insta\* diperbarui\.\n\n🏢 \*Client\* \*POLRESABC\*[\s\S]*client_insta: @polres\.abc\n/);
    expect(changed.endsWith(`\n\n${m.CLIENT_MENU}`)).toBe(true);

    // The operator's number: another client's operator is refused naming it, and asked again.
    const operator = await abcSetting('9');
    expect(operator).toMatch(/^\*client_operator\* client \*POLRESABC\* sekarang: 0812-0000-0002\n/);
    expect(await say(ADMIN, '0812 0000 0022')).toBe(`${text.operatorTaken(OTHER_CLIENT)}\n\n${operator}`);
    expect(await say(ADMIN, 'bukan nomor')).toBe(`${text.badValue('client_operator', 'number')}\n\n${operator}`);
    expect(await say(ADMIN, '+62 812-0000-0099')).toContain('client_operator: 6281200000099');

    // A flag: only aktif / nonaktif / true / false; the same value again changes nothing.
    const status = await abcSetting('status');
    expect(status).toBe('*client_status* client *POLRESABC* sekarang: aktif\nBalas *aktif* atau *nonaktif* (atau *true* / *false*):');
    expect(await say(ADMIN, 'mungkin')).toBe(`${text.badValue('client_status', 'flag')}\n\n${status}`);
    expect(await say(ADMIN, 'Nonaktif')).toMatch(/^✅ \*client_status\* diperbarui\.[\s\S]*client_status: ❌ nonaktif/);
    await abcSetting('3');
    expect(await say(ADMIN, 'false')).toMatch(/^ℹ️ \*client_status\* sudah bernilai itu; tidak ada yang berubah\./);

    expect(await clientRow(database().db, CLIENT)).toMatchObject({ client_insta: 'polres.abc', client_operator: '6281200000099', client_status: false });
    expect(await log()).toEqual([
      [CLIENT, null, 'client_insta', null, 'polres.abc', ADMIN],
      [CLIENT, null, 'client_operator', '0812-0000-0002', '6281200000099', ADMIN],
      [CLIENT, null, 'client_status', 'true', 'false', ADMIN],
    ]);
  });

  it('removes a client only on ya, after the counts; nonaktif deactivates; tidak keeps it', async () => {
    const db = database().db;
    await say(ADMIN, 'clientrequest');
    await say(ADMIN, '2');
    await say(ADMIN, '1');
    const question = await say(ADMIN, '3');
    expect(question).toMatch(/^⚠️ Hapus client \*POLRESABC\* \(POLRES ABC\)\?\n/);
    expect(question).toContain('• 1 anggota (1 aktif)\n');
    expect(question).toContain('• ikatan 2 grup\n');
    expect(await say(ADMIN, 'mungkin')).toBe(`${text.REMOVAL_ANSWERS}\n\n${question}`);
    expect(await say(ADMIN, 'tidak')).toBe(then(text.removalKept(CLIENT)));
    expect(await clientRow(db, CLIENT)).toBeDefined();

    await say(ADMIN, '2');
    await say(ADMIN, '1');
    await say(ADMIN, '3');
    expect(await say(ADMIN, 'nonaktif')).toMatch(/^✅ Client dinonaktifkan; datanya tetap tersimpan\.[\s\S]*client_status: ❌ nonaktif/);
    expect(await clientRow(db, CLIENT)).toMatchObject({ client_status: false });

    await say(ADMIN, '2');
    await say(ADMIN, '1');
    await say(ADMIN, '3');
    expect(await say(ADMIN, 'ya')).toBe(then('🗑️ Client *POLRESABC* dihapus, bersama 1 anggota, 0 konten dan 0 laporan link.'));
    expect(await clientRow(db, CLIENT)).toBeUndefined();
    expect(await clientRow(db, OTHER_CLIENT)).toBeDefined();
    // Only the other client is left to pick.
    expect(await say(ADMIN, '2')).toBe('*Pilih client*\nBalas angka pada daftar, atau ID client-nya:\n1. *POLRESXYZ* - POLRES XYZ');

    const rows = await log();
    expect(rows[0]).toEqual([CLIENT, null, 'client_status', 'true', 'false', ADMIN]);
    // The removal: one row per setting the client had, its new value empty.
    expect(rows.slice(1)).toContainEqual([CLIENT, null, 'nama', 'POLRES ABC', null, ADMIN]);
    expect(rows.slice(1)).toContainEqual([CLIENT, null, 'client_status', 'false', null, ADMIN]);
    expect(rows.slice(1).every((r) => r[4] === null)).toBe(true);
  });

  it('a client removed while the list is shown is said to be gone; with no client at all, picking says so', async () => {
    const db = database().db;
    await say(ADMIN, 'clientrequest');
    await say(ADMIN, '2');
    await db.query(`DELETE FROM clients WHERE client_id = $1`, [OTHER_CLIENT]);
    expect(await say(ADMIN, '2')).toBe(then(text.clientGone(OTHER_CLIENT)));
    await db.query(`DELETE FROM "user"`);
    await db.query(`DELETE FROM clients`);
    expect(await say(ADMIN, '2')).toBe(`${m.NO_CLIENTS}\n\n${m.CLIENT_MENU}`);
    expect(await say(ADMIN, '3')).toBe(then('🏢 Belum ada client. Tambahkan dengan *addnewclient#<ID>#<nama>*.'));
  });

  it('lists dashboard accounts waiting for approval, then approves or refuses one', async () => {
    const db = database().db;
    await say(ADMIN, 'clientrequest');
    expect(await say(ADMIN, '4')).toBe(then(m.NO_PENDING));
    await db.query(
      `INSERT INTO dashboard_user (user_id, username, password_hash, role, status, client_id, created_at) VALUES
         ($1, 'ops.abc', 'x', 'operator', false, $3, '2026-11-01'),
         ($2, 'ops.lama', 'x', 'operator', false, NULL, '2026-11-02'),
         ('a0000000-0000-4000-8000-000000000003', 'ops.aktif', 'x', 'operator', true, $3, '2026-11-03')`,
      [PENDING, REFUSED, CLIENT],
    );
    const list = await say(ADMIN, '4');
    expect(list).toBe(
      '*Akun dashboard menunggu persetujuan* (2)\nBalas angka untuk memilih akun:\n1. *ops.abc* — operator, client POLRESABC\n2. *ops.lama* — operator, client -',
    );
    expect(await say(ADMIN, '3')).toBe(`${m.ACCOUNT_CHOICE}\n\n${list}`);
    const decide = await say(ADMIN, '1');
    expect(decide).toBe(m.askDecision({ username: 'ops.abc', role: 'operator', clientId: CLIENT }));
    expect(await say(ADMIN, 'mungkin')).toBe(`${m.DECISION_CHOICE}\n\n${decide}`);
    expect(await say(ADMIN, 'setujui')).toBe(then('✅ Akun dashboard *ops.abc* disetujui dan dapat login.'));
    expect(await say(ADMIN, '4')).toBe(
      '*Akun dashboard menunggu persetujuan* (1)\nBalas angka untuk memilih akun:\n1. *ops.lama* — operator, client -',
    );
    await say(ADMIN, '1');
    expect(await say(ADMIN, '2')).toBe(then('ℹ️ Akun dashboard *ops.lama* memang sudah ditolak (nonaktif).'));
    const { rows } = await db.query<{ user_id: string; status: boolean }>('SELECT user_id, status FROM dashboard_user ORDER BY user_id');
    expect(rows.map((r) => [r.user_id, r.status])).toEqual([
      [PENDING, true],
      [REFUSED, false],
      ['a0000000-0000-4000-8000-000000000003', true],
    ]);
    expect(await log()).toEqual([[CLIENT, PENDING, 'dashboard_user.status', 'false', 'true', ADMIN]]);
  });

  it('refuses operators, members, unknown numbers, and any use in a group', async () => {
    expect(await say(OPERATOR, 'clientrequest')).toBe('❌ Perintah *clientrequest* hanya dapat digunakan oleh admin.');
    expect(await say(MEMBER, 'clientrequest')).toBe('❌ Perintah *clientrequest* hanya dapat digunakan oleh admin.');
    expect(await say(STRANGER, 'clientrequest')).toMatch(/^🤖 Nomor WhatsApp Anda belum terdaftar di Cicero\./);
    const inGroup = (await bot.say(ADMIN, 'clientrequest', { group: GROUP })).map((s) => s.text);
    expect(inGroup).toEqual(['❌ Perintah *clientrequest* hanya dapat digunakan melalui chat pribadi dengan nomor bot.']);
    // Nobody but the admin is in a menu: a number is not an answer.
    expect(await say(OPERATOR, '1')).not.toBe(m.ASK_NEW_ID);
    expect(await log()).toEqual([]);
  });

  it('ends the menu when its sender is no longer an admin', async () => {
    await say(ADMIN, 'clientrequest');
    await say(ADMIN, '2');
    await say(ADMIN, '1');
    await say(ADMIN, '3');
    // The same database, restarted with another admin list: the menu is still stored.
    const demoted = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000', ADMIN_WHATSAPP: '6281100000099' } });
    expect(await demoted.replies(ADMIN, 'ya')).toEqual([m.ADMIN_ONLY]);
    expect(await clientRow(database().db, CLIENT)).toBeDefined();
    expect(await log()).toEqual([]);
  });
});
