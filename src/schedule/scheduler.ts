/**
 * The scheduler inside `cicero start`: every minute (a node-cron task) it finds each
 * enabled job's latest occurrence that is due, claims it (one process wins), runs it and
 * queues its messages. An occurrence missed while no bot ran still runs when it is the
 * same day and at most CICERO_SCHEDULE_GRACE_MIN old; an older one is skipped and logged.
 * A job never overlaps itself: while an occurrence runs (here or in a live process), the
 * next one waits, and runs when that one ends if it is still within the grace.
 */
import { schedule } from 'node-cron';
import pLimit from 'p-limit';
import type { Platform } from '../compliance/handle.js';
import type { Executor } from '../db/db.js';
import { STALE_S, workerAlive } from '../db/presence.js';
import type { Logger } from '../log.js';
import { dayWindow } from '../time/day.js';
import { type Delivery, deliver, type RowMaker } from './deliver.js';
import { type Job, JOB_NAMES, type JobName, listJobs } from './jobs.js';
import { claimOccurrence, nextOccurrence, occurrencesBetween } from './occurrences.js';
import { type JobDeps, type JobOutcome, runJob } from './run-job.js';
import { missedResult } from './texts.js';

export interface SchedulerDeps extends JobDeps {
  outbox: RowMaker;
  /** WhatsApp can send now: jobs that send messages are claimed only then. */
  ready: () => boolean;
  log: Logger;
  /** This process on the database (its presence), named in the claims. */
  worker: string;
  graceMin: number;
}

export interface JobReport {
  clientId: string;
  job: JobName;
  at: Date;
  result: string;
  queued: number;
}

const MINUTE = 60_000;
/** A run unfinished this long belongs to a process that died mid-run. */
const RUN_STALE_MS = 6 * 3_600_000;
/** Clients whose jobs run at once (each fetch also takes a fetch slot; see src/fetch/run.ts). */
const CLIENTS_AT_ONCE = 3;

const keyOf = (clientId: string, job: JobName): string => `${clientId}\u0000${job}`;

export class Scheduler {
  private readonly running = new Set<string>();
  private readonly pool = pLimit(CLIENTS_AT_ONCE);
  /** Missed occurrences already told (one line each). */
  private readonly noted = new Set<string>();

  constructor(private readonly deps: SchedulerDeps) {}

  /** Claims and runs what is due at `now`; resolves with what ran once it has all ended. */
  async tick(now: Date = this.deps.now()): Promise<JobReport[]> {
    const { db, timezone } = this.deps;
    const windowStart = this.windowStart(now);
    const latest = new Map<string, Date | null>();
    const dueAt = (cron: string[]): Date | null => {
      const key = cron.join('|');
      if (!latest.has(key)) latest.set(key, occurrencesBetween(cron, timezone, windowStart, now).at(-1) ?? null);
      return latest.get(key) ?? null;
    };
    // Each job's last time before the grace window, to tell a missed one.
    const earlier = new Map<string, Date | null>();
    const lastBefore = (cron: string[]): Date | null => {
      const key = cron.join('|');
      if (!earlier.has(key)) {
        earlier.set(key, occurrencesBetween(cron, timezone, new Date(now.getTime() - 86_400_000), windowStart).at(-1) ?? null);
      }
      return earlier.get(key) ?? null;
    };
    // Sending jobs wait for a ready WhatsApp (a process that cannot send must not take them
    // from one that can); they run when it is back, within the grace. Fetching needs no WhatsApp.
    const ready = this.deps.ready();
    const { taken, runs: claimed } = await recentRuns(db, new Date(now.getTime() - 86_400_000), this.deps.worker);
    const due = new Map<string, Array<{ job: Job; at: Date }>>();
    for (const job of await listJobs(db)) {
      if (!job.enabled) continue;
      const at = dueAt(job.cron);
      await this.noteMissed(job, lastBefore(job.cron), claimed, now);
      if (!at) continue;
      const skip =
        (job.changedAt !== null && at <= job.changedAt) || // switched on or retimed after it: not a missed one
        (!ready && job.job !== 'fetch') ||
        taken.has(occurrenceId(job.clientId, job.job, at)) ||
        this.running.has(keyOf(job.clientId, job.job));
      if (skip) continue;
      const list = due.get(job.clientId) ?? [];
      list.push({ job, at });
      due.set(job.clientId, list);
    }
    const runs = [...due.values()].map((list) => this.pool(() => this.runClient(list)));
    return (await Promise.all(runs)).flat();
  }

  /** The earliest minute a due occurrence may have: within the grace, and the same day. */
  private windowStart(now: Date): Date {
    const dayStart = dayWindow(now, this.deps.timezone).start.getTime();
    return new Date(Math.max(dayStart, now.getTime() - this.deps.graceMin * MINUTE) - MINUTE);
  }

  /**
   * Runs one job now, outside its times (`jadwal#run`): its messages go out like a
   * scheduled occurrence's. 'running' while an occurrence of it runs; null for a client without jobs.
   */
  async runNow(clientId: string, name: JobName): Promise<JobReport | 'running' | null> {
    const job = (await listJobs(this.deps.db, clientId)).find((j) => j.job === name);
    if (!job) return null;
    if (this.running.has(keyOf(clientId, name))) return 'running';
    const at = this.deps.now();
    const claimed = await this.claim([{ job, at }], at);
    if (claimed.length === 0) return 'running';
    return this.runOne(job, at, new Set());
  }

  /** Claims a client's due occurrences in one transaction, so one process takes all of them (and fetches once). */
  private async claim(list: Array<{ job: Job; at: Date }>, now: Date): Promise<Array<{ job: Job; at: Date }>> {
    const { db, worker, log } = this.deps;
    return db.tx(async (t) => {
      const won: Array<{ job: Job; at: Date }> = [];
      for (const item of list) {
        const occurrence = { clientId: item.job.clientId, job: item.job.job, at: item.at };
        if (await runningElsewhere(t, occurrence, worker, now)) {
          log.info({ ...occurrence, at: occurrence.at.toISOString() }, 'scheduled job still running from its previous time; this one waits');
          continue;
        }
        if (await claimOccurrence(t, occurrence, worker, now)) won.push(item);
      }
      return won;
    });
  }

  private async runClient(list: Array<{ job: Job; at: Date }>): Promise<JobReport[]> {
    // Waiting for a slot may take a while: what has left the grace meanwhile is not run.
    const now = this.deps.now();
    const windowStart = this.windowStart(now);
    const still = list.filter((item) => item.at > windowStart);
    still.sort((a, b) => JOB_NAMES.indexOf(a.job.job) - JOB_NAMES.indexOf(b.job.job));
    const claimed = await this.claim(still, now);
    const fresh = new Set<Platform>();
    const reports: JobReport[] = [];
    for (const { job, at } of claimed) reports.push(await this.runOne(job, at, fresh));
    return reports;
  }

  private async runOne(job: Job, at: Date, fresh: Set<Platform>): Promise<JobReport> {
    const { db, log, now, timezone, outbox } = this.deps;
    const key = keyOf(job.clientId, job.job);
    this.running.add(key);
    let result: string;
    let queued = 0;
    try {
      const outcome: JobOutcome = await runJob(this.deps, job, dayWindow(at, timezone), fresh);
      for (const platform of outcome.fetched) fresh.add(platform);
      const delivery: Delivery =
        job.job === 'fetch'
          ? { queued: 0, superseded: 0, skipped: null }
          : await deliver(db, outbox, { clientId: job.clientId, job: job.job, at }, outcome.messages, now());
      queued = delivery.queued;
      result = [outcome.result, deliveryNote(delivery)].filter(Boolean).join('; ');
      log.info({ clientId: job.clientId, job: job.job, at: at.toISOString(), queued, superseded: delivery.superseded, result }, 'scheduled job ran');
    } catch (error) {
      result = `gagal: ${error instanceof Error ? error.message : String(error)}`;
      log.error({ err: error, clientId: job.clientId, job: job.job, at: at.toISOString() }, 'scheduled job failed');
    } finally {
      this.running.delete(key);
    }
    await this.finish(job, at, result);
    return { clientId: job.clientId, job: job.job, at, result, queued };
  }

  /** Records the run (a few tries: an unrecorded run would look unfinished until its process stops). */
  private async finish(job: Job, at: Date, result: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.record(job, at, result);
        return;
      } catch (error) {
        this.deps.log.error({ err: error, clientId: job.clientId, job: job.job, attempt }, 'could not record a job run');
        if (attempt === 3) return;
        await new Promise((resolve) => setTimeout(resolve, attempt * 2000));
      }
    }
  }

  private async record(job: Job, at: Date, result: string): Promise<void> {
    const { db, now, timezone } = this.deps;
    const ended = now();
    await db.query(
      `UPDATE schedule_run SET finished_at = $4, result = $5 WHERE client_id = $1 AND job = $2 AND occurrence_at = $3`,
      [job.clientId, job.job, at, ended, result],
    );
    await db.query(
      `UPDATE schedule_job SET last_run_at = $3, last_result = $4, next_run_at = $5 WHERE client_id = $1 AND job = $2`,
      [job.clientId, job.job, at, result, nextOccurrence(job.cron, timezone, ended)],
    );
  }

  /**
   * A job's last time that left the grace without a run (no bot ran, or WhatsApp was
   * down): logged once and shown by `jadwal`.
   */
  private async noteMissed(job: Job, missed: Date | null, runs: ReadonlySet<string>, now: Date): Promise<void> {
    // A job that never ran (a new client, a first start) has missed nothing yet; one switched on or retimed after it neither.
    if (!missed || !job.lastRunAt || job.lastRunAt >= missed || (job.changedAt && job.changedAt >= missed)) return;
    const id = occurrenceId(job.clientId, job.job, missed);
    if (runs.has(id) || this.noted.has(id)) return;
    this.noted.add(id);
    const result = missedResult(missed, this.deps.timezone, now);
    this.deps.log.warn(
      { clientId: job.clientId, job: job.job, at: missed.toISOString() },
      'scheduled job missed (no bot ran or WhatsApp was down) and past the grace: skipped',
    );
    await this.deps.db.query(
      `UPDATE schedule_job SET last_result = $3 WHERE client_id = $1 AND job = $2 AND (last_run_at IS NULL OR last_run_at < $4)`,
      [job.clientId, job.job, result, missed],
    );
  }
}

const occurrenceId = (clientId: string, job: string, at: Date): string => `${clientId}\u0000${job}\u0000${at.toISOString()}`;

/**
 * The occurrences since `since` that were claimed (`runs`), and among them those done or
 * held by a live process, this one included (`taken`: not to be run again). An unfinished
 * claim of a process that died may be taken again.
 */
async function recentRuns(t: Executor, since: Date, worker: string): Promise<{ taken: Set<string>; runs: Set<string> }> {
  const { rows } = await t.query<{ client_id: string; job: string; occurrence_at: Date; taken: boolean }>(
    `SELECT r.client_id, r.job, r.occurrence_at,
            (r.finished_at IS NOT NULL OR r.claimed_by = $2 OR ${workerAlive('r.claimed_by', '$3')}) AS taken
       FROM schedule_run r WHERE r.occurrence_at > $1`,
    [since, worker, STALE_S],
  );
  const id = (r: (typeof rows)[number]) => occurrenceId(r.client_id, r.job, r.occurrence_at);
  return { taken: new Set(rows.filter((r) => r.taken).map(id)), runs: new Set(rows.map(id)) };
}

/** What queuing did, for the run's result, when it is worth saying. */
function deliveryNote(d: Delivery): string {
  if (d.skipped === 'queued-before') return 'pesan sudah diantrekan sebelumnya, tidak diantrekan lagi';
  if (d.skipped === 'newer-queued') return 'tidak dikirim: rekap yang lebih baru sudah diantrekan';
  return d.superseded > 0 ? `${d.superseded} pesan sebelumnya yang belum terkirim dibatalkan` : '';
}

/**
 * An earlier occurrence of the job is still running in another live process. This
 * process's own runs are in its `running` set; an unfinished row of its own is a run
 * whose record failed, and blocks nothing.
 */
async function runningElsewhere(
  t: Executor,
  o: { clientId: string; job: JobName; at: Date },
  worker: string,
  now: Date,
): Promise<boolean> {
  const { rows } = await t.query(
    `SELECT 1 FROM schedule_run r
      WHERE r.client_id = $1 AND r.job = $2 AND r.occurrence_at < $3 AND r.finished_at IS NULL
        AND r.claimed_at > $4 AND r.claimed_by <> $5 AND ${workerAlive('r.claimed_by', '$6')}
      LIMIT 1`,
    [o.clientId, o.job, o.at, new Date(now.getTime() - RUN_STALE_MS), worker, STALE_S],
  );
  return rows.length > 0;
}

/** The minutely node-cron task of `cicero start`. */
export function startScheduler(scheduler: Scheduler, timezone: string, log: Logger): { stop(): void } {
  const tick = (): void => {
    // Not awaited: a long fetch must not hold back the next minute's recaps of other clients.
    scheduler.tick().catch((error) => log.error({ err: error }, 'scheduler tick failed'));
  };
  tick();
  const task = schedule('* * * * *', tick, { timezone, name: 'scheduler' });
  return { stop: () => void task.stop() };
}
