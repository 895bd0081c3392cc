import { beforeAll, describe, expect, it } from 'vitest';
import { offlineNote } from '../../src/bot/texts.js';
import { createTestBot, dm, GROUP, MEMBER, seedChatFixture } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`inbound delivery (${backend})`, () => {
  const database = useTestDatabase();
  beforeAll(async () => seedChatFixture(database().db));

  it('does not handle a message again after a restart', async () => {
    const first = await createTestBot(database().db);
    const message = { id: 'wamid.restart-1', senderId: dm(MEMBER), text: 'whoami', timestamp: first.clock.now };
    await first.transport.receive(message);
    await first.bot.outbox.drain();
    expect(first.transport.takeTexts()).toHaveLength(1);
    const second = await createTestBot(database().db);
    await second.transport.receive(message);
    await second.bot.outbox.drain();
    expect(second.transport.takeTexts()).toEqual([]);
  });

  it('handles again a message whose handling was cut short, without sending a reply twice', async () => {
    const t = await createTestBot(database().db);
    const message = { id: 'wamid.cut-1', senderId: dm(MEMBER), text: 'whoami', timestamp: t.clock.now };
    await t.transport.receive(message);
    await t.bot.outbox.drain();
    expect(t.transport.takeTexts()).toHaveLength(1);
    // As if the process had died after queueing the reply but before marking the message handled.
    await database().db.query(`DELETE FROM inbound_message WHERE id = 'wamid.cut-1'`);
    await t.transport.receive(message);
    await t.bot.outbox.drain();
    expect(t.transport.takeTexts()).toEqual([]);
    const { rows } = await database().db.query(`SELECT handled_at FROM inbound_message WHERE id = 'wamid.cut-1'`);
    expect(rows[0]!.handled_at).toBeInstanceOf(Date);
  });

  it('answers caught-up messages inside the window, and older ones with one short note', async () => {
    const t = await createTestBot(database().db, { env: { CICERO_CATCHUP_WINDOW_S: '600' } });
    const now = t.clock.now.getTime();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
    await t.transport.receive({ id: 'old-1', senderId: dm(MEMBER), text: 'whoami', timestamp: at(45) });
    await t.transport.receive({ id: 'old-2', senderId: dm(MEMBER), text: 'help', timestamp: at(44) });
    await t.transport.receive({ id: 'old-g', senderId: dm(MEMBER), chatId: GROUP, isGroup: true, text: 'whoami', timestamp: at(44) });
    await t.transport.receive({ id: 'recent', senderId: dm(MEMBER), text: 'whoami', timestamp: at(9) });
    await t.bot.outbox.drain();
    expect(t.transport.takeTexts()).toEqual([
      { chatId: dm(MEMBER), text: offlineNote(at(45), 'Asia/Jakarta') },
      { chatId: dm(MEMBER), text: expect.stringMatching(/^👤 \*Identitas Anda di Cicero\*/) },
    ]);
    expect(offlineNote(at(45), 'Asia/Jakarta')).toBe(
      '🙏 Maaf, Cicero sedang offline ketika pesan Anda dikirim (Rabu, 25/11/2026 09.15.00 WIB). Silakan kirim ulang perintah Anda bila masih diperlukan.',
    );
  });
});
