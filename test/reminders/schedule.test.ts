/** When the reminders run: the configured Jakarta time, a grace period for a late start, once a day. Controlled clock only. */
import { beforeEach, describe, expect, it } from 'vitest';
import { type ReminderConfig, reminderTicker } from '../../src/app/reminders.js';
import { loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/log.js';
import { reminderDecision } from '../../src/reminders/due.js';
import { dm, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { freshDay, MEMBER, MEMBERS, ZONE } from './fixture.js';

const AT = { hour: 16, minute: 10 };
/** A moment given as Jakarta wall-clock time (UTC+7). */
const wib = (local: string): Date => new Date(`${local}+07:00`);

describe('reminderDecision', () => {
  it('waits before the time, runs from it until the grace period ends, then calls it missed', () => {
    expect(reminderDecision(wib('2026-11-25T16:09:59'), AT, ZONE, 60)).toEqual({ action: 'wait', day: '2026-11-25' });
    expect(reminderDecision(wib('2026-11-25T16:10:00'), AT, ZONE, 60)).toEqual({ action: 'run', day: '2026-11-25' });
    expect(reminderDecision(wib('2026-11-25T17:10:59'), AT, ZONE, 60)).toEqual({ action: 'run', day: '2026-11-25' });
    expect(reminderDecision(wib('2026-11-25T17:11:00'), AT, ZONE, 60)).toEqual({
      action: 'missed',
      day: '2026-11-25',
      at: wib('2026-11-25T16:10:00'),
    });
    expect(reminderDecision(wib('2026-11-25T16:11:00'), AT, ZONE, 0)).toMatchObject({ action: 'missed' });
  });

  it('counts days in Jakarta, across UTC midnight', () => {
    // 06:30 WIB on the 26th is still the 25th in UTC.
    const early = { hour: 6, minute: 30 };
    expect(reminderDecision(new Date('2026-11-25T23:30:00Z'), early, ZONE, 60)).toEqual({ action: 'run', day: '2026-11-26' });
    // 00:05 WIB is 17:05 UTC the day before: a reminder at 23:50 WIB is not due on the new day.
    expect(reminderDecision(new Date('2026-11-25T17:05:00Z'), { hour: 23, minute: 50 }, ZONE, 60)).toEqual({
      action: 'wait',
      day: '2026-11-26',
    });
  });
});

describe(`the reminder job (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  const logged: Array<{ fields: unknown; message: string }> = [];
  const log = {
    info: (fields: unknown, message?: string) => void logged.push({ fields, message: message ?? String(fields) }),
    error: (fields: unknown, message?: string) => void logged.push({ fields, message: message ?? String(fields) }),
  } as unknown as Logger;
  const config = (env: Record<string, string> = {}): ReminderConfig =>
    loadConfig(['CICERO_TIMEZONE', 'CICERO_REMINDER_TIME', 'CICERO_REMINDER_MAX_PER_DAY', 'CICERO_SCHEDULE_GRACE_MIN'], env);

  beforeEach(async () => {
    logged.length = 0;
    t = await freshDay(database());
    await t.replies(MEMBER, 'notifwa#on');
  });

  /** Sets the bot's clock (the outbox sends what is due by it) and returns the moment. */
  const at = (local: string): Date => {
    t.clock.now = wib(local);
    return t.clock.now;
  };
  const sent = async () => {
    await t.bot.outbox.drain();
    return t.transport.takeTexts().map((m) => m.chatId);
  };

  it('runs once at the configured time, not before, and not again that day', async () => {
    const tick = reminderTicker(database().db, t.bot.outbox, config(), log);
    await tick(at('2026-11-25T16:09:00'));
    expect(await sent()).toEqual([]);
    await tick(at('2026-11-25T16:10:00'));
    expect(await sent()).toEqual([dm(MEMBER)]);
    // A member who opts in later that day is not reminded by a second run of the day.
    await t.replies('6281300000022', 'notifwa#on');
    await tick(at('2026-11-25T16:11:00'));
    expect(await sent()).toEqual([]);
    expect(logged.filter((l) => l.message === 'member reminders queued')).toHaveLength(1);
  });

  it('a bot started within the grace period still sends; one started later skips and logs it', async () => {
    const late = reminderTicker(database().db, t.bot.outbox, config({ CICERO_SCHEDULE_GRACE_MIN: '30' }), log);
    await late(at('2026-11-25T16:41:00'));
    expect(await sent()).toEqual([]);
    expect(logged.map((l) => l.message)).toContain('member reminders skipped: their time passed while no bot ran, beyond the grace period');

    const inTime = reminderTicker(database().db, t.bot.outbox, config({ CICERO_SCHEDULE_GRACE_MIN: '30' }), log);
    await inTime(at('2026-11-25T16:40:00'));
    expect(await sent()).toEqual([dm(MEMBER)]);
  });

  it('an empty CICERO_REMINDER_TIME sends nothing', async () => {
    const off = reminderTicker(database().db, t.bot.outbox, config({ CICERO_REMINDER_TIME: '' }), log);
    await off(at('2026-11-25T16:10:00'));
    expect(await sent()).toEqual([]);
  });

  it('at the first minute of a day, drops yesterday’s reminder still waiting', async () => {
    const tick = reminderTicker(database().db, t.bot.outbox, config(), log);
    const key = `reminder:${MEMBERS.budi}:2026-11-24`;
    await t.bot.outbox.store.insert(t.bot.outbox.rowsOf({ chatId: dm(MEMBER), key, origin: 'broadcast', text: 'kemarin' }), t.clock.now);
    await tick(at('2026-11-25T00:00:00'));
    expect((await database().db.query('SELECT 1 FROM outbox WHERE message_key = $1', [key])).rows).toEqual([]);
  });

  it('takes HH:MM and refuses anything else', () => {
    expect(config({ CICERO_REMINDER_TIME: '7:05' }).CICERO_REMINDER_TIME).toEqual({ hour: 7, minute: 5 });
    expect(() => config({ CICERO_REMINDER_TIME: '25:00' })).toThrow(/CICERO_REMINDER_TIME is invalid: expected a time of day as HH:MM/);
  });
});
