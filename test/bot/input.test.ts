import { beforeAll, describe, expect, it } from 'vitest';
import { defineCommand } from '../../src/bot/command.js';
import { UsageError, UserError } from '../../src/bot/errors.js';
import { APOLOGY, unknownTextHint } from '../../src/bot/texts.js';
import { ADMIN, createTestBot, MEMBER, OPERATOR, seedChatFixture, STRANGER, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const failing = [
  defineCommand({
    name: 'boom',
    syntax: 'boom',
    example: 'boom',
    help: 'Selalu gagal.',
    roles: ['admin', 'member'],
    async handler() {
      throw new Error('database exploded');
    },
  }),
  defineCommand({
    name: 'tolak',
    syntax: 'tolak#<client>',
    example: 'tolak#POLRESABC',
    help: 'Menolak dengan alasan.',
    roles: ['admin'],
    args: { min: 1, max: 1 },
    async handler(ctx) {
      if (ctx.args[0] === 'X') throw new UsageError('Client tidak boleh X.');
      throw new UserError(`❌ Client *${ctx.args[0]}* tidak ditemukan.`);
    },
  }),
  defineCommand({
    name: 'gema',
    syntax: 'gema#<teks>',
    example: 'gema#halo#dunia',
    help: 'Mengulang teks, termasuk tanda #.',
    roles: ['admin'],
    args: { min: 1, max: 1, keepHashInLast: true },
    async handler(ctx) {
      await ctx.reply(`gema: ${ctx.args[0]}`);
    },
  }),
];

describe(`bad input (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  beforeAll(async () => {
    await seedChatFixture(database().db);
    t = await createTestBot(database().db, { extraCommands: failing });
  });

  it.each([
    ['empty', ''],
    ['only #', '#'],
    ['only hashes', '####'],
    ['10,000 characters', 'x'.repeat(10_000)],
    ['10,000 characters with #', `${'a'.repeat(5_000)}#${'b'.repeat(4_999)}`],
    ['emoji', '🙏🙏🙏'],
    ['emoji command name', '👍#POLRESABC'],
    ['SQL-looking text', `'; DROP TABLE "user"; --`],
    ['SQL in a command name', `help'--#x`],
    ['an unknown command', 'rekapsemua#POLRESABC'],
    ['a greeting', 'Selamat pagi pak'],
  ])('%s gets the sender’s hint', async (_, text) => {
    expect(await t.replies(MEMBER, text)).toEqual([unknownTextHint('member')]);
    expect(await t.replies(STRANGER, text)).toEqual([unknownTextHint('unknown')]);
    expect(await t.replies(OPERATOR, text)).toEqual([unknownTextHint('operator')]);
  });

  it('leaves the database intact after SQL-looking text', async () => {
    await t.say(MEMBER, `whoami#'); DELETE FROM "user"; --`);
    const { rows } = await database().db.query<{ n: number }>('SELECT count(*) AS n FROM "user"');
    expect(rows[0]!.n).toBe(1);
  });

  it('answers wrong arguments with the syntax and an example', async () => {
    expect(await t.replies(ADMIN, 'status#now')).toEqual(['⚠️ Format perintah salah.\nFormat: *status*\nContoh: status']);
    expect(await t.replies(ADMIN, 'tolak')).toEqual(['⚠️ Format perintah salah.\nFormat: *tolak#<client>*\nContoh: tolak#POLRESABC']);
    expect(await t.replies(ADMIN, 'tolak#A#B')).toEqual(['⚠️ Format perintah salah.\nFormat: *tolak#<client>*\nContoh: tolak#POLRESABC']);
    expect(await t.replies(ADMIN, 'help#a#b')).toEqual(['⚠️ Format perintah salah.\nFormat: *help[#<perintah>]*\nContoh: help']);
  });

  it('keeps # in the last argument when the command declares it', async () => {
    expect(await t.replies(ADMIN, 'GEMA# halo # dunia #1 ')).toEqual(['gema: halo # dunia #1']);
  });

  it('turns a UserError into its reply and a UsageError into the syntax with the reason', async () => {
    expect(await t.replies(ADMIN, 'tolak#POLRESXYZ')).toEqual(['❌ Client *POLRESXYZ* tidak ditemukan.']);
    expect(await t.replies(ADMIN, 'tolak#X')).toEqual([
      '⚠️ Client tidak boleh X.\nFormat: *tolak#<client>*\nContoh: tolak#POLRESABC',
    ]);
  });

  it('answers an unexpected failure with an apology and records it', async () => {
    expect(await t.replies(MEMBER, 'boom')).toEqual([APOLOGY]);
    const { rows } = await database().db.query(
      `SELECT outcome, detail FROM command_audit WHERE command = 'boom' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows).toEqual([{ outcome: 'error', detail: 'database exploded' }]);
  });

  it('handles a message delivered twice only once', async () => {
    const message = { id: 'wamid.same', senderId: `${MEMBER}@c.us`, chatId: `${MEMBER}@c.us`, text: 'whoami' };
    await Promise.all([t.transport.receive(message), t.transport.receive(message)]); // at once
    await t.transport.receive(message); // and again later
    await t.bot.outbox.drain();
    expect(t.transport.takeTexts()).toHaveLength(1);
  });
});
