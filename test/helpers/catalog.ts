/** A comparable description of the public schema: columns, constraints, indexes, functions, triggers. */
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
  const functions = await q.query(
    `SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args, p.provolatile, p.prosrc
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public'
      ORDER BY 1, 2`,
  );
  const triggers = await q.query(
    `SELECT t.tgrelid::regclass::text AS table_name, t.tgname, pg_get_triggerdef(t.oid) AS definition
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT t.tgisinternal
      ORDER BY 1, 2`,
  );
  return {
    columns: columns.rows,
    constraints: constraints.rows,
    indexes: indexes.rows,
    functions: functions.rows,
    triggers: triggers.rows,
  };
}
