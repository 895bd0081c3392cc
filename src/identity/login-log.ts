/**
 * Reading `login_log` (one row per sign-in: member bindings `user`, dashboard
 * accounts `operator`) for the admins' `loginlog` command.
 */
import type { Queryable } from '../db/db.js';

export interface LoginEntry {
  actorId: string;
  /** The dashboard username (`operator`) or the member's name (`user`), when still known. */
  name: string | null;
  clientId: string | null;
  type: string;
  source: string;
  at: Date;
}

export interface LoginSummary {
  /** Newest first, at most the limit asked for. */
  entries: LoginEntry[];
  /** Every login since the start, by type. */
  counts: Array<{ type: string; count: number }>;
  total: number;
}

export async function recentLogins(db: Queryable, since: Date, limit: number): Promise<LoginSummary> {
  const [list, counts] = await Promise.all([
    db.query<{ actor_id: string; name: string | null; client_id: string | null; login_type: string; login_source: string; logged_at: Date }>(
      `SELECT l.actor_id, coalesce(d.username, u.nama) AS name, coalesce(d.client_id, u.client_id) AS client_id,
              l.login_type, l.login_source, l.logged_at
         FROM login_log l
         LEFT JOIN dashboard_user d ON l.login_type = 'operator' AND d.user_id = l.actor_id
         LEFT JOIN "user" u ON l.login_type = 'user' AND u.user_id = l.actor_id
        WHERE l.logged_at >= $1
        ORDER BY l.logged_at DESC, l.log_id DESC
        LIMIT $2`,
      [since, limit],
    ),
    db.query<{ login_type: string; n: string | number }>(
      'SELECT login_type, count(*) AS n FROM login_log WHERE logged_at >= $1 GROUP BY login_type ORDER BY login_type',
      [since],
    ),
  ]);
  const byType = counts.rows.map((r) => ({ type: r.login_type, count: Number(r.n) }));
  return {
    entries: list.rows.map((r) => ({
      actorId: r.actor_id,
      name: r.name,
      clientId: r.client_id,
      type: r.login_type,
      source: r.login_source,
      at: new Date(r.logged_at),
    })),
    counts: byType,
    total: byType.reduce((sum, c) => sum + c.count, 0),
  };
}
