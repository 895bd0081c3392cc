/** The embedded backend: PGlite (PostgreSQL compiled to WASM) in a data directory. */
import { PGlite, types } from '@electric-sql/pglite';
import type { Db, Executor, Queryable } from './db.js';

/** int8 as number, like the pg backend (counts never approach 2^53). */
const parsers = { [types.INT8]: (v: string) => Number(v) };

type PGliteLike = Pick<PGlite, 'query' | 'exec'>;

/** A UTF-16 surrogate without its other half. */
const LONE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const HAS_LONE_SURROGATE = new RegExp(LONE);
const LONE_SURROGATES = new RegExp(LONE, 'g');

/**
 * PGlite (0.5.16) sizes a string parameter as if every low surrogate ended a pair: a
 * lone one (user text can hold anything) makes the parameter invalid UTF-8 or cuts it
 * short. Such a surrogate is replaced by U+FFFD, as TextEncoder and `pg` encode it anyway.
 */
function wellFormed(params: readonly unknown[] | undefined): unknown[] | undefined {
  if (!params?.some((p) => typeof p === 'string' && HAS_LONE_SURROGATE.test(p))) return params as unknown[] | undefined;
  return params.map((p) => (typeof p === 'string' ? p.replace(LONE_SURROGATES, '\uFFFD') : p));
}

function wrap(lite: PGliteLike): Executor {
  return {
    async query(text, params) {
      const result = await lite.query(text, wellFormed(params));
      return { rows: result.rows as never[] };
    },
    async exec(sql) {
      await lite.exec(sql);
    },
  };
}

/**
 * PostgreSQL fills each new 16 MB WAL segment with zeros before using it. PGlite does that on
 * the bot's own thread, inside whichever statement crosses into the segment: 8-21 ms of no chat
 * answered every 16 MB written (every tenth province workbook stored), up to 35 ms on a busy
 * machine. Unfilled, a new segment costs nothing measurable. The fill only reserves the disk
 * space ahead of time: on a full disk, a write fails either way. One session, so SET suffices.
 */
const NO_WAL_ZERO_FILL = 'SET wal_init_zero = off';

export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  private readonly q: Executor;
  private constructor(private readonly lite: PGlite) {
    this.q = wrap(lite);
  }

  /**
   * Opens (or creates) the database in `dataDir`; without one, in memory.
   * `loadDataDir` starts from a dump (tests use a pre-migrated template).
   */
  static async open(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<PgliteDb> {
    const lite = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, parsers });
    await lite.exec(NO_WAL_ZERO_FILL);
    return new PgliteDb(lite);
  }

  query: Executor['query'] = (text, params) => this.q.query(text, params);
  exec: Executor['exec'] = (sql) => this.q.exec(sql);

  tx<R>(fn: (t: Executor) => Promise<R>): Promise<R> {
    return this.lite.transaction((t) => fn(wrap(t)));
  }

  session<R>(fn: (s: Queryable) => Promise<R>): Promise<R> {
    return fn(this.q);
  }

  /** A tarball of the whole data directory (used to build test templates). */
  dump(): Promise<Blob> {
    return this.lite.dumpDataDir('none');
  }

  close(): Promise<void> {
    return this.lite.close();
  }
}
