/**
 * A fresh database for each test file: embedded PGlite by default; with
 * TEST_DATABASE_URL set, a PostgreSQL database of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Db, Executor } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import { PgliteDb } from '../../src/db/pglite.js';
import { PostgresDb } from '../../src/db/postgres.js';

export const serverUrl = process.env.TEST_DATABASE_URL || undefined;
export const backend = serverUrl ? 'postgres' : 'pglite';

export interface TestDatabase {
  db: Db;
  /** Connection URL of the test's own PostgreSQL database (server backend only). */
  url?: string;
  drop(): Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new database; migrated unless `migrated: false`. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (!serverUrl) {
    const db = migrated
      ? await PgliteDb.open({ loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) })
      : await PgliteDb.open();
    return { db, drop: () => db.close() };
  }
  const name = `cicero_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await PostgresDb.open(url.toString(), { max: 4 });
  if (migrated) await migrate(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Registers a database for the whole test file; call the returned function inside tests. */
export function useTestDatabase(options: { migrated?: boolean } = {}): () => TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase(options);
  });
  afterAll(async () => {
    await current?.drop();
  });
  return () => {
    if (!current) throw new Error('test database not ready');
    return current;
  };
}

/** A Db that counts the statements sent through it. */
export function counting(db: Db): { db: Db; statements: string[] } {
  const statements: string[] = [];
  const wrap = <E extends Executor>(e: E): E =>
    ({
      ...e,
      kind: (e as unknown as Db).kind,
      query: (text: string, params?: readonly unknown[]) => {
        statements.push(text);
        return e.query(text, params);
      },
      exec: (sql: string) => {
        statements.push(sql);
        return e.exec(sql);
      },
      tx: <R>(fn: (t: Executor) => Promise<R>) => (e as unknown as Db).tx((t) => fn(wrap(t))),
      close: () => (e as unknown as Db).close(),
    }) as E;
  return { db: wrap(db), statements };
}
