import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { PgliteDb } from '../../src/db/pglite.js';
import { PostgresDb } from '../../src/db/postgres.js';
import { cliEnv, cliPath, runCli } from '../helpers/cli.js';
import { backend, createTestDatabase, type TestDatabase } from '../helpers/db.js';

interface Started {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves once stdout holds `count` replies. */
  replies(count: number): Promise<void>;
}

/** `cicero start` on the console; stdout and stderr collected, replies awaited by event, not by polling. */
function startConsole(env: Record<string, string | undefined>): Started {
  const child = spawn(process.execPath, [cliPath, 'start'], {
    env: cliEnv({ CICERO_TRANSPORT: 'console', ADMIN_WHATSAPP: '0811-0000-0001', LOG_LEVEL: 'info', ...env }),
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const count = () => (stdout.match(/^→ /gm) ?? []).length;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    for (const w of [...waiters]) {
      if (count() >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    replies: (n) =>
      new Promise<void>((resolve, reject) => {
        if (count() >= n) return resolve();
        waiters.push({ count: n, resolve });
        void exited.then(() => reject(new Error(`exited after ${count()} replies:\n${stderr}`)));
      }),
  };
}

/** Log lines at error level or above, for the assertion message. */
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => /"level":"(error|fatal)"/.test(l));

describe(`cicero start on the console (${backend})`, () => {
  let server: TestDatabase | undefined;
  beforeAll(async () => {
    server = backend === 'postgres' ? await createTestDatabase({ migrated: false }) : undefined;
  });
  afterAll(async () => server?.drop());

  /** A fresh data directory; on PostgreSQL an emptied database of its own. */
  async function setup(): Promise<{ env: Record<string, string | undefined>; open(): Promise<Db> }> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cicero-start-console-'));
    if (server) {
      const db = await PostgresDb.open(server.url!);
      await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      await db.close();
    }
    return {
      env: { CICERO_DATA_DIR: dataDir, DATABASE_URL: server?.url },
      open: () => (server ? PostgresDb.open(server.url!) : PgliteDb.open({ dataDir: path.join(dataDir, 'pglite') })),
    };
  }

  it('answers through the outbox, serves /healthz, and drains and exits 0 on SIGTERM', async () => {
    const { env, open } = await setup();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const bot = startConsole({ ...env, CICERO_HTTP_PORT: String(port) });
    try {
      bot.child.stdin.write('status\n/from 0812-7777-0000\nhalo\n');
      await bot.replies(2);
      expect(bot.stdout()).toMatch(/^→ 6281100000001@c\.us\n🖥️ \*Status Cicero\*\nWhatsApp: \*siap\* \(console\)/);
      expect(bot.stdout()).toMatch(/→ 6281277770000@c\.us\n🤖 Nomor WhatsApp Anda belum terdaftar/);

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      // The console prints a reply before the outbox marks its row sent, so a row may still
      // count here; that nothing is left behind is checked in the database after the drain.
      const body = (await health.json()) as { outboxDepth: number };
      expect(body).toMatchObject({ whatsapp: 'ready', database: 'ok', paused: false });
      expect([0, 1, 2]).toContain(body.outboxDepth);

      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      expect(bot.stderr()).toMatch(/"msg":"stopped cleanly"/);

      const db = await open();
      try {
        const { rows } = await db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM outbox GROUP BY status');
        expect(rows).toEqual([{ status: 'sent', n: 2 }]);
      } finally {
        await db.close();
      }
    } finally {
      bot.child.kill('SIGKILL');
    }
  });

  it('drains and exits 0 when its input ends', async () => {
    const { env } = await setup();
    const bot = startConsole(env);
    bot.child.stdin.end('status\nwhoami\n');
    expect(await bot.exited).toBe(0);
    expect((bot.stdout().match(/^→ /gm) ?? []).length).toBe(2);
    expect(bot.stderr()).toMatch(/"reason":"end of input"/);
    expect(bot.stderr()).toMatch(/"msg":"stopped cleanly"/);
  });

  it('a restarted console bot prints what the previous one queued; `cicero send` never prints another process’s rows', async () => {
    const { env, open } = await setup();
    expect(runCli(['migrate'], env).status).toBe(0);
    let db = await open();
    await db.query(
      `INSERT INTO outbox (message_key, endpoint, chat_id, body) VALUES ('left-behind', 'console', '6281300000003@c.us', 'tertinggal dari proses sebelumnya')`,
    );
    await db.close();

    const sent = runCli(['send', '--from', '0811-0000-0001', 'whoami'], { ...env, ADMIN_WHATSAPP: '0811-0000-0001' });
    expect(sent.status).toBe(0);
    expect(sent.stdout).toMatch(/^→ 6281100000001@c\.us\n👤 \*Identitas Anda di Cicero\*/);
    expect(sent.stdout).not.toMatch(/tertinggal/);

    const bot = startConsole(env);
    bot.child.stdin.end();
    expect(await bot.exited).toBe(0);
    expect(bot.stdout()).toBe('→ 6281300000003@c.us\ntertinggal dari proses sebelumnya\n\n');
    db = await open();
    try {
      const { rows } = await db.query(`SELECT status FROM outbox WHERE message_key = 'left-behind'`);
      expect(rows).toEqual([{ status: 'sent' }]);
    } finally {
      await db.close();
    }
  });

  it('under a burst of 1,000 messages keeps sending, stops promptly on SIGTERM, and handles nothing after closing the database', async () => {
    const { env, open } = await setup();
    const bot = startConsole({ ...env, CICERO_SHUTDOWN_TIMEOUT_S: '30' });
    try {
      bot.child.stdin.write('whoami\n'.repeat(1_000));
      // Replies go out while the burst is still being read (the worker is not starved)…
      await bot.replies(1);
      // …and SIGTERM is heard in the middle of it.
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      const stderr = bot.stderr();
      expect(errorLines(stderr)).toEqual([]);
      expect(stderr).not.toMatch(/Cannot use a pool after calling end/);
      expect(stderr).toMatch(/"msg":"stopped cleanly"/);

      const printed = (bot.stdout().match(/^→ 6281100000001@c\.us\n👤 /gm) ?? []).length;
      const db = await open();
      try {
        const { rows } = await db.query<{ handled: number; sent: number; open: number }>(
          `SELECT (SELECT count(*)::int FROM inbound_message WHERE handled_at IS NOT NULL) AS handled,
                  (SELECT count(*)::int FROM outbox WHERE status = 'sent') AS sent,
                  (SELECT count(*)::int FROM outbox WHERE status <> 'sent') AS open`,
        );
        const { handled, sent, open: left } = rows[0]!;
        expect(handled).toBeLessThan(1_000); // it stopped mid-burst
        expect(sent).toBe(printed); // a row is marked sent only once printed
        expect(sent + left).toBe(handled); // every handled message has its reply, sent or waiting for the next start
        expect(left).toBe(0); // and within the timeout, all were sent
      } finally {
        await db.close();
      }
    } finally {
      bot.child.kill('SIGKILL');
    }
  });
});
