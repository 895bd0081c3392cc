/**
 * Reads an import file (CSV or XLSX, chosen by its extension) into a header and data
 * rows of text cells, each with its line number in the file (the header is line 1 in a
 * file that starts with it). CSV must be UTF-8 (a byte-order mark is dropped); its
 * delimiter (comma, semicolon or tab) is taken from the header line. XLSX is read from
 * its first worksheet. Rows whose cells are all empty are skipped.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

export interface TableRow {
  /** The row's line in the file: 1-based, the header included. */
  line: number;
  cells: string[];
}

export interface Table {
  header: TableRow;
  rows: TableRow[];
}

/** The file cannot be read as a table: the CLI prints the message (exit 1, or 2 for a usage problem). */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}

export type TableFormat = 'csv' | 'xlsx';

export function tableFormat(file: string): TableFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  throw new ImportFileError(`${file}: expected a .csv or .xlsx file`, true);
}

export async function readTable(file: string): Promise<Table> {
  const format = tableFormat(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new ImportFileError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const rows = format === 'csv' ? csvRows(bytes, file) : await xlsxRows(bytes, file);
  const filled = rows.filter((row) => row.cells.some((cell) => cell.trim() !== ''));
  const [header, ...data] = filled;
  if (!header) throw new ImportFileError(`${file} is empty: expected a header row, then one row per record`);
  return { header, rows: data };
}

/** The UTF-8 text of a CSV file; any invalid byte sequence is refused (no silent replacement characters). */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = firstInvalidLine(bytes);
    throw new ImportFileError(
      `${file} is not valid UTF-8 text (first bad byte on line ${at}); save it as "CSV UTF-8" (in Excel: Save As → CSV UTF-8) and try again`,
    );
  }
}

/** The line holding the first byte sequence that is not UTF-8. */
function firstInvalidLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i += 1) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line += 1;
      start = i + 1;
    }
  }
  return line;
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter used most on the first line (outside quotes). */
function detectDelimiter(text: string): string {
  const firstLine = (text.split(/\r?\n/, 1)[0] ?? '').replace(/"[^"]*"/g, '');
  let best: string = ',';
  let most = 0;
  for (const d of DELIMITERS) {
    const n = firstLine.split(d).length - 1;
    if (n > most) {
      best = d;
      most = n;
    }
  }
  return best;
}

function csvRows(bytes: Buffer, file: string): TableRow[] {
  const text = decodeUtf8(bytes, file).replace(/^\uFEFF/, '');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    const e = error as Error & { lines?: number };
    throw new ImportFileError(`${file} is not a readable CSV file${e.lines ? ` (line ${e.lines})` : ''}: ${e.message}`);
  }
  // info.lines is the line a record ends on; it starts right after the previous one.
  let next = 1;
  return records.map(({ record, info }) => {
    const row = { line: next, cells: record };
    next = info.lines + 1;
    return row;
  });
}

/** A cell's value as text. Numbers too long to be exact (Excel keeps 15 digits) come out in exponent form, so they fail validation. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) || !Number.isInteger(value) ? String(value) : value.toExponential();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
  if ('error' in value) return '';
  return '';
}

async function xlsxRows(bytes: Buffer, file: string): Promise<TableRow[]> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new ImportFileError(`${file} is not a readable XLSX file: ${(error as Error).message}`);
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw new ImportFileError(`${file} has no worksheet`);
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    rows.push({ line, cells: Array.from(cells, (c) => c ?? '') });
  });
  return rows;
}
