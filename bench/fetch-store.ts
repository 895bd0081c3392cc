/**
 * Storing fetched likers at province size, on PGlite and on PostgreSQL: one client
 * with 10,000 members; posts liked by 6,000 of them among 20,000 strangers. Times
 * mergeEngagement (src/fetch/store-engagement.ts) end to end, matching included:
 *
 * - the first write of a post with 26,000 likers (and, for comparison, the same array
 *   written by a plain INSERT, which the row trigger matches in full);
 * - merging 20,000 new likers into a post that holds 15,000 (the fetch returns all 35,000);
 * - a province refresh: 20 posts × 26,000 likers, 1% new, and again with none new.
 *
 * Checks the matches against the generated data after each step.
 *
 *   npx tsx bench/fetch-store.ts
 *
 * Targets on PostgreSQL: the 20,000-into-15,000 merge under 300 ms; the refresh under 3 s.
 */
import { performance } from 'node:perf_hooks';
import type { Db } from '../src/db/db.js';
import { mergeEngagement, storePosts } from '../src/fetch/store.js';
import { dayWindow } from '../src/time/day.js';
import { benchDatabases, ms, percentile } from './lib.js';

const MEMBERS = 10_000;
const LIKING_MEMBERS = 6_000;
const STRANGERS = 20_000;
const POSTS = 20;
const CLIENT = 'PROVINSI';
const NOW = new Date('2026-11-25T05:00:00Z');
const DAY = dayWindow(NOW, 'Asia/Jakarta');

const handle = (i: number): string => `anggota.${i}`;
/** Post p's likers: members p*300 … (6,000 of them, wrapping) and its own strangers. */
function likers(p: number, strangers = STRANGERS, members = LIKING_MEMBERS): string[] {
  const list: string[] = [];
  for (let k = 0; k < members; k++) list.push(handle((p * 300 + k) % MEMBERS));
  for (let k = 0; k < strangers; k++) list.push(`warga_${p}_${k}`);
  return list;
}

async function seed(db: Db): Promise<void> {
  await db.query(`INSERT INTO clients (client_id, nama, client_insta) VALUES ($1, 'POLDA PROVINSI', 'humas.polda')`, [CLIENT]);
  const ids = Array.from({ length: MEMBERS }, (_, i) => String(75_000_000 + i));
  // Handles as members type them: '@', upper case; the index normalises them.
  const insta = ids.map((_, i) => (i % 3 === 0 ? `@${handle(i).toUpperCase()}` : handle(i)));
  await db.query(
    `INSERT INTO "user" (user_id, nama, insta, client_id) SELECT id, 'ANGGOTA', insta, $3 FROM unnest($1::text[], $2::text[]) AS x (id, insta)`,
    [ids, insta, CLIENT],
  );
  // 20 refresh posts, 5 first-write posts, 5 merge posts, 5 plain-insert posts.
  const shortcodes = Array.from({ length: POSTS + 15 }, (_, p) => `C${p}bench`);
  await storePosts(db, {
    platform: 'instagram',
    clientId: CLIENT,
    day: DAY,
    at: NOW,
    complete: true,
    posts: shortcodes.map((id, p) => ({ id, createdAt: new Date(DAY.start.getTime() + (p + 1) * 60_000), caption: null, likeCount: null, commentCount: null })),
  });
  await db.exec('VACUUM ANALYZE');
}

async function matched(db: Db, shortcode: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM engagement_match WHERE platform = 'instagram' AND post_id = $1`,
    [shortcode],
  );
  return rows[0]!.n;
}

function expectEqual(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what}: ${actual}, expected ${expected}`);
}

const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);
const target = (value: number, limit: number): string => `target < ${limit} ms: ${value < limit ? 'met' : 'NOT met'}`;
const merge = (db: Db, postId: string, names: string[], at = NOW) =>
  mergeEngagement(db, { platform: 'instagram', postId, engagers: names.map((username) => ({ username })), complete: true, at });

async function run(name: string, db: Db): Promise<void> {
  const pg = name === 'postgres';
  console.log(`\n${name}`);
  await seed(db);
  const REFRESH = Array.from({ length: POSTS }, (_, p) => `C${p}bench`);
  const FIRST = Array.from({ length: 5 }, (_, p) => `C${POSTS + p}bench`);
  const MERGE = Array.from({ length: 5 }, (_, p) => `C${POSTS + 5 + p}bench`);
  const PLAIN = Array.from({ length: 5 }, (_, p) => `C${POSTS + 10 + p}bench`);

  // The write path of 004 alone: a plain INSERT of the array, matched in full by the row trigger.
  const plain: number[] = [];
  for (const [i, shortcode] of PLAIN.entries()) {
    const t0 = performance.now();
    await db.query(`INSERT INTO insta_like (shortcode, likes) VALUES ($1, $2)`, [shortcode, JSON.stringify(likers(i))]);
    plain.push(performance.now() - t0);
    expectEqual(`${shortcode} matches`, await matched(db, shortcode), LIKING_MEMBERS);
  }
  console.log(`  plain INSERT of 26,000 likers (row trigger matches in full): median ${ms(median(plain))}`);

  const first: number[] = [];
  for (const [i, shortcode] of FIRST.entries()) {
    const t0 = performance.now();
    const stored = await merge(db, shortcode, likers(i));
    first.push(performance.now() - t0);
    expectEqual(`${shortcode} added`, stored.added, LIKING_MEMBERS + STRANGERS);
    expectEqual(`${shortcode} matches`, await matched(db, shortcode), LIKING_MEMBERS);
  }
  console.log(
    `  first write of one post, 26,000 likers: median ${ms(median(first))}, ${(median(first) / median(plain)).toFixed(2)}× the plain INSERT (runs: ${first.map((t) => t.toFixed(0)).join(', ')})`,
  );

  // 15,000 stored (3,000 members), then the fetch returns those and 20,000 more (3,000 more members).
  const merged: number[] = [];
  for (const [i, shortcode] of MERGE.entries()) {
    const all = [...likers(i, 12_000, 3_000), ...likers(i + 50, 17_000, 3_000)];
    await merge(db, shortcode, all.slice(0, 15_000));
    const t0 = performance.now();
    const stored = await merge(db, shortcode, all);
    merged.push(performance.now() - t0);
    expectEqual(`${shortcode} added`, stored.added, 20_000);
    expectEqual(`${shortcode} total`, stored.total, 35_000);
    expectEqual(`${shortcode} matches`, await matched(db, shortcode), 6_000);
  }
  const m = median(merged);
  console.log(`  merge 20,000 new into 15,000: median ${ms(m)}${pg ? `  ${target(m, 300)}` : ''} (runs: ${merged.map((t) => t.toFixed(0)).join(', ')})`);

  for (const [p, shortcode] of REFRESH.entries()) await merge(db, shortcode, likers(p));
  await db.exec('VACUUM ANALYZE');
  // 1% new: 260 more likers per post, 60 of them members not yet matched.
  const fresh = (p: number): string[] => [
    ...likers(p),
    ...Array.from({ length: 60 }, (_, k) => handle((p * 300 + LIKING_MEMBERS + k) % MEMBERS)),
    ...Array.from({ length: 200 }, (_, k) => `baru_${p}_${k}`),
  ];
  const lists = REFRESH.map((_, p) => fresh(p));
  let t0 = performance.now();
  for (const [p, shortcode] of REFRESH.entries()) {
    const stored = await merge(db, shortcode, lists[p]!, new Date(NOW.getTime() + 3_600_000));
    expectEqual(`${shortcode} added`, stored.added, 260);
  }
  const refresh = performance.now() - t0;
  for (const shortcode of REFRESH) expectEqual(`${shortcode} matches`, await matched(db, shortcode), LIKING_MEMBERS + 60);
  console.log(`  province refresh, ${POSTS} posts × 26,000 likers, 1% new: ${ms(refresh)} (${ms(refresh / POSTS)} per post)${pg ? `  ${target(refresh, 3000)}` : ''}`);

  t0 = performance.now();
  for (const [p, shortcode] of REFRESH.entries()) {
    const stored = await merge(db, shortcode, lists[p]!, new Date(NOW.getTime() + 7_200_000));
    expectEqual(`${shortcode} added`, stored.added, 0);
  }
  const unchanged = performance.now() - t0;
  console.log(`  province refresh, nothing new: ${ms(unchanged)} (${ms(unchanged / POSTS)} per post)${pg ? `  ${target(unchanged, 3000)}` : ''}`);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  console.log(
    `fetch storage: ${MEMBERS.toLocaleString('en')} members; posts of ${(LIKING_MEMBERS + STRANGERS).toLocaleString('en')} likers ` +
      `(${LIKING_MEMBERS.toLocaleString('en')} members); times include the write-time matching`,
  );
  const pending = await benchDatabases();
  try {
    while (pending.length > 0) {
      const { name, db, drop } = pending.shift()!;
      await run(name, db).finally(drop);
    }
  } finally {
    for (const { drop } of pending) await drop();
  }
  console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

await main();
