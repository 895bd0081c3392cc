import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createTestBot, dm, GROUP, MEMBER, OPERATOR, seedChatFixture, UNBOUND_GROUP } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { cuttableDatabase } from '../helpers/outage.js';

/** What the bot makes of a message decides the transport's "seen" marks: `held` must be exact. */
describe(`dispositions (${backend})`, () => {
  const database = useTestDatabase();
  beforeAll(async () => seedChatFixture(database().db));

  it('a private message is handled, group chatter ignored, a group command handled', async () => {
    const t = await createTestBot(database().db);
    const answered = await t.deliver(MEMBER, 'whoami', { id: 'd-1' });
    expect(answered.disposition).toBe('handled');
    expect(answered.texts).toHaveLength(1);
    expect(await t.deliver(MEMBER, 'bukan perintah')).toMatchObject({ disposition: 'handled', texts: [{ chatId: dm(MEMBER) }] });

    expect(await t.deliver(MEMBER, 'selamat pagi komandan', { group: GROUP })).toEqual({ disposition: 'ignored', texts: [] });
    expect(await t.deliver(ADMIN, 'siap 86', { group: UNBOUND_GROUP })).toEqual({ disposition: 'ignored', texts: [] });
    expect((await t.deliver(MEMBER, 'whoami', { group: GROUP })).disposition).toBe('handled');
    // A command in a group the bot does not serve is recorded without a reply: taken for good.
    expect(await t.deliver(MEMBER, 'whoami', { group: UNBOUND_GROUP })).toEqual({ disposition: 'handled', texts: [] });

    // Delivered again (a catch-up re-read): already handled, nothing sent twice.
    expect(await t.deliver(MEMBER, 'whoami', { id: 'd-1' })).toEqual({ disposition: 'handled', texts: [] });
  });

  it('holds a message while the database is away, and those that arrive behind it', async () => {
    const link = await cuttableDatabase(database());
    try {
      const t = await createTestBot(link.db);
      const receive = (id: string, from: string, text: string, group?: string) =>
        t.transport.receive({ id, senderId: dm(from), chatId: group ?? dm(from), text, timestamp: t.clock.now });

      link.cut();
      expect(await receive('h-1', MEMBER, 'whoami')).toBe('held');
      expect(await receive('h-2', OPERATOR, 'whoami', GROUP)).toBe('held'); // a group command waits too
      expect(await receive('h-3', MEMBER, 'selamat pagi', GROUP)).toBe('ignored'); // chatter needs no database
      link.restore();
      // The database is back, but the waiting messages go first: this one queues behind them.
      expect(await receive('h-4', MEMBER, 'help')).toBe('held');
      expect(t.bot.heldCount()).toBe(3);

      await t.bot.retryHeld();
      expect(t.bot.heldCount()).toBe(0);
      await t.bot.outbox.drain();
      expect(t.transport.takeTexts()).toHaveLength(3);
      // Once answered from the waiting room, a re-delivery is handled (nothing sent twice).
      expect(await receive('h-1', MEMBER, 'whoami')).toBe('handled');
      expect(await receive('h-5', MEMBER, 'whoami')).toBe('handled');
      await t.bot.outbox.drain();
      expect(t.transport.takeTexts()).toHaveLength(1);
      t.bot.detach();
    } finally {
      await link.close();
    }
  });

  it('turns messages away while closing, recording nothing, and still ignores group chatter', async () => {
    const t = await createTestBot(database().db);
    await t.bot.stop(60_000);
    const receive = (id: string, chatId: string, text: string) =>
      t.transport.receive({ id, senderId: dm(MEMBER), chatId, text, timestamp: t.clock.now });
    expect(await receive('c-1', dm(MEMBER), 'whoami')).toBe('held');
    expect(await receive('c-2', GROUP, 'whoami')).toBe('held');
    expect(await receive('c-3', GROUP, 'selamat pagi')).toBe('ignored');
    const { rows } = await database().db.query(`SELECT id FROM inbound_message WHERE id IN ('c-1', 'c-2', 'c-3')`);
    expect(rows).toEqual([]);
    expect(t.transport.sent).toEqual([]);
  });
});
