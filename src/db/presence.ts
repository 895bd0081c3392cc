/**
 * This process as the other processes on the database see it: a `bot_worker` row
 * written at start, refreshed every few seconds, removed at a clean stop. Inbound
 * claims and the send lease of a process whose heartbeat went stale (it died, or lost
 * the database) pass to the others. Times are the database's, so hosts whose clocks
 * disagree still agree on who is alive.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Queryable } from './db.js';
import { deleteCounting } from './delete-counting.js';

/** How often a process says it is alive. */
export const HEARTBEAT_MS = 5_000;
/** Silent this long, a process counts as dead. */
export const STALE_S = 20;

/**
 * SQL: the worker named by the expression `column` is alive. `$n` is the parameter
 * holding {@link STALE_S}.
 */
export function workerAlive(column: string, staleParam: string): string {
  return `EXISTS (SELECT 1 FROM bot_worker w WHERE w.worker = ${column}
                    AND w.seen_at > clock_timestamp() - make_interval(secs => ${staleParam}))`;
}

export class Presence {
  readonly worker = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Queryable) {}

  /** Writes (or refreshes) this process's row. */
  async beat(): Promise<void> {
    await this.db.query(
      `INSERT INTO bot_worker (worker, pid, hostname) VALUES ($1, $2, $3)
       ON CONFLICT (worker) DO UPDATE SET seen_at = clock_timestamp()`,
      [this.worker, process.pid, os.hostname()],
    );
  }

  /** Beats every {@link HEARTBEAT_MS}; a failed beat (the database is away) is tried at the next. */
  start(onError: (error: unknown) => void): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat().catch(onError), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Stops beating and removes the row: what this process held passes on at once. */
  async leave(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.db.query('DELETE FROM bot_worker WHERE worker = $1', [this.worker]);
  }

  /** Housekeeping: rows of processes that died without leaving. */
  static prune(db: Queryable, before: Date): Promise<number> {
    return deleteCounting(db, 'DELETE FROM bot_worker WHERE seen_at < $1', [before]);
  }
}
