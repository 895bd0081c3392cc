import { beforeEach, describe, expect, it } from 'vitest';
import { unknownTextHint } from '../../src/bot/texts.js';
import { CONVERSATION_CANCELLED } from '../../src/bot/texts.js';
import { bindNumber, NrpLookupLimit } from '../../src/members/binding.js';
import { setHandle } from '../../src/members/profile.js';
import * as text from '../../src/members/texts.js';
import { CLIENT, createTestBot, dm, GROUP, MEMBER, OPERATOR, seedChatFixture, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const NEW = '6281900000011';
const OTHER = '6281900000012';
const LID = '222222222222222@lid';
const ACTOR = { source: 'whatsapp', id: NEW, role: 'member' } as const;

describe(`member registration by chat (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;

  beforeEach(async () => {
    const { db } = database();
    await db.query('DELETE FROM "user"');
    await db.query('DELETE FROM login_log');
    await db.query('DELETE FROM nrp_lookup');
    await db.query('DELETE FROM change_log');
    await db.query('DELETE FROM conversation');
    await seedChatFixture(db);
    await db.query(
      `INSERT INTO "user" (user_id, nama, title, divisi, jabatan, insta, tiktok, client_id, status) VALUES
         ('75070207', 'SITI AMINAH', 'BRIPKA', 'SAT LANTAS', 'BANIT', NULL, NULL, $1, true),
         ('75070208', 'JOKO', 'BRIPTU', 'SAT SAMAPTA', NULL, NULL, NULL, $1, false),
         ('75070209', 'ANI', 'BRIGPOL', 'SAT RESKRIM', NULL, 'instagram.com/ani.taken?igsh=1', '@ani.tt', $1, true)`,
      [CLIENT],
    );
    t = await createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const userRow = async (nrp: string) =>
    (await database().db.query<{ whatsapp: string | null; insta: string | null; tiktok: string | null; nama: string; title: string; divisi: string }>(
      'SELECT whatsapp, insta, tiktok, nama, title, divisi FROM "user" WHERE user_id = $1',
      [nrp],
    )).rows[0]!;
  const logins = async () =>
    (await database().db.query<{ actor_id: string; login_type: string; login_source: string }>(
      'SELECT actor_id, login_type, login_source FROM login_log ORDER BY log_id',
    )).rows;

  it('offers registration to an unknown number, then binds with daftar#<NRP> and ya: card, one login_log row', async () => {
    expect(await t.replies(NEW, 'halo')).toEqual([unknownTextHint('unknown')]);
    expect(unknownTextHint('unknown')).toMatch(/userrequest/);
    const [question] = await t.replies(NEW, 'daftar#75070207');
    expect(question).toBe(text.confirmBinding({ userId: '75070207', nama: 'SITI AMINAH', title: 'BRIPKA', divisi: 'SAT LANTAS' }));
    expect(question).toMatch(/\*BRIPKA SITI AMINAH\* \(SAT LANTAS\)/);
    expect(question).not.toMatch(/BANIT|6281|@/); // only name, rank and division before binding
    expect(await logins()).toEqual([]);
    const [done] = await t.replies(NEW, 'ya');
    expect(done).toMatch(/^✅ Nomor WhatsApp ini telah terhubung dengan NRP\/NIP \*75070207\*\./);
    expect(done).toMatch(/👤 \*Identitas Anda\*\nNama: SITI AMINAH\nPangkat: BRIPKA\nNRP\/NIP: 75070207\nSatfung: SAT LANTAS\nJabatan: BANIT/);
    expect((await userRow('75070207')).whatsapp).toBe(NEW);
    expect(await logins()).toEqual([{ actor_id: '75070207', login_type: 'user', login_source: 'whatsapp' }]);
    // Recognised as that member from now on.
    expect((await t.replies(NEW, 'whoami'))[0]).toMatch(/75070207/);
  });

  it('a member\'s own changes are in change_log: binding, handles, own data, release', async () => {
    await t.say(NEW, 'daftar#75070207');
    await t.say(NEW, 'ya');
    await t.say(NEW, 'insta#https://www.instagram.com/siti.baru/');
    await t.say(NEW, 'userrequest');
    await t.say(NEW, '2');
    await t.say(NEW, '4');
    await t.say(NEW, 'banit lantas');
    await t.say(NEW, 'lepas');
    await t.say(NEW, 'ya');
    const { rows } = await database().db.query(
      `SELECT actor, actor_role, source, client_id, user_id, field, old_value, new_value FROM change_log WHERE user_id = '75070207' ORDER BY id`,
    );
    const row = (field: string, old_value: string | null, new_value: string | null, actor_role = 'member') =>
      ({ actor: NEW, actor_role, source: 'whatsapp', client_id: CLIENT, user_id: '75070207', field, old_value, new_value });
    expect(rows).toEqual([
      row('whatsapp', null, NEW, 'unknown'),
      row('insta', null, 'siti.baru'),
      row('jabatan', 'BANIT', 'BANIT LANTAS'),
      row('whatsapp', NEW, null),
    ]);
  });

  it('binds through the userrequest menu; tidak binds nothing; batal ends any step', async () => {
    expect(await t.replies(NEW, 'userrequest')).toEqual([text.ASK_NRP]);
    expect(await t.replies(NEW, 'abc')).toEqual([`${text.MALFORMED_NRP}\n\n${text.ASK_NRP}`]);
    expect(await t.replies(NEW, '1234567890123456789')).toEqual([`${text.MALFORMED_NRP}\n\n${text.ASK_NRP}`]);
    expect(await t.replies(NEW, '99999999')).toEqual([`${text.unknownNrp('99999999')}\n\n${text.ASK_NRP}`]);
    expect((await t.replies(NEW, '75070207'))[0]).toMatch(/^NRP\/NIP \*75070207\* ditemukan/);
    expect(await t.replies(NEW, 'mungkin')).toEqual([`${text.YES_OR_NO}\n\n${text.confirmBinding({ userId: '75070207', nama: 'SITI AMINAH', title: 'BRIPKA', divisi: 'SAT LANTAS' })}`]);
    expect(await t.replies(NEW, 'tidak')).toEqual([text.BINDING_DECLINED]);
    expect((await userRow('75070207')).whatsapp).toBeNull();

    await t.say(NEW, 'userrequest');
    expect(await t.replies(NEW, 'batal')).toEqual([CONVERSATION_CANCELLED]);
    await t.say(NEW, 'userrequest');
    await t.say(NEW, '75070207');
    expect(await t.replies(NEW, 'batal')).toEqual([CONVERSATION_CANCELLED]);
    expect((await userRow('75070207')).whatsapp).toBeNull();
    await t.say(NEW, 'userrequest');
    await t.say(NEW, '75070207');
    expect((await t.replies(NEW, 'YA'))[0]).toMatch(/^✅ Nomor WhatsApp ini telah terhubung/);
    expect(await logins()).toHaveLength(1);
  });

  it('refuses an NRP bound to another number, naming the operator, and tells the operator who tried', async () => {
    const sent = await t.say(NEW, 'daftar#75070206');
    const reply = sent.find((m) => m.chatId === dm(NEW))!;
    expect(reply.text).toMatch(/^❌ NRP ini sudah terhubung dengan nomor lain; hubungi operator Cicero \*POLRES ABC\* \(https:\/\/wa\.me\/6281200000002\)/);
    expect(reply.text).not.toContain(MEMBER);
    const notice = sent.find((m) => m.chatId === dm(OPERATOR));
    expect(notice?.text).toMatch(/Percobaan menghubungkan NRP yang sudah terdaftar/);
    expect(notice?.text).toContain(`nomor ${NEW}`);
    expect(notice?.text).toContain('75070206');
    expect((await userRow('75070206')).whatsapp).toBe(MEMBER);
    expect(await logins()).toEqual([]);
  });

  it('refuses a number already bound to another NRP, and an inactive member', async () => {
    expect(await t.replies(MEMBER, 'daftar#75070207')).toEqual([text.numberTaken('75070206')]);
    expect(await t.replies(MEMBER, 'userrequest')).toEqual([text.USER_MENU]); // a bound member gets the menu
    await t.say(MEMBER, 'batal');
    expect(await t.replies(NEW, 'daftar#75070208')).toEqual([text.inactiveMember('75070208')]);
    expect((await userRow('75070208')).whatsapp).toBeNull();
    expect(await logins()).toEqual([]);
  });

  it('limits NRP look-ups by an unbound number, and says when it may try again', async () => {
    for (const nrp of ['11111111', '22222222', '33333333', '44444444', '55555555']) {
      expect(await t.replies(NEW, `daftar#${nrp}`)).toEqual([text.unknownNrp(nrp)]);
    }
    // The clock is 03:00 UTC = 10.00 WIB; the first look-up leaves the hour at 11.00.00 WIB.
    expect(await t.replies(NEW, 'daftar#75070207')).toEqual([text.lookupLimit(5, new Date('2026-11-25T04:00:00Z'), 'Asia/Jakarta')]);
    expect(text.lookupLimit(5, new Date('2026-11-25T04:00:00Z'), 'Asia/Jakarta')).toContain('11.00.00 WIB');
    // A malformed NRP is not a look-up, and another number has its own count.
    expect(await t.replies(OTHER, 'daftar#75070207')).toHaveLength(1);
    t.clock.now = new Date('2026-11-25T03:59:59Z');
    expect((await t.replies(NEW, 'daftar#75070207'))[0]).toMatch(/^⏳/);
    t.clock.now = new Date('2026-11-25T04:00:01Z');
    expect((await t.replies(NEW, 'daftar#75070207'))[0]).toMatch(/^NRP\/NIP \*75070207\* ditemukan/);
  });

  it('binds a LID sender by the number WhatsApp revealed, and refuses one without a number', async () => {
    expect(await t.replies(LID, 'daftar#75070207')).toEqual([text.NO_PHONE]);
    expect(await t.replies(LID, 'userrequest')).toEqual([text.NO_PHONE]);
    expect(await logins()).toEqual([]);
    await t.say(LID, 'daftar#75070207', { senderPhone: NEW });
    expect((await t.replies(LID, 'ya', { senderPhone: NEW }))[0]).toMatch(/^✅/);
    expect((await userRow('75070207')).whatsapp).toBe(NEW);
  });

  it('lepas releases the member’s own binding after ya', async () => {
    expect(await t.replies(NEW, 'lepas')).toEqual([unknownTextHint('unknown')]); // unbound: nothing to release
    expect((await t.replies(MEMBER, 'lepas'))[0]).toMatch(/^Nomor WhatsApp ini terhubung dengan NRP\/NIP \*75070206\* \(AIPTU BUDI SANTOSO\)/);
    expect(await t.replies(MEMBER, 'tidak')).toEqual([text.RELEASE_DECLINED]);
    expect((await userRow('75070206')).whatsapp).toBe(MEMBER);
    await t.say(MEMBER, 'lepas');
    expect(await t.replies(MEMBER, 'ya')).toEqual([text.released('75070206')]);
    expect((await userRow('75070206')).whatsapp).toBeNull();
    expect(await t.replies(MEMBER, 'halo')).toEqual([unknownTextHint('unknown')]);
  });

  it('insta# and tiktok# store the normalised handle; refuse a post link and a handle another member has', async () => {
    // No RapidAPI key here: the accounts are not looked up, and the reply says so.
    expect(await t.replies(MEMBER, 'insta#https://www.instagram.com/Budi.Santoso/?igsh=abc')).toEqual([
      text.withNote(text.handleUpdated('instagram', 'budi.santoso', '75070206'), text.profileUnchecked('instagram', false)),
    ]);
    expect(await t.replies(MEMBER, 'tiktok#@Budi_S')).toEqual([
      text.withNote(text.handleUpdated('tiktok', 'budi_s', '75070206'), text.profileUnchecked('tiktok', false)),
    ]);
    expect(await userRow('75070206')).toMatchObject({ insta: 'budi.santoso', tiktok: 'budi_s' });
    expect(await t.replies(MEMBER, 'insta#https://www.instagram.com/p/DEMO1/')).toEqual([text.badHandle('instagram', 'post-link')]);
    expect(await t.replies(MEMBER, 'insta#https://www.instagram.com/reel/abc/')).toEqual([text.badHandle('instagram', 'post-link')]);
    expect(await t.replies(MEMBER, 'tiktok#https://www.tiktok.com/@budi/video/123')).toEqual([text.badHandle('tiktok', 'post-link')]);
    expect(await t.replies(MEMBER, 'tiktok#https://www.instagram.com/budi/')).toEqual([text.badHandle('tiktok', 'other-platform')]);
    expect(await t.replies(MEMBER, 'insta#bukan handle!')).toEqual([text.badHandle('instagram', 'invalid')]);
    const [taken] = await t.replies(MEMBER, 'insta#@ANI.TAKEN');
    expect(taken).toBe(text.handleTaken('instagram', 'ani.taken'));
    expect(taken).toMatch(/^❌ Username Instagram \*@ani\.taken\* sudah dipakai anggota lain di satuan Anda\. Bila itu akun Anda, hubungi operator/);
    expect(taken).not.toMatch(/ANI\b|BRIGPOL|75070209/); // never who has it
    expect((await t.replies(MEMBER, 'tiktok#ani.tt'))[0]).toMatch(/sudah dipakai/);
    expect(await userRow('75070206')).toMatchObject({ insta: 'budi.santoso', tiktok: 'budi_s' });
    expect(await t.replies(NEW, 'insta#budi')).toEqual([unknownTextHint('unknown')]);
  });

  it('userrequest: a bound member sees their card and updates name, rank, division, position and handles', async () => {
    await t.say(MEMBER, 'userrequest');
    const [card] = await t.replies(MEMBER, '1');
    expect(card).toMatch(/^👤 \*Identitas Anda\*\nNama: BUDI SANTOSO\nPangkat: AIPTU\nNRP\/NIP: 75070206\nSatfung: BAG OPS/);

    const update = async (field: string, value: string) => {
      await t.say(MEMBER, 'userrequest');
      expect(await t.replies(MEMBER, '2')).toEqual([text.FIELD_MENU]);
      await t.say(MEMBER, field);
      return t.replies(MEMBER, value);
    };
    expect((await update('1', '  budi  santoso  wibowo '))[0]).toMatch(/^✅ Nama Anda berhasil diubah menjadi \*BUDI SANTOSO WIBOWO\*\./);
    // Ranks and divisions are picked from the client's lists.
    await t.say(MEMBER, 'userrequest');
    await t.say(MEMBER, '2');
    const [ranks] = await t.replies(MEMBER, '2');
    expect(ranks).toMatch(/^Pilih pangkat Anda.*\n1\. AIPTU\n2\. BRIPKA\n3\. BRIGPOL\n4\. BRIPTU$/);
    expect(await t.replies(MEMBER, '9')).toEqual([`${text.badChoice('title', 4)}\n\n${ranks}`]);
    expect((await t.replies(MEMBER, '2'))[0]).toMatch(/^✅ Pangkat Anda berhasil diubah menjadi \*BRIPKA\*/);
    expect((await update('3', 'sat lantas'))[0]).toMatch(/^✅ Satfung Anda berhasil diubah menjadi \*SAT LANTAS\*/);
    expect((await update('4', 'kanit'))[0]).toMatch(/^✅ Jabatan Anda berhasil diubah menjadi \*KANIT\*/);
    expect((await update('5', 'https://www.instagram.com/p/XYZ/'))[0]).toMatch(/^❌ Itu link postingan/);
    expect((await t.replies(MEMBER, 'https://instagram.com/budi.w'))[0]).toMatch(/^✅ Instagram Anda berhasil diubah menjadi \*@budi\.w\*/);
    expect((await update('6', 'ani.tt'))[0]).toMatch(/sudah dipakai/);
    expect((await t.replies(MEMBER, 'batal'))).toEqual([CONVERSATION_CANCELLED]);
    expect(await userRow('75070206')).toMatchObject({ nama: 'BUDI SANTOSO WIBOWO', title: 'BRIPKA', divisi: 'SAT LANTAS', insta: 'budi.w', tiktok: null });
  });

  it('a profile link sent alone offers the update; from an unbound number it asks for the NRP and binds first', async () => {
    expect(await t.replies(MEMBER, 'https://www.instagram.com/budi.keren/')).toEqual([text.offerHandle('instagram', 'budi.keren')]);
    expect(await t.replies(MEMBER, 'tidak')).toEqual([text.HANDLE_DECLINED]);
    await t.say(MEMBER, 'https://www.tiktok.com/@Budi.Keren');
    expect(await t.replies(MEMBER, 'ya')).toEqual([
      text.withNote(text.handleUpdated('tiktok', 'budi.keren', '75070206'), text.profileUnchecked('tiktok', false)),
    ]);
    expect(await t.replies(MEMBER, 'https://www.instagram.com/p/DEMO1/')).toEqual([text.badHandle('instagram', 'post-link')]);

    expect(await t.replies(NEW, 'https://www.instagram.com/siti.aminah')).toEqual([text.offerHandle('instagram', 'siti.aminah')]);
    expect((await t.replies(NEW, 'ya'))[0]).toMatch(/belum terhubung dengan NRP\/NIP; hubungkan dulu\.\n\nKetik NRP\/NIP Anda/);
    await t.say(NEW, '75070207');
    const [done] = await t.replies(NEW, 'ya');
    expect(done).toMatch(/^✅ Nomor WhatsApp ini telah terhubung dengan NRP\/NIP \*75070207\*/);
    expect(done).toContain(text.handleUpdated('instagram', 'siti.aminah', '75070207'));
    expect(await userRow('75070207')).toMatchObject({ whatsapp: NEW, insta: 'siti.aminah' });
    expect(await logins()).toEqual([{ actor_id: '75070207', login_type: 'user', login_source: 'whatsapp' }]);
  });

  it('one binding per NRP and per number at the service level; two numbers at the same moment end with one binding', async () => {
    const { db } = database();
    const at = new Date('2026-11-25T03:00:00Z');
    const outcomes = await Promise.all([bindNumber(db, '75070207', NEW, at, 'm1', ACTOR), bindNumber(db, '75070207', OTHER, at, 'm2', ACTOR)]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok).map((o) => !o.ok && o.reason)).toEqual(['nrp-taken']);
    expect([NEW, OTHER]).toContain((await userRow('75070207')).whatsapp);
    expect(await logins()).toHaveLength(1);
    // One number, two NRPs at the same moment: the UNIQUE constraint keeps one.
    await db.query(`INSERT INTO "user" (user_id, nama, client_id) VALUES ('75070210', 'DEDI', $1)`, [CLIENT]);
    const third = '6281900000013';
    const both = await Promise.all([bindNumber(db, '75070209', third, at, 'm3', ACTOR), bindNumber(db, '75070210', third, at, 'm4', ACTOR)]);
    expect(both.filter((o) => o.ok)).toHaveLength(1);
    expect(both.filter((o) => !o.ok).map((o) => !o.ok && o.reason)).toEqual(['number-taken']);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "user" WHERE whatsapp = $1', [third]);
    expect(rows[0]!.n).toBe(1);
    expect(await logins()).toHaveLength(2);
  });

  it('asks each field by its own name when the client has no ranks or divisions yet', async () => {
    const { db } = database();
    await db.query(`INSERT INTO clients (client_id, nama) VALUES ('POLRESXYZ', 'POLRES XYZ') ON CONFLICT (client_id) DO NOTHING`);
    await db.query(`INSERT INTO "user" (user_id, nama, client_id, whatsapp) VALUES ('75070300', 'EKO', 'POLRESXYZ', $1)`, [OTHER]);
    const ask = async (field: string) => {
      await t.say(OTHER, 'userrequest');
      await t.say(OTHER, '2');
      return t.replies(OTHER, field);
    };
    expect(await ask('2')).toEqual(['Ketik pangkat Anda (contoh: BRIPKA):']);
    expect((await t.replies(OTHER, 'ipda'))[0]).toMatch(/^✅ Pangkat Anda berhasil diubah menjadi \*IPDA\*/);
    expect(await ask('3')).toEqual(['Ketik satfung Anda (contoh: SAT LANTAS):']);
    expect(await t.replies(OTHER, 'x'.repeat(51))).toEqual([`${text.badText('divisi')}\n\n${text.askText('divisi')}`]);
    expect((await t.replies(OTHER, 'sat intelkam'))[0]).toMatch(/^✅ Satfung Anda berhasil diubah menjadi \*SAT INTELKAM\*/);
    expect(await ask('4')).toEqual(['Ketik jabatan Anda:']);
    await t.say(OTHER, 'batal');
    expect(await userRow('75070300')).toMatchObject({ title: 'IPDA', divisi: 'SAT INTELKAM' });
  });

  it('takes a rank or division typed by hand when it is not in the list', async () => {
    await t.say(MEMBER, 'userrequest');
    await t.say(MEMBER, '2');
    const [ranks] = await t.replies(MEMBER, '2');
    expect(ranks).toMatch(/^Pilih pangkat Anda: balas angkanya, atau ketik pangkat Anda bila tidak ada dalam daftar\.\n1\. AIPTU/);
    expect(await t.replies(MEMBER, 'y'.repeat(51))).toEqual([`${text.badText('title')}\n\n${ranks}`]);
    expect((await t.replies(MEMBER, '  kompol '))[0]).toMatch(/^✅ Pangkat Anda berhasil diubah menjadi \*KOMPOL\*/);
    await t.say(MEMBER, 'userrequest');
    await t.say(MEMBER, '2');
    await t.say(MEMBER, '3');
    expect((await t.replies(MEMBER, 'sat binmas'))[0]).toMatch(/^✅ Satfung Anda berhasil diubah menjadi \*SAT BINMAS\*/);
    expect(await userRow('75070206')).toMatchObject({ title: 'KOMPOL', divisi: 'SAT BINMAS' });
  });

  it('accepts an NRP of 8 digits (6 or 7 without leading zeros) or a NIP of 18; anything else is malformed and no look-up', async () => {
    const { db } = database();
    await db.query(`INSERT INTO "user" (user_id, nama, client_id) VALUES ('00123456', 'NOL', $1), ('198001012006041001', 'PNS', $1)`, [CLIENT]);
    const lookups = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM nrp_lookup')).rows[0]!.n;
    expect(text.MALFORMED_NRP).toMatch(/8 angka.*18 angka/);
    for (const bad of ['12345', '123456789', '12345678901234567', '1234567890123456789', '7507o206']) {
      expect(await t.replies(NEW, `daftar#${bad}`)).toEqual([text.MALFORMED_NRP]);
    }
    expect(await lookups()).toBe(0); // a malformed NRP never uses up a look-up
    expect((await t.replies(NEW, 'daftar#123456'))[0]).toMatch(/^NRP\/NIP \*00123456\* ditemukan/);
    await t.say(NEW, 'tidak');
    expect((await t.replies(NEW, 'daftar#198001012006041001'))[0]).toMatch(/^NRP\/NIP \*198001012006041001\* ditemukan/);
    await t.say(NEW, 'tidak');
    expect(await t.replies(NEW, 'daftar#7507.0299')).toEqual([text.unknownNrp('75070299')]);
    expect(await lookups()).toBe(3);
  });

  it('two members claiming one handle at the same moment: one gets it', async () => {
    const { db } = database();
    const at = new Date('2026-11-25T03:00:00Z');
    const outcomes = await Promise.all(
      ['75070206', '75070207', '75070208'].map((userId) => setHandle(db, { userId, clientId: CLIENT }, 'instagram', 'sama.sama', at, ACTOR)),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "user" WHERE insta = 'sama.sama'`);
    expect(rows[0]!.n).toBe(1);
  });

  it('the NRP look-up limit holds for look-ups at the same moment (one left: one taken)', async () => {
    const { db } = database();
    const at = new Date('2026-11-25T03:00:00Z');
    for (let i = 1; i <= 4; i++) {
      await db.query('INSERT INTO nrp_lookup (sender, looked_up_at) VALUES ($1, $2)', [NEW, new Date(at.getTime() - i * 60_000)]);
    }
    const limit = new NrpLookupLimit(db, 5);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => limit.take(NEW, at, `m${i}`)));
    expect(results.filter((r) => r === null)).toHaveLength(1);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM nrp_lookup WHERE sender = $1', [NEW]);
    expect(rows[0]!.n).toBe(5);
  });

  it('texts: a LID without a number is told what to do; a member naming their own NRP; handles shown once with @', async () => {
    const [noPhone] = await t.replies('333333333333333@lid', 'daftar#75070207');
    expect(noPhone).toBe(text.NO_PHONE);
    expect(noPhone).not.toMatch(/chat pribadi/);
    expect(noPhone).toMatch(/coba lagi beberapa saat lagi.*operator/i);
    const [own] = await t.replies(MEMBER, 'daftar#75070206');
    expect(own).toBe(text.alreadyYours('75070206'));
    expect(own).toMatch(/NRP\/NIP Anda sendiri \(\*75070206\*\)/);
    expect(own).not.toMatch(/lepas/);
    expect(await t.replies(MEMBER, 'daftar#75070207')).toEqual([text.numberTaken('75070206')]);
    // Handles stored by the old system: a link, and a TikTok handle with its @.
    await database().db.query(`UPDATE "user" SET whatsapp = $1 WHERE user_id = '75070209'`, [OTHER]);
    await t.say(OTHER, 'userrequest');
    const [card] = await t.replies(OTHER, '1');
    expect(card).toContain('Instagram: @ani.taken\nTikTok: @ani.tt\n');
    expect(card).not.toContain('@@');
  });

  it('first contact: an unknown number typing only an NRP gets the daftar# confirmation; others get the hint', async () => {
    const lookups = async () => (await database().db.query<{ n: number }>('SELECT count(*)::int AS n FROM nrp_lookup')).rows[0]!.n;
    expect(await t.replies(NEW, ' 75070207 ')).toEqual([text.confirmBinding({ userId: '75070207', nama: 'SITI AMINAH', title: 'BRIPKA', divisi: 'SAT LANTAS' })]);
    expect(await lookups()).toBe(1);
    expect((await t.replies(NEW, 'ya'))[0]).toMatch(/^✅ Nomor WhatsApp ini telah terhubung dengan NRP\/NIP \*75070207\*/);
    // Not a plausible NRP, a bound member, a group: the usual hint or nothing.
    expect(await t.replies(OTHER, '123')).toEqual([unknownTextHint('unknown')]);
    expect(await t.replies(OTHER, '123456789')).toEqual([unknownTextHint('unknown')]);
    expect(await t.replies(MEMBER, '75070209')).toEqual([unknownTextHint('member')]);
    expect(await t.replies(OTHER, '75070209', { group: GROUP })).toEqual([]);
    expect(await lookups()).toBe(1);
    // An active menu takes the digits as its answer.
    await t.say(OTHER, 'https://www.instagram.com/ani.baru');
    expect(await t.replies(OTHER, '75070209')).toEqual([`${text.YES_OR_NO}\n\n${text.offerHandle('instagram', 'ani.baru')}`]);
    expect(await lookups()).toBe(1);
  });
});
