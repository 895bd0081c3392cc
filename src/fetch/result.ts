/** What one fetch run found and stored, per platform: the summary's data, no chat text. */
import type { Platform } from '../compliance/handle.js';
import type { RapidApiError } from '../rapidapi/errors.js';
import type { DayWindow } from '../time/day.js';

/** What a run reads: the account's posts, the likers/commenters of the day's posts, or both. */
export type FetchPart = 'posts' | 'engagement';

export interface PostsOutcome {
  found: number;
  new: number;
  updated: number;
  removed: number;
  restored: number;
  /** The listing reached the end of the day's posts (removals are only marked then). */
  complete: boolean;
  failure: RapidApiError | null;
  pageLimited: boolean;
}

export interface PostProblem {
  postId: string;
  /** null: the page limit ended it. */
  failure: RapidApiError | null;
  /** Some likers/commenters of it were stored before it stopped. */
  partial: boolean;
}

export interface EngagementOutcome {
  /** The day's posts whose likers/commenters were asked for. */
  posts: number;
  /** Posts read to their last page. */
  complete: number;
  /** Handles stored that were not stored before. */
  added: number;
  /** Handles stored for the day's posts after the run. */
  total: number;
  problems: PostProblem[];
  /** Posts not asked for because the run stopped (a refused key). */
  skipped: number;
}

export type PlatformStatus =
  /** It ran; see the outcomes. */
  | 'ran'
  /** Another run for this client and platform holds the lock. */
  | 'busy'
  /** The client has no account on this platform. */
  | 'no-account'
  /** The platform is switched off for the client. */
  | 'disabled';

export interface PlatformResult {
  platform: Platform;
  status: PlatformStatus;
  account: string | null;
  posts?: PostsOutcome;
  engagement?: EngagementOutcome;
  /** A failure that ended the run at once (the key missing or refused). */
  stopped?: RapidApiError;
}

export interface FetchResult {
  clientId: string;
  nama: string;
  day: DayWindow;
  platforms: PlatformResult[];
}

/**
 * Everything asked for was fetched completely. A platform the client has no account
 * for (or has switched off) is no failure when another one ran: `fetch#` asks for both.
 */
export function fetchedCompletely(result: FetchResult): boolean {
  const ran = result.platforms.filter((p) => p.status !== 'no-account' && p.status !== 'disabled');
  return ran.length > 0 && ran.every((p) => platformComplete(p));
}

export function platformComplete(p: PlatformResult): boolean {
  if (p.status !== 'ran' || p.stopped) return false;
  if (p.posts && !p.posts.complete) return false;
  return !p.engagement || (p.engagement.problems.length === 0 && p.engagement.skipped === 0);
}

export interface FetchProgress {
  platform: Platform;
  /** Posts whose likers/commenters are done. */
  done: number;
  total: number;
}
