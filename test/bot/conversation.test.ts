import { beforeAll, describe, expect, it } from 'vitest';
import { defineCommand } from '../../src/bot/command.js';
import { defineFlow } from '../../src/bot/conversation.js';
import { CONVERSATION_CANCELLED, conversationExpired, UNREADABLE_HINT } from '../../src/bot/texts.js';
import { createTestBot, GROUP, MEMBER, seedChatFixture, STRANGER } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

interface Registration {
  nrp?: string;
  tries: number;
}

/** A small two-step menu, declared the way later menus declare theirs. */
const registration = defineFlow<Registration>({
  name: 'test-registration',
  first: 'nrp',
  steps: {
    nrp: {
      ask: () => 'Ketik NRP Anda (hanya angka):',
      answer: (input, data) =>
        /^\d{6,18}$/.test(input)
          ? { next: 'confirm', data: { ...data, nrp: input } }
          : data.tries >= 2
            ? { done: '❌ Terlalu banyak percobaan.' }
            : { repeat: `❌ NRP harus berupa angka (percobaan ${data.tries + 1}).` },
    },
    confirm: {
      ask: (data) => `Hubungkan nomor ini dengan NRP *${data.nrp}*? Balas *ya* atau *tidak*.`,
      answer: (input, data) => {
        if (input.toLowerCase() === 'ya') return { done: `✅ Terhubung ke NRP *${data.nrp}*.` };
        if (input.toLowerCase() === 'tidak') return { next: 'nrp', data: { tries: 0 }, say: 'Baik, ulangi.' };
        return { repeat: 'Balas *ya* atau *tidak*.' };
      },
    },
  },
});

const ujimenu = defineCommand({
  name: 'ujimenu',
  syntax: 'ujimenu',
  example: 'ujimenu',
  help: 'Menu uji.',
  roles: ['admin', 'operator', 'member', 'unknown'],
  flows: [registration as never],
  async handler(ctx) {
    await ctx.startConversation(registration, { tries: 0 });
  },
});

describe(`conversations (${backend})`, () => {
  const database = useTestDatabase();
  beforeAll(async () => seedChatFixture(database().db));

  const bot = () => createTestBot(database().db, { extraCommands: [ujimenu] });

  it('walks through the steps, repeating a question after a bad answer', async () => {
    const t = await bot();
    expect(await t.replies(STRANGER, 'ujimenu')).toEqual(['Ketik NRP Anda (hanya angka):']);
    expect(await t.replies(STRANGER, 'abc')).toEqual(['❌ NRP harus berupa angka (percobaan 1).\n\nKetik NRP Anda (hanya angka):']);
    // While a conversation is active, even command words are answers.
    expect(await t.replies(STRANGER, 'help')).toEqual(['❌ NRP harus berupa angka (percobaan 1).\n\nKetik NRP Anda (hanya angka):']);
    expect(await t.replies(STRANGER, '75070206')).toEqual(['Hubungkan nomor ini dengan NRP *75070206*? Balas *ya* atau *tidak*.']);
    expect(await t.replies(STRANGER, 'tidak')).toEqual(['Baik, ulangi.\n\nKetik NRP Anda (hanya angka):']);
    expect(await t.replies(STRANGER, '87654321')).toEqual(['Hubungkan nomor ini dengan NRP *87654321*? Balas *ya* atau *tidak*.']);
    expect(await t.replies(STRANGER, 'YA')).toEqual(['✅ Terhubung ke NRP *87654321*.']);
    // Over: the next message is parsed as a command again.
    expect(await t.replies(STRANGER, 'whoami')).toEqual([expect.stringMatching(/^👤/)]);
  });

  it('answers a voice note or sticker in a menu with one line, and the menu goes on where it was', async () => {
    const t = await bot();
    await t.say(STRANGER, 'ujimenu');
    expect(await t.replies(STRANGER, '', { kind: 'unreadable' })).toEqual([UNREADABLE_HINT]); // not a bad NRP
    await t.say(STRANGER, '75070206');
    expect(await t.replies(STRANGER, '', { kind: 'unreadable' })).toEqual([UNREADABLE_HINT]);
    const { rows } = await database().db.query<{ step: string }>(`SELECT step FROM conversation WHERE sender_id = $1`, [STRANGER]);
    expect(rows).toEqual([{ step: 'confirm' }]);
    expect(await t.replies(STRANGER, 'ya')).toEqual(['✅ Terhubung ke NRP *75070206*.']);
    // Outside a menu it starts none either.
    expect(await t.replies(STRANGER, '', { kind: 'unreadable' })).toEqual([UNREADABLE_HINT]);
    expect((await database().db.query(`SELECT 1 FROM conversation WHERE sender_id = $1`, [STRANGER])).rows).toEqual([]);
  });

  it('ends at any step on batal', async () => {
    const t = await bot();
    await t.say(MEMBER, 'ujimenu');
    await t.say(MEMBER, '75070206');
    expect(await t.replies(MEMBER, ' Batal ')).toEqual([CONVERSATION_CANCELLED]);
    const { rows } = await database().db.query('SELECT * FROM conversation');
    expect(rows).toEqual([]);
  });

  it('survives a restart: a new bot on the same database continues the conversation', async () => {
    const first = await bot();
    await first.say(STRANGER, 'ujimenu');
    await first.say(STRANGER, '11223344');
    const second = await bot();
    expect(await second.replies(STRANGER, 'ya')).toEqual(['✅ Terhubung ke NRP *11223344*.']);
  });

  it('expires after the idle timeout, announced by the sweep, and every message restarts the clock', async () => {
    const t = await bot();
    await t.say(STRANGER, 'ujimenu');
    t.clock.now = new Date(t.clock.now.getTime() + 4 * 60_000);
    await t.say(STRANGER, 'bukan angka'); // activity 4 min in: the timeout starts again
    t.clock.now = new Date(t.clock.now.getTime() + 4 * 60_000);
    expect(await t.bot.sweepConversations()).toBe(0);
    t.clock.now = new Date(t.clock.now.getTime() + 61_000);
    expect(await t.bot.sweepConversations()).toBe(1);
    await t.bot.outbox.drain();
    expect(t.transport.takeTexts()).toEqual([{ chatId: `${STRANGER}@c.us`, text: conversationExpired(300_000) }]);
    // Not an answer to the closed menu: digits from an unknown number are an NRP look-up (first contact, §1.6).
    expect(await t.replies(STRANGER, '12345678')).toEqual([expect.stringMatching(/^❌ NRP\/NIP \*12345678\* tidak ditemukan/)]);
    expect(await t.replies(STRANGER, 'jawaban')).toEqual([expect.stringMatching(/^🤖 Nomor WhatsApp Anda belum terdaftar/)]);
  });

  it('announces an expired conversation when its sender writes before the sweep ran, then handles the message', async () => {
    const t = await bot();
    await t.say(MEMBER, 'ujimenu');
    t.clock.now = new Date(t.clock.now.getTime() + 6 * 60_000);
    expect(await t.replies(MEMBER, 'whoami')).toEqual([conversationExpired(300_000), expect.stringMatching(/^👤/)]);
  });

  it('uses the configured timeout', async () => {
    const t = await createTestBot(database().db, { extraCommands: [ujimenu], env: { CICERO_CONVERSATION_TIMEOUT_S: '60' } });
    await t.say(STRANGER, 'ujimenu');
    t.clock.now = new Date(t.clock.now.getTime() + 61_000);
    expect(await t.replies(STRANGER, '12345678')).toEqual([conversationExpired(60_000), expect.stringMatching(/^❌ NRP\/NIP \*12345678\* tidak/)]);
  });

  it('keeps conversations of different senders apart', async () => {
    const t = await bot();
    await t.say(STRANGER, 'ujimenu');
    await t.say(MEMBER, 'ujimenu');
    await t.say(STRANGER, '10000001');
    expect(await t.replies(MEMBER, '20000002')).toEqual(['Hubungkan nomor ini dengan NRP *20000002*? Balas *ya* atau *tidak*.']);
    expect(await t.replies(STRANGER, 'ya')).toEqual(['✅ Terhubung ke NRP *10000001*.']);
    await t.say(MEMBER, 'batal');
  });

  it('refuses to open a menu inside a group', async () => {
    const t = await bot();
    expect(await t.replies(MEMBER, 'ujimenu', { group: GROUP })).toEqual([
      '❌ Menu ini hanya dapat dibuka melalui chat pribadi dengan nomor bot.',
    ]);
  });
});
