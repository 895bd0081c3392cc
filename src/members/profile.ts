/**
 * A member's own data: reading it, and updating name, rank, division, position and
 * the Instagram and TikTok handles. Handles are stored in the compliance module's
 * normal form (lower case, no `@`, no URL) and may not belong to another member of
 * the same client.
 */
import { type Actor, recordChanges } from '../audit/change-log.js';
import type { Db, Queryable } from '../db/db.js';
import { normaliseHandle, type Platform } from '../compliance/handle.js';
import { compareText, divisionRank, rankRank } from '../compliance/ordering.js';
import { lockKey } from './binding.js';
import type { UserRow } from './user-row.js';

export interface MemberProfile {
  userId: string;
  nama: string | null;
  title: string | null;
  divisi: string | null;
  jabatan: string | null;
  insta: string | null;
  tiktok: string | null;
  active: boolean;
  clientId: string | null;
}

type ProfileRow = Omit<UserRow, 'whatsapp'>;

export async function loadProfile(db: Queryable, userId: string): Promise<MemberProfile | null> {
  const { rows } = await db.query<ProfileRow>(
    'SELECT user_id, nama, title, divisi, jabatan, insta, tiktok, status, client_id FROM "user" WHERE user_id = $1',
    [userId],
  );
  const r = rows[0];
  return r
    ? {
        userId: r.user_id,
        nama: r.nama,
        title: r.title,
        divisi: r.divisi,
        jabatan: r.jabatan,
        insta: r.insta,
        tiktok: r.tiktok,
        active: r.status,
        clientId: r.client_id,
      }
    : null;
}

/** The text fields a member may change themselves (handles go through {@link setHandle}). */
export type TextField = 'nama' | 'title' | 'divisi' | 'jabatan';

const TEXT_COLUMNS: Record<TextField, string> = { nama: 'nama', title: 'title', divisi: 'divisi', jabatan: 'jabatan' };

/** Longest name, rank, division or position accepted. */
export const TEXT_MAX = 100;

/** Longest rank or division typed by hand (the longest real ones are about 30). */
export const SHORT_TEXT_MAX = 50;

/** Stored upper-cased, spaces collapsed; null when empty or longer than `max`. */
export function cleanText(value: string, max: number = TEXT_MAX): string | null {
  const text = value.trim().replace(/\s+/g, ' ').toUpperCase();
  return text === '' || text.length > max ? null : text;
}

/** The longest value accepted for `field`. */
export const textMax = (field: TextField): number => (field === 'title' || field === 'divisi' ? SHORT_TEXT_MAX : TEXT_MAX);

/** Sets a member's own text field, with its change_log row (the member is `actor`). */
export async function setTextField(db: Db, actor: Actor, userId: string, field: TextField, value: string, now: Date): Promise<void> {
  await db.tx(async (t) => {
    const column = TEXT_COLUMNS[field];
    const { rows } = await t.query<{ old: string | null; client_id: string | null }>(
      `SELECT ${column} AS old, client_id FROM "user" WHERE user_id = $1 FOR UPDATE`,
      [userId],
    );
    if (!rows[0]) return;
    await t.query(`UPDATE "user" SET ${column} = $2, updated_at = $3 WHERE user_id = $1`, [userId, value, now]);
    await recordChanges(t, actor, [{ clientId: rows[0].client_id, userId, field: column, oldValue: rows[0].old, newValue: value }], now);
  });
}

/** The ranks to choose from: those used in the member's client, highest first. */
export async function rankChoices(db: Queryable, clientId: string | null): Promise<string[]> {
  const { rows } = await db.query<{ v: string }>(
    `SELECT DISTINCT upper(trim(title)) AS v FROM "user" WHERE client_id = $1 AND coalesce(trim(title), '') <> ''`,
    [clientId],
  );
  return rows.map((r) => r.v).sort((a, b) => rankRank(a) - rankRank(b) || compareText(a, b));
}

/**
 * The divisions to choose from: those of the member's client, in unit order; with
 * `activeOnly`, only those of its active members (the divisions reports list).
 */
export async function divisionChoices(db: Queryable, clientId: string | null, activeOnly = false): Promise<string[]> {
  const { rows } = await db.query<{ v: string }>(
    `SELECT DISTINCT upper(trim(divisi)) AS v FROM "user"
      WHERE client_id = $1 AND coalesce(trim(divisi), '') <> ''${activeOnly ? ' AND status' : ''}`,
    [clientId],
  );
  return rows.map((r) => r.v).sort((a, b) => divisionRank(a) - divisionRank(b) || compareText(a, b));
}

export type HandleParse =
  | { ok: true; handle: string }
  | { ok: false; reason: 'post-link' | 'other-platform' | 'invalid' };

/** Links to a post, reel, video or story rather than a profile. */
const POST_LINK: Record<Platform, RegExp> = {
  instagram: /instagram\.com\/+(?:p|reel|reels|tv|stories)(?:\/|$)/i,
  tiktok: /(?:tiktok\.com\/+(?:@[^/?#]*\/+)?(?:video|photo|v|t)(?:\/|$))|(?:\b(?:vt|vm)\.tiktok\.com\/)/i,
};
const HOST: Record<Platform, RegExp> = { instagram: /instagram\.com/i, tiktok: /tiktok\.com/i };
const OTHER: Record<Platform, Platform> = { instagram: 'tiktok', tiktok: 'instagram' };

/** A handle or profile link as typed, in the stored form; a post link or the other platform's link is refused. */
export function parseHandle(text: string, platform: Platform): HandleParse {
  const trimmed = text.trim();
  if (POST_LINK[platform].test(trimmed)) return { ok: false, reason: 'post-link' };
  if (HOST[OTHER[platform]].test(trimmed) && !HOST[platform].test(trimmed)) return { ok: false, reason: 'other-platform' };
  const handle = normaliseHandle(trimmed, platform);
  return handle ? { ok: true, handle } : { ok: false, reason: 'invalid' };
}

/**
 * A profile link sent on its own (`https://www.instagram.com/<handle>/`,
 * `https://www.tiktok.com/@<handle>`): its platform and handle. A post link sent on its
 * own comes back as `post-link`; anything else as null.
 */
export function profileLinkIn(text: string): { platform: Platform; parsed: HandleParse } | null {
  const trimmed = text.trim();
  const match = /^(?:https?:\/\/)?(?:[a-z]+\.)?(instagram|tiktok)\.com\/\S*$/i.exec(trimmed);
  if (!match) return null;
  const platform: Platform = match[1]!.toLowerCase() === 'instagram' ? 'instagram' : 'tiktok';
  return { platform, parsed: parseHandle(trimmed, platform) };
}

const HANDLE_COLUMN: Record<Platform, string> = { instagram: 'insta', tiktok: 'tiktok' };

export interface HandleOwner {
  userId: string;
  nama: string | null;
  title: string | null;
}

/**
 * Another member of `clientId` whose stored handle on `platform` is `handle` (compared
 * in normal form: older rows hold links and `@`s), or null.
 */
export async function handleOwner(
  db: Queryable,
  clientId: string | null,
  platform: Platform,
  handle: string,
  exceptUserId: string,
): Promise<HandleOwner | null> {
  const column = HANDLE_COLUMN[platform];
  // strpos narrows to the rows that can match; the normal form decides.
  const { rows } = await db.query<{ user_id: string; nama: string | null; title: string | null; h: string | null }>(
    `SELECT user_id, nama, title, ${column} AS h FROM "user"
      WHERE client_id IS NOT DISTINCT FROM $1 AND user_id <> $2 AND strpos(lower(${column}), $3) > 0
      ORDER BY user_id`,
    [clientId, exceptUserId, handle],
  );
  const owner = rows.find((r) => normaliseHandle(r.h, platform) === handle);
  return owner ? { userId: owner.user_id, nama: owner.nama, title: owner.title } : null;
}

/** Refused: another member of the client has the handle (who is never told to the sender). */
export type SetHandleOutcome = { ok: true } | { ok: false; owner: HandleOwner };

/**
 * Stores `handle` (already normalised) unless another member of the client has it. The
 * check and the update run in one transaction under an advisory lock on client and
 * platform, so two members claiming the same handle at the same moment (even from two
 * processes on PostgreSQL) end with one of them holding it.
 */
export async function setHandle(
  db: Db,
  member: { userId: string; clientId: string | null },
  platform: Platform,
  handle: string,
  now: Date,
  actor: Actor,
): Promise<SetHandleOutcome> {
  return db.tx(async (t): Promise<SetHandleOutcome> => {
    await lockKey(t, `member-handle:${member.clientId ?? ''}:${platform}`);
    const owner = await handleOwner(t, member.clientId, platform, handle, member.userId);
    if (owner) return { ok: false, owner };
    const column = HANDLE_COLUMN[platform];
    const { rows } = await t.query<{ old: string | null }>(`SELECT ${column} AS old FROM "user" WHERE user_id = $1 FOR UPDATE`, [member.userId]);
    await t.query(`UPDATE "user" SET ${column} = $2, updated_at = $3 WHERE user_id = $1`, [member.userId, handle, now]);
    const change = { clientId: member.clientId, userId: member.userId, field: column, oldValue: rows[0]?.old ?? null, newValue: handle };
    await recordChanges(t, actor, [change], now);
    return { ok: true };
  });
}
