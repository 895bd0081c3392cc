/**
 * Chat engine throughput: N messages (help, unknown text, conversation steps) from
 * 1,000 senders through the memory transport, on PGlite and on PostgreSQL.
 * The chat engine's figures: messages handled per second and the latency of each,
 * inbound → every reply durably queued in the outbox. The outbox worker sends in the
 * background meanwhile, as in production; the end-to-end figure (until the last reply
 * reached the transport) is printed too. On WhatsApp, delivery is paced on purpose
 * (about one message a second); bench/outbox.ts measures the outbox on its own.
 *
 *   npx tsx bench/chat.ts [messages=10000] [concurrency=8]
 *
 * Target on PostgreSQL: ≥ 1,000 messages/s with p99 < 20 ms. Past the machine's
 * saturation point (about 2,000 messages/s on 2 cores) more concurrency only adds
 * queueing to the latency.
 *
 * Then chat sign-in (`login#…`): one bcrypt compare at cost 12, sign-ins per second
 * with 8 at a time (eight accounts; every one must succeed, or the bench fails), and a
 * shorter chat run alone and while sign-ins run (bcrypt works off the event loop, so
 * the chat engine should keep its pace).
 */
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { BOT_VARIABLES, createBot } from '../src/app/create-bot.js';
import { loadCommands } from '../src/bot/catalog.js';
import { defineCommand } from '../src/bot/command.js';
import { defineFlow } from '../src/bot/conversation.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/db.js';
import { hashPassword, verifyPassword } from '../src/identity/password.js';
import { MemoryTransport } from '../src/transport/memory.js';
import { benchDatabases, ms, percentile } from './lib.js';

const TOTAL = Number(process.argv[2] ?? 10_000);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const SENDERS = 1_000;

/** A two-step menu like the registration flows later issues add. */
const flow = defineFlow<{ nrp?: string }>({
  name: 'bench-register',
  first: 'nrp',
  steps: {
    nrp: {
      ask: () => 'Ketik NRP Anda:',
      answer: (input, data) => (/^\d+$/.test(input) ? { next: 'confirm', data: { ...data, nrp: input } } : { repeat: 'Angka saja.' }),
    },
    confirm: {
      ask: (d) => `NRP ${d.nrp}? ya/tidak`,
      answer: (input, d) => (input === 'ya' ? { done: `OK ${d.nrp}` } : { repeat: 'ya/tidak' }),
    },
  },
});
const daftar = defineCommand({
  name: 'benchdaftar',
  syntax: 'benchdaftar',
  example: 'benchdaftar',
  help: 'bench',
  roles: ['admin', 'operator', 'member', 'unknown'],
  flows: [flow as never],
  handler: (ctx) => ctx.startConversation(flow, {}),
});

/** Each sender's script: help, chatter, and a whole conversation. */
const SCRIPT = ['help', 'selamat pagi komandan', 'benchdaftar', 'abc', '75070206', 'ya', 'whoami', 'menu', 'apa kabar', 'help#whoami'];

async function main(): Promise<void> {
  const config = loadConfig(BOT_VARIABLES, { ADMIN_WHATSAPP: '6281100000001', CICERO_FLOOD_MAX: '1000' });
  const commands = [...(await loadCommands()), daftar];
  console.log(`chat engine: ${TOTAL} messages from ${SENDERS} senders, ${CONCURRENCY} senders at a time`);
  for (const { name, db, drop } of await benchDatabases()) {
    // Some senders are members, so identity lookups hit real rows.
    await db.query(`INSERT INTO clients (client_id, nama, client_operator) VALUES ('BENCH', 'POLRES BENCH', '6281200000000')`);
    await db.query(
      `INSERT INTO "user" (user_id, nama, client_id, whatsapp)
       SELECT lpad(i::text, 8, '0'), 'ANGGOTA ' || i, 'BENCH', (6285000000000 + i)::text FROM generate_series(0, 499) i`,
    );
    const transport = new MemoryTransport();
    const bot = await createBot({ config, db, log: pino({ level: 'silent' }), transport, commands });
    transport.onMessage((m) => bot.handle(m));
    await transport.start();
    bot.outbox.start();
    let replies = 0;

    const perSender = Math.ceil(TOTAL / SENDERS);
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    // Each worker takes whole senders, so one sender's messages stay in order.
    const worker = async (): Promise<void> => {
      for (let s = next++; s < SENDERS; s = next++) {
        const senderId = `${6285000000000 + s}@c.us`;
        for (let i = 0; i < perSender && s * perSender + i < TOTAL; i++) {
          const t0 = performance.now();
          await transport.receive({ senderId, chatId: senderId, text: SCRIPT[i % SCRIPT.length]! });
          latencies.push(performance.now() - t0);
          replies++;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const handledSeconds = (performance.now() - started) / 1000;
    // Every message here gets exactly one reply; wait until the worker has sent them all.
    const deadline = Date.now() + 60_000;
    while (transport.sent.length < replies) {
      if (Date.now() > deadline) {
        const stats = await bot.outbox.stats();
        throw new Error(`only ${transport.sent.length} of ${replies} replies sent; outbox: ${JSON.stringify(stats)}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await bot.outbox.stop();
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const rate = latencies.length / handledSeconds;
    const p99 = percentile(latencies, 99);
    const verdict = name === 'postgres' ? `  target ≥1000/s & p99 <20 ms: ${rate >= 1000 && p99 < 20 ? 'met' : 'NOT met'}` : '';
    console.log(
      `${name.padEnd(8)} handled ${Math.round(rate)} messages/s  p50 ${ms(percentile(latencies, 50))}  p99 ${ms(p99)}` +
        `  (${latencies.length} in ${handledSeconds.toFixed(1)} s; all replies delivered after ${seconds.toFixed(1)} s = ` +
        `${Math.round(latencies.length / seconds)}/s end to end)${verdict}`,
    );
    await signInSection(name, db, config, commands);
    await drop();
  }
}

const SIGN_IN_COST = 12;
const SIGN_IN_CONCURRENCY = 8;
const SIGN_INS = 48;
const CHAT_SAMPLE = 1_500;
const CHAT_ROUNDS = 5;

/** Chat messages/s and p99 for `total` messages (the script, senders from `first`), 8 at a time. */
async function chatRun(transport: MemoryTransport, first: number, total: number): Promise<{ rate: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const senders = Math.ceil(total / SCRIPT.length);
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let s = next++; s < senders; s = next++) {
      const senderId = `${6285000000000 + first + s}@c.us`;
      for (const text of SCRIPT) {
        const t0 = performance.now();
        await transport.receive({ senderId, chatId: senderId, text });
        latencies.push(performance.now() - t0);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / seconds, p99: percentile(latencies, 99) };
}

async function signInSection(
  name: string,
  db: Db,
  config: ReturnType<typeof loadConfig<(typeof BOT_VARIABLES)[number]>>,
  commands: Awaited<ReturnType<typeof loadCommands>>,
): Promise<void> {
  const password = 'Bench#Sandi-2026';
  const hash = await hashPassword(password, SIGN_IN_COST);
  // Eight operators' accounts: sign-ins 8 at a time are eight people, not one account guessed at.
  await db.query(
    `INSERT INTO dashboard_user (user_id, username, password_hash, role, client_id)
     SELECT 'bench-op-' || i, 'bench_op' || i, $1, 'operator', 'BENCH' FROM generate_series(1, $2) i`,
    [hash, SIGN_IN_CONCURRENCY],
  );
  const compares: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await verifyPassword(password, hash);
    compares.push(performance.now() - t0);
  }
  compares.sort((a, b) => a - b);

  // Replies stay queued in the outbox: "handled" is inbound → replies durably queued.
  const transport = new MemoryTransport();
  const bot = await createBot({ config, db, log: pino({ level: 'silent' }), transport, commands });
  transport.onMessage((m) => bot.handle(m));
  await transport.start();
  let sent = 0;
  /** Sign-ins 8 at a time (worker i signs in as bench_op<i>, each time from a new number) until `more()` says stop. */
  const signIns = async (more: () => boolean): Promise<number> => {
    let done = 0;
    const worker = async (account: number): Promise<void> => {
      while (more()) {
        const senderId = `${6286000000000 + sent++}@c.us`;
        await transport.receive({ senderId, chatId: senderId, text: `login#bench_op${account}#${password}` });
        done++;
      }
    };
    await Promise.all(Array.from({ length: SIGN_IN_CONCURRENCY }, (_, i) => worker(i + 1)));
    return done;
  };
  const signedIn = async (): Promise<number> =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM login_log WHERE login_type = 'operator'`)).rows[0]!.n;
  const t0 = performance.now();
  await signIns(() => sent < SIGN_INS);
  const perSecond = SIGN_INS / ((performance.now() - t0) / 1000);
  const firstRound = await signedIn();
  if (firstRound !== SIGN_INS) throw new Error(`only ${firstRound} of ${SIGN_INS} sign-ins succeeded`);

  // Alone and while signing in, in turns (the machine's pace drifts, the database grows):
  // the medians of the rounds are compared.
  const alone: number[] = [];
  const during: number[] = [];
  const p99s: number[] = [];
  let inBackground = 0;
  let backgroundSeconds = 0;
  let first = 0;
  for (let round = 0; round < CHAT_ROUNDS; round++) {
    alone.push((await chatRun(transport, first, CHAT_SAMPLE)).rate);
    first += CHAT_SAMPLE;
    let stop = false;
    const startedAt = performance.now();
    const background = signIns(() => !stop);
    const run = await chatRun(transport, first, CHAT_SAMPLE);
    first += CHAT_SAMPLE;
    stop = true;
    inBackground += await background;
    backgroundSeconds += (performance.now() - startedAt) / 1000;
    during.push(run.rate);
    p99s.push(run.p99);
  }
  const total = await signedIn();
  if (total !== SIGN_INS + inBackground) throw new Error(`${SIGN_INS + inBackground - total} sign-ins did not succeed`);
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const [aloneRate, duringRate] = [median(alone), median(during)];
  console.log(
    `${name.padEnd(8)} sign-in: bcrypt cost ${SIGN_IN_COST} compare ${ms(percentile(compares, 50))}; ` +
      `${perSecond.toFixed(1)} sign-ins/s with ${SIGN_IN_CONCURRENCY} at a time (all ${SIGN_INS} signed in); ` +
      `chat ${Math.round(aloneRate)} messages/s alone, ${Math.round(duringRate)} messages/s (p99 ${ms(median(p99s))}) while ` +
      `signing in = ${(duringRate / aloneRate).toFixed(2)}× (medians of ${CHAT_ROUNDS} rounds of ${CHAT_SAMPLE} in turns; ` +
      `${(inBackground / backgroundSeconds).toFixed(1)} sign-ins/s meanwhile)`,
  );
}

await main();
