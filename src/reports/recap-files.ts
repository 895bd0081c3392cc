/**
 * The files that come with a compliance recap: the Excel workbook and the chart
 * pictures (one horizontal bar per division, worst first). Built after the recap's
 * text is queued; from the recap in memory, or again from the database when the
 * process died before it sent them (`absensiFiles`, the attachment builder).
 */
import type { AttachmentBuilder, AttachmentPart } from '../bot/attachments.js';
import { type ComplianceClient, findClient } from '../compliance/clients.js';
import { loadEngagement, type Source } from '../compliance/engagement.js';
import { buildRecap, divisionScores, type Recap } from '../compliance/recap.js';
import { dayWindowOf } from '../time/day.js';
import { formatDay } from '../time/format.js';
import type { OutgoingDocument, OutgoingImage } from '../transport/transport.js';
import { LABELS, ruleWords } from './absensi-text.js';
import { type ChartInput, renderDivisionCharts } from './chart.js';
import { XLSX_MIME, recapFileName } from './excel.js';
import { recapWorkbookOffThread } from './excel-process.js';

export interface RecapFileOptions {
  client: ComplianceClient;
  /** When the recap was made (the Excel file's stamp). */
  now: Date;
  timezone: string;
}

/**
 * Per division (worst first, as the text's summary): sudah, kurang (engaged with some
 * posts, fewer than the rule needs) and belum (none, or no handle). Divisions whose
 * members are all exceptions have nothing to draw and are left out.
 */
export function recapChartInput(recap: Recap, o: RecapFileOptions): ChartInput {
  return {
    title: `${LABELS[recap.day.source].title} · ${o.client.nama}`,
    subtitle: `${formatDay(recap.day.day.start, o.timezone)} · syarat sudah: ${ruleWords(recap)}`,
    divisions: divisionScores(recap)
      .filter((d) => d.rate !== null)
      .map((d) => ({ divisi: d.divisi, sudah: d.counts.sudah, kurang: d.kurang, belum: d.counts.belum - d.kurang })),
  };
}

/** What the chart pictures are drawn from, taken from the recap; null when there is nothing to draw. */
interface ChartPlan {
  input: ChartInput;
  base: string;
}

function chartPlan(recap: Recap, o: RecapFileOptions): ChartPlan | null {
  if (recap.countable === 0) return null;
  const input = recapChartInput(recap, o);
  if (input.divisions.length === 0) return null;
  return { input, base: `grafik-${recapFileName(recap, o.client.clientId).replace(/^rekap-/, '').replace(/\.xlsx$/, '')}` };
}

async function drawCharts({ input, base }: ChartPlan): Promise<OutgoingImage[]> {
  const pictures = await renderDivisionCharts(input);
  return pictures.map((data, i) => ({
    fileName: pictures.length > 1 ? `${base}-${i + 1}.png` : `${base}.png`,
    data,
    caption:
      i === 0
        ? `📊 ${input.title}, ${input.subtitle}: persentase sudah, kurang dan belum per divisi, terlemah di atas.`
        : `📊 (lanjutan ${i + 1}/${pictures.length})`,
  }));
}

// The functions below that build from a recap are not async: each takes from the recap what it
// needs at once, so nothing waiting for a file keeps the recap (see recapWorkbookOffThread).

/** The chart pictures (more than one for more than 40 divisions); none before any post has data. */
export function recapCharts(recap: Recap, o: RecapFileOptions): Promise<OutgoingImage[]> {
  const plan = chartPlan(recap, o);
  return plan ? drawCharts(plan) : Promise.resolve([]);
}

export function recapExcel(recap: Recap, o: RecapFileOptions): Promise<OutgoingDocument> {
  const fileName = recapFileName(recap, o.client.clientId);
  const caption =
    `📎 Rekap Excel ${o.client.nama}, ${recap.day.day.date}: ${recap.members.length} user; ` +
    'lembar Ringkasan (per divisi), Sudah, Belum, Dikecualikan, Konten, dan satu lembar per divisi.';
  return recapWorkbookOffThread(recap, o).then((data) => ({ fileName, mimeType: XLSX_MIME, data, caption }));
}

/** What a recap's files are to hold. */
export interface FileRequest {
  excel: boolean;
  chart: boolean;
}

/** The parts sent after a recap's text: the Excel file, then the chart pictures, as asked. */
export function absensiFiles(recap: Recap, o: RecapFileOptions, want: FileRequest): Promise<AttachmentPart[]> {
  // Everything that may throw first: once the Excel file is started, nothing here may leave it unawaited.
  const chart = want.chart ? chartPlan(recap, o) : undefined;
  const noData = `⚠️ Grafik belum dapat dibuat: data ${LABELS[recap.day.source].data} belum tersedia untuk konten hari itu.`;
  const excel = want.excel ? recapExcel(recap, o) : null;
  return (async () => {
    const parts: AttachmentPart[] = [];
    if (excel) parts.push({ document: await excel });
    if (chart) parts.push(...(await drawCharts(chart)).map((image) => ({ image })));
    else if (chart === null) parts.push({ text: noData });
    return parts;
  })();
}

/** The registry name of the recap files' builder. */
export const ABSENSI_FILES = 'absensi-files';

/** What `attachLater` stores for a recap's files: enough to build them again after a restart. */
export interface AbsensiFilesArgs {
  [key: string]: string | boolean;
  source: Source;
  clientId: string;
  /** The Jakarta day, `YYYY-MM-DD`. */
  date: string;
  /** When the recap was asked for (ISO). */
  at: string;
  excel: boolean;
  chart: boolean;
}

const SOURCES: readonly Source[] = ['likes', 'comments', 'links'];

function isFilesArgs(a: unknown): a is AbsensiFilesArgs {
  const r = a as Partial<AbsensiFilesArgs> | null;
  return (
    typeof r === 'object' && r !== null && SOURCES.includes(r.source as Source) && typeof r.clientId === 'string' &&
    typeof r.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r.date) && typeof r.at === 'string' &&
    typeof r.excel === 'boolean' && typeof r.chart === 'boolean'
  );
}

/**
 * Builds a recap's files again from the database (the process that promised them died
 * first). The data may have moved on since the text; the files say when they were made.
 */
export const absensiFilesBuilder: AttachmentBuilder = async (args, services) => {
  if (!isFilesArgs(args)) throw new Error('absensi-files: malformed arguments');
  const client = await findClient(services.db, args.clientId);
  if (!client) return [{ text: `⚠️ Lampiran rekap tidak dapat dibuat: client *${args.clientId}* sudah tidak ada.` }];
  const day = dayWindowOf(args.date, services.timezone);
  const recap = buildRecap(await loadEngagement(services.db, client, args.source, day), client.threshold, client.divisionOrder);
  return absensiFiles(recap, { client, now: services.now(), timezone: services.timezone }, args);
};
