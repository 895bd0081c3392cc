/**
 * Approving or refusing a dashboard account (`approvedash#`, `denydash#`): its `status`.
 * A refused account's chat sessions end at once, as `cicero dashboard-user disable` does.
 * The change_log row names the account by its id in `user_id` with the field
 * `dashboard_user.status`, so it is never mistaken for a member's NRP. The `clientrequest`
 * menu lists the accounts waiting for approval (`pendingAccounts`).
 */
import { type Actor, recordChanges } from '../audit/change-log.js';
import type { Db, Queryable } from '../db/db.js';

export interface DashboardAccount {
  userId: string;
  username: string;
  role: string;
  clientId: string | null;
  status: boolean;
}

export type StatusOutcome = { found: false } | { found: true; account: DashboardAccount; changed: boolean; sessionsEnded: number };

/**
 * Sets the status of the account whose id is `typed` (or, since `cicero dashboard-user
 * list` shows usernames and not ids, whose username is `typed`, in any case).
 */
export async function setDashboardStatus(db: Db, actor: Actor, typed: string, status: boolean, now: Date): Promise<StatusOutcome> {
  return db.tx(async (t) => {
    const { rows } = await t.query<{ user_id: string; username: string; role: string; client_id: string | null; status: boolean }>(
      `SELECT user_id, username, role, client_id, status FROM dashboard_user
        WHERE user_id = $1 OR lower(username) = lower($1)
        ORDER BY user_id = $1 DESC LIMIT 1 FOR UPDATE`,
      [typed.trim()],
    );
    const r = rows[0];
    if (!r) return { found: false };
    const account: DashboardAccount = { userId: r.user_id, username: r.username, role: r.role, clientId: r.client_id, status };
    if (r.status === status) return { found: true, account, changed: false, sessionsEnded: 0 };
    await t.query('UPDATE dashboard_user SET status = $2, updated_at = $3 WHERE user_id = $1', [r.user_id, status, now]);
    const ended = status
      ? { rows: [] }
      : await t.query('DELETE FROM operator_session WHERE dashboard_user_id = $1 RETURNING 1', [r.user_id]);
    await recordChanges(
      t,
      actor,
      [{ clientId: r.client_id, userId: r.user_id, field: 'dashboard_user.status', oldValue: String(r.status), newValue: String(status) }],
      now,
    );
    return { found: true, account, changed: true, sessionsEnded: ended.rows.length };
  });
}

/** The accounts waiting for approval (`status` false: new, or refused earlier), oldest first. */
export async function pendingAccounts(db: Queryable): Promise<DashboardAccount[]> {
  const { rows } = await db.query<{ user_id: string; username: string; role: string; client_id: string | null }>(
    `SELECT user_id, username, role, client_id FROM dashboard_user WHERE NOT status ORDER BY created_at, username`,
  );
  return rows.map((r) => ({ userId: r.user_id, username: r.username, role: r.role, clientId: r.client_id, status: false }));
}
