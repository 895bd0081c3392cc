/**
 * Client ids and settings as admins type them, checked and put in their stored form.
 * No chat text here: a refusal is a reason code that `texts.ts` words.
 */
import { canonicalLid, canonicalPhone } from '../identity/wa-id.js';
import { parseHandle } from '../members/profile.js';

/** Longest client id: ids are typed in every report command, so they stay short. */
export const CLIENT_ID_MAX = 30;
export const CLIENT_NAME_MAX = 100;
export const CLIENT_TYPE_MAX = 30;

/** Upper-cased; letters, digits and underscore only (ids are split on `#` and read aloud in reports). */
export function parseClientId(typed: string): string | null {
  const id = typed.trim().toUpperCase();
  return new RegExp(`^[A-Z0-9_]{1,${CLIENT_ID_MAX}}$`).test(id) ? id : null;
}

/** Trimmed, inner spaces collapsed; null without a letter or digit, or too long. Kept in the case typed. */
export function parseClientName(typed: string): string | null {
  const name = typed.trim().replace(/\s+/g, ' ');
  return /[\p{L}\p{N}]/u.test(name) && name.length <= CLIENT_NAME_MAX ? name : null;
}

/** The `clients` columns `updateclient` may change, in the order the card shows them. */
export const CLIENT_FIELDS = [
  'nama',
  'client_type',
  'client_status',
  'client_insta',
  'client_insta_status',
  'client_tiktok',
  'client_tiktok_status',
  'client_amplify_status',
  'client_operator',
  'client_super',
] as const;
export type ClientField = (typeof CLIENT_FIELDS)[number];

export const FIELD_ALIASES: Readonly<Record<string, ClientField>> = {
  insta: 'client_insta',
  tiktok: 'client_tiktok',
  operator: 'client_operator',
  super: 'client_super',
  status: 'client_status',
};

export type FlagField = 'client_status' | 'client_insta_status' | 'client_tiktok_status' | 'client_amplify_status';
const FLAG_FIELDS: ReadonlySet<ClientField> = new Set<ClientField>([
  'client_status',
  'client_insta_status',
  'client_tiktok_status',
  'client_amplify_status',
]);
export const isFlagField = (field: ClientField): field is FlagField => FLAG_FIELDS.has(field);

/** A column name or alias, any case; null when unknown. */
export function fieldOf(typed: string): ClientField | null {
  const key = typed.trim().toLowerCase();
  if ((CLIENT_FIELDS as readonly string[]).includes(key)) return key as ClientField;
  return Object.hasOwn(FIELD_ALIASES, key) ? FIELD_ALIASES[key]! : null;
}

export const FLAG_WORDS: Readonly<Record<string, boolean>> = { true: true, aktif: true, false: false, nonaktif: false };

/** Typed to empty an optional setting (an account, a type, a number). */
export const CLEAR_WORDS: ReadonlySet<string> = new Set(['-', 'kosong', 'hapus']);

export type ValueProblem = 'flag' | 'name' | 'type' | 'post-link' | 'other-platform' | 'handle' | 'number' | 'required';
export type ValueParse = { ok: true; value: string | boolean | null } | { ok: false; problem: ValueProblem };

/**
 * The stored value for `field`. Accounts are handles in the compliance module's normal
 * form; numbers are canonical digits (or a canonical LID), one per field, because the
 * sender look-up (`src/identity/sender.ts`) compares `client_operator` as one number.
 */
export function parseFieldValue(field: ClientField, typed: string): ValueParse {
  const text = typed.trim();
  if (isFlagField(field)) {
    // Own keys only: `constructor` is not a flag.
    const word = text.toLowerCase();
    return Object.hasOwn(FLAG_WORDS, word) ? { ok: true, value: FLAG_WORDS[word]! } : { ok: false, problem: 'flag' };
  }
  if (field === 'nama') {
    const name = parseClientName(text);
    return name ? { ok: true, value: name } : { ok: false, problem: 'name' };
  }
  if (CLEAR_WORDS.has(text.toLowerCase())) return { ok: true, value: null };
  switch (field) {
    case 'client_type': {
      const type = text.replace(/\s+/g, ' ').toUpperCase();
      const fits = new RegExp(`^[A-Z0-9][A-Z0-9 _.-]{0,${CLIENT_TYPE_MAX - 1}}$`).test(type);
      return fits ? { ok: true, value: type } : { ok: false, problem: 'type' };
    }
    case 'client_insta':
    case 'client_tiktok': {
      const parsed = parseHandle(text, field === 'client_insta' ? 'instagram' : 'tiktok');
      if (parsed.ok) return { ok: true, value: parsed.handle };
      return { ok: false, problem: parsed.reason === 'invalid' ? 'handle' : parsed.reason };
    }
    case 'client_operator':
    case 'client_super': {
      const number = canonicalLid(text) ?? canonicalPhone(text);
      return number ? { ok: true, value: number } : { ok: false, problem: 'number' };
    }
  }
  return { ok: false, problem: 'required' };
}
