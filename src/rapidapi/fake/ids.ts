/**
 * Identifiers and names derived from text by hashing, so the same username, post or
 * liker gets the same id in every run and in every server.
 */
import { createHash } from 'node:crypto';
import { seededRandom, type Random } from '../../seed/random.js';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** A seeded PRNG for everything generated about `text`. */
export function randomFor(text: string): Random {
  return seededRandom(digest(text).readUInt32BE(0));
}

/** A decimal id of `length` digits (up to 70) without a leading zero. */
export function numericId(text: string, length: number): string {
  const digits = BigInt(`0x${digest(text).toString('hex')}`).toString();
  return String(1 + (Number(digits[0]) % 9)) + digits.slice(1, length);
}

/** An 11-character Instagram-like shortcode. */
export function shortcodeOf(text: string): string {
  return `C${digest(text).toString('base64url').slice(0, 10)}`;
}

const SEC_UID_PREFIX = 'MS4wLjABAAAA';

/**
 * A secUid that names its account, so one cached by a client still works after the
 * fake restarts (the real secUid is opaque; clients must not rely on this).
 */
export function secUidOf(username: string): string {
  return SEC_UID_PREFIX + Buffer.from(username).toString('base64url');
}

export function usernameOfSecUid(secUid: string): string | null {
  if (!secUid.startsWith(SEC_UID_PREFIX)) return null;
  const username = Buffer.from(secUid.slice(SEC_UID_PREFIX.length), 'base64url').toString();
  return secUidOf(username) === secUid ? username : null;
}

/** `budi.santoso12` → `Budi Santoso`. */
export function displayName(handle: string): string {
  const words = handle.replace(/[0-9]+/g, ' ').split(/[._\s]+/).filter(Boolean);
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') || handle;
}

export function pictureUrl(kind: string, id: string): string {
  return `https://picsum.photos/seed/${kind}-${id}/320/320`;
}

const FIRST = [
  'agus', 'budi', 'dedi', 'eko', 'fajar', 'hendra', 'irwan', 'joko', 'lukman', 'nur', 'rizky', 'slamet',
  'taufik', 'wahyu', 'yudi', 'andi', 'bayu', 'dimas', 'gilang', 'haris', 'siti', 'dewi', 'rina', 'ani',
  'putri', 'yulia', 'arif', 'doni', 'ilham', 'komang', 'made', 'rahmat', 'sri', 'tika', 'wulan', 'yoga',
];
const LAST = [
  'santoso', 'wibowo', 'saputra', 'hidayat', 'pratama', 'nugroho', 'setiawan', 'susanto', 'hartono',
  'siregar', 'nasution', 'lubis', 'wijaya', 'purnomo', 'maulana', 'ramadhan', 'utomo', 'halim', 'sinaga',
];

/** Plausible handles of members of the public, the same in every run. */
export const HANDLE_POOL: readonly string[] = (() => {
  const random = seededRandom(13);
  const pool = new Set<string>();
  while (pool.size < 600) {
    const first = random.pick(FIRST);
    const last = random.pick(LAST);
    const n = random.int(1, 999);
    pool.add(
      random.pick([`${first}.${last}${n}`, `${first}_${last}`, `${first}${last}${n}`, `${first}.${n}`, `warga_${first}${n}`]),
    );
  }
  return [...pool];
})();

/** `count` distinct handles from the pool, drawn by `random`. */
export function drawHandles(random: Random, count: number, from: readonly string[] = HANDLE_POOL): string[] {
  const items = [...from];
  const n = Math.min(count, items.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random.next() * (items.length - i));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items.slice(0, n);
}

const COMMENTS = [
  'Mantap pak 👍', 'Siap laksanakan', 'Salam presisi', 'Sehat selalu pak', 'Luar biasa 🔥', 'Terima kasih pak polisi',
  'Semangat terus', 'Keren 👏', 'Aman terkendali', 'Mantap jiwa', 'Polri untuk masyarakat', 'Hadir 🙏',
];

export function commentText(random: Random): string {
  return random.pick(COMMENTS);
}
