/**
 * `rekaplink#excel`: the day's reported links as an .xlsx file, one row per member and
 * link (members in unit order, links per platform in the fixed order), and the distinct
 * counts per platform on a second sheet.
 */
import type { AttachmentBuilder } from '../bot/attachments.js';
import { type ComplianceClient, findClient } from '../compliance/clients.js';
import { type DayLinks, LINK_PLATFORMS, loadDayLinks } from '../compliance/links.js';
import { dayWindowOf } from '../time/day.js';
import type { OutgoingDocument } from '../transport/transport.js';
import { addRows, boldRow, type Cell, streamWorkbook, XLSX_MIME } from './excel.js';
import { LINK_PLATFORM_LABEL } from './link-text.js';

export function dayLinksFileName(client: ComplianceClient, date: string): string {
  return `rekaplink-${client.clientId.toLowerCase()}-${date}.xlsx`;
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
    // A province's file has thousands of rows: addRows lets the bot's other chats run meanwhile.
    await addRows(sheet, dayLinkRows(links));
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

/** The .xlsx document `rekaplink#excel` sends after its text. */
export async function dayLinksDocument(links: DayLinks, client: ComplianceClient, date: string, now: Date): Promise<OutgoingDocument> {
  const rows = links.members.reduce((n, m) => n + LINK_PLATFORMS.reduce((k, p) => k + (m.links[p]?.length ?? 0), 0), 0);
  return {
    fileName: dayLinksFileName(client, date),
    mimeType: XLSX_MIME,
    data: await dayLinksWorkbook(links, { now }),
    caption: `📎 Rekap link amplifikasi ${client.nama} ${date}: ${rows} link dari ${links.reporters} user, satu baris per link.`,
  };
}

/** The registry name of the link recap's file builder. */
export const REKAPLINK_FILE = 'rekaplink-file';

/** Builds `rekaplink#excel`'s file again from the database (the process that promised it died first). */
export const rekaplinkFileBuilder: AttachmentBuilder = async (args, services) => {
  const a = args as { clientId?: unknown; date?: unknown } | null;
  if (typeof a?.clientId !== 'string' || typeof a.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(a.date)) {
    throw new Error('rekaplink-file: malformed arguments');
  }
  const client = await findClient(services.db, a.clientId);
  if (!client) return [{ text: `⚠️ Lampiran rekap link tidak dapat dibuat: client *${a.clientId}* sudah tidak ada.` }];
  const links = await loadDayLinks(services.db, client, dayWindowOf(a.date, services.timezone));
  return [{ document: await dayLinksDocument(links, client, a.date, services.now()) }];
};
