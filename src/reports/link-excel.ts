/**
 * `rekaplink#excel`: the day's reported links as an .xlsx file, one row per member and
 * link (members in unit order, links per platform in the fixed order), and the distinct
 * counts per platform on a second sheet.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type ExcelJS from 'exceljs';
import type { ComplianceClient } from '../compliance/clients.js';
import { type DayLinks, LINK_PLATFORMS } from '../compliance/links.js';
import { streamWorkbook } from './excel.js';
import { LINK_PLATFORM_LABEL } from './link-text.js';

export function dayLinksFileName(client: ComplianceClient, date: string): string {
  return `rekaplink-${client.clientId.toLowerCase()}-${date}.xlsx`;
}

type Sheet = ExcelJS.Worksheet;
type Cell = string | number;

function boldRow(sheet: Sheet, cells: Cell[]): void {
  const row = sheet.addRow(cells);
  row.font = { bold: true };
  row.commit();
}

/** Every reported link as a row: No, NRP/NIP, Pangkat, Nama, Divisi, Jabatan, Platform, Link. */
export function dayLinkRows(links: DayLinks): Cell[][] {
  const rows: Cell[][] = [];
  for (const m of links.members) {
    for (const platform of LINK_PLATFORMS) {
      for (const url of m.links[platform] ?? []) {
        rows.push([rows.length + 1, m.userId, m.title, m.nama, m.divisi, m.jabatan ?? '', LINK_PLATFORM_LABEL[platform], url]);
      }
    }
  }
  return rows;
}

export async function dayLinksWorkbook(links: DayLinks, meta: { now: Date }): Promise<Buffer> {
  return streamWorkbook(meta, async (book) => {
    const sheet = book.addWorksheet('Link', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = [6, 14, 10, 28, 20, 20, 12, 60].map((width) => ({ width }));
    boldRow(sheet, ['No', 'NRP/NIP', 'Pangkat', 'Nama', 'Divisi', 'Jabatan', 'Platform', 'Link']);
    let n = 0;
    for (const row of dayLinkRows(links)) {
      sheet.addRow(row).commit();
      // A province's file has thousands of rows: let the bot's other chats run meanwhile.
      if (++n % 500 === 0) await yieldToLoop();
    }
    sheet.commit();

    const counts = book.addWorksheet('Per platform');
    counts.columns = [14, 24, 16].map((width) => ({ width }));
    boldRow(counts, ['Platform', 'Link (tanpa duplikat)', 'User melapor']);
    let total = 0;
    for (const platform of LINK_PLATFORMS) {
      const users = links.members.filter((m) => m.links[platform]?.length).length;
      counts.addRow([LINK_PLATFORM_LABEL[platform], links.distinct[platform], users]).commit();
      total += links.distinct[platform];
    }
    boldRow(counts, ['Total', total, links.reporters]);
    counts.commit();
  });
}
