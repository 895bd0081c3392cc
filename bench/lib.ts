/** Shared benchmark plumbing: databases on both backends, percentiles, printing. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { PgliteDb } from '../src/db/pglite.js';
import { PostgresDb } from '../src/db/postgres.js';

export const SERVER_URL =
  process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDb {
  name: 'pglite' | 'postgres';
  db: Db;
  drop(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A migrated PostgreSQL database of its own (with its URL, for other processes), or why not. */
export async function benchPostgres(): Promise<(BenchDb & { url: string }) | { skipped: string }> {
  const name = `cicero_bench_${randomBytes(4).toString('hex')}`;
  try {
    await admin(`CREATE DATABASE ${name}`);
  } catch (error) {
    return { skipped: (error as Error).message };
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const server = await PostgresDb.open(url.toString(), { max: 10 });
  await migrate(server);
  return {
    name: 'postgres',
    db: server,
    url: url.toString(),
    drop: async () => {
      await server.close().catch(() => {});
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * A migrated PGlite in a data directory on disk, as `cicero start` opens it: an in-memory
 * PGlite grows its files by copying them, which stalls large writes (a stored workbook) for
 * 100-250 ms.
 */
export async function benchPglite(): Promise<BenchDb & { db: PgliteDb }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cicero-bench-'));
  const lite = await PgliteDb.open({ dataDir: dir });
  await migrate(lite);
  return {
    name: 'pglite',
    db: lite,
    drop: async () => {
      await lite.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A migrated database of its own on each backend; PostgreSQL is skipped (with a note) when unreachable. */
export async function benchDatabases(): Promise<BenchDb[]> {
  // BENCH_BACKENDS=postgres (or pglite) runs one backend only: a quicker loop while profiling.
  const only = process.env.BENCH_BACKENDS?.split(',').map((name) => name.trim());
  const result: BenchDb[] = [];
  if (!only || only.includes('pglite')) result.push(await benchPglite());
  if (only && !only.includes('postgres')) return result;
  const server = await benchPostgres();
  if ('skipped' in server) console.log(`postgres: skipped (${server.skipped})`);
  else result.push(server);
  return result;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const ms = (n: number): string => `${n.toFixed(2)} ms`;
