/**
 * Hardening figures, on PostgreSQL (issue 9's "done when"):
 *
 * 1. outage: 30 messages/s from 100 senders for 40 s; the database is cut (a TCP proxy
 *    drops every connection) from 10 s to 25 s. Prints how many were answered, whether
 *    every sender's replies came in order, when the "please wait" notices went out
 *    (each chat's wait when told; CICERO_DB_WAIT_NOTICE_S=10 so that some are due), and
 *    how long after recovery the held messages were all handled.
 * 2. burst: `cicero start` on the console reads 1,000 messages from a pipe; SIGTERM once
 *    200 replies were printed. Prints the exit code, seconds to exit, messages handled, replies
 *    printed and marked sent, and error lines (e.g. "Cannot use a pool after calling end").
 * 3. two processes, one number: 1,000 messages delivered to both (each with its own pool);
 *    prints messages handled twice and replies sent twice; then both run their paced
 *    worker for 10 s with CICERO_PACE_GLOBAL_MS = 100 (10/s) and the rate they reached together.
 *
 *   npx tsx bench/hardening.ts [outage|burst|two] …   (all three by default)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { BOT_VARIABLES, createBot } from '../src/app/create-bot.js';
import { defineCommand } from '../src/bot/command.js';
import { DATABASE_DELAY_NOTICE } from '../src/bot/texts.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/db.js';
import { PostgresDb } from '../src/db/postgres.js';
import { MemoryTransport } from '../src/transport/memory.js';
import { cuttableDatabase } from '../test/helpers/outage.js';
import { benchPostgres, percentile } from './lib.js';

const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Replies with its number, so the order of a sender's replies can be read back. */
const urut = defineCommand({
  name: 'urut',
  syntax: 'urut#<n>',
  example: 'urut#1',
  help: 'bench',
  roles: ['admin', 'operator', 'member', 'unknown'],
  args: { min: 1, max: 1 },
  handler: (ctx) => ctx.reply(`urut ${ctx.args[0]}`),
});

async function postgres(): Promise<{ db: PostgresDb; url: string; drop(): Promise<void> }> {
  const found = await benchPostgres();
  if ('skipped' in found) throw new Error(`PostgreSQL is needed: ${found.skipped}`);
  return { db: found.db as PostgresDb, url: found.url, drop: found.drop };
}

async function outage(): Promise<void> {
  const target = await postgres();
  const link = await cuttableDatabase({ db: target.db, url: target.url, drop: async () => {} }, { poolMax: 10 }); // PG_POOL_MAX's default
  // Below the outage's length, so the notices show when they go out.
  const noticeS = 10;
  const config = loadConfig(BOT_VARIABLES, {
    ADMIN_WHATSAPP: '6281100000001',
    CICERO_FLOOD_MAX: '10000',
    CICERO_DB_WAIT_NOTICE_S: String(noticeS),
  });
  const transport = new MemoryTransport();
  const bot = await createBot({ config, db: link.db, log, transport, commands: [urut] });
  bot.attach();
  await transport.start();
  bot.outbox.start();
  const senders = Array.from({ length: 100 }, (_, i) => `62813${String(i).padStart(8, '0')}@c.us`);
  const arrived = new Map<string, number>(); // chat → first arrival while the database was away
  const t0 = performance.now();
  const at = () => performance.now() - t0;
  const cutAt = 10_000;
  const restoreAt = 25_000;
  let cut = false;
  let restoredAt = 0;
  let heldEmptyAt = 0;
  const notices: number[] = [];
  transport.sendText = async (chatId, text) => {
    if (text === DATABASE_DELAY_NOTICE) notices.push(at() - (arrived.get(chatId) ?? at()));
    transport.sent.push({ chatId, kind: 'text', text });
  };
  const total = 30 * 40;
  const inbound: Array<Promise<unknown>> = [];
  for (let i = 0; i < total; i++) {
    const due = (i / 30) * 1000;
    if (due > at()) await sleep(due - at());
    if (!cut && at() >= cutAt && at() < restoreAt) {
      cut = true;
      link.cut();
    }
    if (cut && at() >= restoreAt) {
      cut = false;
      link.restore();
      restoredAt = at();
      const watch = setInterval(() => {
        if (bot.heldCount() === 0 && !heldEmptyAt) heldEmptyAt = at();
      }, 20);
      watch.unref();
    }
    const chat = senders[i % senders.length]!;
    if (cut && !arrived.has(chat)) arrived.set(chat, at());
    inbound.push(transport.receive({ id: `o-${i}`, senderId: chat, text: `urut#${i}`, timestamp: new Date() }));
  }
  await Promise.all(inbound);
  while (bot.heldCount() > 0) await sleep(50);
  if (!heldEmptyAt) heldEmptyAt = at();
  await bot.outbox.flush(Date.now() + 60_000);
  const replies = transport.sent.filter((m) => m.kind === 'text' && m.text.startsWith('urut '));
  const bySender = new Map<string, number[]>();
  for (const m of replies) {
    if (m.kind !== 'text') continue;
    bySender.set(m.chatId, [...(bySender.get(m.chatId) ?? []), Number(m.text.slice(5))]);
  }
  const ordered = [...bySender.values()].every((ns) => ns.every((n, i) => i === 0 || n > ns[i - 1]!));
  const sorted = [...notices].sort((a, b) => a - b);
  console.log(
    `outage (PostgreSQL, 30 msg/s, 100 senders, database away ${seconds(restoreAt - cutAt)}): ` +
      `${replies.length}/${total} answered, order kept for every sender: ${ordered ? 'yes' : 'NO'}, ` +
      `notices ${notices.length} (wait at notice min ${seconds(sorted[0] ?? 0)}, median ${seconds(percentile(sorted, 50))}, max ${seconds(sorted.at(-1) ?? 0)}; CICERO_DB_WAIT_NOTICE_S=${noticeS}), ` +
      `held messages all handled ${seconds(heldEmptyAt - restoredAt)} after the database came back`,
  );
  await bot.stop(10_000);
  await link.close();
  await target.drop();
}

const cliPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '../dist/src/cli/main.js');

async function burst(): Promise<void> {
  for (const backend of ['postgres', 'pglite'] as const) {
    const target = backend === 'postgres' ? await postgres() : null;
    if (target) await target.db.close();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cicero-bench-burst-'));
    const child = spawn(process.execPath, [cliPath, 'start'], {
      env: {
        PATH: process.env.PATH,
        CICERO_DATA_DIR: dataDir,
        ...(target ? { DATABASE_URL: target.url } : {}),
        CICERO_TRANSPORT: 'console',
        ADMIN_WHATSAPP: '0811-0000-0001',
        LOG_LEVEL: 'info',
      },
    });
    let stdout = '';
    let stderr = '';
    let signalledAt = 0;
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (!signalledAt && (stdout.match(/^→ /gm) ?? []).length >= 200) {
        signalledAt = performance.now();
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.stdin.write('whoami\n'.repeat(1_000));
    });
    const exitS = (performance.now() - signalledAt) / 1000;
    const db: Db = target
      ? await PostgresDb.open(target.url)
      : await (await import('../src/db/pglite.js')).PgliteDb.open({ dataDir: path.join(dataDir, 'pglite') });
    const { rows } = await db.query<{ handled: number; sent: number; open: number }>(
      `SELECT (SELECT count(*)::int FROM inbound_message WHERE handled_at IS NOT NULL) AS handled,
              (SELECT count(*)::int FROM outbox WHERE status = 'sent') AS sent,
              (SELECT count(*)::int FROM outbox WHERE status <> 'sent') AS open`,
    );
    await db.close();
    await target?.drop();
    const errors = stderr.split('\n').filter((l) => /"level":"(error|fatal)"/.test(l)).length;
    const afterClose = (stderr.match(/Cannot use a pool after calling end/g) ?? []).length;
    const printed = (stdout.match(/^→ /gm) ?? []).length;
    const verdict = /stopped cleanly/.test(stderr) ? 'stopped cleanly' : (/stopped with [^"]*/.exec(stderr)?.[0] ?? 'no stop line');
    console.log(
      `burst (${backend}, 1,000 piped messages, SIGTERM after 200 replies): exit ${code} after ${exitS.toFixed(1)} s, ` +
        `handled ${rows[0]!.handled}, printed ${printed}, marked sent ${rows[0]!.sent}, left in the outbox ${rows[0]!.open}, ` +
        `handled after close (pool errors) ${afterClose}, error lines ${errors}, "${verdict}"`,
    );
  }
}

async function two(): Promise<void> {
  const target = await postgres();
  const config = loadConfig(BOT_VARIABLES, { ADMIN_WHATSAPP: '6281100000001', CICERO_FLOOD_MAX: '10000' });
  const endpoint = 'whatsapp:6281100000070';
  const pools: PostgresDb[] = [];
  const make = async (paced: boolean) => {
    const db = await PostgresDb.open(target.url, { max: 5 });
    pools.push(db);
    const transport = new MemoryTransport(endpoint);
    // Paced like WhatsApp (one sender per number), without the browser.
    Object.defineProperty(transport, 'name', { value: paced ? 'whatsapp' : 'memory' });
    const env = { CICERO_PACE_GLOBAL_MS: '100', CICERO_PACE_CHAT_MS: '0', CICERO_PACE_JITTER_MS: '0' };
    const bot = await createBot({ config: { ...config, ...loadConfig(['CICERO_PACE_GLOBAL_MS', 'CICERO_PACE_CHAT_MS', 'CICERO_PACE_JITTER_MS'], env) }, db, log, transport, commands: [urut] });
    bot.attach();
    await transport.start();
    return { bot, transport };
  };
  const a = await make(false);
  const b = await make(false);
  const messages = Array.from({ length: 1_000 }, (_, i) => ({
    id: `two-${i}`,
    senderId: `62813${String(i % 200).padStart(8, '0')}@c.us`,
    text: `urut#${i}`,
    timestamp: new Date(),
  }));
  await Promise.all([...messages.map((m) => a.transport.receive(m)), ...[...messages].reverse().map((m) => b.transport.receive(m))]);
  await a.bot.outbox.flush(Date.now() + 60_000);
  await b.bot.outbox.flush(Date.now() + 60_000);
  const { rows } = await target.db.query<{ twice: number; audited: number }>(
    `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM command_audit WHERE command = 'urut' GROUP BY detail, chat_id, at HAVING count(*) > 1) d) AS twice,
            (SELECT count(*)::int FROM command_audit WHERE command = 'urut') AS audited`,
  );
  const texts = [...a.transport.sent, ...b.transport.sent].map((m) => (m.kind === 'text' ? m.text : ''));
  const sentTwice = texts.length - new Set(texts).size;
  console.log(
    `two processes, one number (PostgreSQL, 1,000 messages delivered to both): audit rows ${rows[0]!.audited}, ` +
      `replies ${texts.length}, replies sent twice ${sentTwice}, handled twice ${rows[0]!.audited - 1_000}`,
  );
  await a.bot.stop(5_000);
  await b.bot.stop(5_000);

  // Pacing across the two: 300 broadcasts-to-be, both workers running for 10 s at 10/s configured.
  const p = await make(true);
  const q = await make(true);
  await target.db.query(
    `INSERT INTO outbox (message_key, endpoint, chat_id, body) SELECT 'pace-' || i, $1, 'c' || i || '@c.us', 'x' FROM generate_series(1, 300) i`,
    [endpoint],
  );
  p.bot.outbox.start();
  q.bot.outbox.start();
  const started = performance.now();
  await sleep(10_000);
  const sent = p.transport.sent.length + q.transport.sent.length;
  const rate = sent / ((performance.now() - started) / 1000);
  console.log(
    `two processes, one number, both sending (CICERO_PACE_GLOBAL_MS=100, i.e. at most 10/s): ${sent} sent in 10 s = ${rate.toFixed(1)}/s ` +
      `(${p.transport.sent.length} by one, ${q.transport.sent.length} by the other)`,
  );
  await p.bot.stop(5_000);
  await q.bot.stop(5_000);
  for (const pool of pools) await pool.close();
  await target.drop();
}

const wanted = process.argv.slice(2);
const all = { outage, burst, two };
for (const [name, run] of Object.entries(all)) if (wanted.length === 0 || wanted.includes(name)) await run();
