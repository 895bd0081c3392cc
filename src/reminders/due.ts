/**
 * Whether the member reminders are due: from the configured time of the day (in the
 * zone) until `graceMin` minutes later. A bot started later the same day skips them
 * (and says so); one started before waits. Pure: tests pass their own `now`.
 */
import { DateTime } from 'luxon';

export interface ClockTime {
  hour: number;
  minute: number;
}

export type ReminderDecision =
  | { action: 'wait'; day: string }
  | { action: 'run'; day: string }
  | { action: 'missed'; day: string; at: Date };

export function reminderDecision(now: Date, time: ClockTime, zone: string, graceMin: number): ReminderDecision {
  const local = DateTime.fromJSDate(now, { zone });
  const day = local.toISODate()!;
  const at = local.set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
  if (local < at) return { action: 'wait', day };
  const late = Math.floor(local.diff(at, 'minutes').minutes);
  return late <= graceMin ? { action: 'run', day } : { action: 'missed', day, at: at.toJSDate() };
}
