/**
 * The province report through the real command handler, on PGlite and on PostgreSQL:
 * the data of bench/compliance.ts (10,000 active members in 40 divisions, 20 posts of
 * one Jakarta day, 26,000 likers each), a bot built by `createBot` on the memory
 * transport, and an admin asking `absensilikes#PROVINSI#akumulasi` (summarised, so the
 * Excel file is attached) and `…#grafik` (Excel and chart). Prints, with medians and p90
 * over the timed runs:
 *
 * - text ready: from `transport.receive()` to its resolution (handled, text queued), with
 *   the members unchanged since the last report (the kept roster, src/compliance/roster.ts)
 *   and right after one changed (read again); until `attachmentsSettled()` (Excel built and
 *   queued); the Excel part alone;
 * - the read-time baseline query of bench/compliance.ts in the same run, and its ratio;
 * - other senders' `whoami` latency (open loop, one every 20 ms, measured from when each
 *   was due, so a blocked event loop shows) from a report's text until its file is sent by the
 *   outbox worker and 250 ms after, against idle windows as long, interleaved, and idle windows
 *   before any report; and how long the bot's thread was busy in each window (event-loop
 *   utilisation, collections included), which tells a report's cost to the bot apart from the
 *   machine's noise. The bench keeps none of its generated data once seeded, and applies the
 *   heap setting `cicero start` applies (src/app/heap-room.ts): its collections are a bot's;
 * - `#grafik` until settled, and the chart part (a bot whose line limit keeps the full
 *   lists in the text, so the chart is the only attachment);
 * - RSS and heap retained per report over 10 reports, and the peak RSS of one.
 *
 *   npx tsx bench/report-handler.ts
 *
 * Targets: text ≤ 100 ms median on PostgreSQL (≤ 300 ms on PGlite); Excel ≤ 500 ms;
 * other senders keep their p99; chart ≤ 300 ms; RSS growth ≤ 20 MB per report.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { BOT_VARIABLES, createBot } from '../src/app/create-bot.js';
import { giveHeapRoom } from '../src/app/heap-room.js';
import type { Bot } from '../src/bot/bot.js';
import { loadCommands } from '../src/bot/catalog.js';
import type { CommandSpec } from '../src/bot/command.js';
import { loadConfig } from '../src/config.js';
import type { Db } from '../src/db/db.js';
import { recapWorkbook } from '../src/reports/excel.js';
import { workbookProcessId } from '../src/reports/excel-process.js';
import { dayWindow } from '../src/time/day.js';
import { MemoryTransport, type SentMessage } from '../src/transport/memory.js';
import type { OutgoingDocument } from '../src/transport/transport.js';
import {
  BASELINE,
  CLIENT,
  DIVISIONS,
  dataset,
  gc,
  stages,
  MAX_LINES,
  MEMBERS,
  mb,
  NOW,
  POSTS,
  peakMemory,
  report,
  seed,
  TIMEZONE,
  target,
  timed,
} from './compliance.js';
import { benchDatabases, ms, percentile } from './lib.js';

const ADMIN = '6281100000001';
const ADMIN_CHAT = `${ADMIN}@c.us`;
const REPORT = `absensilikes#${CLIENT}#akumulasi`;
const CHART = `${REPORT}#grafik`;
/**
 * Requests before the timed ones: the bot is a long-running process, and a fresh one's
 * first reports run before V8 has optimised the hot loops (the first is 2-3× slower;
 * their times are printed too).
 */
const WARMUP = 5;
const RUNS = 15;
/**
 * Builds with other senders chatting, each followed by an idle window: about 1,400 messages each
 * way, so that p99 (the 15th slowest) is not made by one stall of this machine (a stall of
 * 100 ms or so delays the five or six messages due meanwhile, whether a build runs or not).
 */
const CHATTER_RUNS = 60;
/**
 * A report's window runs on this long after its file is sent: what the report left running (a
 * collection its garbage started) is its cost, not the next idle window's.
 */
const TAIL_MS = 250;
/** Nothing sent between a report's window and its idle window. */
const SETTLE_MS = 250;
/** Idle windows measured before the reports, after a full collection: what idle is when no report has run lately. */
const CLEAN_RUNS = 15;
/** Reports whose retained memory is measured together. */
const MEMORY_REPORTS = 10;
/** Other senders' messages arrive one every this many ms (open loop). */
const CHATTER_EVERY_MS = 20;

const TARGET = {
  text: { postgres: 100, pglite: 300 },
  excel: 500,
  chart: 300,
  rssPerReport: 20 * 2 ** 20,
  /** Other senders' p99 during a build may be at most this many times their idle p99. */
  p99Ratio: 2,
};

interface Stats {
  median: number;
  p90: number;
}

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
function stats(values: number[]): Stats {
  const s = sorted(values);
  return { median: percentile(s, 50), p90: percentile(s, 90) };
}
const show = (s: Stats): string => `median ${ms(s.median)}  p90 ${ms(s.p90)}`;
const sleep = (msec: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, msec));

/** The memory transport, telling when a file has gone out (the end of a report's window). */
class WatchedTransport extends MemoryTransport {
  private documentWaiters: Array<() => void> = [];

  override async sendDocument(chatId: string, document: OutgoingDocument): Promise<void> {
    await super.sendDocument(chatId, document);
    for (const resolve of this.documentWaiters.splice(0)) resolve();
  }

  /** Resolves when the next file is sent. */
  nextDocument(): Promise<void> {
    return new Promise((resolve) => this.documentWaiters.push(resolve));
  }
}

interface Harness {
  bot: Bot;
  transport: WatchedTransport;
}

async function harness(db: Db, commands: readonly CommandSpec[], maxLines: number): Promise<Harness> {
  const config = loadConfig(BOT_VARIABLES, {
    ADMIN_WHATSAPP: ADMIN,
    // Nothing throttles the bench: the flood limit at its maximum (admins are exempt anyway).
    CICERO_FLOOD_MAX: '10000',
    CICERO_REPORT_MAX_LINES: String(maxLines),
  });
  // The memory transport is never paced (see outboxSettings); the outbox worker runs only where started.
  const transport = new WatchedTransport();
  const bot = await createBot({ config, db, log: pino({ level: 'silent' }), transport, commands, now: () => NOW });
  transport.onMessage((m) => bot.handle(m));
  await transport.start();
  return { bot, transport };
}

interface Exchange {
  /** receive() called → resolved: handled, text queued. */
  text: number;
  /** receive() called → attachments built and queued. */
  settled: number;
  sent: SentMessage[];
}

/** One request from the admin, timed; then everything queued is sent (untimed) and taken. */
async function ask(h: Harness, text: string, during?: () => Promise<void>): Promise<Exchange> {
  const t0 = performance.now();
  await h.transport.receive({ senderId: ADMIN_CHAT, chatId: ADMIN_CHAT, text, timestamp: NOW });
  const t1 = performance.now();
  const settled = h.bot.attachmentsSettled();
  const side = during?.();
  await settled;
  const t2 = performance.now();
  await side;
  await h.bot.outbox.drain();
  return { text: t1 - t0, settled: t2 - t0, sent: h.transport.takeSent() };
}

/** Throws unless the admin got the summary text and exactly the files asked for. */
function checkReply(sent: SentMessage[], want: { excel: boolean; chart: boolean }): void {
  const mine = sent.filter((m) => m.chatId === ADMIN_CHAT);
  const texts = mine.filter((m) => m.kind === 'text');
  const docs = mine.filter((m) => m.kind === 'document');
  const images = mine.filter((m) => m.kind === 'image');
  if (texts.length === 0 || !texts.some((m) => m.kind === 'text' && m.text.includes(CLIENT))) {
    throw new Error(`no report text: ${JSON.stringify(mine.map((m) => (m.kind === 'text' ? m.text.slice(0, 200) : m.kind)))}`);
  }
  const xlsx = docs.filter((m) => m.kind === 'document' && m.document.fileName.endsWith('.xlsx'));
  if (xlsx.length !== (want.excel ? 1 : 0)) throw new Error(`expected ${want.excel ? 1 : 0} Excel file, got ${xlsx.length}`);
  const png = images.filter((m) => m.kind === 'image' && m.image.fileName.endsWith('.png'));
  if (png.length !== (want.chart ? 1 : 0)) throw new Error(`expected ${want.chart ? 1 : 0} chart picture, got ${png.length}`);
}

/** Warm-ups, then timed runs of one request; the warm-ups' text-ready times in `warmups`. */
async function series(
  h: Harness,
  text: string,
  want: { excel: boolean; chart: boolean },
  warmups: number[] = [],
): Promise<Exchange[]> {
  const runs: Exchange[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const x = await ask(h, text);
    checkReply(x.sent, want);
    if (i >= WARMUP) runs.push({ ...x, sent: [] });
    else warmups.push(x.text);
  }
  return runs;
}

/**
 * Other senders: a `whoami` from the next member's number every {@link CHATTER_EVERY_MS},
 * until `stop` resolves. Each latency runs from when the message was due, not from when
 * the (possibly blocked) loop got round to sending it.
 */
async function chatter(h: Harness, senders: () => string, stop: Promise<void>, latencies: number[]): Promise<number> {
  // Messages due before `stop` resolved are all sent, even those the loop only gets to afterwards (it was blocked).
  let stopAt = Number.POSITIVE_INFINITY;
  void stop.then(() => {
    stopAt = performance.now();
  });
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  let k = 0;
  for (;;) {
    const due = start + k * CHATTER_EVERY_MS;
    if (due >= stopAt) break;
    const wait = due - performance.now();
    if (wait > 0) {
      await sleep(wait);
      continue; // check `stopAt` again
    }
    const senderId = senders();
    k++;
    inflight.push(
      h.transport.receive({ senderId, chatId: senderId, text: 'whoami', timestamp: NOW }).then((disposition) => {
        if (disposition !== 'handled') throw new Error(`whoami from ${senderId}: ${disposition}`);
        latencies.push(performance.now() - due);
      }),
    );
  }
  await Promise.all(inflight);
  return k;
}

interface Windows {
  /** Latencies with a report, idle after each, and idle before any. */
  busy: number[];
  idle: number[];
  clean: number[];
  /** Median length of a report's window (the idle windows are as long). */
  length: number;
  /** How long the bot's thread was busy per window. */
  active: { busy: Stats; idle: Stats; clean: Stats };
}

/**
 * Other senders chatting while a report is built and its file sent, each report followed
 * (after {@link SETTLE_MS}) by an idle window as long as its own, so that both see the machine in
 * the same state (it swings from minute to minute). The outbox sends the file as soon as it is
 * queued, as the production worker does: reading it back is part of the report's cost, and
 * the collections its garbage starts fall in its window or its tail, not in an idle one. The
 * idle windows before any report tell whether the interleaved ones were left anything.
 */
async function chatterWindows(h: Harness, senders: () => string): Promise<Windows> {
  const busy: number[] = [];
  const idle: number[] = [];
  const clean: number[] = [];
  const lengths: number[] = [];
  const active = { busy: [] as number[], idle: [] as number[], clean: [] as number[] };
  /** Chatter for `length` ms with nothing else running, into `into`; the bot's busy time into `busyTimes`. */
  const quiet = async (length: number, into: number[], busyTimes: number[]): Promise<void> => {
    await sleep(SETTLE_MS);
    const loop = performance.eventLoopUtilization();
    await chatter(h, senders, sleep(length), into);
    busyTimes.push(performance.eventLoopUtilization(loop).active);
    await h.bot.outbox.drain();
    h.transport.takeSent();
  };
  // As in production, the outbox worker sends whatever is queued as soon as it is: the file
  // (reading it back is part of a report's cost) and the other senders' replies, in every window.
  h.bot.outbox.start();
  for (let i = 0; i < WARMUP + CHATTER_RUNS; i++) {
    if (i === WARMUP) {
      // The reference: idle windows as long as the warm-ups' (no report's garbage left to collect).
      gc();
      const length = percentile(sorted(lengths), 50);
      for (let k = 0; k < CLEAN_RUNS; k++) await quiet(length, clean, active.clean);
      lengths.length = 0;
    }
    const lat: number[] = [];
    let sentCount = 0;
    let length = 0;
    let busyFor = 0;
    const sent = h.transport.nextDocument();
    const x = await ask(h, REPORT, async () => {
      const start = performance.now();
      const before = performance.eventLoopUtilization();
      const done = sent.then(() => sleep(TAIL_MS));
      sentCount = await chatter(h, senders, done, lat);
      busyFor = performance.eventLoopUtilization(before).active;
      length = performance.now() - start;
    });
    checkReply(x.sent, { excel: true, chart: false });
    const whoami = x.sent.filter((m) => m.chatId !== ADMIN_CHAT);
    if (whoami.length !== sentCount) throw new Error(`${sentCount} whoami sent, ${whoami.length} replies`);
    lengths.push(length);
    if (i < WARMUP) continue;
    busy.push(...lat);
    active.busy.push(busyFor);
    await quiet(length, idle, active.idle);
  }
  await h.bot.outbox.stop();
  return {
    busy, idle, clean,
    length: percentile(sorted(lengths), 50),
    active: { busy: stats(active.busy), idle: stats(active.idle), clean: stats(active.clean) },
  };
}

function latencies(values: number[]): string {
  const s = sorted(values);
  return `p50 ${ms(percentile(s, 50))}  p99 ${ms(percentile(s, 99))}  max ${ms(s.at(-1)!)}`;
}

function ratioOf(during: number[], reference: number[]): string {
  const ratio = percentile(sorted(during), 99) / percentile(sorted(reference), 99);
  return `${ratio.toFixed(2)}×  target ≤ ${TARGET.p99Ratio}×: ${ratio <= TARGET.p99Ratio ? 'met' : 'NOT met'}`;
}

/**
 * Seeds the province and keeps only what the bench needs of it: the numbers that chat and the
 * member it changes. The bench lets the generated data go (about 100 MB that a bot does not
 * hold), or every major collection in the bot's process would mark it too.
 */
async function seeded(db: Db): Promise<{ numbers: string[]; changing: string }> {
  const data = dataset();
  const t0 = performance.now();
  await seed(db, data);
  console.log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return {
    numbers: data.members.filter((m) => m.active && m.whatsapp).map((m) => `${m.whatsapp}@c.us`),
    changing: data.members.find((m) => m.active)!.userId,
  };
}

/** The report's own work without the bot, and the workbook alone (their results dropped once measured). */
async function partsApart(db: Db, textMedian: number, excelMedian: number): Promise<string> {
  const direct = await timed(() => report(db, 'accumulated'), WARMUP, RUNS);
  const { recap, client } = direct.last;
  const workbook = await timed(() => recapWorkbook(recap, { client, now: NOW, timezone: TIMEZONE }), 1, 5);
  return (
    `    for comparison, in the same process: report without the bot (findClient … render) median ${ms(direct.median)} ` +
    `(the bot adds ${ms(textMedian - direct.median)}); recapWorkbook alone median ${ms(workbook.median)}, ` +
    `${(workbook.last.length / 2 ** 20).toFixed(1)} MB (queuing it adds ${ms(excelMedian - workbook.median)})` +
    `\n      stages of the report without the bot (median): ${stages(direct.results)}`
  );
}

/** The read-time baseline query's times (its results dropped). */
async function baselineQuery(db: Db): Promise<Stats> {
  const day = dayWindow(NOW, TIMEZONE);
  const { median, p90 } = await timed(() => db.query(BASELINE, [CLIENT, day.start, day.end]), WARMUP, RUNS);
  return { median, p90 };
}

async function run(name: 'pglite' | 'postgres', db: Db, commands: readonly CommandSpec[]): Promise<void> {
  console.log(`\n${name}`);
  const { numbers, changing } = await seeded(db);
  const h = await harness(db, commands, MAX_LINES);
  let nextSender = 0;
  const senders = (): string => numbers[nextSender++ % numbers.length]!;

  // 1. Text ready, and the Excel file queued.
  const first: number[] = [];
  const plain = await series(h, REPORT, { excel: true, chart: false }, first);
  const text = stats(plain.map((x) => x.text));
  const settled = stats(plain.map((x) => x.settled));
  const excel = stats(plain.map((x) => x.settled - x.text));
  const textLimit = TARGET.text[name];
  console.log(`  ${REPORT} (summarised; Excel attached), ${RUNS} runs after ${WARMUP} warm-ups:`);
  console.log(`    the warm-ups' text ready, the first after start first: ${first.map((x) => x.toFixed(0)).join(', ')} ms`);
  console.log(`    text ready (handled, text queued; members unchanged since the last report): ${show(text)}  ${target(text.median, textLimit)}`);
  console.log(`    until attachmentsSettled (Excel queued): ${show(settled)}`);
  console.log(`    Excel part (settled − text ready): ${show(excel)}  ${target(excel.median, TARGET.excel)}`);

  // The same with the member list read again each time (a member changed since the last report).
  let flip = 0;
  const coldRuns: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    await db.query(`UPDATE "user" SET jabatan = $2 WHERE user_id = $1`, [changing, `BENCH ${flip++}`]);
    const x = await ask(h, REPORT);
    checkReply(x.sent, { excel: true, chart: false });
    if (i >= WARMUP) coldRuns.push(x.text);
  }
  const cold = stats(coldRuns);
  // No target: the is the report as usually asked (above); this shows what a change costs.
  console.log(`    text ready right after a member changed (member list read again): ${show(cold)}  (no target)`);

  // Where the time goes, and the read-time baseline in the same run.
  console.log(await partsApart(db, text.median, excel.median));
  const baseline = await baselineQuery(db);
  console.log(
    `  read-time baseline query: ${show(baseline)}; ratio baseline / text ready ${(baseline.median / text.median).toFixed(1)}×`,
  );

  // 3. Other senders while a report is built and sent, and with nothing being built.
  // A bot of its own: its outbox worker is started, and a stopped worker does not start again.
  const window = await chatterWindows(await harness(db, commands, MAX_LINES), senders);
  console.log(
    `  other senders' whoami (one every ${CHATTER_EVERY_MS} ms, latency from when due):` +
      `\n    while a report's Excel file is built and sent, and ${TAIL_MS} ms after (${window.busy.length} messages over ${CHATTER_RUNS} reports, window median ${ms(window.length)}): ${latencies(window.busy)}` +
      `\n    idle, a window as long as each report's, ${SETTLE_MS} ms after it (${window.idle.length} messages): ${latencies(window.idle)}` +
      `\n    idle before any of those reports (${CLEAN_RUNS} windows after a full collection, ${window.clean.length} messages): ${latencies(window.clean)}` +
      `\n    the bot's thread busy (event loop active, collections included) per window, median (p90): with a report ${ms(window.active.busy.median)} (${ms(window.active.busy.p90)}), ` +
      `idle ${ms(window.active.idle.median)} (${ms(window.active.idle.p90)}), idle before the reports ${ms(window.active.clean.median)} (${ms(window.active.clean.p90)})` +
      `\n    p99 ratio with a report / idle ${ratioOf(window.busy, window.idle)}; / idle before the reports ${ratioOf(window.busy, window.clean)}`,
  );

  // 4. The chart: with the Excel file (the real request), and alone.
  const charted = await series(h, CHART, { excel: true, chart: true });
  const cText = stats(charted.map((x) => x.text));
  const cSettled = stats(charted.map((x) => x.settled));
  const cFiles = stats(charted.map((x) => x.settled - x.text));
  console.log(`  ${CHART} (${DIVISIONS.length} divisions; Excel and chart):`);
  console.log(`    text ready ${show(cText)}; until settled ${show(cSettled)}`);
  console.log(
    `    files part (Excel + chart) ${show(cFiles)}; chart part by difference (minus the Excel part median) ` +
      `${ms(cFiles.median - excel.median)} (a difference of noisy medians: the target is judged on the chart alone, below)`,
  );
  const full = await harness(db, commands, 1_000_000);
  const alone = await series(full, CHART, { excel: false, chart: true });
  const aText = stats(alone.map((x) => x.text));
  const aChart = stats(alone.map((x) => x.settled - x.text));
  console.log(
    `    chart alone (a bot with CICERO_REPORT_MAX_LINES=1000000: full lists in the text, no Excel): text ready ${show(aText)}; ` +
      `chart part ${show(aChart)}  ${target(aChart.median, TARGET.chart)}`,
  );

  // 5. Memory: retained over 10 reports (each sent and dropped), and the peak of one.
  gc();
  const before = process.memoryUsage();
  const builderBefore = workbookProcessRss();
  for (let i = 0; i < MEMORY_REPORTS; i++) checkReply((await ask(h, REPORT)).sent, { excel: true, chart: false });
  gc();
  const after = process.memoryUsage();
  const rss = (after.rss - before.rss) / MEMORY_REPORTS;
  const heap = (after.heapUsed - before.heapUsed) / MEMORY_REPORTS;
  const peak = await peakMemory(() => ask(h, REPORT));
  console.log(
    `  memory per report (Excel included, over ${MEMORY_REPORTS}, gc before and after): RSS ${mb(rss)}, heap ${mb(heap)}  ` +
      `${target(rss / 2 ** 20, TARGET.rssPerReport / 2 ** 20, 'MB')}` +
      `\n    peak during one report: RSS ${mb(peak.rss)}, heap allocated ${mb(peak.heap)}` +
      (name === 'pglite' ? ' (in-process database included)' : '') +
      `  ${target(peak.rss / 2 ** 20, TARGET.rssPerReport / 2 ** 20, 'MB')}`,
  );
  const builderAfter = workbookProcessRss();
  if (builderBefore !== undefined && builderAfter !== undefined)
    console.log(
      `    the workbook process (its own memory, not the bot's): RSS ${(builderAfter / 2 ** 20).toFixed(1)} MB after the ${MEMORY_REPORTS} reports, ` +
        `${mb((builderAfter - builderBefore) / MEMORY_REPORTS)} per report`,
    );
}

/** The workbook process's resident memory in bytes (Linux), read from /proc. */
function workbookProcessRss(): number | undefined {
  const pid = workbookProcessId();
  if (pid === undefined) return undefined;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Number(line[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  // What `cicero start` does before it creates the bot (src/app/heap-room.ts).
  giveHeapRoom();
  const commands = await loadCommands();
  console.log(
    `province report through the command handler: ${MEMBERS.toLocaleString('en')} active members in ${DIVISIONS.length} divisions, ` +
      `${POSTS} posts; sender an admin; now ${NOW.toISOString()}`,
  );
  const pending = await benchDatabases();
  try {
    while (pending.length > 0) {
      const { name, db, drop } = pending.shift()!;
      await run(name, db, commands).finally(drop);
    }
  } finally {
    for (const { drop } of pending) await drop();
  }
  console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

await main();
