/**
 * The daily member reminders (src/reminders/), on node-cron: a job every minute asks
 * whether they are due (src/reminders/due.ts) and runs them once per day in this
 * process; with several processes each runs them, and the database lets each member
 * be reminded once (src/reminders/queue.ts). At the first minute of a day, reminders
 * of earlier days still waiting in the outbox are dropped.
 */
import { schedule } from 'node-cron';
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../outbox/outbox.js';
import { reminderDecision } from '../reminders/due.js';
import { dropStaleReminders } from '../reminders/queue.js';
import { remindMembers } from '../reminders/remind.js';
import { formatStamp } from '../time/format.js';

export const REMINDER_VARIABLES = [
  'CICERO_TIMEZONE',
  'CICERO_REMINDER_TIME',
  'CICERO_REMINDER_MAX_PER_DAY',
  'CICERO_SCHEDULE_GRACE_MIN',
] as const;
export type ReminderConfig = Config<(typeof REMINDER_VARIABLES)[number]>;

/** One minute of the job at `now`; keeps what it has done in its closure. Exposed for tests. */
export function reminderTicker(db: Db, outbox: Outbox, config: ReminderConfig, log: Logger): (now: Date) => Promise<void> {
  const zone = config.CICERO_TIMEZONE;
  let handledDay: string | null = null;
  let cleanedDay: string | null = null;
  return async (now) => {
    const time = config.CICERO_REMINDER_TIME;
    if (!time) return;
    const decision = reminderDecision(now, time, zone, config.CICERO_SCHEDULE_GRACE_MIN);
    if (decision.day !== cleanedDay) {
      const dropped = await dropStaleReminders(db, decision.day);
      if (dropped > 0) log.info({ dropped }, 'member reminders of earlier days dropped unsent');
      cleanedDay = decision.day;
    }
    if (decision.action === 'wait' || decision.day === handledDay) return;
    if (decision.action === 'missed') {
      handledDay = decision.day;
      log.info(
        { day: decision.day, due: formatStamp(decision.at, zone), graceMin: config.CICERO_SCHEDULE_GRACE_MIN },
        'member reminders skipped: their time passed while no bot ran, beyond the grace period',
      );
      return;
    }
    const run = await remindMembers(db, outbox, { timezone: zone, maxPerDay: config.CICERO_REMINDER_MAX_PER_DAY }, now);
    handledDay = decision.day;
    log.info(run, 'member reminders queued');
  };
}

export function scheduleReminders(db: Db, outbox: Outbox, config: ReminderConfig, log: Logger): { stop(): void } {
  if (!config.CICERO_REMINDER_TIME) {
    log.info('member reminders off (CICERO_REMINDER_TIME is empty)');
    return { stop: () => {} };
  }
  const tick = reminderTicker(db, outbox, config, log);
  const job = schedule(
    '* * * * *',
    async () => {
      try {
        await tick(new Date());
      } catch (error) {
        // Not marked handled: the next minute tries again, within the grace period.
        log.error({ err: error }, 'member reminders failed');
      }
    },
    { timezone: config.CICERO_TIMEZONE, noOverlap: true, name: 'member-reminders' },
  );
  return { stop: () => void job.stop() };
}
