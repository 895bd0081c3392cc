/** The scheduled jobs' rows, their Jakarta times, and the claim of an occurrence. */
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/db/db.js';
import { PostgresDb } from '../../src/db/postgres.js';
import { DEFAULT_CRON, JOB_NAMES, listJobs } from '../../src/schedule/jobs.js';
import { claimOccurrence, nextOccurrence, occurrencesBetween, validCron } from '../../src/schedule/occurrences.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const database = useTestDatabase();
const ZONE = 'Asia/Jakarta';
const utc = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
/** Workers with a fresh heartbeat: their claims are theirs. */
const alive = async (db: Queryable, ...workers: string[]) => {
  for (const w of workers) {
    await db.query(`INSERT INTO bot_worker (worker, pid, hostname, seen_at) VALUES ($1, 1, 'h', now()) ON CONFLICT (worker) DO UPDATE SET seen_at = now()`, [w]);
  }
};

describe('job times', () => {
  it('fires the recaps at 15.00, 18.00 and 21.00 Jakarta time', () => {
    const day = occurrencesBetween(DEFAULT_CRON.likes, ZONE, utc('2026-12-01T17:00:00Z'), utc('2026-12-02T17:00:00Z'));
    expect(iso(day)).toEqual(['2026-12-02T08:00:00.000Z', '2026-12-02T11:00:00.000Z', '2026-12-02T14:00:00.000Z']);
  });

  it('fetches every 30 minutes from 06.00 to 21.00, across UTC midnight', () => {
    // 06.00 WIB is 23.00 UTC of the day before.
    const morning = occurrencesBetween(DEFAULT_CRON.fetch, ZONE, utc('2026-12-01T22:00:00Z'), utc('2026-12-02T00:05:00Z'));
    expect(iso(morning)).toEqual(['2026-12-01T23:00:00.000Z', '2026-12-01T23:30:00.000Z', '2026-12-02T00:00:00.000Z']);
    const day = occurrencesBetween(DEFAULT_CRON.fetch, ZONE, utc('2026-12-01T17:00:00Z'), utc('2026-12-02T17:00:00Z'));
    expect(day).toHaveLength(31);
    expect(day.at(-1)!.toISOString()).toBe('2026-12-02T14:00:00.000Z'); // 21.00, not 21.30
  });

  it('counts an occurrence once at the edge: after is excluded, until included', () => {
    const at = utc('2026-12-02T02:00:00Z'); // 09.00 WIB
    expect(occurrencesBetween(DEFAULT_CRON.registration, ZONE, at, utc('2026-12-02T03:00:00Z'))).toEqual([]);
    expect(iso(occurrencesBetween(DEFAULT_CRON.registration, ZONE, utc('2026-12-02T01:59:00Z'), at))).toEqual([at.toISOString()]);
    expect(nextOccurrence(DEFAULT_CRON.links, ZONE, utc('2026-12-02T08:05:00Z'))?.toISOString()).toBe('2026-12-02T14:05:00.000Z');
  });

  it('takes five-field node-cron expressions only', () => {
    expect(validCron('0 15,18,21 * * *')).toBe(true);
    expect(validCron('0 0 15 * * *')).toBe(false);
    expect(validCron('0 25 * * *')).toBe(false);
    expect(validCron('jam tiga')).toBe(false);
  });
});

describe('job rows', () => {
  it('gives every active client the default jobs when jobs are read, a client added by SQL too', async () => {
    const { db } = database();
    await db.query(`INSERT INTO clients (client_id, nama) VALUES ('JA', 'A'), ('JB', 'B')`);
    await db.query(`INSERT INTO clients (client_id, nama, client_status) VALUES ('JOFF', 'off', false)`);
    const jobs = await listJobs(db);
    expect(jobs.filter((j) => j.clientId === 'JA').map((j) => j.job)).toEqual([...JOB_NAMES]);
    expect(jobs.some((j) => j.clientId === 'JOFF')).toBe(false);
    expect(jobs.find((j) => j.clientId === 'JB' && j.job === 'fetch')).toMatchObject({ cron: [...DEFAULT_CRON.fetch], enabled: true, extraRecipients: [] });
    await db.query(`UPDATE schedule_job SET enabled = false WHERE client_id = 'JA' AND job = 'links'`);
    await db.query(`INSERT INTO clients (client_id, nama) VALUES ('JC', 'C')`);
    const again = await listJobs(db, 'JC');
    expect(again.map((j) => j.job)).toEqual([...JOB_NAMES]);
    expect((await listJobs(db, 'JA')).find((j) => j.job === 'links')?.enabled).toBe(false);
  });

  it('lets one claim of an occurrence win', async () => {
    const { db } = database();
    await db.query(`INSERT INTO clients (client_id, nama) VALUES ('JD', 'D') ON CONFLICT DO NOTHING`);
    await listJobs(db, 'JD');
    await alive(db, 'one', 'two');
    const occurrence = { clientId: 'JD', job: 'likes', at: utc('2026-12-02T08:00:00Z') };
    expect(await claimOccurrence(db, occurrence, 'one', new Date())).toBe(true);
    expect(await claimOccurrence(db, occurrence, 'two', new Date())).toBe(false);
    expect(await claimOccurrence(db, { ...occurrence, at: utc('2026-12-02T11:00:00Z') }, 'two', new Date())).toBe(true);
  });

  it('takes over an unfinished claim of a process that is gone, never a finished one', async () => {
    const { db } = database();
    await db.query(`INSERT INTO clients (client_id, nama) VALUES ('JF', 'F') ON CONFLICT DO NOTHING`);
    await listJobs(db, 'JF');
    await alive(db, 'survivor');
    const unfinished = { clientId: 'JF', job: 'likes', at: utc('2026-12-02T08:00:00Z') };
    const finished = { ...unfinished, at: utc('2026-12-02T11:00:00Z') };
    for (const o of [unfinished, finished]) expect(await claimOccurrence(db, o, 'gone', new Date())).toBe(true);
    await db.query(`UPDATE schedule_run SET finished_at = now() WHERE client_id = 'JF' AND occurrence_at = $1`, [finished.at]);
    expect(await claimOccurrence(db, unfinished, 'survivor', new Date())).toBe(true);
    expect(await claimOccurrence(db, unfinished, 'gone', new Date())).toBe(false); // the survivor is alive
    expect(await claimOccurrence(db, finished, 'survivor', new Date())).toBe(false);
  });

  it.runIf(backend === 'postgres')('lets exactly one of two processes claim an occurrence claimed at once', async () => {
    const { db, url } = database();
    await db.query(`INSERT INTO clients (client_id, nama) VALUES ('JE', 'E') ON CONFLICT DO NOTHING`);
    await listJobs(db, 'JE');
    await alive(db, 'a', 'b');
    const other = await PostgresDb.open(url!, { max: 4 });
    try {
      for (let i = 0; i < 20; i++) {
        const occurrence = { clientId: 'JE', job: 'fetch', at: new Date(Date.UTC(2026, 11, 2, 0, 30 * i)) };
        const wins = await Promise.all([claimOccurrence(db, occurrence, 'a', new Date()), claimOccurrence(other, occurrence, 'b', new Date())]);
        expect(wins.filter(Boolean)).toHaveLength(1);
      }
    } finally {
      await other.close();
    }
  });
});
