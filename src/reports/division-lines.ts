/** The part every recap shares: members under `*<DIVISI>* (<k> user):` headers. */
import { byDivision } from '../compliance/recap.js';

/** `- <rank> <name>` */
export const memberWho = (m: { title: string; nama: string }): string => `- ${[m.title, m.nama].filter(Boolean).join(' ')}`;

/** A section: its title, then each division's members (input in unit order), or "-" when empty. */
export function divisionSection<M extends { divisi: string }>(title: string, members: readonly M[], line: (m: M) => string): string[] {
  const lines = [title];
  if (members.length === 0) return [...lines, '-'];
  byDivision(members).forEach((group, i) => {
    if (i > 0) lines.push('');
    lines.push(`*${group.divisi}* (${group.members.length} user):`);
    for (const m of group.members) lines.push(line(m));
  });
  return lines;
}
