/**
 * When a job is due: the minutes its cron expressions match in the configured zone,
 * read with node-cron's own matcher (so the times are exactly what node-cron would
 * fire), and the exclusive claim of one occurrence among several bot processes.
 */
import { createTask, type ScheduledTask, validate } from 'node-cron';
import type { Queryable } from '../db/db.js';
import { STALE_S, workerAlive } from '../db/presence.js';

const MINUTE = 60_000;

/** Matchers are created stopped and never started: they only answer `match`. Null: the expression is invalid. */
const matchers = new Map<string, ScheduledTask | null>();

/** A matcher per expression; an invalid one (written by SQL) matches nothing rather than stopping every job. */
function matcher(expression: string, timezone: string): ScheduledTask | null {
  const key = `${timezone}\u0000${expression}`;
  let task = matchers.get(key);
  if (task === undefined) {
    task = validCron(expression) ? createTask(expression, () => {}, { timezone }) : null;
    matchers.set(key, task);
  }
  return task;
}

export function validCron(expression: string): boolean {
  // Five fields only: a seconds field would fire between the minutes the scheduler looks at.
  return expression.trim().split(/\s+/).length === 5 && validate(expression);
}

const startOfMinute = (at: Date): number => Math.floor(at.getTime() / MINUTE) * MINUTE;

/** The whole minutes in (after, until] at which any of `cron` matches, oldest first. */
export function occurrencesBetween(cron: readonly string[], timezone: string, after: Date, until: Date): Date[] {
  const found: Date[] = [];
  for (let t = startOfMinute(after) + MINUTE; t <= until.getTime(); t += MINUTE) {
    const at = new Date(t);
    if (cron.some((e) => matcher(e, timezone)?.match(at))) found.push(at);
  }
  return found;
}

/** The first occurrence after `after`, looking at most `days` ahead; null when none. */
export function nextOccurrence(cron: readonly string[], timezone: string, after: Date, days = 8): Date | null {
  const limit = after.getTime() + days * 86_400_000;
  for (let t = startOfMinute(after) + MINUTE; t <= limit; t += MINUTE) {
    const at = new Date(t);
    if (cron.some((e) => matcher(e, timezone)?.match(at))) return at;
  }
  return null;
}

/**
 * Claims one occurrence for `worker`; false when another process (or an earlier run of
 * this one) claimed it already. The primary key decides: exactly one INSERT wins. An
 * unfinished claim of a process that is gone (it died or stopped mid-run) is taken over,
 * so a restart during a run does not lose the occurrence.
 */
export async function claimOccurrence(
  db: Queryable,
  occurrence: { clientId: string; job: string; at: Date },
  worker: string,
  now: Date,
): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO schedule_run (client_id, job, occurrence_at, claimed_by, claimed_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (client_id, job, occurrence_at) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at
      WHERE schedule_run.finished_at IS NULL AND schedule_run.claimed_by <> excluded.claimed_by
        AND NOT ${workerAlive('schedule_run.claimed_by', '$6')}
     RETURNING 1`,
    [occurrence.clientId, occurrence.job, occurrence.at, worker, now, STALE_S],
  );
  return rows.length === 1;
}
