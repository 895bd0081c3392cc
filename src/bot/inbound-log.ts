/**
 * Inbound message ids, remembered in the database: a message WhatsApp delivers
 * twice, or delivers again after a restart, is handled once. The id is written when
 * handling completes; a message whose handling was cut short (the process died
 * mid-way) has no row and is handled again; its replies carry idempotency keys, so
 * nothing is sent twice. (Two deliveries at the same moment are kept apart in
 * memory by the router.)
 */
import type { Queryable } from '../db/db.js';
import type { InboundMessage } from '../transport/transport.js';
import type { AuditEntry } from './audit.js';
import { deleteCounting } from '../db/delete-counting.js';

export type InboundStatus = 'new' | 'handled';

export class InboundLog {
  constructor(private readonly db: Queryable) {}

  /** A read, not a write: most messages are new, and every write costs a commit. */
  async status(id: string): Promise<InboundStatus> {
    const { rows } = await this.db.query<{ handled_at: Date | null }>(
      'SELECT handled_at FROM inbound_message WHERE id = $1',
      [id],
    );
    return rows[0]?.handled_at ? 'handled' : 'new';
  }

  /**
   * Marks the message handled and, when it was a command, writes its audit row in
   * the same statement (one round trip per message instead of two).
   */
  async finish(message: InboundMessage, at: Date, audit?: AuditEntry | null): Promise<void> {
    const done = `INSERT INTO inbound_message (id, chat_id, sender_id, received_at, handled_at) VALUES ($1, $2, $3, $4, $4)
                  ON CONFLICT (id) DO UPDATE SET handled_at = excluded.handled_at`;
    const ids = [message.id, message.chatId, message.senderId, at];
    if (!audit) {
      await this.db.query(done, ids);
      return;
    }
    await this.db.query(
      `WITH done AS (${done})
       INSERT INTO command_audit (at, sender_id, role, command, client_id, chat_id, outcome, detail)
       VALUES ($4, $5, $6, $7, $8, $9, $10, $11)`,
      [...ids, audit.senderId, audit.role, audit.command, audit.clientId, audit.chatId, audit.outcome, audit.detail ?? null],
    );
  }

  async prune(before: Date): Promise<number> {
    return deleteCounting(this.db, 'DELETE FROM inbound_message WHERE received_at < $1', [before]);
  }
}
