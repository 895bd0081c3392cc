/** The server backend: PostgreSQL through a `pg` pool. */
import pg from 'pg';
import { DatabaseUnavailableError, type Db, type Executor, type Queryable } from './db.js';

/** int8 as number, like the PGlite backend. */
const INT8 = 20;
const typeOverrides = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function wrap(client: pg.Pool | pg.PoolClient | pg.Client): Executor {
  return {
    async query(text, params) {
      const result = await client.query(text, params as unknown[] | undefined);
      return { rows: result.rows };
    },
    async exec(sql) {
      // Without parameters pg uses the simple protocol, which accepts several statements.
      await client.query(sql);
    },
  };
}

/** `postgres://user:secret@host/db` → `host:5432/db`, for messages that must not show the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  private readonly q: Executor;
  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
  ) {
    this.q = wrap(pool);
  }

  /** Connects and checks that the server answers, so a bad URL fails here, not mid-run. */
  static async open(url: string, options: { max?: number } = {}): Promise<PostgresDb> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      connectionTimeoutMillis: 10_000,
      types: typeOverrides,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => {});
      const reason = error instanceof Error ? error.message || error.name : String(error);
      throw new DatabaseUnavailableError(`cannot connect to PostgreSQL at ${describeUrl(url)}: ${reason}`, {
        cause: error,
      });
    }
    return new PostgresDb(pool, url);
  }

  query: Executor['query'] = (text, params) => this.q.query(text, params);
  exec: Executor['exec'] = (sql) => this.q.exec(sql);

  async tx<R>(fn: (t: Executor) => Promise<R>): Promise<R> {
    const client = await this.pool.connect();
    // A connection lost mid-transaction is reported by the query that fails; the client's
    // own 'error' event (the pool listens only to idle clients) must not meanwhile become
    // an uncaught exception that ends the process.
    const ignore = (): void => {};
    client.on('error', ignore);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(wrap(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: unknown) => {
        broken = rollback instanceof Error ? rollback : new Error(String(rollback));
      });
      throw error;
    } finally {
      client.removeListener('error', ignore);
      // A connection that could not even roll back is dropped, not handed to the next caller.
      client.release(broken);
    }
  }

  /**
   * A connection of its own, outside the pool: a session lasts minutes (a fetch run), and
   * holding pool connections that long would starve the chat of them.
   */
  async session<R>(fn: (s: Queryable) => Promise<R>): Promise<R> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 10_000, types: typeOverrides });
    // A connection lost while idle must not crash the process; the next query fails instead.
    client.on('error', () => {});
    await client.connect();
    try {
      return await fn(wrap(client));
    } finally {
      await client.end().catch(() => {});
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
