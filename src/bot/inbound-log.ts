/**
 * Inbound message ids, remembered in the database: a message WhatsApp delivers
 * twice, or delivers again after a restart, is handled once. A message seen but
 * never finished (the process died mid-way) is handled again; its replies carry
 * idempotency keys, so nothing is sent twice.
 */
import type { Queryable } from '../db/db.js';
import type { InboundMessage } from '../transport/transport.js';
import type { AuditEntry } from './audit.js';

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

  /**
   * Marks the message handled and, when it was a command, writes its audit row in
   * the same statement (one round trip per message instead of two).
   */
  async finish(id: string, at: Date, audit?: AuditEntry | null): Promise<void> {
    if (!audit) {
      await this.db.query('UPDATE inbound_message SET handled_at = $2 WHERE id = $1', [id, at]);
      return;
    }
    await this.db.query(
      `WITH done AS (UPDATE inbound_message SET handled_at = $2 WHERE id = $1)
       INSERT INTO command_audit (at, sender_id, role, command, client_id, chat_id, outcome, detail)
       VALUES ($2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, at, audit.senderId, audit.role, audit.command, audit.clientId, audit.chatId, audit.outcome, audit.detail ?? null],
    );
  }

  async prune(before: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'WITH gone AS (DELETE FROM inbound_message WHERE received_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
      [before],
    );
    return rows[0]?.n ?? 0;
  }
}
