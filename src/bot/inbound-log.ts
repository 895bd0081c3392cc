/**
 * Inbound message ids, remembered in the database: a message WhatsApp delivers
 * twice, or delivers again after a restart, is handled once. A message seen but
 * never finished (the process died mid-way) is handled again; its replies carry
 * idempotency keys, so nothing is sent twice.
 */
import type { Queryable } from '../db/db.js';
import type { InboundMessage } from '../transport/transport.js';

export type InboundStatus = 'new' | 'unfinished' | 'handled';

export class InboundLog {
  constructor(private readonly db: Queryable) {}

  async begin(message: InboundMessage): Promise<InboundStatus> {
    const { rows } = await this.db.query<{ inserted: boolean; handled_at: Date | null }>(
      `INSERT INTO inbound_message (id, chat_id, sender_id) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET id = excluded.id
       RETURNING (xmax = 0) AS inserted, handled_at`,
      [message.id, message.chatId, message.senderId],
    );
    const row = rows[0]!;
    if (row.inserted) return 'new';
    return row.handled_at ? 'handled' : 'unfinished';
  }

  async finish(id: string, at: Date): Promise<void> {
    await this.db.query('UPDATE inbound_message SET handled_at = $2 WHERE id = $1', [id, at]);
  }

  async prune(before: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'WITH gone AS (DELETE FROM inbound_message WHERE received_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
      [before],
    );
    return rows[0]?.n ?? 0;
  }
}
