/** The part every recap shares: members under `*<DIVISI>* (<k> user):` headers. */
import { byDivision } from '../compliance/recap.js';
import type { Block } from './paginate.js';

/** `<rank> <name>` */
export const rankAndName = (m: { title: string; nama: string }): string => [m.title, m.nama].filter(Boolean).join(' ');

/** `- <rank> <name>` */
export const memberWho = (m: { title: string; nama: string }): string => `- ${rankAndName(m)}`;

/**
 * A section under `context` (its title last, e.g. `❌ *Belum melaksanakan* (12 user):`):
 * one block per division (members in unit order), or a "-" when empty. A division is
 * one block so that paging keeps it whole, or at least its heading with its first line.
 */
export function divisionBlocks<M extends { divisi: string }>(
  context: readonly string[],
  members: readonly M[],
  line: (m: M) => string,
): Block[] {
  if (members.length === 0) return [{ context, lines: ['-'] }];
  return byDivision(members).map((group) => ({
    context,
    heading: `*${group.divisi}* (${group.members.length} user):`,
    lines: group.members.map(line),
  }));
}
