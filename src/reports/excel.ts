/**
 * The recap as an .xlsx file: one row per member, one column per post, the total
 * and the verdict, then the posts and the per-division figures on their own sheets.
 */
import ExcelJS from 'exceljs';
import type { ComplianceClient } from '../compliance/clients.js';
import type { Recap, RecapMember } from '../compliance/recap.js';
import type { RegistrationMember } from '../compliance/registration.js';
import { divisionScores } from '../compliance/recap.js';
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

export function recapFileName(recap: Recap, clientId: string): string {
  return `rekap-${recap.day.source === 'likes' ? 'likes-instagram' : recap.day.source === 'comments' ? 'komentar-tiktok' : 'amplifikasi-link'}-${clientId.toLowerCase()}-${recap.day.day.date}.xlsx`;
}

export async function recapWorkbook(recap: Recap, meta: WorkbookMeta): Promise<Buffer> {
  const { source, posts } = recap.day;
  const judged = recap.countable > 0;
  const book = new ExcelJS.Workbook();
  book.creator = 'Cicero';
  book.created = meta.now;

  const sheet = book.addWorksheet('Rekap', { views: [{ state: 'frozen', ySplit: 4 }] });
  sheet.addRow([`Rekap ${LABELS[source].title} - ${meta.client.nama} (${meta.client.clientId})`]).font = { bold: true };
  sheet.addRow([`${formatDay(recap.day.day.start, meta.timezone)} · dibuat ${formatStamp(meta.now, meta.timezone)}`]);
  sheet.addRow([
    recap.threshold === 'all'
      ? `Syarat sudah: semua ${recap.countable} konten`
      : `Syarat sudah: minimal ${recap.needed} dari ${recap.countable} konten`,
  ]);
  const head = sheet.addRow([
    'No', 'NRP/NIP', 'Pangkat', 'Nama', 'Divisi', 'Jabatan', source === 'links' ? 'Link dilaporkan' : 'Akun',
    ...posts.map((_, i) => `Konten ${i + 1}`), 'Jumlah', 'Status', 'Tingkat',
  ]);
  head.font = { bold: true };
  recap.members.forEach((m, n) => {
    sheet.addRow([
      n + 1, m.userId, m.title, m.nama, m.divisi, m.jabatan ?? '',
      source === 'links' ? m.links : m.handle === null ? '' : `@${m.handle}`,
      ...posts.map((p, i) => (p.fetched ? (m.engaged.includes(i) ? 1 : 0) : 'n/a')),
      m.count,
      judged ? VERDICT[m.verdict] : 'Belum dinilai',
      judged ? TIER[m.tier] : '',
    ]);
  });
  sheet.columns.forEach((column, i) => {
    column.width = [5, 12, 10, 28, 20, 20, 22][i] ?? 10;
  });

  const content = book.addWorksheet('Konten');
  content.addRow(['No', 'Link', 'Waktu unggah', `Data ${LABELS[source].data}`, 'Sudah']).font = { bold: true };
  posts.forEach((p, i) => {
    content.addRow([
      i + 1, p.url, formatStamp(p.createdAt, meta.timezone), p.fetched ? 'tersedia' : 'belum tersedia',
      p.fetched ? recap.members.filter((m) => m.verdict !== 'exception' && m.engaged.includes(i)).length : '',
    ]);
  });

  const divisions = book.addWorksheet('Divisi');
  divisions.addRow(['Divisi', 'Jumlah user', 'Sudah', 'Belum', 'Dikecualikan', 'Persen sudah']).font = { bold: true };
  for (const d of divisionScores(recap)) {
    divisions.addRow([
      d.divisi, d.counts.members, d.counts.sudah, d.counts.belum, d.counts.exception,
      d.rate === null ? '' : Math.round(d.rate * 1000) / 10,
    ]);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** `absensiregistrasi` as a sheet: one row per member, what is set and what is missing. */
export async function registrationWorkbook(members: RegistrationMember[], meta: WorkbookMeta): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Cicero';
  const sheet = book.addWorksheet('Registrasi', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([`Absensi Registrasi - ${meta.client.nama} (${meta.client.clientId}) - ${formatStamp(meta.now, meta.timezone)}`]).font = {
    bold: true,
  };
  sheet.addRow(['No', 'NRP/NIP', 'Pangkat', 'Nama', 'Divisi', 'Jabatan', 'WhatsApp', 'Instagram', 'TikTok', 'Status']).font = {
    bold: true,
  };
  members.forEach((m, n) => {
    const has = (x: 'whatsapp' | 'instagram' | 'tiktok') => (m.missing.includes(x) ? 'belum' : 'sudah');
    sheet.addRow([
      n + 1, m.userId, m.title, m.nama, m.divisi, m.jabatan ?? '', has('whatsapp'), has('instagram'), has('tiktok'),
      m.missing.length ? `Belum: ${m.missing.map((x) => MISSING_LABEL[x]).join(', ')}` : 'Lengkap',
    ]);
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
