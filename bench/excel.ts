/**
 * The recap's Excel file at province scale: 10,000 members in 40 divisions (50 of them
 * exceptions), 20 posts, about 60% engagement, built in memory (no database) and turned
 * into an .xlsx 10 times. Prints the median and p90 of one file, its size, how RSS and
 * heap grew over the runs, and how late a 1 ms timer fires (p99) idle and while the
 * files are built: the bot's other chats must keep their latency meanwhile.
 *
 *   npx tsx bench/excel.ts
 *
 * Targets: ≤ 500 ms median; no single stretch of work blocking the loop for more than ~20 ms.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ComplianceClient } from '../src/compliance/clients.js';
import type { DayPost, EngagementDay, MemberEngagement } from '../src/compliance/engagement.js';
import { buildRecap } from '../src/compliance/recap.js';
import { recapWorkbook } from '../src/reports/excel.js';
import { dayWindowOf } from '../src/time/day.js';
import { ms, percentile } from './lib.js';

const RUNS = 10;
const TARGET_MS = 500;
const MEMBERS = 10_000;
const DIVISIONS = 40;
const EXCEPTIONS = 50;
const POSTS = 20;
const TIMEZONE = 'Asia/Jakarta';

/** A deterministic pseudo-random sequence (mulberry32), so every run builds the same recap. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function syntheticDay(): EngagementDay {
  const rand = random(42);
  const day = dayWindowOf('2026-12-01', TIMEZONE);
  const posts: DayPost[] = Array.from({ length: POSTS }, (_, i) => ({
    id: `post${i}`,
    url: `https://www.instagram.com/p/post${i}`,
    createdAt: new Date(day.start.getTime() + (i + 1) * 1800_000),
    fetched: i !== POSTS - 1, // one post without data: its column reads n/a
    partial: false,
    updatedAt: new Date(day.start.getTime() + 20 * 3600_000),
  }));
  const divisions = Array.from({ length: DIVISIONS }, (_, i) =>
    i === 0 ? 'PIMPINAN' : i < 10 ? `SAT ${['RESKRIM', 'LANTAS', 'INTELKAM', 'SAMAPTA', 'BINMAS', 'RES/NARKOBA', 'TAHTI', 'POLAIRUD', 'PAMOBVIT'][i - 1]}` : `POLSEK KECAMATAN ${i}`,
  );
  const ranks = ['AKBP', 'KOMPOL', 'AKP', 'IPTU', 'AIPTU', 'BRIPKA', 'BRIGPOL', 'BRIPTU', 'BRIPDA'];
  const members: MemberEngagement[] = Array.from({ length: MEMBERS }, (_, i) => {
    // Each member's own propensity, so the tiers spread: some lengkap, many kurang, some belum.
    const p = rand() < 0.15 ? 0 : rand() < 0.2 ? 1 : 0.6;
    const handle = rand() < 0.03 ? null : `anggota.${i}`;
    const engaged: number[] = [];
    if (handle !== null) for (let post = 0; post < POSTS; post++) if (rand() < p) engaged.push(post);
    return {
      userId: String(198_000_000 + i * 37),
      nama: `ANGGOTA NOMOR ${i}`,
      title: ranks[i % ranks.length]!,
      divisi: divisions[i % DIVISIONS]!,
      jabatan: i % 25 === 0 ? 'KANIT' : null,
      handle,
      exception: i % (MEMBERS / EXCEPTIONS) === 7,
      engaged,
      links: 0,
    };
  });
  return { source: 'likes', day, posts, members, lastUpdated: posts[0]!.updatedAt };
}

const client: ComplianceClient = {
  clientId: 'POLDA_DEMO',
  nama: 'POLDA DEMO',
  active: true,
  insta: 'polda.demo',
  instaEnabled: true,
  tiktok: null,
  tiktokEnabled: false,
  amplifyEnabled: false,
  threshold: 'half',
  type: 'POLDA',
  divisionOrder: [],
};
const meta = { client, now: new Date('2026-12-01T13:00:00Z'), timezone: TIMEZONE };
const recap = buildRecap(syntheticDay(), 'half');

/** Lateness of a 1 ms timer, re-armed as soon as it fires, until stopped. */
function lateness(): { stop(): number[] } {
  const late: number[] = [];
  let stopped = false;
  let due = performance.now() + 1;
  let timer = setTimeout(function tick() {
    const now = performance.now();
    late.push(Math.max(0, now - due));
    if (stopped) return;
    due = now + 1;
    timer = setTimeout(tick, 1);
  }, 1);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      return late.sort((a, b) => a - b);
    },
  };
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

await recapWorkbook(recap, meta); // warm-up: module loading, JIT

const idleProbe = lateness();
await new Promise((resolve) => setTimeout(resolve, 1000));
const idle = idleProbe.stop();

const before = process.memoryUsage();
const times: number[] = [];
const cpu: number[] = [];
let size = 0;
const busyProbe = lateness();
for (let run = 0; run < RUNS; run++) {
  const start = performance.now();
  const startCpu = process.cpuUsage();
  const file = await recapWorkbook(recap, meta);
  times.push(performance.now() - start);
  const used = process.cpuUsage(startCpu);
  cpu.push((used.user + used.system) / 1000);
  size = file.length;
}
const busy = busyProbe.stop();
const after = process.memoryUsage();
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const median = percentile(times, 50);
const idleP99 = percentile(idle, 99);
const busyP99 = percentile(busy, 99);

const { sudah, belum, exception } = recap.counts;
console.log(`excel, ${MEMBERS} members × ${POSTS} posts, ${DIVISIONS} divisions, ${RUNS} runs`);
console.log(`  recap: ${sudah} sudah, ${belum} belum, ${exception} exceptions`);
console.log(`  median ${ms(median)}, p90 ${ms(percentile(times, 90))}, min ${ms(times[0]!)} (target ≤ ${TARGET_MS} ms)`);
// CPU time (all threads: zlib runs in the thread pool) tells the work apart from a busy machine's waiting.
console.log(`  CPU time per file: median ${ms(percentile(cpu, 50))}, min ${ms(cpu[0]!)}; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} CPUs`);
console.log(`  file ${(size / 1024).toFixed(1)} KB`);
console.log(`  growth over the runs: RSS ${mb(after.rss - before.rss)}, heap ${mb(after.heapUsed - before.heapUsed)}`);
console.log(
  `  1 ms timer lateness p99: idle ${ms(idleP99)}, while building ${ms(busyP99)} (×${(busyP99 / Math.max(idleP99, 0.01)).toFixed(1)}); max while building ${ms(busy.at(-1)!)}`,
);
if (median > TARGET_MS) process.exitCode = 1;
