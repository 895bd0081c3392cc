/** The broadcast gap is between different broadcast messages, not between the parts of one. */
import { describe, expect, it } from 'vitest';
import { backend, useTestDatabase } from '../helpers/db.js';
import { createTestOutbox } from '../helpers/outbox.js';

describe(`broadcast pacing (${backend})`, () => {
  const database = useTestDatabase();
  // Three paragraphs of 80 characters: at most 100 a part makes them three parts.
  const threeParts = ['a', 'b', 'c'].map((c) => c.repeat(80)).join('\n\n');
  const paced = { globalMs: 1000, chatMs: 3000, jitterMs: 0, broadcastMs: 600_000 };

  it('sends the parts of a broadcast message with only the chat pacing; the next message waits for the gap after its last part', async () => {
    await database().db.query('DELETE FROM bot_state');
    const t = await createTestOutbox(database().db, { maxChars: 100, pacing: paced });
    await t.outbox.enqueue({ chatId: 'g1@g.us', key: 'recap-g1-1', text: threeParts, origin: 'broadcast' });
    await t.outbox.enqueue({ chatId: 'g2@g.us', key: 'recap-g2-1', text: 'rekap g2', origin: 'broadcast' });
    const sent = () => t.transport.takeTexts().map((m) => `${m.chatId} ${m.text.slice(0, 3)}`);

    expect(await t.outbox.step()).toBe(true);
    expect(sent()).toEqual(['g1@g.us aaa']);
    for (const part of ['bbb', 'ccc']) {
      t.advance(2999);
      expect(await t.outbox.step()).toBe(false); // the chat cools down; g2 waits for the broadcast gap
      t.advance(1);
      expect(await t.outbox.step()).toBe(true);
      expect(sent()).toEqual([`g1@g.us ${part}`]);
    }
    // The gap runs from the last part of the first message.
    t.advance(600_000 - 1);
    expect(await t.outbox.step()).toBe(false);
    expect(sent()).toEqual([]);
    t.advance(1);
    expect(await t.outbox.step()).toBe(true);
    expect(sent()).toEqual(['g2@g.us rek']);
  });

  it('a reply between two parts does not end the broadcast message under way', async () => {
    await database().db.query('DELETE FROM bot_state');
    const t = await createTestOutbox(database().db, { maxChars: 100, pacing: paced });
    await t.outbox.enqueue({ chatId: 'g1@g.us', key: 'recap-g1-2', text: threeParts, origin: 'broadcast' });
    await t.outbox.enqueue({ chatId: 'g2@g.us', key: 'recap-g2-2', text: 'rekap g2', origin: 'broadcast' });
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'reply-2', text: 'balasan' });
    const sent = () => t.transport.takeTexts().map((m) => `${m.chatId} ${m.text.slice(0, 3)}`);
    expect(await t.outbox.step()).toBe(true);
    t.advance(1000);
    expect(await t.outbox.step()).toBe(true); // g1 cools down, g2 waits for the gap: the reply goes
    t.advance(2000);
    expect(await t.outbox.step()).toBe(true);
    t.advance(3000);
    expect(await t.outbox.step()).toBe(true);
    t.advance(3000);
    expect(sent()).toEqual(['g1@g.us aaa', 'a@c.us bal', 'g1@g.us bbb', 'g1@g.us ccc']);
    expect(await t.outbox.step()).toBe(false); // g2 still waits for the gap
  });

  it('the hourly budget still counts every part and stops the rest of a message', async () => {
    await database().db.query('DELETE FROM bot_state');
    // A gap of a whole hour: in the next hour the third part can go only as a continuation.
    const t = await createTestOutbox(database().db, { maxChars: 100, budgetPerHour: 2, pacing: { ...paced, broadcastMs: 3_600_000 } });
    await t.outbox.enqueue({ chatId: 'g1@g.us', key: 'recap-g1-3', text: threeParts, origin: 'broadcast' });
    await t.outbox.enqueue({ chatId: 'g2@g.us', key: 'recap-g2-3', text: 'rekap g2', origin: 'broadcast' });
    const sent = () => t.transport.takeTexts().map((m) => `${m.chatId} ${m.text.slice(0, 3)}`);

    expect(await t.outbox.step()).toBe(true); // 03:00:00
    t.advance(3000);
    expect(await t.outbox.step()).toBe(true); // 03:00:03
    expect(sent()).toEqual(['g1@g.us aaa', 'g1@g.us bbb']);
    t.advance(3000);
    expect(await t.outbox.step()).toBe(false); // the budget is spent
    t.advance(60 * 60_000 - 6000 - 1);
    expect(await t.outbox.step()).toBe(false); // 03:59:59.999, still this hour
    expect(sent()).toEqual([]);
    t.advance(1); // 04:00:00: a new budget; the gap since the second part is not over
    expect(await t.outbox.step()).toBe(true);
    expect(sent()).toEqual(['g1@g.us ccc']);
    t.advance(3000);
    expect(await t.outbox.step()).toBe(false); // g2 waits for the gap
    expect((await t.outbox.stats()).depth).toBe(1);
  });
});
