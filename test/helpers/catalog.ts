/** A comparable description of the public schema: columns, constraints, indexes. */
import type { Queryable } from '../../src/db/db.js';

export async function describeSchema(q: Queryable): Promise<Record<string, unknown[]>> {
  const columns = await q.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> 'schemaversion'
      ORDER BY table_name, column_name`,
  );
  const constraints = await q.query(
    `SELECT c.conrelid::regclass::text AS table_name, c.conname, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.conrelid::regclass::text <> 'schemaversion'
      ORDER BY 1, 2`,
  );
  const indexes = await q.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> 'schemaversion'
      ORDER BY 1, 2`,
  );
  return { columns: columns.rows, constraints: constraints.rows, indexes: indexes.rows };
}
