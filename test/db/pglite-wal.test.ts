import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/db/pglite.js';
import { backend } from '../helpers/db.js';

const SEGMENT = 16 * 2 ** 20;

/** Bytes the file's blocks take on disk: a segment filled with zeros takes all 16 MB. */
const allocated = (file: string): number => statSync(file).blocks * 512;

// PGlite runs on the bot's thread: zero-filling a new WAL segment held every chat for 8-35 ms
// (bench/pglite-wal.ts). Unfilled, a new segment is a sparse file until written.
describe.runIf(backend === 'pglite')('PgliteDb and new WAL segments', () => {
  it('does not fill a new segment with zeros, and the data written into it reads back', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cicero-wal-'));
    const db = await PgliteDb.open({ dataDir: dir });
    try {
      expect((await db.query<{ wal_init_zero: string }>('SHOW wal_init_zero')).rows).toEqual([{ wal_init_zero: 'off' }]);
      const wal = path.join(dir, 'pg_wal');
      const before = new Set(readdirSync(wal));
      await db.exec('CREATE TABLE w (n int PRIMARY KEY, data bytea); ALTER TABLE w ALTER COLUMN data SET STORAGE EXTERNAL');
      // Incompressible data until the WAL moves into a new segment, which is then barely written.
      const segment = async (): Promise<string> =>
        (await db.query<{ f: string }>('SELECT pg_walfile_name(pg_current_wal_insert_lsn()) AS f')).rows[0]!.f;
      const first = await segment();
      const piece = randomBytes(256 * 1024);
      let pieces = 0;
      while ((await segment()) === first && pieces < 200) {
        await db.query("INSERT INTO w VALUES ($1, decode($2, 'base64'))", [pieces, piece.toString('base64')]);
        pieces += 1;
      }
      const newest = path.join(wal, await segment());
      expect(before.has(path.basename(newest))).toBe(false);
      expect(statSync(newest).size).toBe(SEGMENT);
      expect(allocated(newest)).toBeLessThan(SEGMENT / 4);
      const { rows } = await db.query<{ n: number; same: boolean }>(
        "SELECT count(*)::int AS n, bool_and(data = decode($1, 'base64')) AS same FROM w",
        [piece.toString('base64')],
      );
      expect(rows).toEqual([{ n: pieces, same: true }]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
