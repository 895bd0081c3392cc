/**
 * A client's members as an .xlsx file in the import format (header row, then one row
 * per member), so an operator can edit it and import it back: a file imported back
 * unedited changes nothing. Values are written in their import form (handles and
 * numbers normalised; a stored value that has none is left empty, which the import
 * reads as "no change"), every cell as text so NRPs and numbers keep their digits.
 */
import { normaliseHandle } from '../compliance/handle.js';
import type { Queryable } from '../db/db.js';
import { canonicalPhone } from '../identity/wa-id.js';
import { cleanText, SHORT_TEXT_MAX, TEXT_MAX } from '../members/profile.js';
import { EXPORT_HEADERS, type MemberColumn } from './member-rows.js';
import type { UserRow } from '../members/user-row.js';
import { streamWorkbook } from '../reports/excel.js';

type Row = Omit<UserRow, 'client_id'>;

const WIDTHS: Record<MemberColumn, number> = {
  nrp: 20, nama: 30, title: 12, divisi: 22, jabatan: 28, status: 10, insta: 22, tiktok: 22, whatsapp: 16,
};

function cells(r: Row): Record<MemberColumn, string> {
  return {
    nrp: r.user_id,
    nama: cleanText(r.nama ?? '', TEXT_MAX) ?? '',
    title: cleanText(r.title ?? '', SHORT_TEXT_MAX) ?? '',
    divisi: cleanText(r.divisi ?? '', SHORT_TEXT_MAX) ?? '',
    jabatan: cleanText(r.jabatan ?? '', TEXT_MAX) ?? '',
    status: r.status ? 'aktif' : 'nonaktif',
    insta: normaliseHandle(r.insta, 'instagram') ?? '',
    tiktok: normaliseHandle(r.tiktok, 'tiktok') ?? '',
    whatsapp: r.whatsapp ? (canonicalPhone(r.whatsapp) ?? '') : '',
  };
}

export interface MemberExport {
  data: Buffer;
  members: number;
}

/** The workbook of `clientId`'s members, by division, name and NRP. */
export async function exportMembers(db: Queryable, clientId: string, now: Date): Promise<MemberExport> {
  const { rows } = await db.query<Row>(
    `SELECT user_id, nama, title, divisi, jabatan, insta, tiktok, whatsapp, status FROM "user"
      WHERE client_id = $1 ORDER BY upper(divisi), upper(nama), user_id`,
    [clientId],
  );
  const data = await streamWorkbook({ now }, async (book) => {
    const sheet = book.addWorksheet('Anggota', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = EXPORT_HEADERS.map(([field]) => ({ width: WIDTHS[field], style: { numFmt: '@' } }));
    const header = sheet.addRow(EXPORT_HEADERS.map(([, title]) => title));
    header.font = { bold: true };
    header.commit();
    for (const r of rows) {
      const values = cells(r);
      sheet.addRow(EXPORT_HEADERS.map(([field]) => values[field])).commit();
    }
    sheet.commit();
  });
  return { data, members: rows.length };
}

/** The default file name: `anggota-<client>-<YYYY-MM-DD>.xlsx`. */
export const exportFileName = (clientId: string, day: string): string => `anggota-${clientId.toLowerCase()}-${day}.xlsx`;
