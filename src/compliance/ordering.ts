/**
 * The order units read their lists in: divisions by kind (the leadership, PIMPINAN,
 * first; then BAG, SAT, SI, SPKT, POLSEK, then the rest alphabetically), or first
 * as the client listed them (`urutandivisi`); within a division members by position
 * (jabatan), then rank (pangkat), then name.
 */

const DIVISION_PREFIXES = ['PIMPINAN', 'BAG', 'SAT', 'SI', 'SPKT', 'POLSEK'];

/** One collator for every comparison: building one per call costs more than the sort itself. */
const collator = new Intl.Collator('id', { sensitivity: 'base' });
export const compareText = (a: string, b: string): number => collator.compare(a, b);

export function divisionRank(divisi: string): number {
  const upper = divisi.trim().toUpperCase();
  const index = DIVISION_PREFIXES.findIndex((p) => upper === p || upper.startsWith(`${p} `) || upper.startsWith(`${p}.`));
  return index === -1 ? DIVISION_PREFIXES.length : index;
}

export function compareDivisions(a: string, b: string): number {
  return divisionRank(a) - divisionRank(b) || compareText(a, b);
}

/** Divisions compare as the names they print (upper case, trimmed). */
export const divisionKey = (divisi: string): string => divisi.trim().toUpperCase();

/**
 * The comparison of a client's divisions: those in `custom` (the client's own order,
 * `urutandivisi`) first and in that order, then the rest in the default order. PIMPINAN
 * comes first even then, unless `custom` names it (and so places it).
 */
export function divisionComparator(custom: readonly string[] = []): (a: string, b: string) => number {
  if (custom.length === 0) return compareDivisions;
  const at = new Map(custom.map((d, i) => [divisionKey(d), i]));
  // The leadership stays on top unless the client placed it itself.
  const listed = (d: string): number => at.get(divisionKey(d)) ?? (divisionRank(d) === 0 ? -1 : custom.length);
  return (a, b) => listed(a) - listed(b) || compareDivisions(a, b);
}

/** Heads first: the earlier a keyword in this list, the higher the position. */
const POSITIONS = ['KAPOLRES', 'WAKAPOLRES', 'DIR', 'WADIR', 'KASUBDIT', 'KABAG', 'KASUBBAG', 'KASAT', 'KASI', 'KA SPKT', 'KAPOLSEK', 'KANIT'];

export function positionRank(jabatan: string | null): number {
  const upper = (jabatan ?? '').trim().toUpperCase();
  const index = POSITIONS.findIndex((p) => upper === p || upper.startsWith(`${p} `));
  return index === -1 ? POSITIONS.length : index;
}

/** Police ranks high to low, then civil-service grades. */
const RANKS = [
  'KOMBES', 'KBP', 'AKBP', 'KOMPOL', 'AKP', 'IPTU', 'IPDA', 'AIPTU', 'AIPDA', 'BRIPKA', 'BRIGADIR', 'BRIGPOL',
  'BRIPTU', 'BRIPDA', 'PEMBINA', 'PENATA', 'PENGATUR', 'JURU', 'PPPK', 'PHL',
];

export function rankRank(title: string | null): number {
  const upper = (title ?? '').trim().toUpperCase();
  // KOMBES and KBP are the same rank.
  if (upper === 'KBP') return 0;
  const index = RANKS.findIndex((r) => upper === r || upper.startsWith(`${r} `));
  return index === -1 ? RANKS.length : index;
}

export interface Ranked {
  jabatan: string | null;
  title: string | null;
  nama: string | null;
}

export function compareMembers(a: Ranked, b: Ranked): number {
  return (
    positionRank(a.jabatan) - positionRank(b.jabatan) ||
    rankRank(a.title) - rankRank(b.title) ||
    compareText(a.nama ?? '', b.nama ?? '')
  );
}
