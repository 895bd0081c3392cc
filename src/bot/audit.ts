/**
 * The command audit trail: one row per handled command, for accountability. Rows
 * are written with the message's completion (InboundLog.finish); this prunes them.
 */
import type { Queryable } from '../db/db.js';
import { deleteCounting } from '../db/delete-counting.js';

export type AuditOutcome = 'done' | 'refused' | 'error';

export interface AuditEntry {
  senderId: string;
  role: string;
  command: string;
  clientId: string | null;
  chatId: string;
  outcome: AuditOutcome;
  detail?: string;
}

export class CommandAudit {
  constructor(private readonly db: Queryable) {}

  /** Deletes rows older than the retention period; returns how many. */
  async prune(olderThan: Date): Promise<number> {
    return deleteCounting(this.db, 'DELETE FROM command_audit WHERE at < $1', [olderThan]);
  }
}
