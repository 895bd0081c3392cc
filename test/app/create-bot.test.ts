/** How createBot wires the transport, the kill-switch and the outbox together. */
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryTransport } from '../../src/transport/memory.js';
import type { TransportAlert } from '../../src/transport/transport.js';
import { ADMIN, ADMIN_LID, createTestBot, dm, MEMBER } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

/** A memory transport that raises alerts and counts the resumes it is asked for, as WhatsApp's does. */
class AlertingTransport extends MemoryTransport {
  resumes = 0;

  /** Resolves once the bot has acted on the alert. */
  emitAlert(alert: TransportAlert): Promise<void> {
    return this.alert(alert);
  }

  resume(): void {
    this.resumes++;
  }
}

const PAUSE_ALERT =
  '🚨 *Cicero menjeda semua pengiriman pesan*\n' +
  'Alasan: WhatsApp melaporkan status TOS_BLOCK\n' +
  'Sejak: Rabu, 25/11/2026 10.00.00 WIB\n' + // the test clock, 03:00 UTC
  'WhatsApp mungkin sedang membatasi nomor bot. Periksa nomor tersebut di ponsel, lalu kirim *outbox#resume* untuk melanjutkan.';

describe(`createBot wiring (${backend})`, () => {
  const database = useTestDatabase();
  beforeEach(async () => {
    await database().db.query('DELETE FROM bot_state');
    // Every test's clock starts at the same moment, so its alerts have the same keys, which are unique across endpoints.
    await database().db.query('DELETE FROM outbox');
  });

  async function bot() {
    const transport = new AlertingTransport();
    const t = await createTestBot(database().db, { transport });
    return { ...t, transport };
  }

  const queued = async (endpoint: string) =>
    (
      await database().db.query<{ chat_id: string; message_key: string; body: string; status: string }>(
        'SELECT chat_id, message_key, body, status FROM outbox WHERE endpoint = $1 ORDER BY chat_id',
        [endpoint],
      )
    ).rows;

  it('an unreachable alert queues one message per admin, once however often it is raised, sent once WhatsApp is back', async () => {
    const t = await bot();
    t.transport.simulateState('disconnected');
    const alert: TransportAlert = {
      kind: 'unreachable',
      since: new Date('2026-11-25T02:55:00Z'),
      attempts: 3,
      reason: 'no QR code and no ready session within 60 s',
    };
    await t.transport.emitAlert(alert);
    const text =
      '🚨 *Cicero gagal tersambung ke WhatsApp*\n' +
      'Sejak: Rabu, 25/11/2026 09.55.00 WIB\n' +
      'Percobaan gagal berturut-turut: 3\n' +
      'Alasan terakhir: no QR code and no ready session within 60 s\n' +
      'Bot terus mencoba menyambung ulang. Pesan ini terkirim begitu sambungan pulih; bila gangguan berulang, periksa server bot (log dan /healthz).';
    const expected = [dm(ADMIN), ADMIN_LID].sort().map((chat) => ({
      chat_id: chat,
      message_key: `unreachable:2026-11-25T02:55:00.000Z:${chat}`,
      body: text,
      status: 'pending',
    }));
    expect(await queued(t.transport.endpoint)).toEqual(expected);

    await t.transport.emitAlert(alert); // the same alert again: nothing more
    expect(await queued(t.transport.endpoint)).toEqual(expected);
    await t.bot.outbox.drain();
    expect(t.transport.sent).toEqual([]); // still not connected

    t.transport.simulateState('ready');
    await t.bot.outbox.drain();
    expect(t.transport.takeTexts().sort((a, b) => a.chatId.localeCompare(b.chatId))).toEqual(
      [dm(ADMIN), ADMIN_LID].sort().map((chatId) => ({ chatId, text })),
    );
  });

  it('a pause tripped while WhatsApp is not ready queues the alert to the admins; it goes through the pause, member replies wait', async () => {
    const t = await bot();
    t.transport.simulateState('disconnected');
    await t.bot.outbox.enqueue({ chatId: dm(MEMBER), key: 'member-reply', text: 'untuk anggota' });
    await t.transport.simulateRestriction({ kind: 'blocked', state: 'TOS_BLOCK' }); // resolves once the admins were alerted
    expect(t.bot.outbox.paused()?.cause).toEqual({ kind: 'blocked', state: 'TOS_BLOCK' });
    expect(t.transport.sent).toEqual([]);
    expect(await queued(t.transport.endpoint)).toEqual([
      ...[dm(ADMIN), ADMIN_LID].sort().map((chat) => ({
        chat_id: chat,
        message_key: `pause:2026-11-25T03:00:00.000Z:${chat}`,
        body: PAUSE_ALERT,
        status: 'pending',
      })),
      { chat_id: dm(MEMBER), message_key: 'member-reply', body: 'untuk anggota', status: 'pending' },
    ]);

    t.transport.simulateState('ready');
    await t.bot.outbox.drain();
    expect(t.bot.outbox.paused()).not.toBeNull();
    expect(t.transport.takeTexts().sort((a, b) => a.chatId.localeCompare(b.chatId))).toEqual(
      [dm(ADMIN), ADMIN_LID].sort().map((chatId) => ({ chatId, text: PAUSE_ALERT })),
    );
    expect((await queued(t.transport.endpoint)).find((r) => r.chat_id === dm(MEMBER))?.status).toBe('pending');
  });

  it('a pause alert whose direct send fails is queued instead, and goes out through the pause', async () => {
    const t = await bot();
    t.transport.failSends = new Error('Evaluation failed: boom');
    await t.transport.simulateRestriction({ kind: 'blocked', state: 'TOS_BLOCK' });
    expect(t.transport.sent).toEqual([]);
    expect((await queued(t.transport.endpoint)).map((r) => [r.chat_id, r.message_key])).toEqual(
      [dm(ADMIN), ADMIN_LID].sort().map((chat) => [chat, `pause:2026-11-25T03:00:00.000Z:${chat}`]),
    );
    t.transport.failSends = null;
    await t.bot.outbox.drain();
    expect(t.transport.takeTexts().map((m) => m.text)).toEqual([PAUSE_ALERT, PAUSE_ALERT]);
  });

  it('a pause alert sent directly is not queued as well', async () => {
    const t = await bot();
    await t.transport.simulateRestriction({ kind: 'logout' });
    expect(t.transport.takeTexts().map((m) => m.chatId).sort()).toEqual([dm(ADMIN), ADMIN_LID].sort());
    expect(await queued(t.transport.endpoint)).toEqual([]);
  });

  it('a resume asks the transport to connect again: here, and at the refresh after another process resumed', async () => {
    const t = await bot();
    await t.transport.simulateRestriction({ kind: 'blocked', state: 'TOS_BLOCK' });
    expect(t.transport.resumes).toBe(0);
    await t.bot.outbox.resume();
    expect(t.transport.resumes).toBe(1);

    // Paused again; another process (its own bot on the database) resumes.
    await t.transport.simulateRestriction({ kind: 'blocked', state: 'TOS_BLOCK' });
    const other = await bot();
    expect(other.bot.outbox.paused()).not.toBeNull();
    await other.bot.outbox.resume();
    expect(other.transport.resumes).toBe(1);
    expect(t.transport.resumes).toBe(1); // not looked yet
    t.clock.now = new Date(t.clock.now.getTime() + 10_000); // the outbox re-reads the pause every 5 s
    await t.bot.outbox.step();
    expect(t.bot.outbox.paused()).toBeNull();
    expect(t.transport.resumes).toBe(2);
  });
});
