/** Shared by the import tests: files written to a temporary directory, a client, and the database's members. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Queryable } from '../../src/db/db.js';
import type { UserRow } from '../../src/members/user-row.js';

export const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'cicero-import-'));

export function csvFile(dir: string, name: string, lines: string[] | string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, Array.isArray(lines) ? `${lines.join('\n')}\n` : lines);
  return file;
}

export async function xlsxFile(dir: string, name: string, rows: Array<Array<string | number | null>>): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Sheet1');
  for (const row of rows) sheet.addRow(row);
  const file = path.join(dir, name);
  await book.xlsx.writeFile(file);
  return file;
}

export async function addClient(db: Queryable, clientId: string): Promise<void> {
  await db.query(`INSERT INTO clients (client_id, nama) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [clientId, `POLRES ${clientId}`]);
}

export type MemberState = UserRow;

export async function members(db: Queryable, clientId: string): Promise<MemberState[]> {
  const { rows } = await db.query<MemberState>(
    `SELECT user_id, nama, title, divisi, jabatan, insta, tiktok, whatsapp, status, client_id FROM "user"
      WHERE client_id = $1 ORDER BY user_id`,
    [clientId],
  );
  return rows;
}

export async function changeCount(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM change_log');
  return rows[0]!.n;
}
