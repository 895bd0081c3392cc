/**
 * Opens the configured database for a subcommand: PostgreSQL when DATABASE_URL is
 * set, otherwise the embedded PGlite database in CICERO_DATA_DIR (under our
 * data-directory lock). Either way pending migrations are applied first.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import type { Db } from './db.js';
import { type MigrationResult, migrate } from './migrate.js';
import { PgliteDb } from './pglite.js';
import { describeUrl, PostgresDb } from './postgres.js';

export type DatabaseConfig = Config<'DATABASE_URL' | 'CICERO_DATA_DIR' | 'PG_POOL_MAX'>;

export interface OpenDatabase {
  db: Db;
  /** Where the data lives, for humans (never includes a password). */
  location: string;
  migration: MigrationResult;
  /** Closes the database and releases the data-directory lock. */
  close(): Promise<void>;
}

export async function openDatabase(
  config: DatabaseConfig,
  options: {
    command: string;
    log: Logger;
    /** Lock the data directory even with PostgreSQL (the WhatsApp session lives there too). */
    lockDataDir?: boolean;
    /** Zone for the time shown when the data directory is in use (CICERO_TIMEZONE). */
    timezone?: string;
  },
): Promise<OpenDatabase> {
  const dataDir = path.resolve(config.CICERO_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const embedded = !config.DATABASE_URL;
  const lock =
    embedded || options.lockDataDir
      ? acquireDataDirLock(dataDir, { command: options.command, log: options.log, timezone: options.timezone })
      : null;
  const release = async (): Promise<void> => lock?.release();
  let db: Db;
  try {
    db = config.DATABASE_URL
      ? await PostgresDb.open(config.DATABASE_URL, { max: config.PG_POOL_MAX })
      : await PgliteDb.open({ dataDir: path.join(dataDir, 'pglite') });
  } catch (error) {
    await release();
    throw error;
  }
  const location = config.DATABASE_URL ? `PostgreSQL ${describeUrl(config.DATABASE_URL)}` : `embedded database in ${dataDir}`;
  return finishOpen(db, location, options.log, release);
}

async function finishOpen(
  db: Db,
  location: string,
  log: Logger,
  release: () => Promise<void>,
): Promise<OpenDatabase> {
  const close = async (): Promise<void> => {
    try {
      await db.close();
    } finally {
      await release();
    }
  };
  try {
    const migration = await migrate(db);
    if (migration.applied.length > 0) {
      log.info({ applied: migration.applied, version: migration.version }, 'applied database migrations');
    }
    return { db, location, migration, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
