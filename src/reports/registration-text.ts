/** `absensiregistrasi`: who has bound WhatsApp and set their handles, by division. */
import type { ComplianceClient } from '../compliance/clients.js';
import { byDivision } from '../compliance/recap.js';
import { type Missing, type RegistrationMember, usesInstagram, usesTiktok } from '../compliance/registration.js';
import { formatStamp } from '../time/format.js';
import { divisionSection, memberWho } from './division-lines.js';
import { compareDivisions } from '../compliance/ordering.js';

export const MISSING_LABEL: Record<Missing, string> = { whatsapp: 'WhatsApp', instagram: 'Instagram', tiktok: 'TikTok' };

export interface RegistrationOptions {
  client: ComplianceClient;
  filter: 'all' | 'sudah' | 'belum';
  now: Date;
  timezone: string;
  maxLines: number;
}

function section(title: string, members: readonly RegistrationMember[]): string[] {
  const line = (m: RegistrationMember): string =>
    m.missing.length ? `${memberWho(m)} : belum ${m.missing.map((x) => MISSING_LABEL[x]).join(', ')}` : memberWho(m);
  return ['', ...divisionSection(title, members, line)];
}

export function renderRegistration(members: RegistrationMember[], o: RegistrationOptions): { text: string; summarised: boolean } {
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
  const listed = (o.filter !== 'belum' ? done.length : 0) + (o.filter !== 'sudah' ? open.length : 0);
  const summarised = listed > o.maxLines;
  if (summarised) {
    lines.push('', '📊 *Per divisi* (terlemah lebih dulu):');
    const groups = byDivision(members)
      .map((g) => ({ divisi: g.divisi, total: g.members.length, done: g.members.filter((m) => m.missing.length === 0).length }))
      .sort((a, b) => a.done / a.total - b.done / b.total || compareDivisions(a.divisi, b.divisi));
    for (const g of groups) {
      lines.push(`- *${g.divisi}*: ${g.done}/${g.total} lengkap (${Math.round((g.done / g.total) * 100)}%)`);
    }
    lines.push('', `📎 Daftar lengkap ${members.length} user ada di lampiran Excel.`);
  } else {
    if (o.filter !== 'belum') lines.push(...section(`✅ *Sudah lengkap* (${done.length} user):`, done));
    if (o.filter !== 'sudah') lines.push(...section(`❌ *Belum lengkap* (${open.length} user):`, open));
  }
  return { text: lines.join('\n'), summarised };
}
