/**
 * One fetch per client and platform at a time, across processes: a session-level
 * PostgreSQL advisory lock on a connection held for the run (released with the
 * connection if the process dies). PGlite's single connection re-enters its own
 * locks, and so would two runs sharing a pool connection, so runs in this process
 * are also kept apart here.
 */
import type { Db } from '../db/db.js';
import type { Platform } from '../compliance/handle.js';

const running = new Set<string>();

/** Runs `fn` holding the lock; resolves `{ busy: true }` without running it when another run holds it. */
export async function withFetchLock<R>(
  db: Db,
  clientId: string,
  platform: Platform,
  fn: () => Promise<R>,
): Promise<{ busy: true } | { busy: false; result: R }> {
  const key = `${clientId}\u0000${platform}`;
  if (running.has(key)) return { busy: true };
  running.add(key);
  try {
    return await db.session(async (s) => {
      const params = [`cicero.fetch.${platform}`, clientId];
      const { rows } = await s.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked',
        params,
      );
      if (!rows[0]?.locked) return { busy: true } as const;
      try {
        return { busy: false, result: await fn() } as const;
      } finally {
        await s.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', params);
      }
    });
  } finally {
    running.delete(key);
  }
}
