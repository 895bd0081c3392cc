/**
 * The profile check (issue 13, item 5): before a member's Instagram or TikTok handle is
 * set from chat, the account is looked up (Instagram `/v1/info`, TikTok
 * `/api/user/info`). A nonexistent account is refused; a private one is accepted with a
 * warning; without a key, or when the service fails, the handle is accepted unchecked.
 * The look-up uses the interactive clients (`apis.check`): one try of at most 8 s
 * (`CHECK_TIMEOUT_MS`), with requests of their own, so a member never waits behind
 * retries or a running fetch.
 * An Instagram profile found is stored (`insta_profile`, `instagram_user`,
 * `instagram_user_metrics`); TikTok profiles have no table and are not stored.
 *
 * No chat text here: the callers word the outcome.
 */
import type { Platform } from '../compliance/handle.js';
import type { Db, Queryable } from '../db/db.js';
import type { Logger } from '../log.js';
import { isRapidApiError, type RapidApiFailure } from '../rapidapi/errors.js';
import { instagramProfile } from '../rapidapi/instagram.js';
import type { RapidApis } from '../rapidapi/services.js';
import { tiktokProfile } from '../rapidapi/tiktok.js';
import type { Profile } from '../rapidapi/types.js';

export type ProfileCheck =
  /** A public account. */
  | { status: 'found'; profile: Profile }
  /** A private account (the profile when the service gave one). */
  | { status: 'private'; profile: Profile | null }
  /** No such account. */
  | { status: 'missing' }
  /** Not looked up: no key (`key-missing`), or the service failed (how). */
  | { status: 'unchecked'; why: RapidApiFailure };

/** The Profile a check brought back, if any. */
export const checkedProfile = (check: ProfileCheck): Profile | null =>
  check.status === 'found' || check.status === 'private' ? check.profile : null;

/**
 * Looks `handle` (normal form) up on `platform` through `apis.check`. Never throws: a
 * failure of the service (its one try failed or took longer than `CHECK_TIMEOUT_MS`; a
 * wrong endpoint; an answer that is not an account) is `unchecked`, and logged; no key
 * means no request at all.
 */
export async function checkProfile(apis: RapidApis, log: Logger, platform: Platform, handle: string): Promise<ProfileCheck> {
  if (!apis.configured) return { status: 'unchecked', why: 'key-missing' };
  try {
    const profile = platform === 'instagram' ? await instagramProfile(apis.check.instagram, handle) : await tiktokProfile(apis.check.tiktok, handle);
    return profile.isPrivate ? { status: 'private', profile } : { status: 'found', profile };
  } catch (error) {
    if (isRapidApiError(error)) {
      if (error.kind === 'not-found') return { status: 'missing' };
      if (error.kind === 'private') return { status: 'private', profile: null };
      const level = error.kind === 'key-refused' || error.kind === 'key-missing' ? 'error' : 'warn';
      log[level]({ platform, handle, kind: error.kind, status: error.status, err: error }, 'profile check failed: the handle is accepted unchecked');
      return { status: 'unchecked', why: error.kind };
    }
    // Not the service's failure (a bug in reading its answer): the handle is still accepted.
    log.error({ platform, handle, err: error }, 'profile check failed unexpectedly: the handle is accepted unchecked');
    return { status: 'unchecked', why: 'malformed' };
  }
}

/**
 * Stores an Instagram profile: `insta_profile` by username, `instagram_user` and
 * `instagram_user_metrics` by account id (skipped when the service gave no id). A TikTok
 * profile has no table: nothing is stored. One transaction.
 *
 * `instagram_user.username` is UNIQUE: when another account id holds the username (that
 * account has since renamed itself, and this one took the name), the stale row keeps
 * its data (premium status included) under the placeholder `#<user_id>` until that
 * account is looked up again.
 */
export async function storeProfile(db: Db, profile: Profile, now: Date): Promise<void> {
  if (profile.platform !== 'instagram') return;
  const username = profile.username.trim().toLowerCase();
  await db.tx(async (t) => {
    await t.query(
      `INSERT INTO insta_profile (username, full_name, biography, follower_count, following_count, post_count, profile_pic_url, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (username) DO UPDATE SET
         full_name = EXCLUDED.full_name, biography = EXCLUDED.biography, follower_count = EXCLUDED.follower_count,
         following_count = EXCLUDED.following_count, post_count = EXCLUDED.post_count,
         profile_pic_url = EXCLUDED.profile_pic_url, updated_at = EXCLUDED.updated_at`,
      [username, profile.fullName, profile.biography, int(profile.followers), int(profile.following), int(profile.posts), profile.profilePicUrl, now],
    );
    const userId = profile.userId?.trim();
    if (!userId || userId.length > 30) return;
    await storeInstagramUser(t, userId, username, profile);
  });
}

async function storeInstagramUser(t: Queryable, userId: string, username: string, p: Profile): Promise<void> {
  await t.query(`UPDATE instagram_user SET username = '#' || user_id WHERE username = $1 AND user_id <> $2`, [username, userId]);
  await t.query(
    `INSERT INTO instagram_user (user_id, username, full_name, biography, category, account_type, external_url, is_business,
                                 is_private, is_verified, public_email, public_phone_number, profile_pic_url, profile_pic_url_hd)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (user_id) DO UPDATE SET
       username = EXCLUDED.username, full_name = EXCLUDED.full_name, biography = EXCLUDED.biography,
       category = EXCLUDED.category, account_type = EXCLUDED.account_type, external_url = EXCLUDED.external_url,
       is_business = EXCLUDED.is_business, is_private = EXCLUDED.is_private, is_verified = EXCLUDED.is_verified,
       public_email = EXCLUDED.public_email, public_phone_number = EXCLUDED.public_phone_number,
       profile_pic_url = EXCLUDED.profile_pic_url, profile_pic_url_hd = EXCLUDED.profile_pic_url_hd`,
    [
      userId,
      username,
      p.fullName,
      p.biography,
      p.category,
      int(p.accountType),
      p.externalUrl,
      p.isBusiness,
      p.isPrivate,
      p.isVerified,
      p.publicEmail,
      p.publicPhoneNumber,
      p.profilePicUrl,
      p.profilePicUrlHd,
    ],
  );
  await t.query(
    `INSERT INTO instagram_user_metrics (user_id, follower_count, following_count, media_count, total_igtv_videos, latest_reel_media)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (user_id) DO UPDATE SET
       follower_count = EXCLUDED.follower_count, following_count = EXCLUDED.following_count, media_count = EXCLUDED.media_count,
       total_igtv_videos = EXCLUDED.total_igtv_videos, latest_reel_media = EXCLUDED.latest_reel_media`,
    [userId, int(p.followers), int(p.following), int(p.posts), int(p.totalIgtvVideos), bigint(p.latestReelMedia)],
  );
}

const INT_MAX = 2_147_483_647;

/** A count for an `integer` column: whole, within range, else null. */
const int = (n: number | null): number | null => (n !== null && Number.isInteger(n) && Math.abs(n) <= INT_MAX ? n : null);

/** A value for a `bigint` column: a whole number, else null. */
const bigint = (n: number | null): number | null => (n !== null && Number.isSafeInteger(n) ? n : null);

/**
 * Stores the profile a check brought back, if any; a failure to store is logged and
 * swallowed (the handle is set all the same).
 */
export async function keepProfile(db: Db, log: Logger, check: ProfileCheck, now: Date): Promise<void> {
  const profile = checkedProfile(check);
  if (!profile) return;
  try {
    await storeProfile(db, profile, now);
  } catch (error) {
    log.error({ platform: profile.platform, handle: profile.username, err: error }, 'could not store the checked profile');
  }
}
