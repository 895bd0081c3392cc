import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError } from '../../src/db/data-dir-lock.js';
import { openDatabase } from '../../src/db/open.js';
import { silentLog } from '../helpers/bot.js';
import { backend, createTestDatabase } from '../helpers/db.js';

describe(`openDatabase (${backend})`, () => {
  it('locks the data directory for the embedded database, and for PostgreSQL when asked (the WhatsApp session)', async () => {
    const server = backend === 'postgres' ? await createTestDatabase({ migrated: false }) : undefined;
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cicero-open-')), 'data');
    const config = { DATABASE_URL: server?.url, CICERO_DATA_DIR: dir, PG_POOL_MAX: 2 };
    try {
      const first = await openDatabase(config, { command: 'cicero start', log: silentLog, lockDataDir: true });
      expect(existsSync(path.join(dir, 'cicero.lock'))).toBe(true);
      expect(first.migration.applied.length).toBeGreaterThan(0);
      await expect(openDatabase(config, { command: 'cicero start', log: silentLog, lockDataDir: true })).rejects.toThrow(
        DataDirLockedError,
      );
      if (backend === 'postgres') {
        // `cicero send` beside a running bot: same database, no lock needed.
        const beside = await openDatabase(config, { command: 'cicero send', log: silentLog });
        expect(beside.migration.applied).toEqual([]);
        await beside.close();
      }
      await first.close();
      expect(existsSync(path.join(dir, 'cicero.lock'))).toBe(false);
    } finally {
      await server?.drop();
    }
  });
});
