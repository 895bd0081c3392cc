/**
 * PGlite and new WAL segments: province workbooks (1.5 MB, as compressed as xlsx is)
 * stored in the outbox's file pieces, with PostgreSQL's zero fill of each new 16 MB WAL
 * segment on (its default) and off (as `PgliteDb.open` sets it), alternating blocks of
 * files so both see the machine alike. PGlite runs on the bot's thread: every statement's
 * time is time in which no chat is answered. Prints, per setting, the statements' p50,
 * p99 and max, how many took over 5 ms, and the ratios.
 *
 *   npx tsx bench/pglite-wal.ts [files=120]
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Queryable } from '../src/db/db.js';
import { OutboxStore } from '../src/outbox/store.js';
import { benchPglite, ms, percentile } from './lib.js';

const FILES = Number(process.argv[2] ?? 120);
const FILE_BYTES = 1_500_000;
/** Files per block before the setting flips: about one new segment each. */
const BLOCK = 10;
const SLOW_MS = 5;

const bench = await benchPglite();
const { db } = bench;
try {
  const times = { on: [] as number[], off: [] as number[] };
  let mode: 'on' | 'off' = 'on';
  // Every statement timed, as the bot's thread sees it.
  const timed: Queryable & { kind: typeof db.kind } = {
    kind: db.kind,
    async query<T>(text: string, params?: readonly unknown[]) {
      const t = performance.now();
      const result = await db.query<T>(text, params);
      times[mode].push(performance.now() - t);
      return result;
    },
  };
  const store = new OutboxStore(timed);
  const now = new Date();
  for (let i = 0; i < FILES; i++) {
    if (i % BLOCK === 0) {
      mode = (i / BLOCK) % 2 === 0 ? 'on' : 'off';
      await db.exec(`SET wal_init_zero = ${mode}`);
    }
    const data = randomBytes(FILE_BYTES); // incompressible, like a zip
    await store.insert(
      [{ messageKey: `bench:${i}`, part: 1, parts: 1, endpoint: 'bench', chatId: 'bench', origin: 'reply', body: null, document: { data, name: 'f.xlsx', mime: 'x' } }],
      now,
    );
  }
  const line = (name: 'on' | 'off'): { p99: number; max: number } => {
    const s = [...times[name]].sort((a, b) => a - b);
    const slow = s.filter((t) => t > SLOW_MS).length;
    console.log(
      `  zero fill ${name.padEnd(3)}: ${s.length} statements  p50 ${ms(percentile(s, 50))}  p99 ${ms(percentile(s, 99))}  max ${ms(s.at(-1)!)}  over ${SLOW_MS} ms: ${slow}`,
    );
    return { p99: percentile(s, 99), max: s.at(-1)! };
  };
  console.log(`PGlite, ${FILES} files of ${(FILE_BYTES / 2 ** 20).toFixed(1)} MB in outbox file pieces (${FILES * FILE_BYTES / 2 ** 20 / 16 | 0} WAL segments or so):`);
  const on = line('on');
  const off = line('off');
  console.log(`  ratio on / off: p99 ${(on.p99 / off.p99).toFixed(2)}×, max ${(on.max / off.max).toFixed(2)}×`);
} finally {
  await bench.drop();
}
