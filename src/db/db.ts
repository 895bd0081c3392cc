/**
 * One small database interface over two backends: PostgreSQL through `pg`, and
 * embedded PGlite. Services depend on this, never on a driver.
 *
 * Both backends return int8 (`count(*)`, bigserial) as JavaScript numbers and
 * timestamptz as `Date`, so callers never see a driver's difference.
 */
export interface QueryResult<T> {
  rows: T[];
}

export interface Queryable {
  /** One statement with `$1…$n` parameters. Values are never spliced into SQL text. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
}

export interface Executor extends Queryable {
  /** Runs a multi-statement SQL script with no parameters (migrations, schema files). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Executor {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  tx<R>(fn: (t: Executor) => Promise<R>): Promise<R>;
  /**
   * Runs `fn` on one connection held for its whole duration, outside a transaction:
   * for session-level advisory locks, which end with the connection if the process dies.
   * (PGlite has a single connection: `fn` gets it, shared with every other query.)
   */
  session<R>(fn: (s: Queryable) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/** The database could not be reached or opened; the CLI prints it as one line. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}
