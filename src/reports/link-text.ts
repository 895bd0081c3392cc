/** `rekaplink`: the day's reported re-post links, per platform, ready to copy. */
import type { ComplianceClient } from '../compliance/clients.js';
import { instagramPostUrl } from '../compliance/engagement.js';
import { LINK_PLATFORMS, type DayLinks, type LinkPlatform } from '../compliance/links.js';
import { formatDay, formatStamp } from '../time/format.js';

export const LINK_PLATFORM_LABEL: Record<LinkPlatform, string> = {
  instagram: 'Instagram',
  facebook: 'Facebook',
  twitter: 'Twitter/X',
  tiktok: 'TikTok',
  youtube: 'YouTube',
};

export function renderDayLinks(links: DayLinks, o: { client: ComplianceClient; day: Date; now: Date; timezone: string }): string {
  const total = LINK_PLATFORMS.reduce((sum, p) => sum + links.links[p].length, 0);
  const lines = [
    'Mohon ijin Komandan,',
    '',
    `📋 *Rekap Link Amplifikasi* *${o.client.nama}*`,
    `Hari/tanggal: ${formatDay(o.day, o.timezone)}`,
    `Dibuat: ${formatStamp(o.now, o.timezone)}`,
    '',
    `*Jumlah Konten Resmi:* ${links.posts.length}`,
    ...links.posts.map(instagramPostUrl),
    `*Jumlah user yang melapor:* ${links.reporters}`,
    `*Jumlah Total Link dari 5 Platform Sosial Media:* ${total}`,
  ];
  for (const platform of LINK_PLATFORMS) {
    const list = links.links[platform];
    lines.push('', `*${LINK_PLATFORM_LABEL[platform]}* (${list.length}):`, ...(list.length ? list : ['-']));
  }
  return lines.join('\n');
}
