/**
 * Applies the plain-SQL migrations in `sql/migrations/` (postgrator naming:
 * `NNN.do.<name>.sql`) in order, recording each in `schemaversion`.
 *
 * The whole run is one transaction under an advisory lock, so two processes
 * starting together on one PostgreSQL database never apply a migration twice, and
 * a failing migration leaves nothing half-applied.
 */
import path from 'node:path';
import Postgrator from 'postgrator';
import { migrationsDir } from '../paths.js';
import type { Db } from './db.js';

/** Arbitrary constant: the advisory-lock key for migrations. */
const MIGRATION_LOCK_KEY = 7_231_504_118;

export interface MigrationResult {
  /** File names applied by this run, in order; empty when the schema was current. */
  applied: string[];
  version: number;
}

export async function migrate(db: Db, dir = migrationsDir): Promise<MigrationResult> {
  return db.tx(async (t) => {
    await t.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const postgrator = new Postgrator({
      migrationPattern: path.join(dir, '*.sql'),
      driver: 'pg',
      schemaTable: 'schemaversion',
      validateChecksums: true,
      execQuery: (sql) => t.query(sql),
      execSqlScript: (sql) => t.exec(sql),
    });
    const applied = await postgrator.migrate();
    return { applied: applied.map((m) => path.basename(m.filename)), version: await postgrator.getDatabaseVersion() };
  });
}
