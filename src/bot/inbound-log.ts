/**
 * Inbound message ids, remembered in the database: a message WhatsApp delivers
 * twice, delivers again after a restart, or delivers to two processes sharing one
 * number, is handled once. A process claims the id atomically before handling it;
 * another process finds it claimed and leaves it. A claim whose process died (its
 * heartbeat in `bot_worker` went stale) is taken over, so a message cut short by a
 * crash is handled again on redelivery; its replies carry idempotency keys, so
 * nothing is sent twice.
 */
import type { Queryable } from '../db/db.js';
import { type NewRow, OutboxStore } from '../outbox/store.js';
import { STALE_S, workerAlive } from '../db/presence.js';
import type { InboundMessage } from '../transport/transport.js';
import type { AuditEntry } from './audit.js';
import { type ConversationChange, ConversationStore } from './conversation.js';
import { deleteCounting } from '../db/delete-counting.js';
import { type AttachmentRecipe, PendingAttachmentStore } from './attachments.js';

export class InboundLog {
  constructor(private readonly db: Queryable) {}

  /**
   * Claims the message for `worker`: true when this process is to handle it (new, or
   * claimed before by this process or by one that died), false when it was handled
   * or another live process has it.
   */
  async claim(message: InboundMessage, worker: string, at: Date): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO inbound_message (id, chat_id, sender_id, received_at, claimed_by, claimed_at)
       VALUES ($1, $2, $3, $4, $5, clock_timestamp())
       ON CONFLICT (id) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at
        WHERE inbound_message.handled_at IS NULL
          AND (inbound_message.claimed_by IS NULL OR inbound_message.claimed_by = excluded.claimed_by
               OR NOT ${workerAlive('inbound_message.claimed_by', '$6')})
       RETURNING 1`,
      [message.id, message.chatId, message.senderId, at, worker, STALE_S],
    );
    return rows.length > 0;
  }

  /**
   * In one statement, so all of it or none is written: marks the message handled,
   * queues its replies (`replies`, outbox rows), writes its change to the sender's
   * conversation and, when it was a command, its audit row, and records the attachments
   * its replies promised (`pending_attachment`, claimed by `attachments.worker`). A crash before it leaves the message to be handled again; after it,
   * nothing is left to do but build the attachments.
   */
  async finish(
    message: InboundMessage,
    at: Date,
    audit?: AuditEntry | null,
    replies: readonly NewRow[] = [],
    conversation: ConversationChange | null = null,
    attachments: { recipes: readonly AttachmentRecipe[]; endpoint: string; worker: string } | null = null,
  ): Promise<void> {
    const params: unknown[] = [message.id, message.chatId, message.senderId, at];
    const parts = [
      `done AS (INSERT INTO inbound_message (id, chat_id, sender_id, received_at, handled_at) VALUES ($1, $2, $3, $4, $4)
                ON CONFLICT (id) DO UPDATE SET handled_at = excluded.handled_at, claimed_by = NULL RETURNING 1)`,
    ];
    if (audit) {
      const a = params.length;
      parts.push(
        `audit AS (INSERT INTO command_audit (at, sender_id, role, command, client_id, chat_id, outcome, detail)
                   VALUES ($4, $${a + 1}, $${a + 2}, $${a + 3}, $${a + 4}, $${a + 5}, $${a + 6}, $${a + 7}) RETURNING 1)`,
      );
      params.push(audit.senderId, audit.role, audit.command, audit.clientId, audit.chatId, audit.outcome, audit.detail ?? null);
    }
    if (replies.length > 0) {
      const insert = OutboxStore.insertStatement(replies, params.length + 1, '$4');
      parts.push(`replies AS (${insert.sql} RETURNING 1)`);
      params.push(...insert.params);
    }
    if (conversation) {
      const change = ConversationStore.changeStatement(conversation, params.length + 1);
      parts.push(`conversation_change AS (${change.sql} RETURNING 1)`);
      params.push(...change.params);
    }
    if (attachments && attachments.recipes.length > 0) {
      const { recipes, endpoint, worker } = attachments;
      const insert = PendingAttachmentStore.insertStatement(recipes, endpoint, worker, params.length + 1, '$4');
      parts.push(`attachments AS (${insert.sql} RETURNING 1)`);
      params.push(...insert.params);
    }
    await this.db.query(`WITH ${parts.join(',\n')} SELECT 1`, params);
  }

  async prune(before: Date): Promise<number> {
    return deleteCounting(this.db, 'DELETE FROM inbound_message WHERE received_at < $1', [before]);
  }
}
