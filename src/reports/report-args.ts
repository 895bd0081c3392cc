/**
 * The arguments of the report commands: `CLIENT[#MODE[#SUB]]`, with a date
 * (`2026-11-24`, `24-11-2026`, `kemarin`) and `excel` accepted anywhere after the client.
 */
import { DateTime } from 'luxon';
import { UsageError, UserError } from '../bot/errors.js';
import type { Filter, ReportKind } from './absensi-text.js';

export interface ReportRequest {
  client: string;
  kind: ReportKind;
  filter: Filter;
  /** The Jakarta day asked for, `yyyy-mm-dd`. */
  date: string;
  excel: boolean;
}

export const MODE_HELP = 'Pilih mode [akumulasi|sudah|belum]';

const TODAY_WORDS = new Set(['hariini', 'hari ini', 'today']);
const YESTERDAY_WORDS = new Set(['kemarin', 'yesterday']);

/** The day a token names; undefined when the token is no date at all. */
export function parseDay(token: string, now: Date, timezone: string): string | undefined {
  const word = token.trim().toLowerCase();
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  if (TODAY_WORDS.has(word)) return today.toISODate()!;
  if (YESTERDAY_WORDS.has(word)) return today.minus({ days: 1 }).toISODate()!;
  if (!/^\d/.test(word)) return undefined;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(word);
  const local = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(word);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : local
      ? [local[3], local[2], local[1]]
      : [undefined, undefined, undefined];
  const date = year ? DateTime.fromObject({ year: +year, month: +month!, day: +day! }, { zone: timezone }) : null;
  if (!date?.isValid) {
    throw new UserError(`⚠️ Tanggal *${token}* tidak valid. Gunakan format 2026-11-24, 24-11-2026, atau *kemarin*.`);
  }
  if (date > today) {
    throw new UserError(`⚠️ Tanggal *${token}* belum terjadi (hari ini ${today.toISODate()}).`);
  }
  return date.toISODate()!;
}

/** Splits off the date and `excel` tokens; what is left are the mode words. */
export function splitOptions(
  tokens: readonly string[],
  now: Date,
  timezone: string,
): { date: string; excel: boolean; words: string[] } {
  let date: string | undefined;
  let excel = false;
  const words: string[] = [];
  for (const token of tokens) {
    if (token === '') continue; // `client##akumulasi`: a doubled # adds nothing
    if (token.toLowerCase() === 'excel' || token.toLowerCase() === 'xlsx') {
      excel = true;
      continue;
    }
    const day = parseDay(token, now, timezone);
    if (day === undefined) words.push(token.toLowerCase());
    else if (date !== undefined && date !== day) throw new UsageError('Tanggal hanya boleh satu.');
    else date = day;
  }
  return { date: date ?? parseDay('hariini', now, timezone)!, excel, words };
}

/** `absensilikes`/`absensikomentar`/`absensilink` arguments. */
export function parseReportArgs(args: readonly string[], now: Date, timezone: string): ReportRequest {
  const [client, ...rest] = args;
  if (!client) throw new UsageError();
  const { date, excel, words } = splitOptions(rest, now, timezone);
  const [mode = '', sub = '', ...extra] = words;
  if (extra.length > 0) throw new UsageError(`${MODE_HELP}.`);
  const base = { client, date, excel };
  if (mode === 'akumulasi' && (sub === '' || sub === 'sudah' || sub === 'belum')) {
    return { ...base, kind: 'accumulated', filter: sub === '' ? 'all' : sub };
  }
  if ((mode === '' || mode === 'sudah' || mode === 'belum') && sub === '') {
    return { ...base, kind: 'per_content', filter: mode === '' ? 'all' : mode };
  }
  throw new UsageError(`Mode *${[mode, sub].filter(Boolean).join('#')}* tidak dikenal. ${MODE_HELP}.`);
}
