/**
 * The recap as an .xlsx file: one row per member, one column per post, the total
 * and the verdict, then the posts and the per-division figures on their own sheets.
 * Written with ExcelJS's streaming writer, rows committed as they go and the event
 * loop let through every few hundred rows: a province's file (10,000 rows) must not
 * hold the whole sheet in memory nor stall the bot's other chats while it is built.
 */
import { PassThrough } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { ComplianceClient } from '../compliance/clients.js';
import { divisionScores, perPost, type Recap, type RecapMember } from '../compliance/recap.js';
import type { RegistrationMember } from '../compliance/registration.js';
import { formatDay, formatStamp } from '../time/format.js';
import { LABELS } from './absensi-text.js';
import { MISSING_LABEL } from './registration-text.js';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const VERDICT: Record<RecapMember['verdict'], string> = { sudah: 'Sudah', belum: 'Belum', exception: 'Dikecualikan' };
const TIER: Record<RecapMember['tier'], string> = {
  lengkap: 'Lengkap',
  kurang: 'Kurang lengkap',
  belum: 'Belum',
  no_handle: 'Belum mengisi akun',
};

export interface WorkbookMeta {
  client: ComplianceClient;
  now: Date;
  timezone: string;
}

const FILE_PART = { likes: 'likes-instagram', comments: 'komentar-tiktok', links: 'amplifikasi-link' } as const;

export function recapFileName(recap: Recap, clientId: string): string {
  return `rekap-${FILE_PART[recap.day.source]}-${clientId.toLowerCase()}-${recap.day.day.date}.xlsx`;
}

type Sheet = ExcelJS.Worksheet;
type Cell = string | number;

/** Builds a workbook through the streaming writer and returns the file's bytes. */
export async function streamWorkbook(
  meta: Pick<WorkbookMeta, 'now'>,
  build: (book: ExcelJS.stream.xlsx.WorkbookWriter) => Promise<void>,
): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  book.creator = 'Cicero';
  book.created = meta.now;
  await build(book);
  await book.commit();
  await done;
  return Buffer.concat(chunks);
}

/** Adds rows, committing each, and lets other work run every few hundred rows. */
async function addRows(sheet: Sheet, rows: Iterable<Cell[]>): Promise<void> {
  let n = 0;
  for (const row of rows) {
    sheet.addRow(row).commit();
    n += 1;
    if (n % 500 === 0) await yieldToLoop();
  }
}

function boldRow(sheet: Sheet, cells: Cell[]): void {
  const row = sheet.addRow(cells);
  row.font = { bold: true };
  row.commit();
}

export async function recapWorkbook(recap: Recap, meta: WorkbookMeta): Promise<Buffer> {
  const { source, posts } = recap.day;
  const judged = recap.countable > 0;
  return streamWorkbook(meta, async (book) => {
    const sheet = book.addWorksheet('Rekap', { views: [{ state: 'frozen', ySplit: 4 }] });
    sheet.columns = [5, 12, 10, 28, 20, 20, 22].map((width) => ({ width }));
    boldRow(sheet, [`Rekap ${LABELS[source].title} - ${meta.client.nama} (${meta.client.clientId})`]);
    await addRows(sheet, [
      [`${formatDay(recap.day.day.start, meta.timezone)} · dibuat ${formatStamp(meta.now, meta.timezone)}`],
      [
        recap.threshold === 'all'
          ? `Syarat sudah: semua ${recap.countable} konten`
          : `Syarat sudah: minimal ${recap.needed} dari ${recap.countable} konten`,
      ],
    ]);
    boldRow(sheet, [
      'No', 'NRP/NIP', 'Pangkat', 'Nama', 'Divisi', 'Jabatan', source === 'links' ? 'Link dilaporkan' : 'Akun',
      ...posts.map((_, i) => `Konten ${i + 1}`), 'Jumlah', 'Status', 'Tingkat',
    ]);
    await addRows(
      sheet,
      recap.members.map((m, n): Cell[] => {
        const engaged = new Set(m.engaged);
        return [
          n + 1, m.userId, m.title, m.nama, m.divisi, m.jabatan ?? '',
          source === 'links' ? m.links : m.handle === null ? '' : `@${m.handle}`,
          ...posts.map((p, i) => (p.fetched ? (engaged.has(i) ? 1 : 0) : 'n/a')),
          m.count,
          judged ? VERDICT[m.verdict] : 'Belum dinilai',
          judged ? TIER[m.tier] : '',
        ];
      }),
    );
    sheet.commit();

    const content = book.addWorksheet('Konten');
    boldRow(content, ['No', 'Link', 'Waktu unggah', `Data ${LABELS[source].data}`, 'Sudah']);
    await addRows(
      content,
      perPost(recap).map(({ post, index, sudah }): Cell[] => [
        index + 1, post.url, formatStamp(post.createdAt, meta.timezone), sudah ? 'tersedia' : 'belum tersedia', sudah?.length ?? '',
      ]),
    );
    content.commit();

    const divisions = book.addWorksheet('Divisi');
    boldRow(divisions, ['Divisi', 'Jumlah user', 'Sudah', 'Belum', 'Dikecualikan', 'Persen sudah']);
    if (!judged) divisions.addRow([`Belum dinilai: data ${LABELS[source].data} belum tersedia untuk konten hari itu.`]).commit();
    await addRows(
      divisions,
      (judged ? divisionScores(recap) : []).map((d): Cell[] => [
        d.divisi, d.counts.members, d.counts.sudah, d.counts.belum, d.counts.exception,
        d.rate === null ? '' : Math.round(d.rate * 1000) / 10,
      ]),
    );
    divisions.commit();
  });
}

/** `absensiregistrasi` as a sheet: one row per member, what is set and what is missing. */
export async function registrationWorkbook(members: RegistrationMember[], meta: WorkbookMeta): Promise<Buffer> {
  return streamWorkbook(meta, async (book) => {
    const sheet = book.addWorksheet('Registrasi', { views: [{ state: 'frozen', ySplit: 2 }] });
    boldRow(sheet, [`Absensi Registrasi - ${meta.client.nama} (${meta.client.clientId}) - ${formatStamp(meta.now, meta.timezone)}`]);
    boldRow(sheet, ['No', 'NRP/NIP', 'Pangkat', 'Nama', 'Divisi', 'Jabatan', 'WhatsApp', 'Instagram', 'TikTok', 'Status']);
    await addRows(
      sheet,
      members.map((m, n): Cell[] => {
        const has = (x: 'whatsapp' | 'instagram' | 'tiktok') => (m.missing.includes(x) ? 'belum' : 'sudah');
        return [
          n + 1, m.userId, m.title, m.nama, m.divisi, m.jabatan ?? '', has('whatsapp'), has('instagram'), has('tiktok'),
          m.missing.length ? `Belum: ${m.missing.map((x) => MISSING_LABEL[x]).join(', ')}` : 'Lengkap',
        ];
      }),
    );
    sheet.commit();
  });
}
