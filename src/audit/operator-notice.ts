/**
 * What admins changed in a client since its operator was last told: change_log rows
 * by admins, per client, after the client's `operator_notice` mark. Read and marked in
 * one transaction by whoever tells the operator (src/app/operator-notices.ts).
 */
import type { Queryable } from '../db/db.js';
import { type ChangeRecord, type ChangeRow, changeColumns, toChangeRecord } from './change-log.js';

export interface PendingNotice {
  clientId: string;
  /** The client's operator setting as stored (a number in any form, or empty). */
  operator: string | null;
  changes: ChangeRecord[];
  lastChangeId: number;
}

/**
 * Admin changes not yet told, per client, oldest first; changes older than `since` are
 * never told (a client without a mark yet starts there, not at the beginning of time).
 */
export async function pendingNotices(db: Queryable, since: Date): Promise<PendingNotice[]> {
  const { rows } = await db.query<ChangeRow & { id: string; client_id: string; client_operator: string | null }>(
    `SELECT l.id, ${changeColumns('l.')}, c.client_operator
       FROM change_log l
       JOIN clients c ON c.client_id = l.client_id
       LEFT JOIN operator_notice n ON n.client_id = l.client_id
      WHERE l.actor_role = 'admin' AND l.id > coalesce(n.last_change_id, 0) AND l.changed_at > $1
      ORDER BY l.client_id, l.id`,
    [since],
  );
  const byClient = new Map<string, PendingNotice>();
  for (const r of rows) {
    const notice = byClient.get(r.client_id) ?? { clientId: r.client_id, operator: r.client_operator, changes: [], lastChangeId: 0 };
    notice.changes.push(toChangeRecord(r));
    notice.lastChangeId = Number(r.id);
    byClient.set(r.client_id, notice);
  }
  return [...byClient.values()];
}

/** Marks the client's changes up to `lastChangeId` as told. */
export async function markNotified(db: Queryable, clientId: string, lastChangeId: number, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO operator_notice (client_id, last_change_id, notified_at) VALUES ($1, $2, $3)
     ON CONFLICT (client_id) DO UPDATE SET last_change_id = greatest(operator_notice.last_change_id, excluded.last_change_id),
                                           notified_at = excluded.notified_at`,
    [clientId, lastChangeId, at],
  );
}
