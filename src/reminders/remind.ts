/**
 * One run of the member reminders for the day that contains `now`: each candidate
 * (src/reminders/candidates.ts) who still has posts to like or comment on gets one
 * private message listing them, up to the daily maximum; a member with nothing left
 * gets nothing. Reminders of earlier days still waiting are dropped first.
 */
import { activeClients, type ComplianceClient } from '../compliance/clients.js';
import { type EngagementDay, loadEngagement } from '../compliance/engagement.js';
import type { Db, Queryable } from '../db/db.js';
import type { Outbox } from '../outbox/outbox.js';
import { type DayWindow, dayWindow } from '../time/day.js';
import { reminderCandidates } from './candidates.js';
import { dataTime, missingPosts } from './missing.js';
import { dropStaleReminders, queueReminder, remindedOn } from './queue.js';
import { reminderText } from './texts.js';

export interface ReminderOptions {
  timezone: string;
  /** Reminders per day at most, across every process. */
  maxPerDay: number;
}

export interface ReminderRun {
  day: string;
  queued: number;
  /** Candidates with nothing left to do. */
  nothingMissing: number;
  /** Candidates left without a reminder because the daily maximum was reached. */
  overMaximum: number;
  /** Waiting reminders of earlier days dropped. */
  dropped: number;
}

/** Sent-rows older than this are pruned (a member last reminded before counts as never reminded). */
const KEEP_DAYS = 60;

export async function remindMembers(db: Db, outbox: Outbox, options: ReminderOptions, now: Date): Promise<ReminderRun> {
  const day = dayWindow(now, options.timezone);
  const run: ReminderRun = { day: day.date, queued: 0, nothingMissing: 0, overMaximum: 0, dropped: 0 };
  run.dropped = await dropStaleReminders(db, day.date);
  await db.query(`DELETE FROM member_reminder_sent WHERE day < $1::date - ${KEEP_DAYS}`, [day.date]);
  const candidates = await reminderCandidates(db, day.date);
  if (candidates.length === 0) return run;
  if ((await remindedOn(db, day.date)) >= options.maxPerDay) {
    run.overMaximum = candidates.length;
    return run;
  }
  const days = new ClientDays(db, day);
  for (const [i, member] of candidates.entries()) {
    const engagement = await days.of(member.clientId);
    const missing = missingPosts(member.userId, engagement);
    if (missing.length === 0) {
      run.nothingMissing++;
      continue;
    }
    const text = reminderText(missing, now, dataTime(engagement), options.timezone);
    const outcome = await queueReminder(db, outbox, member, text, day.date, options.maxPerDay, now);
    if (outcome === 'full') {
      run.overMaximum = candidates.length - i;
      break;
    }
    if (outcome === 'queued') run.queued++;
  }
  if (run.queued > 0) outbox.wake();
  return run;
}

/** The day's likes and comments of each client, loaded once per run (only the platforms the client has on). */
class ClientDays {
  private clients: Promise<Map<string, ComplianceClient>> | null = null;
  private readonly loaded = new Map<string, Promise<EngagementDay[]>>();

  constructor(
    private readonly db: Queryable,
    private readonly day: DayWindow,
  ) {}

  of(clientId: string): Promise<EngagementDay[]> {
    let days = this.loaded.get(clientId);
    if (!days) {
      days = this.load(clientId);
      this.loaded.set(clientId, days);
    }
    return days;
  }

  private async load(clientId: string): Promise<EngagementDay[]> {
    this.clients ??= activeClients(this.db).then((list) => new Map(list.map((c) => [c.clientId, c])));
    const client = (await this.clients).get(clientId);
    if (!client) return [];
    const days: EngagementDay[] = [];
    if (client.instaEnabled && client.insta) days.push(await loadEngagement(this.db, client, 'likes', this.day));
    if (client.tiktokEnabled && client.tiktok) days.push(await loadEngagement(this.db, client, 'comments', this.day));
    return days;
  }
}
