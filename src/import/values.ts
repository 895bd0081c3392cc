/** Cell values shared by the member and client imports: empty cells, flags, phone numbers. */
import { canonicalPhone } from '../identity/wa-id.js';

/** An empty cell, or a lone dash as spreadsheets often hold for "none": it changes nothing. */
export const isBlank = (cell: string): boolean => cell === '' || /^[-–—]$/.test(cell);

const FLAGS: Record<string, boolean> = {
  aktif: true,
  nonaktif: false,
  'non aktif': false,
  'tidak aktif': false,
  true: true,
  false: false,
  ya: true,
  tidak: false,
  y: true,
  n: false,
  '1': true,
  '0': false,
  active: true,
  inactive: false,
};

/** The accepted spellings, for messages. */
export const FLAG_WORDS = 'aktif/nonaktif, true/false, ya/tidak, 1/0';

/** A yes/no cell, or null when it is not one. */
export function parseFlag(cell: string): boolean | null {
  const word = cell.trim().toLowerCase().replace(/\s+/g, ' ');
  // Own keys only: `constructor` in a cell is not a flag.
  return Object.hasOwn(FLAGS, word) ? FLAGS[word]! : null;
}

/**
 * A phone number in a cell, canonical, or null. A spreadsheet that stored `0812…` as a
 * number drops the leading 0 (`812…`): nine to twelve digits starting with 8 are taken as
 * an Indonesian mobile number without its 0.
 */
export function cellPhone(cell: string): string | null {
  const compact = cell.replace(/[\s\-.()/]/g, '');
  if (/^8\d{8,11}$/.test(compact)) return canonicalPhone(`0${compact}`);
  return canonicalPhone(cell);
}

/** Shows a cell in a message: quoted, and cut when long. */
export const shown = (cell: string): string => JSON.stringify(cell.length > 60 ? `${cell.slice(0, 60)}…` : cell);
