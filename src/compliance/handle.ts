/**
 * Social-media handles as members type them and as the collectors store them,
 * reduced to one comparable form: lower-case, no `@`, no spaces, no profile URL.
 * `@Budi.S`, ` budi.s `, `https://www.instagram.com/budi.s/` and
 * `instagram.com/budi.s?igsh=…` are all `budi.s`. Compliance matching compares only
 * this form, on the member's side and on the likers'/commenters' side.
 */

export type Platform = 'instagram' | 'tiktok';

const VALID: Record<Platform, RegExp> = {
  instagram: /^[a-z0-9._]{1,30}$/,
  tiktok: /^[a-z0-9._]{2,24}$/,
};

/** Instagram paths that are posts, reels or stories, not profiles. */
const NOT_PROFILES = new Set(['p', 'reel', 'reels', 'tv', 'stories', 'explore', 'accounts', 'direct']);

function fromUrl(text: string, platform: Platform): string | null | undefined {
  const match = /^(?:https?:\/\/)?(?:[a-z]+\.)?(instagram\.com|tiktok\.com)\/([^?#]*)/.exec(text);
  if (!match) return undefined; // not a URL: the caller treats the text as a handle
  const [, host, path = ''] = match;
  if ((host === 'instagram.com') !== (platform === 'instagram')) return null;
  const first = path.split('/').find((segment) => segment !== '') ?? '';
  if (platform === 'tiktok') return first.startsWith('@') ? first.slice(1) : null;
  return NOT_PROFILES.has(first) ? null : first;
}

/** The comparable form of a handle, or null when the text holds none. */
export function normaliseHandle(raw: string | null | undefined, platform: Platform): string | null {
  if (raw === null || raw === undefined) return null;
  // Most stored handles are already in the form (a report normalises a province's 10,000 at once).
  if (VALID[platform].test(raw)) return raw;
  // ASCII letters only, as the SQL twin does: lower-casing other letters depends on the locale.
  const text = raw.trim().replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
  if (text === '' || text === '-') return null;
  const url = fromUrl(text, platform);
  const handle = (url === undefined ? text : url ?? '').replace(/^@+/, '').replace(/\/+$/, '');
  return VALID[platform].test(handle) ? handle : null;
}

/**
 * The handle in one stored liker/commenter entry: collectors wrote plain usernames,
 * the data-mining job wrote objects (`{username}`, TikTok `{unique_id}` or `{user: {unique_id}}`).
 */
export function handleOfEntry(entry: unknown, platform: Platform): string | null {
  if (typeof entry === 'string') return normaliseHandle(entry, platform);
  if (entry && typeof entry === 'object') {
    const e = entry as { username?: unknown; unique_id?: unknown; user?: { unique_id?: unknown; username?: unknown } };
    const candidate = e.username ?? e.unique_id ?? e.user?.unique_id ?? e.user?.username;
    return typeof candidate === 'string' ? normaliseHandle(candidate, platform) : null;
  }
  return null;
}
