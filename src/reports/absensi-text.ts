/**
 * The compliance recap as chat text, in the layout units already read (formal
 * header, counts, ✅/❌ sections grouped by division), plus the exception section.
 * Pure: a Recap in, text out, also paged into messages at its seams (paginate.ts).
 * A report too long for a phone becomes a summary; the full lists then travel in
 * the Excel file.
 */
import type { ComplianceClient } from '../compliance/clients.js';
import type { Source } from '../compliance/engagement.js';
import { byDivision, divisionScores, perPost, type Recap, type RecapMember } from '../compliance/recap.js';
import { formatDay, formatStamp, formatTime } from '../time/format.js';
import { divisionBlocks, memberWho } from './division-lines.js';
import { type Block, joinBlocks, paginate, paragraphs } from './paginate.js';

export type ReportKind = 'per_content' | 'accumulated';
export type Filter = 'all' | 'sudah' | 'belum';

export interface RenderOptions {
  client: ComplianceClient;
  kind: ReportKind;
  filter: Filter;
  now: Date;
  timezone: string;
  /** Member lines above which the chat gets a summary instead of the lists. */
  maxLines: number;
  /** Longest message; without it `messages` is the whole text as one. */
  maxChars?: number;
}

export interface RenderedReport {
  /** The whole report. */
  text: string;
  /** The report as messages of at most `maxChars`, cut between divisions (see paginate.ts). */
  messages: string[];
  /** True when the lists were left out for the Excel file. */
  summarised: boolean;
}

interface Labels {
  title: string;
  /** What was fetched per post. */
  data: string;
  noHandle: string;
  /** Where the official posts are. */
  platform: string;
}

export const LABELS: Record<Source, Labels> = {
  likes: { title: 'Likes Instagram', data: 'likes', noHandle: 'belum mengisi data instagram', platform: 'Instagram' },
  comments: { title: 'Komentar TikTok', data: 'komentar', noHandle: 'belum mengisi data tiktok', platform: 'TikTok' },
  links: { title: 'Amplifikasi Link', data: 'laporan link', noHandle: '', platform: 'Instagram' },
};

const SECTION = {
  sudah: (n: number) => `✅ *Sudah melaksanakan* (${n} user):`,
  belum: (n: number) => `❌ *Belum melaksanakan* (${n} user):`,
  exception: (n: number) => `➖ *Dikecualikan (exception)* (${n} user):`,
};

const number = (n: number): string => n.toLocaleString('id-ID');
const percent = (rate: number): string => `${Math.round(rate * 100)}%`;

/** "Tidak ada konten …" when the client posted nothing that day. */
export function noContentText(source: Source, client: ComplianceClient, day: Date, timezone: string): string {
  return `Tidak ada konten ${LABELS[source].platform} untuk *Polres*: *${client.nama}* pada ${formatDay(day, timezone)}.`;
}

function header(recap: Recap, o: RenderOptions): string[] {
  const { source, day, posts } = recap.day;
  const label = LABELS[source];
  const today = o.now >= day.start && o.now < day.end;
  const lines = [
    'Mohon ijin Komandan,',
    '',
    `📋 *Rekap ${o.kind === 'accumulated' ? 'Akumulasi' : 'Per Konten'} ${label.title}*`,
    `*Polres*: *${o.client.nama}*`,
    formatDay(day.start, o.timezone),
    today ? `Jam: ${formatTime(o.now, o.timezone)}` : `Dibuat: ${formatStamp(o.now, o.timezone)}`,
    '',
    `*Jumlah Konten:* ${posts.length}`,
    '*Daftar Link Konten:*',
    ...posts.map((p) =>
      !p.fetched ? `${p.url} (data ${label.data} belum tersedia)` : p.partial ? `${p.url} (data ${label.data} belum lengkap)` : p.url,
    ),
  ];
  if (source !== 'links') {
    lines.push(
      `*Data ${label.data} terakhir diperbarui:* ${recap.day.lastUpdated ? formatStamp(recap.day.lastUpdated, o.timezone) : 'belum pernah diambil'}`,
    );
  }
  const missing = posts.length - recap.countable;
  if (missing > 0 && recap.countable > 0) {
    lines.push(`⚠️ ${missing} konten belum tersedia data ${label.data}nya dan tidak dihitung.`);
  }
  const c = recap.counts;
  lines.push('', `*Jumlah user:* ${c.members}`);
  if (recap.countable === 0) {
    lines.push(`⚠️ Data ${label.data} belum tersedia untuk konten hari itu; belum ada yang dinilai.`);
    return lines;
  }
  lines.push(
    `✅ *Sudah melaksanakan* : *${c.sudah} user*`,
    `❌ *Belum melaksanakan* : *${c.belum} user*`,
    `➖ *Dikecualikan (exception)* : *${c.exception} user*`,
    recap.threshold === 'all'
      ? `*Syarat sudah:* semua ${recap.countable} konten`
      : `*Syarat sudah:* minimal ${recap.needed} dari ${recap.countable} konten`,
  );
  if (source === 'links') {
    lines.push(`*Jumlah link dilaporkan:* ${recap.members.reduce((sum, m) => sum + m.links, 0)}`);
  }
  return lines;
}

function memberLine(m: RecapMember, recap: Recap, withCount: boolean): string {
  const who = memberWho(m);
  const source = recap.day.source;
  if (source === 'links') {
    return withCount ? `${who} (${m.count}/${recap.countable} konten, ${m.links} link)` : who;
  }
  if (m.handle === null) return `${who} : ${LABELS[source].noHandle}`;
  return `${who} : @${m.handle}${withCount ? ` (${m.count}/${recap.countable} konten)` : ''}`;
}

function section(context: readonly string[], members: readonly RecapMember[], recap: Recap, withCount: boolean): Block[] {
  return divisionBlocks(context, members, (m) => memberLine(m, recap, withCount));
}

const wants = (filter: Filter, part: 'sudah' | 'belum' | 'exception'): boolean =>
  filter === 'all' || filter === part;

/** Member lines the full text would hold. */
function fullLineCount(recap: Recap, o: RenderOptions): number {
  const c = recap.counts;
  const exception = o.filter === 'all' ? c.exception : 0;
  if (o.kind === 'accumulated') {
    return (wants(o.filter, 'sudah') ? c.sudah : 0) + (wants(o.filter, 'belum') ? c.belum : 0) + exception;
  }
  const judged = recap.members.filter((m) => m.verdict !== 'exception');
  const engaged = judged.reduce((sum, m) => sum + m.count, 0);
  const all = judged.length * recap.countable;
  return (wants(o.filter, 'sudah') ? engaged : 0) + (wants(o.filter, 'belum') ? all - engaged : 0) + exception;
}

function fullLists(recap: Recap, o: RenderOptions): Block[] {
  const blocks: Block[] = [];
  const members = (verdict: RecapMember['verdict']) => recap.members.filter((m) => m.verdict === verdict);
  if (o.kind === 'accumulated') {
    if (wants(o.filter, 'sudah')) blocks.push(...section([SECTION.sudah(recap.counts.sudah)], members('sudah'), recap, true));
    if (wants(o.filter, 'belum')) blocks.push(...section([SECTION.belum(recap.counts.belum)], members('belum'), recap, true));
  } else {
    for (const p of perPost(recap)) {
      // Each post's sections sit under the post's line, repeated on a message that continues them.
      const post = `*Konten ${p.index + 1}:* ${p.post.url}`;
      if (p.sudah === null) {
        blocks.push({ context: [post], lines: [`⚠️ Data ${LABELS[recap.day.source].data} belum tersedia; konten ini tidak dihitung.`] });
        continue;
      }
      if (wants(o.filter, 'sudah')) blocks.push(...section([post, SECTION.sudah(p.sudah.length)], p.sudah, recap, false));
      if (wants(o.filter, 'belum')) blocks.push(...section([post, SECTION.belum(p.belum.length)], p.belum, recap, false));
    }
  }
  if (o.filter === 'all') {
    blocks.push(...section([SECTION.exception(recap.counts.exception)], members('exception'), recap, true));
  }
  return blocks;
}

/** At most this many names per division in a summary. */
const FEW = 5;

function summary(recap: Recap, o: RenderOptions): Block[] {
  const divisions: string[] = [];
  for (const d of divisionScores(recap)) {
    const judged = d.counts.sudah + d.counts.belum;
    divisions.push(
      d.rate === null
        ? `- *${d.divisi}*: semua ${d.counts.exception} user dikecualikan`
        : `- *${d.divisi}*: ${number(d.counts.sudah)}/${number(judged)} sudah (${percent(d.rate)}), belum ${number(d.counts.belum)}`,
    );
  }
  const blocks: Block[] = [{ context: [], heading: '📊 *Rekap per divisi* (terlemah lebih dulu):', lines: divisions }];
  if (o.kind === 'per_content') {
    const posts: string[] = [];
    for (const p of perPost(recap)) {
      if (p.sudah === null) {
        posts.push(`- Konten ${p.index + 1}: data ${LABELS[recap.day.source].data} belum tersedia`);
        continue;
      }
      const judged = p.sudah.length + p.belum.length;
      posts.push(
        `- Konten ${p.index + 1}: ${number(p.sudah.length)}/${number(judged)} sudah (${percent(judged ? p.sudah.length / judged : 0)})`,
      );
    }
    blocks.push({ context: [], heading: '📊 *Per konten*:', lines: posts });
  }
  // Names only where a division has few of them: those are the ones to chase by name.
  const budget = Math.max(2 * FEW, Math.floor(o.maxLines / 4));
  const verdict = o.filter === 'sudah' ? 'sudah' : 'belum';
  const few = byDivision(recap.members.filter((m) => m.verdict === verdict)).filter((g) => g.members.length <= FEW);
  const shown: RecapMember[] = [];
  for (const g of few) {
    if (shown.length + g.members.length > budget) break;
    shown.push(...g.members);
  }
  if (shown.length > 0) {
    const title = verdict === 'sudah' ? '✅ *Sudah melaksanakan*' : '❌ *Belum melaksanakan*';
    blocks.push(...section([`${title}, divisi dengan paling banyak ${FEW} nama:`], shown, recap, true));
  }
  blocks.push({ context: [], lines: [`📎 Daftar lengkap ${number(recap.counts.members)} user ada di lampiran Excel.`] });
  return blocks;
}

export function renderAbsensi(recap: Recap, o: RenderOptions): RenderedReport {
  const blocks = paragraphs(header(recap, o));
  let summarised = false;
  if (recap.countable > 0) {
    summarised = fullLineCount(recap, o) > o.maxLines;
    blocks.push(...(summarised ? summary(recap, o) : fullLists(recap, o)));
  }
  blocks.push({ context: [], lines: ['Terimakasih.'] });
  return { text: joinBlocks(blocks), messages: paginate(blocks, o.maxChars ?? Number.POSITIVE_INFINITY), summarised };
}
