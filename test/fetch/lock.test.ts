/** One fetch per client and platform, in this process and (on PostgreSQL) across processes. */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { withFetchLock } from '../../src/fetch/lock.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const database = useTestDatabase();

/** A promise and the function that settles it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('the fetch lock', () => {
  it('turns away a second run for the same client and platform while the first runs', async () => {
    const { db } = database();
    const held = gate();
    const inside = gate();
    const first = withFetchLock(db, 'POLRESABC', 'instagram', async () => {
      inside.open();
      await held.wait;
      return 'first';
    });
    await inside.wait;
    expect(await withFetchLock(db, 'POLRESABC', 'instagram', async () => 'second')).toEqual({ busy: true });
    // Another platform, or another client, is another lock.
    expect(await withFetchLock(db, 'POLRESABC', 'tiktok', async () => 'tiktok')).toEqual({ busy: false, result: 'tiktok' });
    expect(await withFetchLock(db, 'POLRESXYZ', 'instagram', async () => 'xyz')).toEqual({ busy: false, result: 'xyz' });
    held.open();
    expect(await first).toEqual({ busy: false, result: 'first' });
    expect(await withFetchLock(db, 'POLRESABC', 'instagram', async () => 'again')).toEqual({ busy: false, result: 'again' });
  });

  it('is released when the run throws', async () => {
    const { db } = database();
    await expect(withFetchLock(db, 'POLRESABC', 'instagram', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withFetchLock(db, 'POLRESABC', 'instagram', async () => 'after')).toEqual({ busy: false, result: 'after' });
  });

  it.runIf(backend === 'postgres')('holds against another process, and ends with its connection', async () => {
    const { db, url } = database();
    // Another process's run: the same advisory lock on a connection of its own.
    const other = new pg.Client({ connectionString: url });
    // Its connection is terminated below: that is the point, not an error.
    other.on('error', () => {});
    await other.connect();
    const { rows } = await other.query<{ pid: number }>(
      `SELECT pg_backend_pid() AS pid, pg_advisory_lock(hashtext('cicero.fetch.instagram'), hashtext('POLRESABC'))`,
    );
    expect(await withFetchLock(db, 'POLRESABC', 'instagram', async () => 'mine')).toEqual({ busy: true });
    // That process dies: its connection ends, and the lock with it.
    await db.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await other.end().catch(() => {});
    expect(await withFetchLock(db, 'POLRESABC', 'instagram', async () => 'mine')).toEqual({ busy: false, result: 'mine' });
  });
});
