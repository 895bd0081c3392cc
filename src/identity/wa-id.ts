/**
 * WhatsApp identities as Cicero stores and compares them.
 *
 * A phone number's canonical form is its digits with the country code and no `+`
 * (`6281234567890`); a leading `0` is Indonesian trunk notation and becomes `62`.
 * A LID (`<digits>@lid`) is an opaque identity of its own: it cannot be turned into
 * a phone number, only paired with one when WhatsApp reveals the pair.
 */

export type WaIdentity = { kind: 'phone'; phone: string } | { kind: 'lid'; lid: string };

const PHONE_SUFFIXES = ['@c.us', '@s.whatsapp.net'];
/** Separators people type inside numbers: spaces, dashes, dots, brackets. */
const SEPARATORS = /[\s\-.()/]/g;

/** Drops a device suffix (`628123:12@c.us` → `628123@c.us`) that multi-device ids carry. */
function withoutDevice(id: string): string {
  return id.replace(/:\d+(?=@|$)/, '');
}

/**
 * Canonical phone digits for any common way of writing a number, or null when the
 * text is not a phone number (`0812-3456-7890`, `+62 812 3456 7890`,
 * `6281234567890@c.us`, `…@s.whatsapp.net` → `6281234567890`).
 */
export function canonicalPhone(input: string): string | null {
  let text = withoutDevice(input.trim().toLowerCase());
  for (const suffix of PHONE_SUFFIXES) {
    if (text.endsWith(suffix)) text = text.slice(0, -suffix.length);
  }
  text = text.replace(SEPARATORS, '');
  if (text.startsWith('+')) text = text.slice(1);
  else if (text.startsWith('00')) text = text.slice(2);
  else if (text.startsWith('0')) text = `62${text.slice(1)}`;
  if (!/^[1-9]\d{7,14}$/.test(text)) return null;
  return text;
}

/** Canonical `<digits>@lid`, or null when the text is not a LID. */
export function canonicalLid(input: string): string | null {
  const text = withoutDevice(input.trim().toLowerCase());
  const match = /^(\d{5,20})@lid$/.exec(text);
  return match ? `${match[1]}@lid` : null;
}

/** Parses a phone number in any common form or a LID; null when it is neither. */
export function parseWaIdentity(input: string): WaIdentity | null {
  const lid = canonicalLid(input);
  if (lid) return { kind: 'lid', lid };
  const phone = canonicalPhone(input);
  return phone ? { kind: 'phone', phone } : null;
}

/** The private chat id WhatsApp uses for a canonical phone number. */
export function phoneChatId(phone: string): string {
  return `${phone}@c.us`;
}

/** Where a person is written to: `<phone>@c.us`, or the LID itself. */
export function chatIdOf(id: WaIdentity): string {
  return id.kind === 'phone' ? phoneChatId(id.phone) : id.lid;
}
