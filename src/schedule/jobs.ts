/**
 * The scheduled jobs of each client (issue 14): their names, default times, and the
 * rows that hold them. Every active client has every default job whenever jobs are
 * read: the missing rows are inserted first, so a client added by SQL has them too.
 */
import type { Queryable } from '../db/db.js';

export const JOB_NAMES = ['fetch', 'likes', 'comments', 'registration', 'links'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** Default times as node-cron expressions in CICERO_TIMEZONE. */
export const DEFAULT_CRON: Record<JobName, readonly string[]> = {
  // Every 30 minutes from 06:00 to 21:00.
  fetch: ['*/30 6-20 * * *', '0 21 * * *'],
  likes: ['0 15,18,21 * * *'],
  comments: ['0 15,18,21 * * *'],
  registration: ['0 9 * * *'],
  links: ['5 15,21 * * *'],
};

export function isJobName(value: string): value is JobName {
  return (JOB_NAMES as readonly string[]).includes(value);
}

export interface Job {
  clientId: string;
  job: JobName;
  cron: string[];
  enabled: boolean;
  extraRecipients: string[];
  lastRunAt: Date | null;
  lastResult: string | null;
  /** Last switched on or given new times: no catch-up of an occurrence from before. */
  changedAt: Date | null;
}

interface JobRow {
  client_id: string;
  job: JobName;
  cron: string[];
  enabled: boolean;
  extra_recipients: string[];
  last_run_at: Date | null;
  last_result: string | null;
  changed_at: Date | null;
}

/** Inserts the default jobs an active client lacks (one statement for every client). */
export async function ensureDefaultJobs(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO schedule_job (client_id, job, cron)
     SELECT c.client_id, d.job, d.cron
       FROM clients c CROSS JOIN jsonb_to_recordset($1::jsonb) AS d (job text, cron text[])
      WHERE c.client_status
     ON CONFLICT (client_id, job) DO NOTHING`,
    [JSON.stringify(JOB_NAMES.map((job) => ({ job, cron: DEFAULT_CRON[job] })))],
  );
}

/** The jobs of active clients (of one client when named), defaults created first; by client, then job order. */
export async function listJobs(db: Queryable, clientId?: string): Promise<Job[]> {
  await ensureDefaultJobs(db);
  const { rows } = await db.query<JobRow>(
    `SELECT j.client_id, j.job, j.cron, j.enabled, j.extra_recipients, j.last_run_at, j.last_result, j.changed_at
       FROM schedule_job j JOIN clients c ON c.client_id = j.client_id
      WHERE c.client_status AND ($1::text IS NULL OR j.client_id = $1)
      ORDER BY j.client_id, array_position($2::text[], j.job)`,
    [clientId ?? null, JOB_NAMES],
  );
  return rows.map((r) => ({
    clientId: r.client_id,
    job: r.job,
    cron: r.cron,
    enabled: r.enabled,
    extraRecipients: r.extra_recipients,
    lastRunAt: r.last_run_at,
    lastResult: r.last_result,
    changedAt: r.changed_at,
  }));
}

/** Switches a job on or off; false when the client has no such job (unknown or inactive client). */
export async function setEnabled(db: Queryable, clientId: string, job: JobName, enabled: boolean, now: Date): Promise<boolean> {
  await ensureDefaultJobs(db);
  const { rows } = await db.query(
    `UPDATE schedule_job SET enabled = $3, changed_at = CASE WHEN $3 AND NOT enabled THEN $4 ELSE changed_at END
      WHERE client_id = $1 AND job = $2 RETURNING 1`,
    [clientId, job, enabled, now],
  );
  return rows.length > 0;
}

/** Sets a job's times (node-cron expressions, already valid); false when the client has no such job. */
export async function setCron(db: Queryable, clientId: string, job: JobName, cron: readonly string[], now: Date): Promise<boolean> {
  await ensureDefaultJobs(db);
  const { rows } = await db.query(
    'UPDATE schedule_job SET cron = $3, next_run_at = NULL, changed_at = $4 WHERE client_id = $1 AND job = $2 RETURNING 1',
    [clientId, job, cron, now],
  );
  return rows.length > 0;
}

/** Sets the chats a job sends to beyond the client's groups and numbers; false when the client has no such job. */
export async function setExtraRecipients(db: Queryable, clientId: string, job: JobName, chatIds: readonly string[]): Promise<boolean> {
  await ensureDefaultJobs(db);
  const { rows } = await db.query('UPDATE schedule_job SET extra_recipients = $3 WHERE client_id = $1 AND job = $2 RETURNING 1', [
    clientId,
    job,
    chatIds,
  ]);
  return rows.length > 0;
}

/**
 * `08:00,15.30` → one cron expression per time (`0 8 * * *`, `30 15 * * *`), in order,
 * each once; null when any entry is not a time of day.
 */
export function cronOfTimes(text: string): string[] | null {
  const entries = text.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  const minutes = new Set<number>();
  for (const entry of entries) {
    const m = /^(\d{1,2})[:.](\d{2})$/.exec(entry);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
    minutes.add(Number(m[1]) * 60 + Number(m[2]));
  }
  return [...minutes].sort((a, b) => a - b).map((t) => `${t % 60} ${Math.floor(t / 60)} * * *`);
}
