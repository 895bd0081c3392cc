import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/db/pglite.js';
import { PostgresDb } from '../../src/db/postgres.js';
import { cliEnv, cliPath } from '../helpers/cli.js';
import { backend, createTestDatabase } from '../helpers/db.js';

describe(`cicero start on the console (${backend})`, () => {
  it('answers through the outbox, serves /healthz, and drains and exits 0 on SIGTERM', async () => {
    const server = backend === 'postgres' ? await createTestDatabase({ migrated: false }) : undefined;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cicero-start-console-'));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, [cliPath, 'start'], {
      env: cliEnv({
        CICERO_DATA_DIR: dataDir,
        DATABASE_URL: server?.url,
        CICERO_TRANSPORT: 'console',
        CICERO_HTTP_PORT: String(port),
        ADMIN_WHATSAPP: '0811-0000-0001',
        LOG_LEVEL: 'info',
      }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => stderr, { timeout: 30_000 }).toMatch(/"msg":"cicero started"/);
      child.stdin.write('status\n/from 0812-7777-0000\nhalo\n');
      await expect.poll(() => (stdout.match(/^→ /gm) ?? []).length, { timeout: 10_000 }).toBe(2);
      expect(stdout).toMatch(/^→ 6281100000001@c\.us\n🖥️ \*Status Cicero\*\nWhatsApp: \*siap\* \(console\)/);
      expect(stdout).toMatch(/→ 6281277770000@c\.us\n🤖 Nomor WhatsApp Anda belum terdaftar/);

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ whatsapp: 'ready', paused: false, outboxDepth: 0 });

      const stopping = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(20_000);
      expect(stderr).toMatch(/"msg":"stopped cleanly"/);

      const db = server ? await PostgresDb.open(server.url!) : await PgliteDb.open({ dataDir: path.join(dataDir, 'pglite') });
      try {
        const { rows } = await db.query<{ status: string; n: number }>(
          'SELECT status, count(*)::int AS n FROM outbox GROUP BY status',
        );
        expect(rows).toEqual([{ status: 'sent', n: 2 }]);
      } finally {
        await db.close();
      }
    } finally {
      child.kill('SIGKILL');
      await server?.drop();
    }
  });
});
