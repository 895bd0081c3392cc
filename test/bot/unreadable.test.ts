import { beforeAll, describe, expect, it } from 'vitest';
import { floodNotice, UNREADABLE_HINT } from '../../src/bot/texts.js';
import { ADMIN, createTestBot, dm, GROUP, MEMBER, seedChatFixture, STRANGER, UNBOUND_GROUP } from '../helpers/bot.js';
import { backend, counting, useTestDatabase } from '../helpers/db.js';

/** Voice notes, stickers, media without a caption: what the transport passes as `unreadable`. */
describe(`unreadable messages (${backend})`, () => {
  const database = useTestDatabase();
  beforeAll(async () => seedChatFixture(database().db));

  it('answers one in a private chat with one line, once per message, without an audit row', async () => {
    const t = await createTestBot(database().db);
    for (const from of [MEMBER, STRANGER, ADMIN]) {
      const id = `u-${from}`;
      expect(await t.deliver(from, '', { id, kind: 'unreadable' })).toEqual({
        disposition: 'handled',
        texts: [{ chatId: dm(from), text: UNREADABLE_HINT }],
      });
      // Delivered again (a catch-up re-read, a second process): no second reply.
      expect(await t.deliver(from, '', { id, kind: 'unreadable' })).toEqual({ disposition: 'handled', texts: [] });
    }
    const { rows } = await database().db.query<{ handled: boolean }>(
      `SELECT handled_at IS NOT NULL AS handled FROM inbound_message WHERE id LIKE 'u-%'`,
    );
    expect(rows).toEqual([{ handled: true }, { handled: true }, { handled: true }]);
    const audit = await database().db.query(`SELECT 1 FROM command_audit WHERE chat_id = ANY($1)`, [[dm(MEMBER), dm(STRANGER), dm(ADMIN)]]);
    expect(audit.rows).toEqual([]); // like text that is not a command
  });

  it('counts toward the flood limit', async () => {
    const t = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '2' } });
    expect(await t.replies(MEMBER, '', { kind: 'unreadable' })).toEqual([UNREADABLE_HINT]);
    expect(await t.replies(MEMBER, 'whoami')).toHaveLength(1);
    const [notice] = await t.replies(MEMBER, '', { kind: 'unreadable' });
    expect(notice).toBe(floodNotice(new Date(t.clock.now.getTime() + 60_000), 'Asia/Jakarta'));
    expect(await t.replies(MEMBER, '', { kind: 'unreadable' })).toEqual([]);
  });

  it('ignores one in a group, bound or not, from anyone, without touching the database', async () => {
    const { db, statements } = counting(database().db);
    const t = await createTestBot(db);
    statements.length = 0;
    for (const group of [GROUP, UNBOUND_GROUP]) {
      for (const from of [MEMBER, ADMIN, '888888888888888@lid']) {
        const disposition = await t.transport.receive({
          senderId: from.includes('@') ? from : dm(from),
          chatId: group,
          text: '',
          kind: 'unreadable',
          timestamp: t.clock.now,
        });
        expect(disposition).toBe('ignored');
      }
    }
    expect(statements).toEqual([]);
    expect(t.transport.lidQuestions).toEqual([]);
    await t.bot.outbox.drain();
    expect(t.transport.sent).toEqual([]);
  });

  it('treats a message without a kind as text', async () => {
    const t = await createTestBot(database().db);
    expect(await t.replies(MEMBER, 'whoami')).toEqual([expect.stringMatching(/^👤/)]);
    expect(await t.replies(MEMBER, 'whoami', { kind: 'text' })).toEqual([expect.stringMatching(/^👤/)]);
  });
});
