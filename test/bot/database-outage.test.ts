import { describe, expect, it } from 'vitest';
import { DATABASE_DELAY_NOTICE } from '../../src/bot/texts.js';
import { createTestBot, dm, MEMBER, seedChatFixture } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { cuttableDatabase } from '../helpers/outage.js';

describe(`database outage while receiving (${backend})`, () => {
  const database = useTestDatabase();

  it('holds messages while the database is away, tells a waiting sender, and answers once it is back', async () => {
    await seedChatFixture(database().db);
    const link = await cuttableDatabase(database());
    try {
      const t = await createTestBot(link.db, { env: { CICERO_DB_WAIT_NOTICE_S: '1' } });
      expect(await t.replies(MEMBER, 'whoami')).toHaveLength(1);

      link.cut();
      await t.transport.receive({ id: 'during-outage', senderId: dm(MEMBER), text: 'whoami', timestamp: t.clock.now });
      expect(t.bot.heldCount()).toBe(1);
      expect(t.transport.sent).toEqual([]);
      // Told directly (the outbox needs the database) once the wait gets long.
      await expect.poll(() => t.transport.takeTexts(), { timeout: 10_000, interval: 200 }).toEqual([
        { chatId: dm(MEMBER), text: DATABASE_DELAY_NOTICE },
      ]);

      link.restore();
      await expect.poll(() => t.bot.heldCount(), { timeout: 40_000, interval: 200 }).toBe(0);
      await t.bot.outbox.drain();
      expect(t.transport.takeTexts()).toEqual([{ chatId: dm(MEMBER), text: expect.stringMatching(/^👤 \*Identitas Anda/) }]);
      // Handled once: a redelivery is recognised.
      await t.transport.receive({ id: 'during-outage', senderId: dm(MEMBER), text: 'whoami', timestamp: t.clock.now });
      await t.bot.outbox.drain();
      expect(t.transport.takeTexts()).toEqual([]);
      t.bot.detach();
    } finally {
      await link.close();
    }
  });
});
