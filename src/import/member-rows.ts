/**
 * The rows of a member import, each checked on its own (no database): NRP shape,
 * texts, status, handles, number. What needs the database (another client's NRP,
 * numbers and handles held by others) is checked in {@link ./upsert-members.ts}.
 *
 * A reusable check of one member's values that src/members does not offer as a whole.
 */
import type { Platform } from '../compliance/handle.js';
import { parseNrp } from '../members/binding.js';
import { cleanText, parseHandle, SHORT_TEXT_MAX, TEXT_MAX } from '../members/profile.js';
import { cellOf, type ColumnMap, mapColumns } from './columns.js';
import { ImportFileError, type Table } from './read-table.js';
import { cellPhone, FLAG_WORDS, isBlank, parseFlag, shown } from './values.js';

export type MemberColumn = 'nrp' | 'nama' | 'title' | 'divisi' | 'jabatan' | 'status' | 'insta' | 'tiktok' | 'whatsapp';

/** Accepted headers per field (compared by {@link headerKey}). */
export const MEMBER_HEADERS: Record<MemberColumn, readonly string[]> = {
  nrp: ['NRP', 'NRP/NIP', 'NIP', 'NRP NIP', 'user_id'],
  nama: ['nama', 'name', 'nama lengkap'],
  title: ['pangkat', 'title', 'rank'],
  divisi: ['divisi', 'satfung', 'division', 'satuan fungsi'],
  jabatan: ['jabatan', 'position'],
  status: ['status'],
  insta: ['instagram', 'insta', 'ig'],
  tiktok: ['tiktok'],
  whatsapp: ['whatsapp', 'wa', 'no wa', 'nomor wa', 'nomor whatsapp', 'no hp', 'hp'],
};

/** The export writes these headers, in this order, so its file imports as it is. */
export const EXPORT_HEADERS: ReadonlyArray<[MemberColumn, string]> = [
  ['nrp', 'NRP'],
  ['nama', 'nama'],
  ['title', 'pangkat'],
  ['divisi', 'divisi'],
  ['jabatan', 'jabatan'],
  ['status', 'status'],
  ['insta', 'instagram'],
  ['tiktok', 'tiktok'],
  ['whatsapp', 'whatsapp'],
];

/** One valid row; null means an empty cell (which changes nothing). */
export interface MemberRow {
  line: number;
  /** The NRP padded to 8 digits (an 18-digit NIP as it is). */
  nrp: string;
  /** The NRP as written, without separators (a stored unpadded NRP is found by it). */
  typedNrp: string;
  nama: string | null;
  title: string | null;
  divisi: string | null;
  jabatan: string | null;
  status: boolean | null;
  insta: string | null;
  tiktok: string | null;
  whatsapp: string | null;
}

export interface Rejection {
  line: number;
  reason: string;
}

export interface ParsedMembers {
  rows: MemberRow[];
  rejected: Rejection[];
  /** Every NRP the file names, rejected rows included: --deactivate-missing spares them. */
  named: Set<string>;
  /** Rejected rows without a readable NRP: --deactivate-missing cannot know whom they spare. */
  unnamed: number;
  ignoredColumns: string[];
}

const TEXTS = [
  ['nama', 'nama', TEXT_MAX],
  ['title', 'pangkat', SHORT_TEXT_MAX],
  ['divisi', 'divisi', SHORT_TEXT_MAX],
  ['jabatan', 'jabatan', TEXT_MAX],
] as const;

const PLATFORMS = [
  ['insta', 'instagram', 'Instagram'],
  ['tiktok', 'tiktok', 'TikTok'],
] as const;

const HANDLE_PROBLEM = {
  'post-link': (label: string) => `${label} is a link to a post, not to a profile`,
  'other-platform': (label: string) => `${label} is a link to another platform's profile`,
  invalid: (label: string) => `malformed ${label} handle`,
};

/** Checks one row; the reasons it is refused (none: valid). */
function checkRow(line: number, cell: (f: MemberColumn) => string): { row: MemberRow | null; reasons: string[] } {
  const reasons: string[] = [];
  const typed = cell('nrp');
  const nrp = parseNrp(typed);
  if (typed === '') reasons.push('no NRP');
  else if (!nrp) reasons.push(`bad NRP ${shown(typed)} (expected 6 to 8 digits, or an 18-digit NIP)`);
  const row: MemberRow = {
    line,
    nrp: nrp ? (nrp.length < 8 ? nrp.padStart(8, '0') : nrp) : '',
    typedNrp: nrp ?? '',
    nama: null,
    title: null,
    divisi: null,
    jabatan: null,
    status: null,
    insta: null,
    tiktok: null,
    whatsapp: null,
  };
  for (const [field, label, max] of TEXTS) {
    const text = cell(field);
    if (isBlank(text)) continue;
    const value = cleanText(text, max);
    if (value) row[field] = value;
    else reasons.push(`${label} longer than ${max} characters`);
  }
  const status = cell('status');
  if (!isBlank(status)) {
    row.status = parseFlag(status);
    if (row.status === null) reasons.push(`bad status ${shown(status)} (expected ${FLAG_WORDS})`);
  }
  for (const [field, platform, label] of PLATFORMS) {
    const text = cell(field);
    if (isBlank(text)) continue;
    const parsed = parseHandle(text, platform as Platform);
    if (parsed.ok) row[field] = parsed.handle;
    else reasons.push(`${HANDLE_PROBLEM[parsed.reason](label)}: ${shown(text)}`);
  }
  const phone = cell('whatsapp');
  if (!isBlank(phone)) {
    row.whatsapp = cellPhone(phone);
    if (!row.whatsapp) reasons.push(`malformed WhatsApp number ${shown(phone)}`);
  }
  return { row: reasons.length === 0 ? row : null, reasons };
}

/** Maps the columns (no NRP column: a usage error) and checks every row; repeated NRPs reject all their rows. */
export function parseMemberTable(table: Table, file: string): ParsedMembers {
  const map: ColumnMap<MemberColumn> = mapColumns(table.header, MEMBER_HEADERS, file);
  if (map.index.nrp === undefined) {
    throw new ImportFileError(
      `${file}: no NRP column (line ${table.header.line} must be the header, with a column named NRP or NRP/NIP)`,
      true,
    );
  }
  const rejected: Rejection[] = [];
  const valid: MemberRow[] = [];
  const named = new Set<string>();
  const linesOf = new Map<string, number[]>();
  let unnamed = 0;
  for (const tableRow of table.rows) {
    const { row, reasons } = checkRow(tableRow.line, (f) => cellOf(tableRow, map, f));
    const nrp = parseNrp(cellOf(tableRow, map, 'nrp'));
    if (nrp) {
      const padded = nrp.length < 8 ? nrp.padStart(8, '0') : nrp;
      named.add(nrp).add(padded);
      linesOf.set(padded, [...(linesOf.get(padded) ?? []), tableRow.line]);
    } else unnamed += 1;
    if (row) valid.push(row);
    else rejected.push({ line: tableRow.line, reason: reasons.join('; ') });
  }
  const rows: MemberRow[] = [];
  for (const row of valid) {
    const lines = linesOf.get(row.nrp) ?? [];
    if (lines.length > 1) {
      rejected.push({ line: row.line, reason: `NRP ${row.nrp} appears on several lines (${lines.join(', ')}); keep one row per member` });
    } else rows.push(row);
  }
  // Rows rejected for other reasons with a repeated NRP say so too.
  for (const r of rejected) {
    const repeated = [...linesOf.values()].find((lines) => lines.length > 1 && lines.includes(r.line));
    if (repeated && !r.reason.startsWith('NRP ')) r.reason += `; its NRP appears on several lines (${repeated.join(', ')})`;
  }
  rejected.sort((a, b) => a.line - b.line);
  return { rows, rejected, named, unnamed, ignoredColumns: map.ignored };
}
