/**
 * The arguments of the report commands: `[CLIENT][#MODE[#SUB]]`, with a date
 * (`2026-11-24`, `24-11-2026`, `kemarin`), `excel` and `grafik` accepted anywhere after the client.
 * The client may be left out (the operator's own, or the group's); a first argument
 * that is a mode, a date or an option word is never read as a client id.
 */
import { DateTime } from 'luxon';
import { UsageError, UserError } from '../bot/errors.js';
import type { Filter, ReportKind } from './absensi-text.js';

export interface ReportRequest {
  /** As typed; null when left out. */
  client: string | null;
  kind: ReportKind;
  filter: Filter;
  /** The Jakarta day asked for, `yyyy-mm-dd`. */
  date: string;
  excel: boolean;
  /** A chart picture per division was asked for (`grafik`). */
  chart: boolean;
}

export const MODE_HELP = 'Pilih mode [akumulasi|sudah|belum]';

const TODAY_WORDS = new Set(['hariini', 'hari ini', 'today']);
const YESTERDAY_WORDS = new Set(['kemarin', 'yesterday']);
const EXCEL_WORDS = new Set(['excel', 'xlsx']);
const CHART_WORDS = new Set(['grafik', 'chart', 'gambar']);
/** The mode words of `absensilikes`, `absensikomentar`, `absensilink` and `absensiregistrasi`. */
export const MODE_WORDS: ReadonlySet<string> = new Set(['akumulasi', 'sudah', 'belum']);
/**
 * No report predates this year (Instagram's); an earlier date is a typing error, and
 * years before 1 AD are not even dates to PostgreSQL.
 */
const FIRST_YEAR = 2000;

/** A token that names a date or asks for Excel or a chart, however it is written (a date need not be valid). */
function isDateOrOption(token: string): boolean {
  const word = token.trim().toLowerCase();
  return TODAY_WORDS.has(word) || YESTERDAY_WORDS.has(word) || EXCEL_WORDS.has(word) || CHART_WORDS.has(word) || /^\d/.test(word);
}

/**
 * Splits off the client id: the first argument, unless it is one of `words` (the
 * command's own option words), a date, `excel` or `grafik`. Empty first arguments (`cmd##x`) are skipped.
 */
export function takeClient(
  args: readonly string[],
  words: ReadonlySet<string>,
): { client: string | null; rest: string[] } {
  const [first, ...rest] = args.filter((a, i) => i > 0 || a !== '');
  if (first === undefined) return { client: null, rest: [] };
  if (words.has(first.toLowerCase()) || isDateOrOption(first)) return { client: null, rest: [first, ...rest] };
  return { client: first, rest };
}

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
  if (!date?.isValid || date.year < FIRST_YEAR) {
    throw new UserError(`⚠️ Tanggal *${token}* tidak valid. Gunakan format 2026-11-24, 24-11-2026, atau *kemarin*.`);
  }
  if (date > today) {
    throw new UserError(`⚠️ Tanggal *${token}* belum terjadi (hari ini ${today.toISODate()}).`);
  }
  return date.toISODate()!;
}

/** Splits off the date, `excel` and `grafik` tokens; what is left are the mode words. */
export function splitOptions(
  tokens: readonly string[],
  now: Date,
  timezone: string,
): { date: string; excel: boolean; chart: boolean; words: string[] } {
  let date: string | undefined;
  let excel = false;
  let chart = false;
  const words: string[] = [];
  for (const token of tokens) {
    if (token === '') continue; // `client##akumulasi`: a doubled # adds nothing
    if (EXCEL_WORDS.has(token.toLowerCase())) {
      excel = true;
      continue;
    }
    if (CHART_WORDS.has(token.toLowerCase())) {
      chart = true;
      continue;
    }
    const day = parseDay(token, now, timezone);
    if (day === undefined) words.push(token.toLowerCase());
    else if (date !== undefined && date !== day) throw new UsageError('Tanggal hanya boleh satu.');
    else date = day;
  }
  return { date: date ?? parseDay('hariini', now, timezone)!, excel, chart, words };
}

/** `absensilikes`/`absensikomentar`/`absensilink` arguments. */
export function parseReportArgs(args: readonly string[], now: Date, timezone: string): ReportRequest {
  const { client, rest } = takeClient(args, MODE_WORDS);
  const { date, excel, chart, words } = splitOptions(rest, now, timezone);
  const [mode = '', sub = '', ...extra] = words;
  if (extra.length > 0) throw new UsageError(`${MODE_HELP}.`);
  const base = { client, date, excel, chart };
  if (mode === 'akumulasi' && (sub === '' || sub === 'sudah' || sub === 'belum')) {
    return { ...base, kind: 'accumulated', filter: sub === '' ? 'all' : sub };
  }
  if ((mode === '' || mode === 'sudah' || mode === 'belum') && sub === '') {
    return { ...base, kind: 'per_content', filter: mode === '' ? 'all' : mode };
  }
  throw new UsageError(`Mode *${[mode, sub].filter(Boolean).join('#')}* tidak dikenal. ${MODE_HELP}.`);
}
