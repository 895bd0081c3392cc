import { describe, expect, it } from 'vitest';
import { PostgresDb } from '../../src/db/postgres.js';
import { KillSwitch } from '../../src/outbox/kill-switch.js';
import { DEFAULT_SETTINGS, NO_PACING, Outbox } from '../../src/outbox/outbox.js';
import { BaseTransport, type OutgoingDocument, type OutgoingImage, type Transport } from '../../src/transport/transport.js';
import { backend, createTestDatabase } from '../helpers/db.js';
import { silentLog } from '../helpers/bot.js';

/** Two processes' transports for one endpoint; each records what it sent, slowly enough to interleave. */
class SharedEndpoint extends BaseTransport implements Transport {
  readonly name = 'memory' as const;
  readonly sent: string[] = [];
  constructor(readonly endpoint: string) {
    super();
    this.setState('ready');
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async sendText(chatId: string, text: string): Promise<void> {
    await new Promise((r) => setTimeout(r, 1));
    this.sent.push(`${chatId}|${text}`);
  }
  async sendDocument(_chatId: string, _document: OutgoingDocument): Promise<void> {}
  async sendImage(_chatId: string, _image: OutgoingImage): Promise<void> {}
}

describe.runIf(backend === 'postgres')('two workers on one PostgreSQL database', () => {
  it('never send the same row, lose none, and keep each chat’s order', async () => {
    const shared = await createTestDatabase();
    const dbs = [await PostgresDb.open(shared.url!, { max: 3 }), await PostgresDb.open(shared.url!, { max: 3 })];
    try {
      const workers = dbs.map((db) => {
        const transport = new SharedEndpoint('whatsapp');
        const outbox = new Outbox(db, transport, new KillSwitch(db, silentLog), silentLog, { ...DEFAULT_SETTINGS, pacing: NO_PACING });
        return { transport, outbox };
      });
      const expected: string[] = [];
      for (let i = 0; i < 300; i++) {
        const chat = `chat${i % 150}@c.us`; // more chats than one claim batch (50), so both workers get work
        expected.push(`${chat}|m${i}`);
        await workers[i % 2]!.outbox.enqueue({ chatId: chat, key: `k${i}`, text: `m${i}` });
      }
      await Promise.all(workers.map((w) => w.outbox.drain()));
      await Promise.all(workers.map((w) => w.outbox.drain()));
      const all = workers.flatMap((w) => w.transport.sent);
      expect(all).toHaveLength(300);
      expect(new Set(all).size).toBe(300);
      expect([...all].sort()).toEqual([...expected].sort());
      // Both took part.
      expect(workers.every((w) => w.transport.sent.length > 0)).toBe(true);
      const { rows } = await dbs[0]!.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status <> 'sent'`);
      expect(rows[0]!.n).toBe(0);
      // Per chat, rows were claimed in order: sent_at follows id.
      const order = await dbs[0]!.query<{ chat_id: string; id: number }>(
        `SELECT chat_id, id FROM outbox ORDER BY chat_id, sent_at, id`,
      );
      const byChat = new Map<string, number[]>();
      for (const r of order.rows) byChat.set(r.chat_id, [...(byChat.get(r.chat_id) ?? []), r.id]);
      for (const ids of byChat.values()) expect(ids).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      for (const db of dbs) await db.close();
      await shared.drop();
    }
  });
});
