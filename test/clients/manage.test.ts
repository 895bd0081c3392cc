import { beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, CLIENT, createTestBot, MEMBER, OPERATOR, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { changeLog, clientRow, OTHER_CLIENT, OTHER_OPERATOR, resetClients } from './fixture.js';

describe(`addnewclient, updateclient, clientinfo (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;

  beforeEach(async () => {
    await resetClients(database().db);
    t = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const one = async (from: string, text: string): Promise<string> => {
    const replies = await t.replies(from, text);
    expect(replies).toHaveLength(1);
    return replies[0]!;
  };

  it('adds a client: id upper-cased, active, platforms off; the card; one change_log row per set column', async () => {
    const reply = await one(ADMIN, 'addnewclient#polres_baru#POLRES  Baru # Timur');
    expect(reply).toMatch(/^✅ Client baru ditambahkan/);
    expect(reply).toContain('🏢 *Client* *POLRES_BARU*\nnama: POLRES Baru # Timur\nclient_type: -\nclient_status: ✅ aktif');
    expect(reply).toContain('client_insta_status: ❌ nonaktif');
    expect(reply).toContain('Anggota: 0 aktif dari 0\nGrup terikat: -');
    expect(await clientRow(database().db, 'POLRES_BARU')).toMatchObject({
      nama: 'POLRES Baru # Timur',
      client_status: true,
      client_insta_status: false,
      client_tiktok_status: false,
      client_amplify_status: false,
    });
    const log = await changeLog(database().db);
    expect(log.map((r) => [r.field, r.old_value, r.new_value])).toEqual([
      ['nama', null, 'POLRES Baru # Timur'],
      ['client_status', null, 'true'],
      ['client_insta_status', null, 'false'],
      ['client_tiktok_status', null, 'false'],
      ['client_amplify_status', null, 'false'],
    ]);
    expect(log[0]).toMatchObject({ source: 'whatsapp', actor: ADMIN, actor_role: 'admin', client_id: 'POLRES_BARU', user_id: null });
  });

  it('refuses a duplicate id (any case), a malformed id, an empty name, and every role but admin', async () => {
    expect(await one(ADMIN, 'addnewclient#polresabc#Lagi')).toBe('❌ Client *POLRESABC* sudah ada. Lihat dengan *clientinfo#POLRESABC*.');
    expect(await one(ADMIN, 'addnewclient#POLRES ABC#X')).toMatch(/^❌ ID client hanya boleh berisi huruf, angka dan garis bawah/);
    expect(await one(ADMIN, `addnewclient#${'A'.repeat(31)}#X`)).toMatch(/^❌ ID client/);
    expect(await one(ADMIN, 'addnewclient#POLRESNEW#   ')).toMatch(/^⚠️ Format perintah salah/); // a blank last argument is no argument
    expect(await one(OPERATOR, 'addnewclient#POLRESNEW#X')).toBe('❌ Perintah *addnewclient* hanya dapat digunakan oleh admin.');
    expect(await one(MEMBER, 'addnewclient#POLRESNEW#X')).toBe('❌ Perintah *addnewclient* hanya dapat digunakan oleh admin.');
    expect(await clientRow(database().db, 'POLRESNEW')).toBeUndefined();
    expect(await changeLog(database().db)).toEqual([]);
  });

  it('updates each kind of setting in its stored form, answering with the changed card', async () => {
    const db = database().db;
    expect(await one(ADMIN, 'updateclient#polresabc#insta#https://www.instagram.com/Polres.ABC/?igsh=x')).toMatch(
      /^✅ \*client_insta\* diperbarui\.\n\n🏢 \*Client\* \*POLRESABC\*[\s\S]*client_insta: @polres\.abc\n/,
    );
    await one(ADMIN, 'updateclient#POLRESABC#tiktok#@Polres_ABC');
    await one(ADMIN, 'updateclient#POLRESABC#client_insta_status#AKTIF');
    await one(ADMIN, 'updateclient#POLRESABC#client_amplify_status#true');
    await one(ADMIN, 'updateclient#POLRESABC#operator#+62 812-0000-0099');
    await one(ADMIN, 'updateclient#POLRESABC#super#0813 1111 2222');
    await one(ADMIN, 'updateclient#POLRESABC#client_type#org');
    expect(await one(ADMIN, 'updateclient#POLRESABC#nama#Polres ABC #1')).toContain('nama: Polres ABC #1');
    expect(await one(ADMIN, 'updateclient#POLRESABC#status#Nonaktif')).toContain('client_status: ❌ nonaktif');
    expect(await clientRow(db, CLIENT)).toMatchObject({
      nama: 'Polres ABC #1',
      client_type: 'ORG',
      client_status: false,
      client_insta: 'polres.abc',
      client_insta_status: true,
      client_tiktok: 'polres_abc',
      client_amplify_status: true,
      client_operator: '6281200000099',
      client_super: '6281311112222',
    });
    const log = await changeLog(db);
    // client_insta_status was already true: no row for it.
    expect(log.map((r) => r.field)).toEqual(['client_insta', 'client_tiktok', 'client_operator', 'client_super', 'client_type', 'nama', 'client_status']);
    expect(log.find((r) => r.field === 'client_operator')).toMatchObject({ old_value: '0812-0000-0002', new_value: '6281200000099', user_id: null });
    // The new number is the operator now, the old one no longer.
    expect(await one('6281200000099', 'whoami')).toMatch(/Peran: \*operator\*\nClient: \*POLRESABC\*/);
    expect(await one(OPERATOR, 'whoami')).not.toMatch(/Peran: \*operator\*/);
  });

  it('clears an optional setting with -, and says when nothing changed (no change_log row)', async () => {
    await one(ADMIN, 'updateclient#POLRESABC#insta#polres_abc');
    expect(await one(ADMIN, 'updateclient#POLRESABC#insta#@POLRES_ABC')).toMatch(/^ℹ️ \*client_insta\* sudah bernilai itu/);
    expect(await one(ADMIN, 'updateclient#POLRESABC#insta#-')).toContain('client_insta: -');
    expect((await changeLog(database().db)).map((r) => [r.old_value, r.new_value])).toEqual([
      [null, 'polres_abc'],
      ['polres_abc', null],
    ]);
  });

  it('refuses an unknown client, an unknown key (listing the keys) and malformed values (saying what is allowed)', async () => {
    expect(await one(ADMIN, 'updateclient#NOPE#insta#x')).toBe(`❌ Client *NOPE* tidak dikenal.\nClient yang terdaftar: ${CLIENT}, ${OTHER_CLIENT}`);
    const key = await one(ADMIN, 'updateclient#POLRESABC#warna#merah');
    expect(key).toMatch(/^❌ Kunci \*warna\* tidak dikenal\.\nKunci yang bisa diubah: nama, client_type, client_status, client_insta,/);
    expect(key).toContain('insta (= client_insta)');
    expect(await one(ADMIN, 'updateclient#POLRESABC#status#ya')).toBe(
      '❌ Nilai untuk *client_status* tidak valid. Nilai yang diterima: *true*, *false*, *aktif* atau *nonaktif*.',
    );
    expect(await one(ADMIN, 'updateclient#POLRESABC#insta#https://www.instagram.com/p/ABC123/')).toMatch(/^❌ Nilai untuk \*client_insta\* tidak valid\. Itu tautan postingan/);
    expect(await one(ADMIN, 'updateclient#POLRESABC#tiktok#https://www.instagram.com/polres')).toMatch(/Itu tautan platform lain/);
    expect(await one(ADMIN, 'updateclient#POLRESABC#insta#bukan handle!')).toMatch(/Kirim username/);
    expect(await one(ADMIN, 'updateclient#POLRESABC#operator#12ab')).toMatch(/^❌ Nilai untuk \*client_operator\* tidak valid\. Kirim satu nomor WhatsApp/);
    expect(await one(ADMIN, 'updateclient#POLRESABC#operator#0812-1,0813-2')).toMatch(/Kirim satu nomor WhatsApp/);
    expect(await one(ADMIN, 'updateclient#POLRESABC#nama#-')).toMatch(/^❌ Nilai untuk \*nama\* tidak valid/);
    expect(await one(ADMIN, 'updateclient#POLRESABC#client_type#!!')).toMatch(/^❌ Nilai untuk \*client_type\* tidak valid/);
    expect(await one(ADMIN, 'updateclient#POLRESABC#insta')).toMatch(/^⚠️ Format perintah salah\.\nFormat: \*updateclient#<ID>#<kunci>#<nilai>\*/);
    expect(await one(ADMIN, `updateclient#POLRESABC#operator#${OTHER_OPERATOR}`)).toMatch(/^❌ Nomor itu sudah menjadi operator client \*POLRESXYZ\*/);
    expect(await one(OPERATOR, 'updateclient#POLRESABC#insta#x')).toBe('❌ Perintah *updateclient* hanya dapat digunakan oleh admin.');
    expect(await changeLog(database().db)).toEqual([]);
  });

  it('names of object properties are neither keys nor flags', async () => {
    expect((await t.replies(ADMIN, 'updateclient#POLRESABC#constructor#x'))[0]).toMatch(/^❌/);
    expect((await t.replies(ADMIN, 'updateclient#POLRESABC#__proto__#x'))[0]).not.toMatch(/object Object|Maaf, terjadi kesalahan/);
    expect((await t.replies(ADMIN, 'updateclient#POLRESABC#status#constructor'))[0]).toMatch(/^❌/);
  });

  it('clientinfo: one client with members and bound groups; without an id every client with member counts', async () => {
    const db = database().db;
    await db.query(`INSERT INTO "user" (user_id, nama, client_id, status) VALUES ('75070300', 'X', $1, false), ('75070301', 'Y', $1, true)`, [CLIENT]);
    // WhatsApp names the first group (the memory transport stands in for it); the second it does not.
    t.transport.groupNames.set('120363111111111111@g.us', 'Grup Rekap Polres ABC');
    const card = await one(ADMIN, 'clientinfo#polresabc');
    expect(card).toMatch(/^🏢 \*Client\* \*POLRESABC\*\nnama: POLRES ABC\n/);
    expect(card).toContain('client_operator: 0812-0000-0002');
    expect(card).toContain(
      'Anggota: 2 aktif dari 3\nGrup terikat (2):\n• 120363111111111111@g.us (Grup Rekap Polres ABC)\n• 120363222222222222@g.us',
    );
    expect(await one(ADMIN, 'clientinfo')).toBe(
      [
        '🏢 *Daftar client* (2)',
        '• *POLRESABC* POLRES ABC: anggota 2 aktif / 3, grup 2',
        '• *POLRESXYZ* POLRES XYZ: anggota 0 aktif / 0, grup 1',
        '',
        'Rincian satu client: *clientinfo#<ID>*.',
      ].join('\n'),
    );
    expect(await one(ADMIN, 'clientinfo#NOPE')).toMatch(/^❌ Client \*NOPE\* tidak dikenal\./);
    expect(await one(OPERATOR, 'clientinfo')).toBe('❌ Perintah *clientinfo* hanya dapat digunakan oleh admin.');
  });

  it('help lists the client commands to admins only', async () => {
    const admin = (await t.replies(ADMIN, 'help')).join('\n');
    for (const name of ['addnewclient', 'updateclient', 'clientinfo', 'removeclient', 'approvedash', 'denydash', 'thisgroup', 'unbindgroup']) {
      expect(admin).toContain(`*${name}*`);
    }
    const operator = (await t.replies(OPERATOR, 'help')).join('\n');
    expect(operator).toContain('*thisgroup*');
    expect(operator).not.toContain('*addnewclient*');
  });
});
