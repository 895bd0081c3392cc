/**
 * Who may see which client where: a bound group belongs to its client, an operator's
 * own client needs no id, admin-only commands stay in private chats, and the audit
 * trail names the client a command acted on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../../src/bot/catalog.js';
import { defineCommand } from '../../src/bot/command.js';
import { defineFlow } from '../../src/bot/conversation.js';
import { CONVERSATION_CANCELLED, NOTHING_TO_CANCEL } from '../../src/bot/texts.js';
import { ADMIN, CLIENT, createTestBot, GROUP, MEMBER, OPERATOR, seedChatFixture, type TestBot, UNBOUND_GROUP } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const CLIENT_B = 'POLRESB';
const OPERATOR_B = '6281200000005';
const GROUP_B = '120363333333333333@g.us';

const GROUP_B_ONLY = '❌ Grup ini hanya dapat menampilkan data client grup ini (*POLRESB*).';
const thresholdOf = (client: string, name: string) =>
  `Syarat sudah untuk *${client}* (${name}): *setengah*: sudah bila minimal separuh konten hari itu (dibulatkan ke atas) dikerjakan.`;
const A_THRESHOLD = thresholdOf(CLIENT, 'POLRES ABC');
const B_THRESHOLD = thresholdOf(CLIENT_B, 'POLRES B');

describe(`group scope and the operator's own client (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  beforeAll(async () => {
    const { db } = database();
    await seedChatFixture(db);
    await db.query(
      `INSERT INTO clients (client_id, nama, client_operator, client_group, client_insta) VALUES ($1, 'POLRES B', $2, $3, 'polresb')`,
      [CLIENT_B, OPERATOR_B, GROUP_B],
    );
    t = await createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const inGroup = (from: string, text: string, group = GROUP_B) => t.say(from, text, { group });

  describe('a bound group belongs to its client', () => {
    it.each([
      ['the operator of another client', OPERATOR, `absensilikes#${CLIENT}#akumulasi#belum`],
      ['the admin', ADMIN, `absensilikes#${CLIENT}#akumulasi#belum`],
      ['the admin, any case', ADMIN, 'ambangabsensi#polresabc'],
      ['the admin, an unknown client', ADMIN, 'absensiregistrasi#NOPE'],
      ['the admin, a registration recap', ADMIN, `absensiregistrasi#${CLIENT}#belum`],
      ['the admin, the link recap', ADMIN, `rekaplink#${CLIENT}#kemarin`],
    ])('%s asking about another client is refused in one line naming no other client', async (_, from, text) => {
      const sent = await inGroup(from, text);
      expect(sent).toEqual([{ chatId: GROUP_B, text: GROUP_B_ONLY }]);
      expect(sent[0]!.text).not.toMatch(/POLRESABC|NOPE|POLRES ABC/);
    });

    it('the operator of another client gets no report of the group’s client either', async () => {
      expect(await inGroup(OPERATOR, 'ambangabsensi')).toEqual([
        { chatId: GROUP_B, text: '❌ Anda hanya dapat melihat rekap client Anda sendiri (*POLRESABC*).' },
      ]);
    });

    it('everyone allowed gets the group’s client, named or not', async () => {
      expect(await inGroup(ADMIN, 'ambangabsensi')).toEqual([{ chatId: GROUP_B, text: B_THRESHOLD }]);
      expect(await inGroup(ADMIN, `ambangabsensi#${CLIENT_B}`)).toEqual([{ chatId: GROUP_B, text: B_THRESHOLD }]);
      expect(await inGroup(OPERATOR_B, 'ambangabsensi')).toEqual([{ chatId: GROUP_B, text: B_THRESHOLD }]);
      expect(await inGroup(OPERATOR, 'ambangabsensi', GROUP)).toEqual([{ chatId: GROUP, text: A_THRESHOLD }]);
    });

    it('in an unbound group an admin must name the client, and an unknown one lists nothing', async () => {
      expect((await inGroup(ADMIN, 'ambangabsensi', UNBOUND_GROUP))[0]!.text).toMatch(/^⚠️ Sebutkan client-nya\.\nFormat: \*ambangabsensi/);
      expect(await inGroup(ADMIN, 'ambangabsensi#NOPE', UNBOUND_GROUP)).toEqual([
        { chatId: UNBOUND_GROUP, text: '❌ Client *NOPE* tidak dikenal.' },
      ]);
      expect(await inGroup(ADMIN, `ambangabsensi#${CLIENT}`, UNBOUND_GROUP)).toEqual([{ chatId: UNBOUND_GROUP, text: A_THRESHOLD }]);
    });
  });

  describe('the client id may be left out', () => {
    it.each([
      ['absensilikes', /^⚠️ Akun Instagram client \*POLRESABC\* \(POLRES ABC\) belum diatur\.$/],
      ['absensilikes#akumulasi#belum', /^⚠️ Akun Instagram client \*POLRESABC\*/],
      ['absensikomentar#sudah', /^⚠️ Akun TikTok client \*POLRESABC\*/],
      ['absensilink#kemarin', /^Tidak ada konten Instagram untuk \*Polres\*: \*POLRES ABC\* pada Selasa, 24\/11\/2026\.$/],
      ['absensilink#2026-11-24#excel', /^Tidak ada konten Instagram untuk \*Polres\*: \*POLRES ABC\*/],
      ['absensiregistrasi#belum', /^📋 \*Absensi Registrasi\*/],
      ['rekaplink', /^Tidak ada konten Instagram untuk \*Polres\*: \*POLRES ABC\* pada Rabu, 25\/11\/2026\.$/],
      ['ambangabsensi', new RegExp(`^${A_THRESHOLD.replace(/[*()]/g, '\\$&')}$`)],
    ])('the operator’s own client: %s', async (text, expected) => {
      const [reply] = await t.replies(OPERATOR, text);
      expect(reply).toMatch(expected);
    });

    it('a first argument that is a mode, a date or an option word is never a client id', async () => {
      expect(await t.replies(OPERATOR, 'ambangabsensi#semua')).toEqual([
        '✅ Syarat sudah untuk *POLRESABC* (POLRES ABC) sekarang *semua*: sudah hanya bila semua konten hari itu dikerjakan.',
      ]);
      expect(await t.replies(OPERATOR, 'ambangabsensi#setengah')).toEqual([
        '✅ Syarat sudah untuk *POLRESABC* (POLRES ABC) sekarang *setengah*: sudah bila minimal separuh konten hari itu (dibulatkan ke atas) dikerjakan.',
      ]);
      // A date-looking first word is a date, even an invalid one.
      expect(await t.replies(OPERATOR, 'absensilikes#2026-13-01')).toEqual([
        '⚠️ Tanggal *2026-13-01* tidak valid. Gunakan format 2026-11-24, 24-11-2026, atau *kemarin*.',
      ]);
    });

    it('the explicit form keeps working', async () => {
      expect(await t.replies(OPERATOR, `ambangabsensi#${CLIENT}`)).toEqual([A_THRESHOLD]);
      expect(await t.replies(ADMIN, `ambangabsensi#${CLIENT_B}`)).toEqual([B_THRESHOLD]);
    });

    it.each(['absensilikes', 'absensilikes#akumulasi#belum', 'absensiregistrasi#excel', 'rekaplink#kemarin', 'ambangabsensi#semua'])(
      'an admin in a private chat without a client gets the syntax: %s',
      async (text) => {
        const [reply] = await t.replies(ADMIN, text);
        expect(reply).toMatch(/^⚠️ Sebutkan client-nya\.\nFormat: \*[a-z]+\[#<client>\]/);
      },
    );
  });

  describe('admin-only commands stay in private chats', () => {
    it('help in a group lists only what runs there, and help#status there says it is not available', async () => {
      const [help] = (await inGroup(ADMIN, 'help')).map((m) => m.text);
      expect(help).not.toMatch(/\*status\*|\*outbox\*/);
      expect(help).toMatch(/\*absensilikes\*/);
      expect(await inGroup(ADMIN, 'help#status')).toEqual([
        { chatId: GROUP_B, text: '❓ Perintah *status* tidak tersedia untuk Anda. Ketik *help* untuk daftar lengkap.' },
      ]);
      // The admin's full help is several messages long.
      const privateHelp = (await t.replies(ADMIN, 'help')).join('\n');
      expect(privateHelp).toMatch(/\*status\*/);
      expect(privateHelp).toMatch(/\*outbox\*/);
    });

    it('status and outbox written in a group are refused there without showing anything', async () => {
      for (const text of ['status', 'outbox', 'outbox#resume']) {
        const sent = await inGroup(ADMIN, text);
        expect(sent).toEqual([{ chatId: GROUP_B, text: expect.stringMatching(/^❌ Perintah \*(status|outbox)\* hanya dapat digunakan melalui chat pribadi dengan nomor bot\.$/) }]);
      }
    });
  });

  it('the audit trail names the client the command acted on or was refused for, not the chat’s', async () => {
    const { db } = database();
    await db.query('DELETE FROM command_audit');
    await inGroup(ADMIN, 'ambangabsensi#POLRESABC#setengah');
    await inGroup(ADMIN, 'ambangabsensi');
    await t.say(OPERATOR, `ambangabsensi#${CLIENT_B}`);
    await t.say(OPERATOR, 'ambangabsensi');
    await t.say(ADMIN, 'whoami');
    await t.say(MEMBER, 'whoami', { group: GROUP_B });
    const { rows } = await db.query('SELECT command, client_id, chat_id, outcome FROM command_audit ORDER BY id');
    expect(rows).toEqual([
      { command: 'ambangabsensi', client_id: CLIENT, chat_id: GROUP_B, outcome: 'refused' },
      { command: 'ambangabsensi', client_id: CLIENT_B, chat_id: GROUP_B, outcome: 'done' },
      { command: 'ambangabsensi', client_id: CLIENT_B, chat_id: `${OPERATOR}@c.us`, outcome: 'refused' },
      { command: 'ambangabsensi', client_id: CLIENT, chat_id: `${OPERATOR}@c.us`, outcome: 'done' },
      // Commands that act on no client: the sender's own client, else the group's.
      { command: 'whoami', client_id: null, chat_id: `${ADMIN}@c.us`, outcome: 'done' },
      { command: 'whoami', client_id: CLIENT, chat_id: GROUP_B, outcome: 'done' },
    ]);
  });
});

describe(`batal outside a menu (${backend})`, () => {
  const database = useTestDatabase();
  beforeAll(async () => seedChatFixture(database().db));

  const menu = defineFlow<Record<string, never>>({
    name: 'test-menu',
    first: 'only',
    steps: { only: { ask: () => 'Pilih 1 atau 2:', answer: () => ({ done: 'ok' }) } },
  });
  const withMenu = defineCommand({
    name: 'menuuji',
    syntax: 'menuuji',
    example: 'menuuji',
    help: 'Menu uji.',
    roles: ['member'],
    flows: [menu as never],
    handler: (ctx) => ctx.startConversation(menu, {}),
  });

  it('says there is nothing to cancel, and help mentions batal only to who has a menu to open', async () => {
    // The real commands without menus (every role has `userrequest`), so only the test menu opens one.
    const noMenus = (await loadCommands()).filter((c) => !c.flows);
    const plain = await createTestBot(database().db, { commands: noMenus });
    for (const word of ['batal', 'BATAL ', 'cancel']) expect(await plain.replies(MEMBER, word)).toEqual([NOTHING_TO_CANCEL]);
    expect((await plain.replies(MEMBER, 'help'))[0]).not.toMatch(/batal/);

    const t = await createTestBot(database().db, { commands: [...noMenus, withMenu] });
    expect((await t.replies(MEMBER, 'help'))[0]).toMatch(/Ketik \*batal\* untuk keluar dari menu yang sedang berjalan\.$/);
    expect((await t.replies(OPERATOR, 'help'))[0]).not.toMatch(/batal/);
    expect(await t.replies(MEMBER, 'menuuji')).toEqual(['Pilih 1 atau 2:']);
    expect(await t.replies(MEMBER, 'batal')).toEqual([CONVERSATION_CANCELLED]);
    expect(await t.replies(MEMBER, 'batal')).toEqual([NOTHING_TO_CANCEL]);
  });
});
