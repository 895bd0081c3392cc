/**
 * Outbox delivery: 10,000 replies through the outbox with two worker processes on
 * one PostgreSQL database (pacing off). Prints rows/s, duplicates and lost rows;
 * then again with one worker killed (SIGKILL) midway, whose claimed rows the other
 * worker takes over after the claim timeout.
 *
 *   npx tsx bench/outbox.ts [rows=10000]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate } from '../src/db/migrate.js';
import { PostgresDb } from '../src/db/postgres.js';
import { SERVER_URL } from './lib.js';

const ROWS = Number(process.argv[2] ?? 10_000);
const CLAIM_TIMEOUT_MS = 3_000;
const workerFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'outbox-worker.ts');

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

interface Worker {
  sent: string[];
  done: Promise<number | null>;
  kill(): void;
}

function startWorker(url: string, onSend: (count: number) => void): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', workerFile, url, String(CLAIM_TIMEOUT_MS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const sent: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('S ')) {
      sent.push(line.slice(2));
      onSend(sent.length);
    }
  });
  const done = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { sent, done, kill: () => child.kill('SIGKILL') };
}

async function run(url: string, label: string, killAfter: number | null): Promise<void> {
  const db = await PostgresDb.open(url);
  await db.query(`DELETE FROM outbox WHERE endpoint = 'bench'`);
  const tag = randomBytes(3).toString('hex');
  await db.query(
    `INSERT INTO outbox (message_key, endpoint, chat_id, body)
     SELECT $1 || ':' || i, 'bench', 'chat' || (i % 500) || '@c.us', $1 || ':' || i FROM generate_series(1, $2::int) i`,
    [tag, ROWS],
  );
  await db.close();

  const started = performance.now();
  const workers: Worker[] = [];
  let killedAt: number | null = null;
  workers.push(
    startWorker(url, (n) => {
      if (killAfter !== null && n === killAfter && killedAt === null) {
        killedAt = performance.now() - started;
        workers[0]!.kill();
      }
    }),
  );
  workers.push(startWorker(url, () => {}));
  await Promise.all(workers.map((w) => w.done));
  const seconds = (performance.now() - started) / 1000;

  const all = workers.flatMap((w) => w.sent);
  const unique = new Set(all);
  const duplicates = all.length - unique.size;
  const lost = ROWS - unique.size;
  const killed = killedAt === null ? '' : `, worker 1 killed after ${killAfter} sends at ${(killedAt / 1000).toFixed(1)} s`;
  console.log(
    `${label.padEnd(22)} ${Math.round(ROWS / seconds)} rows/s (${ROWS} rows in ${seconds.toFixed(1)} s; ` +
      `worker 1 sent ${workers[0]!.sent.length}, worker 2 sent ${workers[1]!.sent.length}${killed})  ` +
      `duplicates ${duplicates}  lost ${lost}`,
  );
}

const name = `cicero_bench_${randomBytes(4).toString('hex')}`;
await admin(`CREATE DATABASE ${name}`);
const url = new URL(SERVER_URL);
url.pathname = `/${name}`;
try {
  const db = await PostgresDb.open(url.toString());
  await migrate(db);
  await db.close();
  console.log(`outbox: ${ROWS} replies, two worker processes, PostgreSQL, pacing off (claim timeout ${CLAIM_TIMEOUT_MS / 1000} s)`);
  await run(url.toString(), 'both workers', null);
  // Not a multiple of the claim batch, so the kill lands mid-batch.
  await run(url.toString(), 'one killed midway', Math.floor(ROWS / 4) + 37);
} finally {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
