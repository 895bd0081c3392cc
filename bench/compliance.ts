/**
 * Compliance reports at province size, on PGlite and on PostgreSQL: one client with
 * 10,000 active members in 40 divisions (50 of them exceptions, plus 200 inactive),
 * 20 Instagram posts of one Jakarta day, each liked by 6,000 members among 20,000
 * strangers. Prints the write-time matching cost (the triggers of migration 004),
 * the accumulated and per-content `absensilikes` reports end to end (client, the
 * day's queries, recap, chat text), the memory one report takes, a read-time baseline
 * (one query unnesting the likers and matching them), and the Excel attachment.
 * Checks the figures against the generated data and against the baseline.
 *
 *   npx tsx bench/compliance.ts
 *
 * Targets on PostgreSQL: accumulated ≤ 150 ms median, per-content ≤ 300 ms, process
 * growth < 30 MB per report. On PGlite: ≤ 1 s.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { type ComplianceClient, findClient } from '../src/compliance/clients.js';
import { loadEngagement } from '../src/compliance/engagement.js';
import { buildRecap, type Recap } from '../src/compliance/recap.js';
import type { Db } from '../src/db/db.js';
import { type RenderedReport, type ReportKind, renderAbsensi } from '../src/reports/absensi-text.js';
import { recapWorkbook } from '../src/reports/excel.js';
import { dayWindow } from '../src/time/day.js';
import { benchDatabases, ms, percentile } from './lib.js';

export const MEMBERS = 10_000;
const EXCEPTION_EVERY = 200; // 50 exceptions among the active members
const INACTIVE = 200;
export const POSTS = 20;
const LIKING_MEMBERS = 6_000;
const STRANGERS_PER_POST = 20_000;
const STRANGER_POOL = 50_000;
export const CLIENT = 'PROVINSI';
export const TIMEZONE = 'Asia/Jakarta';
/** 12.00 WIB: the posts went up this morning. */
export const NOW = new Date('2026-11-25T05:00:00Z');
export const MAX_LINES = 400;

/** A garbage collector without a command-line flag, so `tsx bench/compliance.ts` is enough. */
export function exposeGc(): () => void {
  const own = (globalThis as { gc?: () => void }).gc;
  if (own) return own;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
export const gc = exposeGc();

/** Deterministic data: the same on both backends and on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export const DIVISIONS = [
  ...['OPS', 'REN', 'SDM', 'LOG', 'HUMAS', 'HUKUM'].map((d) => `BAG ${d}`),
  ...Array.from({ length: 14 }, (_, i) => `SAT ${pad(i + 1, 2)}`),
  ...['PROPAM', 'KEU', 'UM', 'TIK'].map((d) => `SI ${d}`),
  'SPKT',
  ...Array.from({ length: 15 }, (_, i) => `POLSEK ${pad(i + 1, 2)}`),
];
const HEAD: Record<string, string> = { BAG: 'KABAG', SAT: 'KASAT', SI: 'KASI', SPKT: 'KA SPKT', POLSEK: 'KAPOLSEK' };
const RANKS = ['AKBP', 'KOMPOL', 'AKP', 'IPTU', 'IPDA', 'AIPTU', 'AIPDA', 'BRIPKA', 'BRIGADIR', 'BRIPTU', 'BRIPDA', 'PENATA', 'PPPK'];
const FIRST = ['BUDI', 'ANI', 'EKO', 'DEDI', 'SITI', 'AGUS', 'RINA', 'JOKO', 'WAHYU', 'PUTRI', 'HENDRA', 'DEWI', 'RUDI', 'SRI'];
const LAST = ['SANTOSO', 'WIJAYA', 'PRATAMA', 'SAPUTRA', 'HIDAYAT', 'LESTARI', 'NUGROHO', 'KURNIAWAN', 'SETIAWAN', 'RAHAYU'];

export interface Member {
  userId: string;
  nama: string;
  title: string;
  divisi: string;
  jabatan: string | null;
  /** As stored in `"user".insta`. */
  insta: string;
  /** Normalised. */
  handle: string;
  active: boolean;
  exception: boolean;
  whatsapp: string | null;
}

export interface Dataset {
  members: Member[];
  posts: { shortcode: string; createdAt: Date; likes: unknown[] }[];
  /** Posts each member liked, by user id. */
  liked: Map<string, number>;
}

export function dataset(): Dataset {
  const rnd = random(20261125);
  // Uneven divisions, as real ones are: a few tiny ones, some large.
  const weights = DIVISIONS.map((_, i) => (i % 9 === 8 ? 0.02 : 0.3 + rnd() * 2));
  const total = weights.reduce((a, b) => a + b, 0);
  const division = (): string => {
    let r = rnd() * total;
    for (let i = 0; i < DIVISIONS.length; i++) {
      r -= weights[i]!;
      if (r <= 0) return DIVISIONS[i]!;
    }
    return DIVISIONS.at(-1)!;
  };
  const headed = new Set<string>();
  const members: Member[] = [];
  for (let i = 0; i < MEMBERS + INACTIVE; i++) {
    const first = pick(rnd, FIRST);
    const last = pick(rnd, LAST);
    const handle = `${first}.${last}${i}`.toLowerCase();
    const display = `${first[0]}${first.slice(1).toLowerCase()}.${last[0]}${last.slice(1).toLowerCase()}${i}`;
    // Handles as members type them: with '@', upper case, profile URLs, stray spaces.
    const insta = [`@${display}`, handle.toUpperCase(), `https://www.instagram.com/${handle}/`, handle, ` ${display} `][i % 5]!;
    const divisi = division();
    const kind = divisi.split(' ')[0]!;
    let jabatan: string | null = rnd() < 0.3 ? `BA ${divisi}` : null;
    if (!headed.has(divisi)) {
      headed.add(divisi);
      jabatan = `${HEAD[kind]} ${divisi.slice(kind.length + 1)}`.trim();
    } else if (rnd() < 0.05) jabatan = `KANIT ${pad(Math.floor(rnd() * 5) + 1, 1)}`;
    members.push({
      userId: String(75_000_000 + i),
      nama: rnd() < 0.1 ? `${first} ${last}`.toLowerCase() : `${first} ${last}`,
      title: pick(rnd, RANKS),
      // Some divisions typed in lower case: the report groups them with the rest.
      divisi: rnd() < 0.05 ? divisi.toLowerCase() : divisi,
      jabatan,
      insta,
      handle,
      active: i < MEMBERS,
      exception: i < MEMBERS && i % EXCEPTION_EVERY === EXCEPTION_EVERY - 1,
      whatsapp: rnd() < 0.7 ? `62812${pad(i, 8)}` : null,
    });
  }

  // How keen each member is: some like everything, some nothing (weighted sampling, exactly 6,000 per post).
  const keenness = members.map((m) => (!m.active ? 2 : m.exception ? 1 : pick(rnd, [6, 6, 6, 6, 2, 2, 1, 1, 0.5, 0])));
  const liked = new Map<string, number>(members.map((m) => [m.userId, 0]));
  const stranger = (k: number): string => (k % 3 === 0 ? `Warga_${k}` : `warga_${k}`);
  const posts: Dataset['posts'] = [];
  for (let p = 0; p < POSTS; p++) {
    const keys = members.map((_, i) => ({ i, key: keenness[i] ? rnd() ** (1 / keenness[i]!) : -1 }));
    keys.sort((a, b) => b.key - a.key);
    const likers: unknown[] = [];
    for (const { i } of keys.slice(0, LIKING_MEMBERS)) {
      const m = members[i]!;
      liked.set(m.userId, liked.get(m.userId)! + 1);
      const r = rnd();
      // Collectors wrote plain usernames, the data-mining job objects; case varies.
      const name = r < 0.25 ? m.handle.toUpperCase() : r < 0.4 ? m.handle.replace(/^./, (c) => c.toUpperCase()) : m.handle;
      likers.push(rnd() < 0.2 ? { username: name, full_name: m.nama } : name);
    }
    const start = Math.floor(rnd() * STRANGER_POOL);
    for (let k = 0; k < STRANGERS_PER_POST; k++) {
      const name = stranger((start + k * 7) % STRANGER_POOL);
      likers.push(k % 5 === 0 ? { username: name } : name);
    }
    // Instagram returns likers in its own order, members and strangers mixed.
    for (let k = likers.length - 1; k > 0; k--) {
      const j = Math.floor(rnd() * (k + 1));
      [likers[k], likers[j]] = [likers[j], likers[k]];
    }
    // 06.00 WIB onwards, every 15 minutes.
    posts.push({ shortcode: `C${pad(p, 2)}bench${p}`, createdAt: new Date(Date.UTC(2026, 10, 24, 23, 15 * p)), likes: likers });
  }
  return { members, posts, liked };
}

export async function seed(db: Db, data: Dataset): Promise<{ members: number; likes: number }> {
  await db.query(`INSERT INTO clients (client_id, nama, client_insta) VALUES ($1, 'POLDA PROVINSI', 'humas.polda')`, [CLIENT]);
  const m = data.members;
  let t0 = performance.now();
  await db.query(
    `INSERT INTO "user" (user_id, nama, title, divisi, jabatan, insta, status, exception, whatsapp, client_id)
     SELECT *, $10::varchar FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bool[], $8::bool[], $9::text[])`,
    [
      m.map((x) => x.userId), m.map((x) => x.nama), m.map((x) => x.title), m.map((x) => x.divisi), m.map((x) => x.jabatan),
      m.map((x) => x.insta), m.map((x) => x.active), m.map((x) => x.exception), m.map((x) => x.whatsapp), CLIENT,
    ],
  );
  const members = performance.now() - t0;
  const p = data.posts;
  await db.query(
    `INSERT INTO insta_post (shortcode, client_id, created_at) SELECT s, $3, c FROM unnest($1::text[], $2::timestamptz[]) AS x (s, c)`,
    [p.map((x) => x.shortcode), p.map((x) => x.createdAt.toISOString()), CLIENT],
  );
  // Likes after members, as collectors write them: the insert trigger matches them.
  t0 = performance.now();
  for (const post of p) {
    await db.query(`INSERT INTO insta_like (shortcode, likes, updated_at) VALUES ($1, $2, $3)`, [
      post.shortcode, JSON.stringify(post.likes), new Date(NOW.getTime() - 30 * 60_000).toISOString(),
    ]);
  }
  const likes = performance.now() - t0;
  // What autovacuum would have done by the time anyone asks for a report.
  await db.exec('VACUUM ANALYZE');
  return { members, likes };
}

export interface Report {
  client: ComplianceClient;
  recap: Recap;
  rendered: RenderedReport;
  stages: number[];
}

/** What `absensilikes provinsi` does between the request and the reply. */
export async function report(db: Db, kind: ReportKind): Promise<Report> {
  const t = [performance.now()];
  const client = await findClient(db, CLIENT.toLowerCase());
  if (!client) throw new Error('client not found');
  t.push(performance.now());
  const data = await loadEngagement(db, client, 'likes', dayWindow(NOW, TIMEZONE));
  t.push(performance.now());
  const recap = buildRecap(data, client.threshold, client.divisionOrder);
  t.push(performance.now());
  const rendered = renderAbsensi(recap, { client, kind, filter: 'all', now: NOW, timezone: TIMEZONE, maxLines: MAX_LINES });
  t.push(performance.now());
  return { client, recap, rendered, stages: t.slice(1).map((at, i) => at - t[i]!) };
}

/**
 * The read-time alternative: unnest every liker array of the day, normalise both
 * sides in SQL (the member side strips profile URLs too, or members who typed one
 * would never match), match, count distinct posts per active member. Of the forms
 * tried this is the fastest on PostgreSQL: members go through unnest() so that the
 * planner, which guesses 100 rows for it, hashes the 10,000 members rather than
 * the 520,000 likers; joining before de-duplicating beats DISTINCT over all likers.
 */
export const BASELINE = `
  WITH member AS (
    SELECT u.user_id::text,
           ltrim(rtrim(regexp_replace(lower(btrim(u.insta)), '^(https?://)?([a-z]+\\.)?instagram\\.com/', ''), '/'), '@') AS handle
      FROM "user" u
     WHERE u.client_id = $1 AND u.status
  ), packed AS (
    SELECT array_agg(user_id) AS ids, array_agg(handle) AS handles FROM member
  ), hit AS (
    SELECT mm.user_id, count(DISTINCT l.shortcode) AS n
      FROM insta_post p
      JOIN insta_like l ON l.shortcode = p.shortcode
     CROSS JOIN LATERAL jsonb_array_elements(l.likes) AS e (entry)
      JOIN unnest((SELECT ids FROM packed), (SELECT handles FROM packed)) AS mm (user_id, handle)
        ON mm.handle = ltrim(lower(btrim(coalesce(e.entry ->> 'username', e.entry #>> '{}'))), '@')
     WHERE p.client_id = $1 AND p.created_at >= $2 AND p.created_at < $3
     GROUP BY mm.user_id
  )
  SELECT m.user_id, coalesce(h.n, 0)::int AS count FROM member m LEFT JOIN hit h USING (user_id)`;

/**
 * Runs `fn` while a thread of its own samples the process RSS every millisecond
 * (the main thread is busy building the report and could not sample itself).
 */
export async function peakMemory<T>(fn: () => Promise<T>): Promise<{ result: T; rss: number; heap: number }> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const peak = new Float64Array(new SharedArrayBuffer(8));
  const sampler = new Worker(
    `const { workerData } = require('node:worker_threads');
     const stop = new Int32Array(workerData.stop), peak = new Float64Array(workerData.peak);
     while (Atomics.load(stop, 0) === 0) {
       peak[0] = Math.max(peak[0], process.memoryUsage.rss());
       Atomics.wait(stop, 0, 0, 1);
     }`,
    { eval: true, workerData: { stop: stop.buffer, peak: peak.buffer } },
  );
  await new Promise((resolve) => sampler.once('online', resolve));
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc();
  const before = process.memoryUsage();
  peak[0] = before.rss;
  const result = await fn();
  const heap = process.memoryUsage().heapUsed - before.heapUsed;
  Atomics.store(stop, 0, 1);
  Atomics.notify(stop, 0);
  await new Promise((resolve) => sampler.once('exit', resolve));
  return { result, rss: peak[0]! - before.rss, heap };
}

export interface Timing<T> {
  median: number;
  p90: number;
  /** Results of the timed runs. */
  results: T[];
  last: T;
}

export async function timed<T>(fn: () => Promise<T>, warmup = 2, runs = 9): Promise<Timing<T>> {
  let last!: T;
  for (let i = 0; i < warmup; i++) last = await fn();
  const times: number[] = [];
  const results: T[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await fn();
    times.push(performance.now() - t0);
    results.push(last);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p90: percentile(times, 90), results, last };
}

export const mb = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${(bytes / 2 ** 20).toFixed(1)} MB`;
export const target = (value: number, limit: number, unit = 'ms'): string =>
  `target ≤ ${limit} ${unit}: ${value <= limit ? 'met' : 'NOT met'}`;

export const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);

/** Median of each stage over the timed runs. */
export function stages(reports: Report[]): string {
  const names = ['findClient', 'loadEngagement', 'buildRecap', 'render'];
  return names.map((name, i) => `${name} ${ms(median(reports.map((r) => r.stages[i]!)))}`).join(', ');
}

/** The report's numbers against the generated data and the baseline; throws on any difference. */
function check(recap: Recap, data: Dataset, baseline: { user_id: string; count: number }[]): number {
  const active = data.members.filter((m) => m.active);
  const c = recap.counts;
  if (c.members !== active.length || c.sudah + c.belum + c.exception !== active.length) {
    throw new Error(`recap counts ${JSON.stringify(c)} != ${active.length} active members`);
  }
  if (c.exception !== active.filter((m) => m.exception).length) throw new Error(`exceptions: ${c.exception}`);
  if (recap.countable !== POSTS) throw new Error(`countable posts: ${recap.countable}`);
  const fromBaseline = new Map(baseline.map((r) => [r.user_id, r.count]));
  if (fromBaseline.size !== active.length) throw new Error(`baseline has ${fromBaseline.size} members`);
  let agreed = 0;
  for (const m of recap.members) {
    if (m.exception || m.handle === null) continue;
    const truth = data.liked.get(m.userId);
    if (m.count !== truth) throw new Error(`${m.userId}: report counts ${m.count}, generated ${truth}`);
    if (fromBaseline.get(m.userId) !== m.count) {
      throw new Error(`${m.userId}: report counts ${m.count}, baseline ${fromBaseline.get(m.userId)}`);
    }
    agreed++;
  }
  return agreed;
}

async function run(name: string, db: Db, data: Dataset): Promise<void> {
  const pg = name === 'postgres';
  const limit = (server: number): number => (pg ? server : 1000);
  const likers = LIKING_MEMBERS + STRANGERS_PER_POST;
  const day = dayWindow(NOW, TIMEZONE);
  console.log(`\n${name}`);
  const seeded = await seed(db, data);
  console.log(
    `  seeding: members ${(seeded.members / 1000).toFixed(1)} s; write-time matching: ${(seeded.likes / 1000).toFixed(1)} s ` +
      `for ${POSTS} posts × ${likers.toLocaleString('en')} likers (${ms(seeded.likes / POSTS)} per post)`,
  );

  const accumulated = await timed(() => report(db, 'accumulated'));
  console.log(
    `  accumulated report: median ${ms(accumulated.median)}  p90 ${ms(accumulated.p90)}  ${target(accumulated.median, limit(150))}` +
      `\n    stages (median): ${stages(accumulated.results)}`,
  );
  const perContent = await timed(() => report(db, 'per_content'));
  console.log(
    `  per-content report: median ${ms(perContent.median)}  p90 ${ms(perContent.p90)}  ${target(perContent.median, limit(300))}` +
      `\n    stages (median): ${stages(perContent.results)}`,
  );
  for (const [kind, r] of [['accumulated', accumulated.last], ['per-content', perContent.last]] as const) {
    console.log(`  ${kind} chat text: ${r.rendered.text.length.toLocaleString('en')} characters, ${r.rendered.summarised ? 'summarised' : 'full lists'}`);
  }

  // Peak growth of the whole process over one report; on PGlite that includes the database itself.
  const memory = await peakMemory(() => report(db, 'accumulated'));
  const withExcel = await peakMemory(async () => {
    const r = await report(db, 'accumulated');
    return recapWorkbook(r.recap, { client: r.client, now: NOW, timezone: TIMEZONE });
  });
  console.log(
    `  memory, one accumulated report (warm process): peak RSS ${mb(memory.rss)}, heap allocated ${mb(memory.heap)}` +
      (pg ? `  target < 30 MB: ${memory.rss < 30 * 2 ** 20 ? 'met' : 'NOT met'}` : '  (in-process database included)') +
      `; with its Excel file: peak RSS ${mb(withExcel.rss)}, heap allocated ${mb(withExcel.heap)}`,
  );

  const baseline = await timed(() =>
    db.query<{ user_id: string; count: number }>(BASELINE, [CLIENT, day.start, day.end]).then((r) => r.rows),
  );
  const ratio = baseline.median / accumulated.median;
  const load = median(accumulated.results.map((r) => r.stages[1]!));
  console.log(
    `  read-time baseline query: median ${ms(baseline.median)}  p90 ${ms(baseline.p90)}; accumulated report is ` +
      `${ratio >= 1 ? `${ratio.toFixed(1)}× faster` : `${(1 / ratio).toFixed(1)}× slower`} than the read-time unnesting query ` +
      `(its queries alone, loadEngagement: ${(baseline.median / load).toFixed(1)}× faster)`,
  );
  const agreed = check(accumulated.last.recap, data, baseline.last);
  const c = accumulated.last.recap.counts;
  console.log(
    `  baseline and report agree on ${agreed.toLocaleString('en')} members ` +
      `(sudah ${c.sudah} + belum ${c.belum} + exception ${c.exception} = ${c.members} active; matches the generated data)`,
  );

  // A collector's refresh: the stored array grows by a few likers, the trigger rematches the post.
  const refreshed = data.posts[0]!;
  const extra = data.members.filter((m) => m.active && m.insta).slice(-100).map((m) => m.insta!);
  const refresh = await timed(
    async () => {
      await db.query(`UPDATE insta_like SET likes = $2 WHERE shortcode = $1`, [refreshed.shortcode, JSON.stringify([...refreshed.likes, ...extra])]);
      await db.query(`UPDATE insta_like SET likes = $2 WHERE shortcode = $1`, [refreshed.shortcode, JSON.stringify(refreshed.likes)]);
    },
    1,
    5,
  );
  console.log(`  refresh of one post (+100 likers, then back): median ${ms(refresh.median / 2)} per write`);

  const { recap, client } = accumulated.last;
  const excel = await timed(() => recapWorkbook(recap, { client, now: NOW, timezone: TIMEZONE }), 1, 5);
  console.log(
    `  Excel (accumulated, ${recap.members.length.toLocaleString('en')} rows): median ${ms(excel.median)}  p90 ${ms(excel.p90)}, ` +
      `${excel.last.length.toLocaleString('en')} bytes`,
  );
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const data = dataset();
  const likers = LIKING_MEMBERS + STRANGERS_PER_POST;
  console.log(
    `compliance reports: ${MEMBERS.toLocaleString('en')} active members (${MEMBERS / EXCEPTION_EVERY} exceptions) + ${INACTIVE} inactive ` +
      `in ${DIVISIONS.length} divisions, ${POSTS} posts × ${likers.toLocaleString('en')} likers ` +
      `(${LIKING_MEMBERS.toLocaleString('en')} members); data generated in ${ms(performance.now() - t0)}`,
  );
  // Each database is dropped after its run, and whatever is left when a check throws.
  const pending = await benchDatabases();
  try {
    while (pending.length > 0) {
      const { name, db, drop } = pending.shift()!;
      await run(name, db, data).finally(drop);
    }
  } finally {
    for (const { drop } of pending) await drop();
  }
  console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// Run when started directly; bench/report-handler.ts imports the data and the seeding.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
