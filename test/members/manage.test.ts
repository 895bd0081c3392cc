/**
 * Operators and admins managing members by short commands: the card, add, change a
 * field, status, exception, release WhatsApp, history; every change in change_log;
 * refusals (malformed and unknown NRP, another client's member, unknown field, bad
 * value, a number or handle another member has); and the scope matrix of every command.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, CLIENT, createTestBot, GROUP, MEMBER, OPERATOR, STRANGER, seedChatFixture, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const OTHER_OPERATOR = '6281200000077';

describe(`operators manage members by command (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;

  beforeEach(async () => {
    const { db } = database();
    for (const table of ['change_log', '"user"', 'conversation']) await db.query(`DELETE FROM ${table}`);
    await seedChatFixture(db);
    await db.query(
      `INSERT INTO clients (client_id, nama, client_operator) VALUES ('POLRESXYZ', 'POLRES XYZ', $1) ON CONFLICT (client_id) DO NOTHING`,
      [OTHER_OPERATOR],
    );
    await db.query(
      `INSERT INTO "user" (user_id, nama, title, divisi, client_id, insta, whatsapp) VALUES
         ('75070207', 'SITI AMINAH', 'BRIPKA', 'SAT LANTAS', $1, 'siti.aminah', NULL),
         ('80010001', 'DEDI XYZ', 'BRIPTU', 'SAT SAMAPTA', 'POLRESXYZ', 'dedi.xyz', '6281900000055')`,
      [CLIENT],
    );
    t = await createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const changes = async () =>
    (await database().db.query<{ user_id: string; field: string; old_value: string | null; new_value: string | null; actor: string; actor_role: string; source: string }>(
      'SELECT user_id, field, old_value, new_value, actor, actor_role, source FROM change_log ORDER BY id',
    )).rows;
  const first = async (from: string, text: string) => (await t.replies(from, text))[0] ?? '';

  it('shows the card of an own member; another client\'s member and an unknown NRP are "not found" alike', async () => {
    const card = await first(OPERATOR, 'anggota#75070207');
    expect(card).toContain('👤 *BRIPKA SITI AMINAH*');
    expect(card).toContain('Instagram: @siti.aminah');
    expect(card).toContain('Exception: tidak');
    const other = await first(OPERATOR, 'anggota#80010001');
    expect(other).toBe('❌ Anggota dengan NRP/NIP *80010001* tidak ditemukan di client Anda.');
    expect(await first(OPERATOR, 'anggota#99999999')).toBe('❌ Anggota dengan NRP/NIP *99999999* tidak ditemukan di client Anda.');
    expect(await first(OPERATOR, 'anggota#abc')).toMatch(/^❌ Itu bukan NRP\/NIP/);
    // An admin sees any client's member, with the number in a private chat.
    expect(await first(ADMIN, 'anggota#80010001')).toContain('WhatsApp: 6281900000055');
    // In the client's group the number is not shown, and another client's member is not found.
    const [inGroup] = await t.replies(OPERATOR, 'anggota#75070206', { group: GROUP });
    expect(inGroup).toContain('WhatsApp: terhubung');
    expect((await t.replies(ADMIN, 'anggota#80010001', { group: GROUP }))[0]).toMatch(/tidak ditemukan di client Anda/);
  });

  it('adds a member to the own client, refuses a duplicate NRP and bad values, and records who added what', async () => {
    const [done] = await t.replies(OPERATOR, 'tambahanggota#1234567#joko   widodo#bripda#sat reskrim#banit');
    expect(done).toMatch(/^✅ \*Anggota baru berhasil ditambahkan:\*/);
    expect(done).toContain('👤 *BRIPDA JOKO WIDODO*');
    expect(done).toContain('NRP/NIP: 01234567');
    expect(done).toContain('Client: POLRESABC');
    expect(await first(OPERATOR, 'tambahanggota#01234567#X#Y#Z')).toBe(
      '❌ NRP/NIP *01234567* sudah terdaftar di client ini. Ketik *anggota#01234567* untuk melihatnya.',
    );
    expect(await first(OPERATOR, 'tambahanggota#80010001#X#Y#Z')).toMatch(/sudah terdaftar di client lain/);
    expect(await first(OPERATOR, 'tambahanggota#12ab#X#Y#Z')).toMatch(/^❌ Itu bukan NRP\/NIP/);
    expect(await first(OPERATOR, 'tambahanggota#76543210# #Y#Z')).toMatch(/^❌ Nama tidak boleh kosong/);
    expect(await first(OPERATOR, 'tambahanggota#76543210#X')).toMatch(/Format perintah salah/);
    // An admin in a private chat is sent to the client's group or the menu.
    expect(await first(ADMIN, 'tambahanggota#76543210#X#Y#Z')).toMatch(/oprrequest/);
    // In the client's group, an admin adds to that client.
    expect((await t.replies(ADMIN, 'tambahanggota#76543210#ANI#BRIGPOL#SAT INTELKAM', { group: GROUP }))[0]).toContain('Client: POLRESABC');
    const log = await changes();
    expect(log.filter((c) => c.user_id === '01234567').map((c) => [c.field, c.new_value])).toEqual([
      ['client_id', 'POLRESABC'],
      ['nama', 'JOKO WIDODO'],
      ['title', 'BRIPDA'],
      ['divisi', 'SAT RESKRIM'],
      ['jabatan', 'BANIT'],
    ]);
    expect(log[0]).toMatchObject({ actor: OPERATOR, actor_role: 'operator', source: 'whatsapp' });
  });

  it('changes each field with the members\' rules, and answers with the changed card', async () => {
    expect(await first(OPERATOR, 'ubahanggota#75070207#pangkat#aiptu')).toMatch(/^✅ Pangkat untuk NRP\/NIP \*75070207\* berhasil diubah\./);
    expect(await first(OPERATOR, 'ubahanggota#75070207#satfung#bag ops')).toContain('Satfung: BAG OPS');
    expect(await first(OPERATOR, 'ubahanggota#75070207#insta#https://www.instagram.com/Siti.Baru/')).toContain('Instagram: @siti.baru');
    expect(await first(OPERATOR, 'ubahanggota#75070207#tiktok#https://www.tiktok.com/@siti_tt')).toContain('TikTok: @siti_tt');
    expect(await first(OPERATOR, 'ubahanggota#75070207#whatsapp#0812-7777-0001')).toContain('WhatsApp: 6281277770001');
    expect(await first(OPERATOR, 'ubahanggota#75070207#jabatan#kanit#2')).toContain('Jabatan: KANIT#2');
    // The same value again changes nothing and records nothing.
    const before = (await changes()).length;
    expect(await first(OPERATOR, 'ubahanggota#75070207#insta#@siti.baru')).toMatch(/^ℹ️ Instagram untuk NRP\/NIP \*75070207\* sudah seperti itu/);
    expect((await changes()).length).toBe(before);
    expect((await changes()).find((c) => c.field === 'insta')).toMatchObject({ old_value: 'siti.aminah', new_value: 'siti.baru' });
  });

  it('refuses an unknown field, bad values, post links, and a number or handle another member has', async () => {
    expect(await first(OPERATOR, 'ubahanggota#75070207#alamat#x')).toMatch(/^❌ Kolom \*alamat\* tidak dikenal\. Pilihan: nama, pangkat/);
    expect(await first(OPERATOR, 'ubahanggota#75070207#insta#https://www.instagram.com/p/ABC123/')).toMatch(/link postingan\/video, bukan link profil/);
    expect(await first(OPERATOR, 'ubahanggota#75070207#tiktok#https://www.tiktok.com/@x/video/123')).toMatch(/link postingan\/video/);
    expect(await first(OPERATOR, 'ubahanggota#75070207#whatsapp#12ab')).toMatch(/^❌ Nomor WhatsApp tidak valid/);
    expect(await first(OPERATOR, `ubahanggota#75070207#whatsapp#+${OPERATOR}`)).toBe('❌ Itu nomor WhatsApp Anda sendiri. Tulis nomor anggota tersebut.');
    expect(await first(OPERATOR, 'ubahanggota#75070207#insta#bukan handle!')).toMatch(/^❌ Username Instagram tidak valid/);
    // A handle of another member of the client: named to its operator.
    expect(await first(OPERATOR, 'ubahanggota#75070206#insta#siti.aminah')).toBe(
      '❌ Username Instagram ini sudah dipakai anggota lain: *75070207* (BRIPKA SITI AMINAH).',
    );
    // A number bound to another client's member: not named to this operator, named to an admin.
    expect(await first(OPERATOR, 'ubahanggota#75070207#whatsapp#081900000055')).toBe('❌ Nomor WhatsApp ini sudah dipakai anggota lain.');
    expect(await first(ADMIN, 'ubahanggota#75070207#whatsapp#081900000055')).toMatch(/\*80010001\* \(BRIPTU DEDI XYZ\)/);
    expect(await first(OPERATOR, 'ubahanggota#80010001#nama#x')).toMatch(/tidak ditemukan di client Anda/);
    expect(await first(OPERATOR, 'statusanggota#75070207#mungkin')).toBe('❌ Status harus *aktif* atau *nonaktif*.');
    expect(await first(OPERATOR, 'exception#75070207#true')).toBe('❌ Exception harus *ya* atau *tidak*.');
    expect(await changes()).toEqual([]);
  });

  it('status, exception and lepaswa change the member and are recorded; riwayat lists them newest first', async () => {
    expect(await first(OPERATOR, 'statusanggota#75070206#nonaktif')).toContain('Status: 🔴 NONAKTIF');
    expect(await first(OPERATOR, 'exception#75070206#ya')).toContain('Exception: ya');
    expect(await first(OPERATOR, 'lepaswa#75070206')).toContain('WhatsApp: belum terhubung');
    const { rows } = await database().db.query('SELECT status, exception, whatsapp FROM "user" WHERE user_id = $1', ['75070206']);
    expect(rows[0]).toEqual({ status: false, exception: true, whatsapp: null });
    const history = await first(OPERATOR, 'riwayat#75070206');
    expect(history.split('\n')[0]).toBe('🕘 *Riwayat perubahan NRP/NIP 75070206* (3 terakhir)');
    expect(history.split('\n')[1]).toMatch(new RegExp(`whatsapp: ${MEMBER} → - \\(operator ${OPERATOR}\\)$`));
    expect(history).toContain('status: true → false');
    expect(await first(OPERATOR, 'riwayat#80010001')).toMatch(/tidak ditemukan di client Anda/);
    expect(await first(OPERATOR, 'riwayat#75070207')).toBe('ℹ️ Belum ada perubahan tercatat untuk NRP/NIP *75070207*.');
  });

  it('in a client\'s group, an operator of another client finds none of its members and adds none', async () => {
    for (const command of ['anggota#75070207', 'ubahanggota#75070207#nama#X', 'statusanggota#75070207#nonaktif', 'exception#75070207#ya', 'lepaswa#75070206']) {
      const [reply] = await t.replies(OTHER_OPERATOR, command, { group: GROUP });
      expect(reply, command).toMatch(/^❌ Anggota dengan NRP\/NIP \*\d+\* tidak ditemukan di client Anda\.$/);
    }
    expect((await t.replies(OTHER_OPERATOR, 'tambahanggota#76543210#ANI#BRIGPOL#SAT INTELKAM', { group: GROUP }))[0]).toMatch(
      /^❌ Anda hanya dapat menambah anggota ke client Anda sendiri/,
    );
    // The client's own operator manages them there.
    expect((await t.replies(OPERATOR, 'statusanggota#75070207#nonaktif', { group: GROUP }))[0]).toContain('Status: 🔴 NONAKTIF');
    const { rows } = await database().db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "user" WHERE user_id = '76543210'`);
    expect(rows[0]!.n).toBe(0);
    expect((await changes()).map((c) => c.field)).toEqual(['status']);
  });

  it('names of object properties are not fields or flags; an NRP stored without its zeros is the same member', async () => {
    expect(await first(OPERATOR, 'ubahanggota#75070207#constructor#x')).toMatch(/^❌ Kolom \*constructor\* tidak dikenal/);
    expect(await first(OPERATOR, 'ubahanggota#75070207#__proto__#x')).toMatch(/^❌ Kolom \*__proto__\* tidak dikenal/);
    expect(await first(OPERATOR, 'statusanggota#75070207#constructor')).toBe('❌ Status harus *aktif* atau *nonaktif*.');
    await database().db.query(`INSERT INTO "user" (user_id, nama, client_id) VALUES ('1234567', 'LAMA', $1)`, [CLIENT]);
    expect(await first(OPERATOR, 'tambahanggota#1234567#BARU#BRIPDA#SAT LANTAS')).toMatch(/^❌ NRP\/NIP \*01234567\* sudah terdaftar di client ini/);
    expect(await first(OPERATOR, 'tambahanggota#01234567#BARU#BRIPDA#SAT LANTAS')).toMatch(/sudah terdaftar di client ini/);
    const { rows } = await database().db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "user" WHERE ltrim(user_id, '0') = '1234567'`);
    expect(rows[0]!.n).toBe(1);
  });

  // The scope matrix: every command, as admin, operator of the member's client, operator of
  // another client, member and unknown number. "ok" runs it; "not-found" answers as for an NRP
  // nobody has; "refused" is the role refusal.
  const COMMANDS: Array<[string, RegExp]> = [
    ['anggota#75070207', /^👤 \*BRIPKA SITI AMINAH\*/],
    ['ubahanggota#75070207#jabatan#banit', /^(✅|ℹ️) Jabatan untuk NRP\/NIP \*75070207\*/],
    ['statusanggota#75070207#aktif', /^(✅|ℹ️) Status untuk NRP\/NIP \*75070207\*/],
    ['exception#75070207#tidak', /^(✅|ℹ️) Exception untuk NRP\/NIP \*75070207\*/],
    ['lepaswa#75070207', /^(✅|ℹ️) WhatsApp untuk NRP\/NIP \*75070207\*/],
    ['riwayat#75070207', /^(🕘|ℹ️ Belum ada perubahan)/],
  ];
  const SENDERS: Array<[string, string, 'ok' | 'not-found' | 'refused']> = [
    ['admin', ADMIN, 'ok'],
    ['operator of the member\'s client', OPERATOR, 'ok'],
    ['operator of another client', OTHER_OPERATOR, 'not-found'],
    ['member', MEMBER, 'refused'],
    ['unknown number', STRANGER, 'refused'],
  ];
  it.each(SENDERS)('scope matrix: %s', async (_, from, expected) => {
    for (const [command, ok] of COMMANDS) {
      const reply = await first(from, command);
      if (expected === 'ok') expect(reply, command).toMatch(ok);
      else if (expected === 'not-found') expect(reply, command).toBe('❌ Anggota dengan NRP/NIP *75070207* tidak ditemukan di client Anda.');
      else {
        expect(reply, command).not.toMatch(/75070207|SITI|Maaf, terjadi kesalahan/);
        expect(reply, command).toMatch(/^(❌|🤖)/);
      }
    }
    if (expected !== 'ok') expect(await changes()).toEqual([]);
    const add = await first(from, 'tambahanggota#76543210#ANI#BRIGPOL#SAT INTELKAM');
    if (from === OPERATOR || from === OTHER_OPERATOR) expect(add).toMatch(/^✅ \*Anggota baru berhasil ditambahkan/);
    else if (from === ADMIN) expect(add).toMatch(/oprrequest/);
    else expect(add).not.toMatch(/Anggota baru/);
    const { rows } = await database().db.query<{ client_id: string }>('SELECT client_id FROM "user" WHERE user_id = $1', ['76543210']);
    if (from === OTHER_OPERATOR) expect(rows).toEqual([{ client_id: 'POLRESXYZ' }]);
  });
});
