/**
 * `rekaplink`: the day's amplification-link recap, readable on a phone. The counts
 * (distinct links per platform), then every member who reported, numbered through the
 * whole list under their division, with a tick per platform they reported on; the links
 * themselves travel in the Excel file (`#excel`).
 */
import type { ComplianceClient } from '../compliance/clients.js';
import { instagramPostUrl } from '../compliance/engagement.js';
import { type DayLinks, LINK_PLATFORMS, type LinkMember, type LinkPlatform } from '../compliance/links.js';
import { formatDay, formatStamp } from '../time/format.js';
import { divisionBlocks } from './division-lines.js';
import { type Block, joinBlocks, paginate, paragraphs } from './paginate.js';
import { THANKS, unitLabel } from './wording.js';

export const LINK_PLATFORM_LABEL: Record<LinkPlatform, string> = {
  instagram: 'Instagram',
  facebook: 'Facebook',
  twitter: 'Twitter/X',
  tiktok: 'TikTok',
  youtube: 'YouTube',
};

/** The short labels of the recap's lines and counts. */
export const LINK_PLATFORM_SHORT: Record<LinkPlatform, string> = {
  instagram: 'IG',
  facebook: 'FB',
  twitter: 'X',
  tiktok: 'TT',
  youtube: 'YT',
};

export const NOBODY_REPORTED = 'Belum ada user yang melapor link.';

export interface DayLinksOptions {
  client: ComplianceClient;
  day: Date;
  now: Date;
  timezone: string;
  maxChars: number;
}

/** `BRIPDA ANDI — IG ✓ FB ✓ TT ✓`: the platforms reported, in the fixed order. */
export function linkMemberLine(m: LinkMember): string {
  const who = [m.title, m.nama].filter(Boolean).join(' ');
  const ticks = LINK_PLATFORMS.filter((p) => m.links[p]?.length).map((p) => `${LINK_PLATFORM_SHORT[p]} ✓`);
  return `${who} — ${ticks.join(' ')}`;
}

/** `120 — IG 40 · FB 30 · X 20 · TT 25 · YT 5`, or `0` when there is none. */
function distinctLine(links: DayLinks): string {
  const total = LINK_PLATFORMS.reduce((sum, p) => sum + links.distinct[p], 0);
  if (total === 0) return '0';
  return `${total} — ${LINK_PLATFORMS.map((p) => `${LINK_PLATFORM_SHORT[p]} ${links.distinct[p]}`).join(' · ')}`;
}

/** The recap as one text and as messages of at most `maxChars`, cut between divisions. */
export function renderDayLinks(links: DayLinks, o: DayLinksOptions): { text: string; messages: string[] } {
  const active = links.reporters + links.notReported;
  const header = [
    'Mohon ijin Komandan,',
    '',
    '📋 *Rekap Link Amplifikasi*',
    `*${unitLabel(o.client.type)}*: *${o.client.nama}*`,
    `Hari/tanggal: ${formatDay(o.day, o.timezone)}`,
    `Dibuat: ${formatStamp(o.now, o.timezone)}`,
    '',
    `*Jumlah Konten Resmi:* ${links.posts.length}`,
    ...links.posts.map(instagramPostUrl),
    `*Jumlah user yang melapor:* ${links.reporters} dari ${active} (belum melapor: ${links.notReported})`,
    `*Jumlah link (tanpa duplikat):* ${distinctLine(links)}`,
  ];
  const numbered = links.members.map((m, i) => ({ ...m, n: i + 1 }));
  const blocks: Block[] = [
    ...paragraphs(header),
    ...(numbered.length === 0
      ? [{ context: [], lines: [NOBODY_REPORTED] }]
      : divisionBlocks([], numbered, (m) => `${m.n}. ${linkMemberLine(m)}`)),
    { context: [], lines: [THANKS] },
  ];
  return { text: joinBlocks(blocks), messages: paginate(blocks, o.maxChars) };
}
