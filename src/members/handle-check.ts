/**
 * The profile check as every chat path that sets a member's handle runs it (`insta#`,
 * `tiktok#`, the `userrequest` menu, a profile link sent alone, `ubahanggota`, the
 * operator menu): before the handle is written, outside any transaction.
 */
import type { BaseContext } from '../bot/context.js';
import { normaliseHandle, type Platform } from '../compliance/handle.js';
import { handleOwner } from './profile.js';
import { checkProfile, keepProfile } from './profile-check.js';
import { profileMissing, profilePrivate, profileUnchecked } from './texts.js';

export type HandleVerdict =
  /** No such account: the refusal; the handle is not set. */
  | { refused: string }
  /**
   * Set it; then `keep()` stores the profile found (call it once the handle is set), and
   * `note` (a private account, or not checked) goes with the reply.
   */
  | { refused: null; note: string | null; keep(): Promise<void> };

const COLUMN: Record<Platform, 'insta' | 'tiktok'> = { instagram: 'insta', tiktok: 'tiktok' };
const nothing = async (): Promise<void> => {};

/**
 * Checks `handle` (normal form) before it is set for `member`. No check (and no note)
 * when the member already has that handle, or when another member of the client has it
 * (the set refuses it). `own`: the sender sets their own handle.
 */
export async function checkHandle(
  ctx: BaseContext,
  member: { userId: string; clientId: string | null },
  platform: Platform,
  handle: string,
  own: boolean,
): Promise<HandleVerdict> {
  const { db, log, rapidapi, now } = ctx.services;
  const { rows } = await db.query<{ h: string | null }>(`SELECT ${COLUMN[platform]} AS h FROM "user" WHERE user_id = $1`, [member.userId]);
  if (normaliseHandle(rows[0]?.h, platform) === handle) return { refused: null, note: null, keep: nothing };
  if (await handleOwner(db, member.clientId, platform, handle, member.userId)) return { refused: null, note: null, keep: nothing };
  const check = await checkProfile(rapidapi, log, platform, handle);
  const keep = () => keepProfile(db, log, check, now());
  switch (check.status) {
    case 'missing':
      return { refused: profileMissing(platform, handle) };
    case 'private':
      return { refused: null, note: profilePrivate(platform, handle, own), keep };
    case 'unchecked':
      return { refused: null, note: profileUnchecked(platform, check.why !== 'key-missing'), keep };
    case 'found':
      return { refused: null, note: null, keep };
  }
}
