/**
 * The recap as an .xlsx file: "Ringkasan" (the figures and the per-division table,
 * weakest first, with the rate as a percentage), a sheet per section (Sudah, Belum,
 * Dikecualikan) with the posts each member missed, "Konten" (the posts), then a sheet per
 * division with its members; lengkap / kurang / belum coloured green / amber / red.
 * Written with ExcelJS's streaming writer, rows committed as they go and the event loop
 * let through every few milliseconds: a province's file (10,000 members) must not hold
 * the whole sheet in memory nor stall the bot's other chats while it is built.
 */
import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { ComplianceClient } from '../compliance/clients.js';
import { byDivision, divisionScores, type Recap, type RecapMember, sudahPerPost } from '../compliance/recap.js';
import type { RegistrationMember } from '../compliance/registration.js';
import { formatDay, formatStamp } from '../time/format.js';
import { LABELS, ruleWords } from './absensi-text.js';
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

export type Sheet = ExcelJS.Worksheet;
export type Cell = string | number;

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
export async function addRows(sheet: Sheet, rows: Iterable<Cell[]>): Promise<void> {
  let n = 0;
  for (const row of rows) {
    sheet.addRow(row).commit();
    n += 1;
    if (n % 500 === 0) await yieldToLoop();
  }
}

/** A header row in bold, committed. */
export function boldRow(sheet: Sheet, cells: Cell[]): void {
  const row = sheet.addRow(cells);
  row.font = { bold: true };
  row.commit();
}

type Style = Partial<ExcelJS.Style>;
/** undefined: no cell at all (cheaper than an empty string, and reads back the same). */
type Value = string | number | undefined;

/*
 * One frozen object per style, shared by every cell that has it: ExcelJS looks a cell's
 * style up by object identity (a WeakMap) and serialises it to XML only the first time.
 * The fresh `{}` each cell gets by default cost a serialisation per cell, the bulk of the
 * time at province scale.
 */
const PLAIN: Style = Object.freeze({});
const BOLD: Style = Object.freeze({ font: Object.freeze({ bold: true }) });
const PERCENT: Style = Object.freeze({ numFmt: '0%' });
const PERCENT_1: Style = Object.freeze({ numFmt: '0.0%' });

/** Excel's own "Good", "Neutral" and "Bad" colours. */
const fill = (background: string, text: string): Style => ({
  fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: background } },
  font: { color: { argb: text } },
});
export const COLOURS = { green: fill('FFC6EFCE', 'FF006100'), amber: fill('FFFFEB9C', 'FF9C5700'), red: fill('FFFFC7CE', 'FF9C0006') };

/** Rate thresholds of the division table's "Persen sudah" colours. */
export const RATE_GREEN = 0.9;
export const RATE_AMBER = 0.5;

/**
 * How the rows give way to other work: once a stretch has taken `sliceMs`, a turn of the event
 * loop, then `gate` when it has something to wait for. In the bot's own thread (a fallback)
 * the turn is what other chats need; the workbook process sets a shorter stretch and a gate
 * that waits while the bot answers a chat (excel-child.ts).
 */
const giveWay = { sliceMs: 5, gate: (): Promise<void> | undefined => undefined };

export function giveWayEvery(sliceMs: number, gate: () => Promise<void> | undefined): void {
  giveWay.sliceMs = sliceMs;
  giveWay.gate = gate;
}

/**
 * Writes rows, one style per column, committing each. Synchronous (no promise per row);
 * the loops ask `due()` after each row and `pause()` when the stretch has run long enough.
 */
class RowWriter {
  private since = performance.now();
  private rows = 0;

  put(sheet: Sheet, values: Value[], styles: readonly Style[] = []): void {
    const row = sheet.addRow(values);
    // Each new row has a style object of its own, which the writer would look up (a miss)
    // and serialise once per row: the shared empty style is found at once (about a tenth
    // of the file's time at province scale). ExcelJS's typings leave the row's style out.
    (row as unknown as { style: Style }).style = PLAIN;
    row.eachCell((cell, c) => {
      cell.style = styles[c - 1] ?? PLAIN;
    });
    row.commit();
  }

  /** Whether to let other work run: checked every 32 rows, true after a stretch of work (giveWay). */
  due(): boolean {
    this.rows += 1;
    return (this.rows & 31) === 0 && performance.now() - this.since > giveWay.sliceMs;
  }

  async pause(): Promise<void> {
    await yieldToLoop();
    const wait = giveWay.gate();
    if (wait) await wait;
    this.since = performance.now();
  }
}

const bold = (n: number): Style[] => Array(n).fill(BOLD);

/** A column's letter (1 → A, 27 → AA). */
function column(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/*
 * The colours are conditional formatting rules (the streaming writer supports them: the
 * rules go out at the sheet's commit, their styles into styles.xml), one rule per colour
 * per sheet whatever the number of rows, so they cost nothing per cell and follow an edit.
 */
function colourText(sheet: Sheet, col: number, first: number, last: number, colours: [string, Style][]): void {
  if (last < first) return;
  const letter = column(col);
  sheet.addConditionalFormatting({
    ref: `${letter}${first}:${letter}${last}`,
    rules: colours.map(([text, style], i) => ({
      type: 'cellIs',
      operator: 'equal',
      formulae: [`"${text}"`],
      style,
      priority: i + 1,
    })),
  });
}

function colourRates(sheet: Sheet, col: number, first: number, last: number): void {
  if (last < first) return;
  const cell = `${column(col)}${first}`;
  // Expressions, not "cell value ≥": Excel ranks text above every number, so a "-" would pass.
  const rule = (test: string, style: Style, priority: number): ExcelJS.ConditionalFormattingRule => ({
    type: 'expression',
    formulae: [`AND(ISNUMBER(${cell}),${test})`],
    style,
    priority,
  });
  sheet.addConditionalFormatting({
    ref: `${cell}:${column(col)}${last}`,
    rules: [
      rule(`${cell}>=${RATE_GREEN}`, COLOURS.green, 1),
      rule(`${cell}>=${RATE_AMBER}`, COLOURS.amber, 2),
      rule(`${cell}<${RATE_AMBER}`, COLOURS.red, 3),
    ],
  });
}

const TIER_COLOURS: [string, Style][] = [
  [TIER.lengkap, COLOURS.green],
  [TIER.kurang, COLOURS.amber],
  [TIER.belum, COLOURS.red],
  [TIER.no_handle, COLOURS.red],
];
const STATUS_COLOURS: [string, Style][] = [
  [VERDICT.sudah, COLOURS.green],
  [VERDICT.belum, COLOURS.red],
];

/** Sheet names Excel accepts: at most 31 characters, none of []:*?/\, no quote at either end, unique ignoring case. */
export function sheetNames(wanted: readonly string[], taken: Iterable<string> = []): string[] {
  const used = new Set([...taken].map((n) => n.toLowerCase()));
  return wanted.map((raw) => {
    const base =
      raw
        .replace(/[[\]:*?/\\]/g, '-')
        .replace(/^'+|'+$/g, '')
        .trim()
        .slice(0, 31)
        .trim() || 'Divisi';
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()) || name.toLowerCase() === 'history'; k++) {
      const suffix = ` (${k})`;
      name = `${base.slice(0, 31 - suffix.length).trimEnd()}${suffix}`;
    }
    used.add(name.toLowerCase());
    return name;
  });
}

const MISSED_HEADER = 'Konten terlewat';

/**
 * A member's missed posts as one cell: "2, 5" (the numbers of the Konten sheet), "Semua"
 * when they missed every one, nothing when none. One cell rather than a 1/0 column per
 * post: as readable on a phone, and a province's file has 200,000 fewer cells to write.
 * Posts without data count against no one, so they are never listed.
 */
export function missedPosts(recap: Recap): (m: RecapMember) => Value {
  const counted = recap.day.posts.flatMap((p, i) => (p.fetched ? [i] : []));
  const engaged = new Uint8Array(recap.day.posts.length);
  return (m) => {
    if (counted.length === 0 || m.count === counted.length) return undefined;
    if (m.count === 0) return 'Semua';
    engaged.fill(0);
    for (const i of m.engaged) engaged[i] = 1;
    // A loop, not filter/map/join: this runs for every member of a province.
    let list = '';
    for (const i of counted) if (!engaged[i]) list = list ? `${list}, ${i + 1}` : String(i + 1);
    return list;
  };
}

const SECTIONS = [
  ['Sudah', 'sudah'],
  ['Belum', 'belum'],
  ['Dikecualikan', 'exception'],
] as const;

/**
 * The recap as sheets: "Ringkasan" (the figures and the per-division table, weakest
 * first), one sheet per section (Sudah, Belum, Dikecualikan) with the posts missed,
 * "Konten" (the posts), then one sheet per division with its members.
 */
export async function recapWorkbook(recap: Recap, meta: WorkbookMeta): Promise<Buffer> {
  const { source, posts } = recap.day;
  const judged = recap.countable > 0;
  const notJudged = `Belum dinilai: data ${LABELS[source].data} belum tersedia untuk konten hari itu.`;
  const accountHeader = source === 'links' ? 'Link dilaporkan' : 'Akun';
  const groups = byDivision(recap.members);
  // Every member is on two sheets (their section's and their division's): the cells worked
  // out from the recap are made once, by the member's position in `recap.members`, which
  // the division groups follow (they are its consecutive runs).
  const missed = missedPosts(recap);
  const accounts: Value[] = [];
  const shares: Value[] = [];
  const misses: Value[] = [];
  for (const m of recap.members) {
    accounts.push(source === 'links' ? m.links : m.handle === null ? undefined : `@${m.handle}`);
    shares.push(judged ? m.count / recap.countable : undefined);
    misses.push(missed(m));
  }
  const out = new RowWriter();

  return streamWorkbook(meta, async (book) => {
    // Ringkasan.
    const summary = book.addWorksheet('Ringkasan');
    summary.columns = [28, 12, 10, 10, 10, 14, 14].map((width) => ({ width }));
    const intro: Value[][] = [
      [`Rekap ${LABELS[source].title} - ${meta.client.nama} (${meta.client.clientId})`],
      [`${formatDay(recap.day.day.start, meta.timezone)} · dibuat ${formatStamp(meta.now, meta.timezone)}`],
      [`Syarat sudah: ${ruleWords(recap)}`],
      [],
      ['Jumlah user', recap.counts.members],
      ['Sudah', judged ? recap.counts.sudah : undefined],
      ['Belum', judged ? recap.counts.belum : undefined],
      ['Dikecualikan', recap.counts.exception],
      ['Konten dinilai', `${recap.countable} dari ${posts.length}`],
      [],
    ];
    for (const [i, values] of intro.entries()) out.put(summary, values, i === 0 ? [BOLD] : []);
    const tableHeader = ['Divisi', 'Jumlah user', 'Sudah', 'Kurang', 'Belum', 'Dikecualikan', 'Persen sudah'];
    out.put(summary, tableHeader, bold(tableHeader.length));
    const firstScore = intro.length + 2;
    if (!judged) out.put(summary, [notJudged]);
    else {
      // Kurang: belum, but engaged with some posts; Belum: none. With Sudah and Dikecualikan they make the total.
      const kurang = new Map(groups.map((g) => [g.divisi, g.members.filter((m) => m.verdict === 'belum' && m.count > 0).length]));
      const styles = [PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PERCENT_1];
      const scores = divisionScores(recap);
      for (const d of scores) {
        const k = kurang.get(d.divisi) ?? 0;
        out.put(
          summary,
          [d.divisi, d.counts.members, d.counts.sudah, k, d.counts.belum - k, d.counts.exception, d.rate ?? '-'],
          styles,
        );
      }
      colourRates(summary, 7, firstScore, firstScore + scores.length - 1);
    }
    summary.commit();

    // One sheet per section; which posts each member missed in one column, not one per post.
    const sectionHeader = [
      'No', 'NRP/NIP', 'Pangkat', 'Nama', 'Divisi', 'Jabatan', accountHeader, 'Jumlah', 'Persen', 'Tingkat', MISSED_HEADER,
    ];
    const sectionStyles = [PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PERCENT];
    for (const [name, verdict] of SECTIONS) {
      const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = [5, 12, 10, 28, 20, 20, 22, 8, 8, 16, 20].map((width) => ({ width }));
      out.put(sheet, sectionHeader, bold(sectionHeader.length));
      let n = 0;
      if (!judged) out.put(sheet, [notJudged]);
      else
        for (const [k, m] of recap.members.entries()) {
          if (m.verdict !== verdict) continue;
          n += 1;
          out.put(
            sheet,
            [n, m.userId, m.title, m.nama, m.divisi, m.jabatan ?? undefined, accounts[k], m.count, shares[k], TIER[m.tier], misses[k]],
            sectionStyles,
          );
          if (out.due()) await out.pause();
        }
      colourText(sheet, 10, 2, n + 1, TIER_COLOURS);
      sheet.commit();
    }

    const content = book.addWorksheet('Konten');
    const contentHeader = ['No', 'Link', 'Waktu unggah', `Data ${LABELS[source].data}`, 'Sudah'];
    out.put(content, contentHeader, bold(contentHeader.length));
    const sudah = sudahPerPost(recap);
    for (const [i, post] of posts.entries()) {
      const count = sudah[i] ?? null;
      out.put(content, [
        i + 1, post.url, formatStamp(post.createdAt, meta.timezone), count === null ? 'belum tersedia' : 'tersedia', count ?? '',
      ]);
    }
    content.commit();

    // One sheet per division, in unit order.
    const names = sheetNames(
      groups.map((g) => g.divisi),
      ['Ringkasan', 'Konten', ...SECTIONS.map(([name]) => name)],
    );
    const divisionHeader = [
      'No', 'NRP/NIP', 'Pangkat', 'Nama', 'Jabatan', accountHeader, 'Jumlah', 'Persen', 'Status', 'Tingkat', MISSED_HEADER,
    ];
    const divisionStyles = [PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PERCENT];
    let at = 0; // the member's position in recap.members
    for (const [g, group] of groups.entries()) {
      const sheet = book.addWorksheet(names[g]!, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = [5, 12, 10, 28, 20, 22, 8, 8, 14, 16, 20].map((width) => ({ width }));
      out.put(sheet, divisionHeader, bold(divisionHeader.length));
      for (const [n, m] of group.members.entries()) {
        out.put(
          sheet,
          [
            n + 1, m.userId, m.title, m.nama, m.jabatan ?? undefined, accounts[at], m.count, shares[at],
            judged ? VERDICT[m.verdict] : 'Belum dinilai', judged ? TIER[m.tier] : undefined, misses[at],
          ],
          divisionStyles,
        );
        at += 1;
        if (out.due()) await out.pause();
      }
      if (judged) {
        colourText(sheet, 9, 2, group.members.length + 1, STATUS_COLOURS);
        colourText(sheet, 10, 2, group.members.length + 1, TIER_COLOURS);
      }
      sheet.commit();
    }
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
