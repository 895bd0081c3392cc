/** Calendar days in the configured zone ("today" is a Jakarta day by default). */
import { DateTime } from 'luxon';

export interface DayWindow {
  /** `yyyy-mm-dd` in the zone. */
  date: string;
  start: Date;
  /** Exclusive. */
  end: Date;
}

/** The zone's calendar day that contains `at`. */
export function dayWindow(at: Date, timezone: string): DayWindow {
  const start = DateTime.fromJSDate(at, { zone: timezone }).startOf('day');
  return { date: start.toISODate()!, start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() };
}

/** The zone's calendar day that `yyyy-mm-dd` names. */
export function dayWindowOf(date: string, timezone: string): DayWindow {
  return dayWindow(DateTime.fromISO(date, { zone: timezone }).toJSDate(), timezone);
}
