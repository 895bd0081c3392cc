import { describe, expect, it } from 'vitest';
import { defineCommand } from '../../src/bot/command.js';
import { DATABASE_DELAY_NOTICE } from '../../src/bot/texts.js';
import { createTestBot, dm, MEMBER, OPERATOR, seedChatFixture } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { cuttableDatabase } from '../helpers/outage.js';

/** Replies once the test opens its gate: a command still in hand. */
function gatedCommand() {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const started: string[] = [];
  let reached: () => void = () => {};
  const inHandler = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const command = defineCommand({
    name: 'lambat',
    syntax: 'lambat#<teks>',
    example: 'lambat#a',
    help: 'Menjawab setelah pintu dibuka.',
    roles: ['admin', 'operator', 'member', 'unknown'],
    args: { min: 1, max: 1 },
    async handler(ctx) {
      started.push(ctx.args[0]!);
      reached();
      await gate;
      await ctx.reply(`lambat ${ctx.args[0]}`);
    },
  });
  return { command, open: () => open(), started, inHandler };
}

const texts = (sent: Array<{ chatId: string; text: string }>, chat: string) =>
  sent.filter((m) => m.chatId === chat).map((m) => m.text.split('\n')[0]);

describe(`database outage while receiving (${backend})`, () => {
  const database = useTestDatabase();

  it('holds messages in order, tells each waiting chat once at the notice age, and handles them first once the database is back', async () => {
    await seedChatFixture(database().db);
    const link = await cuttableDatabase(database());
    try {
      const t = await createTestBot(link.db, { env: { CICERO_DB_WAIT_NOTICE_S: '20' } });
      const t0 = t.clock.now.getTime();
      const at = (seconds: number) => new Date(t0 + seconds * 1000);
      const receive = (id: string, from: string, text: string, seconds: number) =>
        t.transport.receive({ id, senderId: dm(from), text, timestamp: at(seconds) });

      link.cut();
      await receive('m1', MEMBER, 'whoami', 0);
      await receive('m2', MEMBER, 'help', 0);
      t.clock.now = at(5);
      await receive('o1', OPERATOR, 'whoami', 5);
      expect(t.bot.heldCount()).toBe(3);
      expect(t.transport.sent).toEqual([]);

      // However the probes fare, a chat is told when its wait reaches the notice age, once.
      await t.bot.retryHeld();
      t.clock.now = at(19);
      await t.bot.retryHeld();
      expect(t.bot.heldCount()).toBe(3);
      expect(t.transport.takeTexts()).toEqual([]);
      t.clock.now = at(21);
      await t.bot.retryHeld();
      expect(t.transport.takeTexts()).toEqual([{ chatId: dm(MEMBER), text: DATABASE_DELAY_NOTICE }]);
      t.clock.now = at(26);
      await t.bot.retryHeld();
      await t.bot.retryHeld();
      expect(t.transport.takeTexts()).toEqual([{ chatId: dm(OPERATOR), text: DATABASE_DELAY_NOTICE }]);

      link.restore();
      // Arriving now, a later message still queues behind the held ones.
      await receive('m3', MEMBER, 'whoami', 27);
      expect(t.bot.heldCount()).toBe(4);
      // The first probe that finds the database answers everything held, in arrival order.
      await t.bot.retryHeld();
      expect(t.bot.heldCount()).toBe(0);
      await t.bot.outbox.drain();
      const sent = t.transport.takeTexts();
      expect(texts(sent, dm(MEMBER))).toEqual(['👤 *Identitas Anda di Cicero*', '📋 *Daftar Perintah Cicero*', '👤 *Identitas Anda di Cicero*']);
      expect(texts(sent, dm(OPERATOR))).toEqual(['👤 *Identitas Anda di Cicero*']);

      // Handled once: a redelivery is recognised, and the bot is back to normal.
      await receive('m1', MEMBER, 'whoami', 28);
      expect(await t.replies(MEMBER, 'whoami')).toHaveLength(1);
      // A new outage tells again.
      link.cut();
      await receive('m4', MEMBER, 'whoami', 30);
      t.clock.now = at(60);
      await t.bot.retryHeld();
      expect(t.transport.takeTexts()).toEqual([{ chatId: dm(MEMBER), text: DATABASE_DELAY_NOTICE }]);
      link.restore();
      await t.bot.retryHeld();
      await t.bot.outbox.drain();
      expect(texts(t.transport.takeTexts(), dm(MEMBER))).toEqual(['👤 *Identitas Anda di Cicero*']);
      t.bot.detach();
    } finally {
      await link.close();
    }
  });

  it('never answers a sender’s later message before an earlier one, even when the earlier one is slow', async () => {
    const slow = gatedCommand();
    const t = await createTestBot(database().db, { extraCommands: [slow.command] });
    const first = t.transport.receive({ senderId: dm(MEMBER), text: 'lambat#1', timestamp: t.clock.now });
    const second = t.transport.receive({ senderId: dm(MEMBER), text: 'whoami', timestamp: t.clock.now });
    const other = t.transport.receive({ senderId: dm(OPERATOR), text: 'whoami', timestamp: t.clock.now });
    await other; // another chat is not held up
    await slow.inHandler;
    expect(slow.started).toEqual(['1']);
    slow.open();
    await Promise.all([first, second]);
    await t.bot.outbox.drain();
    expect(texts(t.transport.takeTexts(), dm(MEMBER))).toEqual(['lambat 1', '👤 *Identitas Anda di Cicero*']);
  });
});

describe(`shutdown (${backend})`, () => {
  const database = useTestDatabase();

  it('stops taking messages, finishes the one in hand, sends its reply, and counts what it turned away', async () => {
    await seedChatFixture(database().db);
    const slow = gatedCommand();
    const t = await createTestBot(database().db, { extraCommands: [slow.command] });
    const inHand = t.transport.receive({ senderId: dm(MEMBER), text: 'lambat#x', timestamp: t.clock.now });
    await slow.inHandler;
    const stopping = t.bot.stop(60_000);
    await t.transport.receive({ senderId: dm(OPERATOR), text: 'whoami', timestamp: t.clock.now });
    slow.open();
    await inHand;
    const report = await stopping;
    expect(report).toEqual({ unanswered: { turnedAway: 1, held: 0, unfinished: 0 }, unsent: 0 });
    expect(t.transport.takeTexts()).toEqual([{ chatId: dm(MEMBER), text: 'lambat x' }]);
    expect(t.transport.state()).toBe('stopped');
    const { rows } = await database().db.query('SELECT worker FROM bot_worker WHERE worker = $1', [t.bot.presence.worker]);
    expect(rows).toEqual([]);
  });

  it('counts the messages still waiting for the database, and runs no query after it returns', async () => {
    const link = await cuttableDatabase(database());
    try {
      const t = await createTestBot(link.db);
      link.cut();
      await t.transport.receive({ id: 'held-1', senderId: dm(MEMBER), text: 'whoami', timestamp: t.clock.now });
      await t.transport.receive({ id: 'held-2', senderId: dm(OPERATOR), text: 'whoami', timestamp: t.clock.now });
      const report = await t.bot.stop(1_000);
      expect(report.unanswered).toEqual({ turnedAway: 0, held: 2, unfinished: 0 });
      expect(report.unsent).toBeNull();
      link.restore();
      // Nothing runs after stop: the held messages are left to WhatsApp's unread list.
      await t.bot.retryHeld();
      expect(t.bot.heldCount()).toBe(2);
      await t.bot.outbox.drain();
      expect(t.transport.sent).toEqual([]);
      const { rows } = await database().db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbound_message WHERE id IN ('held-1', 'held-2')`,
      );
      expect(rows[0]!.n).toBe(0);
    } finally {
      await link.close();
    }
  });
});
