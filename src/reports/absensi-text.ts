/**
 * The compliance recap as chat text a commander reads on a phone: the formal header,
 * counts and links, then who has not complied in detail (numbered, by division, with
 * handle and c/N), and those who have (and the exceptions) compactly, one paragraph of
 * names per division. Pure: a Recap in, text out, also paged into messages at its seams
 * (paginate.ts). A report naming more members than `maxLines` becomes one line per
 * division, worst first, and the belum names of the worst divisions while they fit two
 * messages; the full lists then travel in the Excel file.
 */
import type { ComplianceClient } from '../compliance/clients.js';
import type { Source } from '../compliance/engagement.js';
import { byDivision, divisionScores, perPost, type Recap, type RecapMember } from '../compliance/recap.js';
import { formatDay, formatStamp, formatTime } from '../time/format.js';
import { rankAndName } from './division-lines.js';
import { type Block, joinBlocks, paginate, paragraphs } from './paginate.js';
import { THANKS, unitLabel } from './wording.js';

export type ReportKind = 'per_content' | 'accumulated';
export type Filter = 'all' | 'sudah' | 'belum';

export interface RenderOptions {
  client: ComplianceClient;
  kind: ReportKind;
  filter: Filter;
  now: Date;
  timezone: string;
  /** Member names above which the chat gets a summary instead of the lists. */
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
  /** Where the official posts are. */
  platform: string;
}

export const LABELS: Record<Source, Labels> = {
  likes: { title: 'Likes Instagram', data: 'likes', platform: 'Instagram' },
  comments: { title: 'Komentar TikTok', data: 'komentar', platform: 'TikTok' },
  links: { title: 'Amplifikasi Link', data: 'laporan link', platform: 'Instagram' },
};

const SECTION = {
  sudah: (n: number) => `✅ *Sudah melaksanakan* (${n} user):`,
  belum: (n: number) => `❌ *Belum melaksanakan* (${n} user):`,
  exception: (n: number) => `➖ *Dikecualikan (exception)* (${n} user):`,
};

/** Summaries stop adding names where the text would need more messages than this. */
const SUMMARY_MESSAGES = 2;
/** A paragraph of names is cut into lines of about this length, so a page can break between them. */
const PARAGRAPH_CHARS = 600;

const number = (n: number): string => n.toLocaleString('id-ID');
const percent = (rate: number): string => `${Math.round(rate * 100)}%`;

/** The rule for sudah in words (`minimal 2 dari 3 konten`): the text, the Excel file and the chart say it alike. */
export function ruleWords(recap: Recap): string {
  return recap.threshold === 'all' ? `semua ${recap.countable} konten` : `minimal ${recap.needed} dari ${recap.countable} konten`;
}

/** "Tidak ada konten …" when the client posted nothing that day. */
export function noContentText(source: Source, client: ComplianceClient, day: Date, timezone: string): string {
  return `Tidak ada konten ${LABELS[source].platform} untuk *${unitLabel(client.type)}*: *${client.nama}* pada ${formatDay(day, timezone)}.`;
}

function header(recap: Recap, o: RenderOptions): string[] {
  const { source, day, posts } = recap.day;
  const label = LABELS[source];
  const today = o.now >= day.start && o.now < day.end;
  const lines = [
    'Mohon ijin Komandan,',
    '',
    `📋 *Rekap ${o.kind === 'accumulated' ? 'Akumulasi' : 'Per Konten'} ${label.title}*`,
    `*${unitLabel(o.client.type)}*: *${o.client.nama}*`,
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
    `*Syarat sudah:* ${ruleWords(recap)}`,
  );
  if (source === 'links') {
    lines.push(`*Jumlah link dilaporkan:* ${recap.members.reduce((sum, m) => sum + m.links, 0)}`);
  }
  return lines;
}

/**
 * A position without the division the heading already names (`BA SAT LANTAS` under
 * SAT LANTAS reads `BA`, `KASAT LANTAS` reads `KASAT`): a phone line is short.
 */
export function shortPosition(jabatan: string | null, divisi: string): string {
  const position = (jabatan ?? '').trim().replace(/\s+/g, ' ');
  const division = divisi.trim().toUpperCase();
  const upper = position.toUpperCase();
  if (division.length < 3 || division === '-') return position;
  // "KASAT LANTAS" under "SAT LANTAS": the division's words after the position's prefix.
  const [kind, ...rest] = division.split(' ');
  const tail = rest.join(' ');
  if (upper.endsWith(` ${division}`)) return position.slice(0, -division.length - 1);
  if (tail && upper.endsWith(`${kind} ${tail}`) && upper.length > division.length) {
    return position.slice(0, -(tail.length + 1));
  }
  return position;
}

/**
 * `3. BRIPDA ANDI (BAMIN) @andi 0/3`: someone still to act, in detail. The handle is
 * shown where it may be the cause: nothing at all was matched to it (a typo, another
 * account). A member with some posts matched has a working handle; printing it would
 * only make the report longer (it is in the Excel file).
 */
function detailLine(m: RecapMember, n: number, recap: Recap): string {
  const position = shortPosition(m.jabatan, m.divisi);
  const who = `${n}. ${rankAndName(m)}${position ? ` (${position})` : ''}`;
  const tally = `${m.count}/${recap.countable}`;
  if (recap.day.source === 'links') return `${who} ${tally}, ${m.links} link`;
  if (m.handle === null) return `${who} belum mengisi`;
  return m.count === 0 ? `${who} @${m.handle} ${tally}` : `${who} ${tally}`;
}

/** `*SAT LANTAS* (19):` (the section's heading says they are users). */
const divisionHeading = (divisi: string, n: number): string => `*${divisi}* (${n}):`;

/** A section in detail: one block per division, members numbered through the section. */
function detailSection(context: readonly string[], members: readonly RecapMember[], recap: Recap): Block[] {
  if (members.length === 0) return [{ context, lines: ['-'] }];
  let n = 0;
  return byDivision(members).map((g) => ({
    context,
    heading: divisionHeading(g.divisi, g.members.length),
    lines: g.members.map((m) => detailLine(m, ++n, recap)),
  }));
}

/**
 * Names joined by semicolons (a name may hold commas: `BUDI SANTOSO, S.H.`), cut into
 * lines of about PARAGRAPH_CHARS.
 */
function nameLines(members: readonly RecapMember[]): string[] {
  const lines: string[] = [];
  let line = '';
  for (const m of members) {
    const name = rankAndName(m);
    if (line !== '' && line.length + name.length > PARAGRAPH_CHARS) {
      lines.push(`${line};`);
      line = '';
    }
    line = line === '' ? name : `${line}; ${name}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A section compactly: per division its heading and one paragraph of rank and name. */
function compactSection(context: readonly string[], members: readonly RecapMember[]): Block[] {
  if (members.length === 0) return [{ context, lines: ['-'] }];
  return byDivision(members).map((g) => ({
    context,
    heading: divisionHeading(g.divisi, g.members.length),
    lines: nameLines(g.members),
  }));
}

const wants = (filter: Filter, part: 'sudah' | 'belum'): boolean => filter === 'all' || filter === part;
const withVerdict = (recap: Recap, verdict: RecapMember['verdict']) => recap.members.filter((m) => m.verdict === verdict);

/** Member names the full text would hold. */
function fullNameCount(recap: Recap, o: RenderOptions): number {
  const c = recap.counts;
  const exception = o.filter === 'all' ? c.exception : 0;
  if (o.kind === 'accumulated') {
    return (wants(o.filter, 'sudah') ? c.sudah : 0) + (wants(o.filter, 'belum') ? c.belum : 0) + exception;
  }
  // Per post: the names of the filter's side (belum unless only sudah was asked for).
  const judged = recap.members.filter((m) => m.verdict !== 'exception');
  const engaged = judged.reduce((sum, m) => sum + m.count, 0);
  return (o.filter === 'sudah' ? engaged : judged.length * recap.countable - engaged) + exception;
}

function fullLists(recap: Recap, o: RenderOptions): Block[] {
  const blocks: Block[] = [];
  if (o.kind === 'accumulated') {
    if (wants(o.filter, 'belum')) blocks.push(...detailSection([SECTION.belum(recap.counts.belum)], withVerdict(recap, 'belum'), recap));
    if (wants(o.filter, 'sudah')) blocks.push(...compactSection([SECTION.sudah(recap.counts.sudah)], withVerdict(recap, 'sudah')));
  } else {
    const side = o.filter === 'sudah' ? 'sudah' : 'belum';
    for (const p of perPost(recap)) {
      // Each post's names sit under the post's line, repeated on a message that continues them.
      const post = `*Konten ${p.index + 1}:* ${p.post.url}`;
      if (p.sudah === null) {
        blocks.push({ context: [post], lines: [`⚠️ Data ${LABELS[recap.day.source].data} belum tersedia; konten ini tidak dihitung.`] });
        continue;
      }
      blocks.push({ context: [post], lines: [`✅ ${number(p.sudah.length)} sudah · ❌ ${number(p.belum.length)} belum`] });
      blocks.push(...compactSection([post, SECTION[side](p[side].length)], p[side]));
    }
  }
  if (o.filter === 'all') blocks.push(...compactSection([SECTION.exception(recap.counts.exception)], withVerdict(recap, 'exception')));
  return blocks;
}

/** One line per division, worst first; the belum names of the worst while the text stays within two messages. */
function summary(recap: Recap, o: RenderOptions, before: readonly Block[]): Block[] {
  const scores = divisionScores(recap);
  const divisions = scores.map((d, i) =>
    d.rate === null
      ? `${i + 1}. *${d.divisi}*: semua ${d.counts.exception} user dikecualikan`
      : `${i + 1}. *${d.divisi}*: ${number(d.counts.sudah)} sudah, ${number(d.counts.belum)} belum (${percent(d.rate)})`,
  );
  const blocks: Block[] = [{ context: [], heading: '📊 *Rekap per divisi* (terlemah lebih dulu):', lines: divisions }];
  if (o.kind === 'per_content') {
    const posts = perPost(recap).map((p) => {
      if (p.sudah === null) return `- Konten ${p.index + 1}: data ${LABELS[recap.day.source].data} belum tersedia`;
      const judged = p.sudah.length + p.belum.length;
      return `- Konten ${p.index + 1}: ${number(p.sudah.length)} sudah, ${number(p.belum.length)} belum (${percent(judged ? p.sudah.length / judged : 0)})`;
    });
    blocks.push({ context: [], heading: '📊 *Per konten*:', lines: posts });
  }
  const closing: Block = {
    context: [],
    lines: [`… daftar lengkap ${number(recap.counts.members)} user ada di lampiran Excel.`, '', THANKS],
  };
  // The worst divisions' belum names, in the table's order, while everything fits.
  const belum = byDivision(withVerdict(recap, 'belum'));
  const byName = new Map(belum.map((g) => [g.divisi, g.members]));
  const title = `❌ *Belum melaksanakan*, divisi terlemah:`;
  const maxChars = o.maxChars ?? Number.POSITIVE_INFINITY;
  // Only belum names are worth the room; `#sudah` gets the table alone. Divisions are
  // taken only while their names alone would fit in the messages allowed: at province
  // size the names of every belum member were most of the report's garbage, and all but
  // the first few divisions' could never be shown.
  const room = SUMMARY_MESSAGES * maxChars;
  const candidates: Block[][] = [];
  let chars = 0;
  for (const d of o.filter === 'sudah' ? [] : scores) {
    const members = byName.get(d.divisi);
    if (!members) continue;
    const section = compactSection([title], members);
    for (const block of section) for (const line of block.lines) chars += line.length;
    if (chars > room) break;
    candidates.push(section);
  }
  // The most divisions (in the table's order) whose names keep the text within two
  // messages: a binary search, as each try pages the whole text.
  const fits = (n: number): boolean =>
    paginate([...before, ...blocks, ...candidates.slice(0, n).flat(), closing], maxChars, { fill: true }).length <= SUMMARY_MESSAGES;
  let low = 0;
  let high = candidates.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  const named = candidates.slice(0, low).flat();
  return [...blocks, ...named, closing];
}

export function renderAbsensi(recap: Recap, o: RenderOptions): RenderedReport {
  const blocks = paragraphs(header(recap, o));
  let summarised = false;
  if (recap.countable > 0) {
    summarised = fullNameCount(recap, o) > o.maxLines;
    blocks.push(...(summarised ? summary(recap, o, blocks) : [...fullLists(recap, o), { context: [], lines: [THANKS] }]));
  } else {
    blocks.push({ context: [], lines: [THANKS] });
  }
  return { text: joinBlocks(blocks), messages: paginate(blocks, o.maxChars ?? Number.POSITIVE_INFINITY, { fill: true }), summarised };
}
