import { beforeAll, describe, expect, it } from 'vitest';
import { unknownTextHint } from '../../src/bot/texts.js';
import { ADMIN, createTestBot, dm, GROUP, MEMBER, OPERATOR, seedChatFixture, STRANGER, type TestBot, UNBOUND_GROUP } from '../helpers/bot.js';
import { backend, counting, useTestDatabase } from '../helpers/db.js';

const SENDERS = { admin: ADMIN, operator: OPERATOR, member: MEMBER, unknown: STRANGER } as const;
type RoleName = keyof typeof SENDERS;

const NO_INSTA = /^⚠️ Akun Instagram client \*POLRESABC\* \(POLRES ABC\) belum diatur\.$/;
const NO_TIKTOK = /^⚠️ Akun TikTok client \*POLRESABC\* \(POLRES ABC\) belum diatur\.$/;
const NO_POSTS = /^Tidak ada konten Instagram untuk \*Polres\*: \*POLRES ABC\* pada Rabu, 25\/11\/2026\.$/;
const NOT_BOUND = /^❌ Nomor Anda belum terhubung dengan NRP\/NIP\./;
const JADWAL = /^🗓️ \*Jadwal POLRESABC\* \(POLRES ABC\)\nPenerima: 2 grup, 1 nomor/;
const WA_NOT_BOUND = /^❌ Nomor WhatsApp ini belum terhubung dengan NRP\/NIP\./;

/** What each command answers for each role: a pattern, or `refused`. */
const EXPECTED: Record<string, Record<RoleName, RegExp | 'refused'>> = {
  help: {
    admin: /^📋 \*Daftar Perintah Cicero\*[\s\S]*\*status\*/,
    operator: /^📋 \*Daftar Perintah Cicero\*\n\nAnda terdaftar sebagai \*operator\* di \*POLRESABC\*/,
    member: /^📋 \*Daftar Perintah Cicero\*\n\nAnda terdaftar sebagai \*anggota\* di \*POLRESABC\*/,
    unknown: /^📋 \*Daftar Perintah Cicero\*\n\nNomor WhatsApp Anda belum terdaftar/,
  },
  whoami: {
    admin: /Peran: \*admin\*/,
    operator: /Peran: \*operator\*\nClient: \*POLRESABC\* \(POLRES ABC\)/,
    member: /Peran: \*anggota\*\nClient: \*POLRESABC\* \(POLRES ABC\)\nNRP\/NIP: 75070206 \(AIPTU BUDI SANTOSO\)/,
    unknown: /Peran: \*belum terdaftar\*\nNomor ini belum terhubung/,
  },
  status: { admin: /^🖥️ \*Status Cicero\*\nWhatsApp: \*siap\* \(memory\)/, operator: 'refused', member: 'refused', unknown: 'refused' },
  outbox: { admin: /^📮 \*Antrean Kirim Cicero\*\nStatus: berjalan/, operator: 'refused', member: 'refused', unknown: 'refused' },
  absensilikes: { admin: NO_INSTA, operator: NO_INSTA, member: 'refused', unknown: 'refused' },
  absensikomentar: { admin: NO_TIKTOK, operator: NO_TIKTOK, member: 'refused', unknown: 'refused' },
  absensilink: { admin: NO_POSTS, operator: NO_POSTS, member: 'refused', unknown: 'refused' },
  rekaplink: { admin: NO_POSTS, operator: NO_POSTS, member: 'refused', unknown: 'refused' },
  absensiregistrasi: { admin: /^📋 \*Absensi Registrasi\*/, operator: /^📋 \*Absensi Registrasi\*/, member: 'refused', unknown: 'refused' },
  ambangabsensi: { admin: /^Syarat sudah untuk \*POLRESABC\*/, operator: /^Syarat sudah untuk \*POLRESABC\*/, member: 'refused', unknown: 'refused' },
  laporlink: { admin: NOT_BOUND, operator: NOT_BOUND, member: /^❌ Konten \*ABCDE12\* bukan konten resmi client Anda\.$/, unknown: 'refused' },
  jadwal: { admin: JADWAL, operator: JADWAL, member: 'refused', unknown: 'refused' },
  urutandivisi: { admin: /^📋 Urutan divisi \*POLRESABC\*/, operator: /^📋 Urutan divisi \*POLRESABC\*/, member: 'refused', unknown: 'refused' },
  notifwa: { admin: WA_NOT_BOUND, operator: WA_NOT_BOUND, member: /^🔕 Pengingat WhatsApp harian Anda \*NONAKTIF\*\./, unknown: 'refused' },
};

/** In a group the admin's own commands are refused (the group would read the bot's state), and help leaves them out. */
const PRIVATE_ONLY = (name: string) => new RegExp(`^❌ Perintah \\*${name}\\* hanya dapat digunakan melalui chat pribadi dengan nomor bot\\.$`);
const IN_GROUPS: Record<string, Partial<Record<RoleName, RegExp>>> = {
  help: { admin: /^📋 \*Daftar Perintah Cicero\*\n\nAnda terdaftar sebagai \*admin\*(?![\s\S]*\*(status|outbox)\*)/ },
  status: { admin: PRIVATE_ONLY('status') },
  outbox: { admin: PRIVATE_ONLY('outbox') },
  // A member's own reminder goes to a private chat, and is switched there.
  notifwa: { admin: PRIVATE_ONLY('notifwa'), operator: PRIVATE_ONLY('notifwa'), member: PRIVATE_ONLY('notifwa') },
};
const inGroup = (command: string, role: RoleName, expected: RegExp | 'refused') => IN_GROUPS[command]?.[role] ?? expected;

/** What each command is sent as (the bare name when absent). */
const SEND: Record<string, string> = {
  absensilikes: 'absensilikes#POLRESABC#akumulasi',
  absensikomentar: 'absensikomentar#polresabc',
  absensilink: 'absensilink#POLRESABC#akumulasi#belum',
  rekaplink: 'rekaplink#POLRESABC',
  absensiregistrasi: 'absensiregistrasi#POLRESABC',
  ambangabsensi: 'ambangabsensi#POLRESABC',
  laporlink: 'laporlink#ABCDE12#https://x.com/budi/status/1',
  jadwal: 'jadwal#POLRESABC',
  urutandivisi: 'urutandivisi#POLRESABC',
};

/** Who a refusal names, per command (admin only when absent). */
const ALLOWED: Record<string, string> = { laporlink: 'admin atau operator atau anggota' };
for (const name of ['absensilikes', 'absensikomentar', 'absensilink', 'rekaplink', 'absensiregistrasi', 'ambangabsensi', 'jadwal', 'urutandivisi']) {
  ALLOWED[name] = 'admin atau operator';
}

describe(`role matrix (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  beforeAll(async () => {
    await seedChatFixture(database().db);
    // Every role sends every command several times here: the flood limit is not under test.
    t = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const cases = Object.entries(EXPECTED).flatMap(([command, byRole]) =>
    (Object.keys(byRole) as RoleName[]).map((role) => [command, role, byRole[role]] as const),
  );

  describe('in a private chat', () => {
    it.each(cases)('%s from %s', async (command, role, expected) => {
      const sent = await t.say(SENDERS[role], SEND[command] ?? command);
      // The admin's and the operator's full help is long enough to be split over several messages.
      if (command === 'help' && (role === 'admin' || role === 'operator')) expect(sent.length).toBeGreaterThanOrEqual(1);
      else expect(sent).toHaveLength(1);
      expect(sent[0]!.chatId).toBe(dm(SENDERS[role]));
      if (expected !== 'refused') expect(sent.map((m) => m.text).join('\n')).toMatch(expected);
      else if (role === 'unknown') expect(sent[0]!.text).toBe(unknownTextHint('unknown')); // reveals nothing
      else expect(sent[0]!.text).toBe(`❌ Perintah *${command}* hanya dapat digunakan oleh ${ALLOWED[command] ?? 'admin'}.`);
    });
  });

  describe('in a group bound to a client', () => {
    it.each(cases)('%s from %s answers in the group', async (command, role, expected) => {
      const sent = await t.say(SENDERS[role], SEND[command] ?? command, { group: GROUP });
      if (command === 'help' && (role === 'admin' || role === 'operator')) expect(sent.length).toBeGreaterThanOrEqual(1);
      else expect(sent).toHaveLength(1);
      expect(sent[0]!.chatId).toBe(GROUP);
      const wanted = inGroup(command, role, expected);
      if (wanted === 'refused') expect(sent[0]!.text).toBe('❌ Maaf, Anda tidak memiliki akses ke perintah ini.');
      else expect(sent[0]!.text).toMatch(wanted);
    });

    it('whoami names the group’s client', async () => {
      const [reply] = await t.replies(STRANGER, 'whoami', { group: GROUP });
      expect(reply).toMatch(/Grup ini terhubung ke client \*POLRESABC\* \(POLRES ABC\)\.$/);
    });

    it('ignores everything that is not a command, without touching the database', async () => {
      const { db, statements } = counting(database().db);
      const quiet = await createTestBot(db);
      statements.length = 0;
      for (const text of ['Selamat pagi komandan', 'siap 86', '', '#', '👍', 'helpme', 'status sudah?']) {
        await quiet.transport.receive({ senderId: dm(MEMBER), chatId: GROUP, text, timestamp: quiet.clock.now });
      }
      expect(statements).toEqual([]);
      expect(await quiet.say(MEMBER, 'siap 86', { group: GROUP })).toEqual([]);
    });

    it('recognises a second group id in client_group', async () => {
      const sent = await t.say(MEMBER, 'whoami', { group: '120363222222222222@g.us' });
      expect(sent).toHaveLength(1);
    });
  });

  describe('in a group bound to no client', () => {
    it.each(cases)('%s from %s', async (command, role, expected) => {
      const sent = await t.say(SENDERS[role], SEND[command] ?? command, { group: UNBOUND_GROUP });
      if (role !== 'admin') {
        expect(sent).toEqual([]);
        return;
      }
      if (command === 'help') expect(sent.length).toBeGreaterThanOrEqual(1);
      else expect(sent).toHaveLength(1);
      expect(sent[0]!.chatId).toBe(UNBOUND_GROUP);
      expect(sent[0]!.text).toMatch(inGroup(command, role, expected) as RegExp);
    });
  });

  it('help lists exactly the commands the role may use', async () => {
    const listed = async (who: string): Promise<string[]> => {
      // A long list is split over several messages.
      const text = (await t.replies(who, 'bantuan')).join('\n');
      return [...text.matchAll(/^\*([a-z]+)\*/gm)].map((m) => m[1]!);
    };
    const reports = ['absensikomentar', 'absensilikes', 'absensilink', 'absensiregistrasi', 'ambangabsensi', 'exportanggota', 'jadwal', 'urutandivisi'];
    const fetches = ['fetch', 'fetchcomments', 'fetchinsta', 'fetchlikes', 'fetchtiktok'];
    const members = ['anggota', 'exception', 'lepaswa', 'oprrequest', 'riwayat', 'statusanggota', 'tambahanggota', 'ubahanggota'];
    const groups = ['thisgroup', 'unbindgroup'];
    const clients = ['addnewclient', 'approvedash', 'clientinfo', 'clientrequest', 'denydash', 'removeclient', 'updateclient'];
    const everyone = ['daftar', 'help', 'linkprofil', 'login', 'logout', 'userrequest', 'whoami'];
    const bound = ['insta', 'laporlink', 'lepas', 'notifwa', 'tiktok'];
    const sorted = (names: string[]) => [...names].sort();
    expect(await listed(ADMIN)).toEqual(
      sorted([...reports, ...fetches, ...members, ...groups, ...clients, ...everyone, ...bound, 'loginlog', 'outbox', 'rekaplink', 'status']),
    );
    expect(await listed(OPERATOR)).toEqual(sorted([...reports, ...fetches, ...members, ...groups, ...everyone, ...bound, 'rekaplink']));
    expect(await listed(MEMBER)).toEqual(sorted([...everyone, ...bound]));
    expect(await listed(STRANGER)).toEqual(everyone);
  });

  it('help#<command> explains one command, and only one the sender may use', async () => {
    expect(await t.replies(ADMIN, 'HELP#Status')).toEqual([
      '*status*\nMenampilkan keadaan bot: koneksi WhatsApp, antrean kirim, pesan terakhir, dan lama aktif.\nFormat: status\nContoh: status',
    ]);
    expect(await t.replies(MEMBER, 'help#status')).toEqual([
      '❓ Perintah *status* tidak tersedia untuk Anda. Ketik *help* untuk daftar lengkap.',
    ]);
  });

  it('writes one audit row per handled command with its outcome', async () => {
    const { db } = database();
    await db.query('DELETE FROM command_audit');
    await t.say(ADMIN, 'status');
    await t.say(MEMBER, 'status');
    await t.say(STRANGER, 'status', { group: GROUP });
    await t.say(ADMIN, 'status#now');
    await t.say(MEMBER, 'just chatting');
    const { rows } = await db.query(
      'SELECT sender_id, role, command, client_id, chat_id, outcome, detail FROM command_audit ORDER BY id',
    );
    expect(rows).toEqual([
      { sender_id: ADMIN, role: 'admin', command: 'status', client_id: null, chat_id: dm(ADMIN), outcome: 'done', detail: null },
      { sender_id: MEMBER, role: 'member', command: 'status', client_id: 'POLRESABC', chat_id: dm(MEMBER), outcome: 'refused', detail: 'role' },
      { sender_id: STRANGER, role: 'unknown', command: 'status', client_id: 'POLRESABC', chat_id: GROUP, outcome: 'refused', detail: 'role' },
      { sender_id: ADMIN, role: 'admin', command: 'status', client_id: null, chat_id: dm(ADMIN), outcome: 'refused', detail: 'usage' },
    ]);
  });
});
