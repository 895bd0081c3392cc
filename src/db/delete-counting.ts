/** Runs a constant `DELETE …` statement (housekeeping) and returns how many rows it removed. */
import type { Queryable } from './db.js';

export async function deleteCounting(db: Queryable, deleteStatement: string, params: readonly unknown[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH gone AS (${deleteStatement} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    params,
  );
  return rows[0]?.n ?? 0;
}
