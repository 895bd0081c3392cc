/** Dates and durations as Indonesian readers expect them, always in an explicit zone. */
import { DateTime } from 'luxon';

const ZONE_NAMES: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

/** `Rabu, 25/11/2026 13.05.12 WIB` */
export function formatStamp(at: Date, zone: string): string {
  return `${formatDay(at, zone)} ${formatTime(at, zone)}`;
}

/** `Rabu, 25/11/2026` */
export function formatDay(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).setLocale('id').toFormat('cccc, d/M/yyyy');
}

/** `13.05.12 WIB` */
export function formatTime(at: Date, zone: string): string {
  const dt = DateTime.fromJSDate(at, { zone });
  return `${dt.toFormat('HH.mm.ss')} ${ZONE_NAMES[zone] ?? dt.toFormat('ZZZZ')}`;
}

/** `16.10 WIB`: a time of day in the zone (today's offset). */
export function formatClock(hour: number, minute: number, zone: string): string {
  const dt = DateTime.now().setZone(zone).set({ hour, minute });
  return `${dt.toFormat('HH.mm')} ${ZONE_NAMES[zone] ?? dt.toFormat('ZZZZ')}`;
}

/** `2 hari 3 jam 4 menit`, or `kurang dari 1 menit` */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const parts: string[] = [];
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days) parts.push(`${days} hari`);
  if (hours) parts.push(`${hours} jam`);
  if (mins) parts.push(`${mins} menit`);
  return parts.length ? parts.join(' ') : 'kurang dari 1 menit';
}
