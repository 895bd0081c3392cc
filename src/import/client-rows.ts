/**
 * The rows of a client import, each checked on its own: the id's shape, accounts
 * (Instagram and TikTok handles or profile links), numbers (operator and super, several
 * separated by commas), flags. A new client needs its `nama`.
 */
import { parseHandle } from '../members/profile.js';
import { cellOf, mapColumns } from './columns.js';
import type { Rejection } from './member-rows.js';
import { ImportFileError, type Table } from './read-table.js';
import { cellPhone, FLAG_WORDS, isBlank, parseFlag, shown } from './values.js';

export const CLIENT_TEXTS = ['nama', 'client_type'] as const;
export const CLIENT_ACCOUNTS = ['client_insta', 'client_tiktok'] as const;
export const CLIENT_NUMBERS = ['client_operator', 'client_super'] as const;
export const CLIENT_FLAGS = ['client_status', 'client_insta_status', 'client_tiktok_status', 'client_amplify_status'] as const;
export type ClientField =
  | (typeof CLIENT_TEXTS)[number]
  | (typeof CLIENT_ACCOUNTS)[number]
  | (typeof CLIENT_NUMBERS)[number]
  | (typeof CLIENT_FLAGS)[number];
type ClientColumn = 'client_id' | ClientField;

export const CLIENT_HEADERS: Record<ClientColumn, readonly string[]> = {
  client_id: ['client_id', 'client', 'id'],
  nama: ['nama', 'name'],
  client_type: ['client_type', 'type', 'tipe'],
  client_insta: ['client_insta', 'insta', 'instagram'],
  client_tiktok: ['client_tiktok', 'tiktok'],
  client_operator: ['client_operator', 'operator'],
  client_super: ['client_super', 'super'],
  client_status: ['client_status', 'status'],
  client_insta_status: ['client_insta_status', 'insta_status'],
  client_tiktok_status: ['client_tiktok_status', 'tiktok_status'],
  client_amplify_status: ['client_amplify_status', 'amplify_status'],
};

/** Client ids: letters, digits, `_`, `.`, `-` (no `#`, which separates chat arguments). */
const CLIENT_ID = /^[A-Za-z0-9_.-]{2,64}$/;

export interface ClientRow {
  line: number;
  clientId: string;
  values: Partial<Record<ClientField, string | boolean>>;
}

export interface ParsedClients {
  rows: ClientRow[];
  rejected: Rejection[];
  ignoredColumns: string[];
}

/** Numbers in a cell (separated by commas, semicolons or slashes... or spaces between whole numbers), canonical, comma-joined. */
export function numberList(cell: string): { ok: true; value: string } | { ok: false; bad: string } {
  const parts = cell.split(/[,;]/).map((p) => p.trim()).filter((p) => p !== '');
  const out: string[] = [];
  for (const part of parts) {
    const phone = cellPhone(part);
    if (!phone) return { ok: false, bad: part };
    if (!out.includes(phone)) out.push(phone);
  }
  return { ok: true, value: out.join(',') };
}

export function parseClientTable(table: Table, file: string): ParsedClients {
  const map = mapColumns(table.header, CLIENT_HEADERS, file);
  if (map.index.client_id === undefined) {
    throw new ImportFileError(`${file}: no client_id column (line ${table.header.line} must be the header)`, true);
  }
  const rejected: Rejection[] = [];
  const valid: ClientRow[] = [];
  const linesOf = new Map<string, number[]>();
  for (const tableRow of table.rows) {
    const cell = (f: ClientColumn) => cellOf(tableRow, map, f);
    const reasons: string[] = [];
    const clientId = cell('client_id');
    if (!CLIENT_ID.test(clientId)) reasons.push(clientId === '' ? 'no client_id' : `bad client_id ${shown(clientId)} (letters, digits, _ . - only)`);
    else linesOf.set(clientId.toLowerCase(), [...(linesOf.get(clientId.toLowerCase()) ?? []), tableRow.line]);
    const values: ClientRow['values'] = {};
    for (const f of CLIENT_TEXTS) {
      const text = cell(f).replace(/\s+/g, ' ');
      if (isBlank(text)) continue;
      if (text.length > 200) reasons.push(`${f} longer than 200 characters`);
      else values[f] = text;
    }
    for (const f of CLIENT_ACCOUNTS) {
      const text = cell(f);
      if (isBlank(text)) continue;
      const parsed = parseHandle(text, f === 'client_insta' ? 'instagram' : 'tiktok');
      if (parsed.ok) values[f] = parsed.handle;
      else reasons.push(`${parsed.reason === 'post-link' ? 'a post link, not a profile, in' : 'malformed account in'} ${f}: ${shown(text)}`);
    }
    for (const f of CLIENT_NUMBERS) {
      const text = cell(f);
      if (isBlank(text)) continue;
      const list = numberList(text);
      // The sender look-up reads one number per field (src/identity/sender.ts): a list would match nobody.
      if (list.ok && list.value.includes(',')) reasons.push(`one number only in ${f}: ${shown(text)}`);
      else if (list.ok) values[f] = list.value;
      else reasons.push(`malformed number ${shown(list.bad)} in ${f}`);
    }
    for (const f of CLIENT_FLAGS) {
      const text = cell(f);
      if (isBlank(text)) continue;
      const flag = parseFlag(text);
      if (flag === null) reasons.push(`bad ${f} ${shown(text)} (expected ${FLAG_WORDS})`);
      else values[f] = flag;
    }
    if (reasons.length > 0) rejected.push({ line: tableRow.line, reason: reasons.join('; ') });
    else valid.push({ line: tableRow.line, clientId, values });
  }
  const rows: ClientRow[] = [];
  for (const row of valid) {
    const lines = linesOf.get(row.clientId.toLowerCase()) ?? [];
    if (lines.length > 1) rejected.push({ line: row.line, reason: `client ${row.clientId} appears on several lines (${lines.join(', ')})` });
    else rows.push(row);
  }
  rejected.sort((a, b) => a.line - b.line);
  return { rows, rejected, ignoredColumns: map.ignored };
}
