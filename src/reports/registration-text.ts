/** `absensiregistrasi`: who has bound WhatsApp and set their handles, by division; paged like the recaps. */
import type { ComplianceClient } from '../compliance/clients.js';
import { byDivision } from '../compliance/recap.js';
import { type Missing, type RegistrationMember, usesInstagram, usesTiktok } from '../compliance/registration.js';
import { formatStamp } from '../time/format.js';
import { divisionBlocks, memberWho } from './division-lines.js';
import { type Block, joinBlocks, paginate, paragraphs } from './paginate.js';
import { divisionComparator } from '../compliance/ordering.js';

export const MISSING_LABEL: Record<Missing, string> = { whatsapp: 'WhatsApp', instagram: 'Instagram', tiktok: 'TikTok' };

export interface RegistrationOptions {
  client: ComplianceClient;
  filter: 'all' | 'sudah' | 'belum';
  now: Date;
  timezone: string;
  maxLines: number;
  /** Longest message; without it `messages` is the whole text as one. */
  maxChars?: number;
}

export interface RenderedRegistration {
  /** The whole recap. */
  text: string;
  /** The recap as messages of at most `maxChars`, cut between divisions (see paginate.ts). */
  messages: string[];
  summarised: boolean;
}

function section(title: string, members: readonly RegistrationMember[]): Block[] {
  const line = (m: RegistrationMember): string =>
    m.missing.length ? `${memberWho(m)} : belum ${m.missing.map((x) => MISSING_LABEL[x]).join(', ')}` : memberWho(m);
  return divisionBlocks([title], members, line);
}

export function renderRegistration(members: RegistrationMember[], o: RegistrationOptions): RenderedRegistration {
  const done = members.filter((m) => m.missing.length === 0);
  const open = members.filter((m) => m.missing.length > 0);
  const lacking = (x: Missing) => members.filter((m) => m.missing.includes(x)).length;
  const lines = [
    `📋 *Absensi Registrasi* untuk *${o.client.nama}*`,
    formatStamp(o.now, o.timezone),
    '',
    `*Total user aktif:* ${members.length}`,
    `📱 WhatsApp terhubung: ${members.length - lacking('whatsapp')} user`,
  ];
  if (usesInstagram(o.client)) lines.push(`📸 Instagram terisi: ${members.length - lacking('instagram')} user`);
  if (usesTiktok(o.client)) lines.push(`🎵 TikTok terisi: ${members.length - lacking('tiktok')} user`);
  lines.push(`✅ *Sudah lengkap* : *${done.length} user*`, `❌ *Belum lengkap* : *${open.length} user*`);
  const blocks = paragraphs(lines);
  const listed = (o.filter !== 'belum' ? done.length : 0) + (o.filter !== 'sudah' ? open.length : 0);
  const summarised = listed > o.maxLines;
  if (summarised) {
    const compareDivisions = divisionComparator(o.client.divisionOrder);
    const groups = byDivision(members)
      .map((g) => ({ divisi: g.divisi, total: g.members.length, done: g.members.filter((m) => m.missing.length === 0).length }))
      .sort((a, b) => a.done / a.total - b.done / b.total || compareDivisions(a.divisi, b.divisi));
    blocks.push(
      {
        context: [],
        heading: '📊 *Per divisi* (terlemah lebih dulu):',
        lines: groups.map((g) => `- *${g.divisi}*: ${g.done}/${g.total} lengkap (${Math.round((g.done / g.total) * 100)}%)`),
      },
      { context: [], lines: [`📎 Daftar lengkap ${members.length} user ada di lampiran Excel.`] },
    );
  } else {
    if (o.filter !== 'belum') blocks.push(...section(`✅ *Sudah lengkap* (${done.length} user):`, done));
    if (o.filter !== 'sudah') blocks.push(...section(`❌ *Belum lengkap* (${open.length} user):`, open));
  }
  return { text: joinBlocks(blocks), messages: paginate(blocks, o.maxChars ?? Number.POSITIVE_INFINITY), summarised };
}
