/**
 * One fetch run for one client: per platform, under the client+platform lock, the
 * account's posts of the day, then the likers (Instagram) or commenters (TikTok) of
 * the day's stored posts. Whatever fails is recorded in the result and the run goes
 * on with the rest; only a missing or refused key stops it, as no request could succeed.
 */
import pLimit from 'p-limit';
import type { ComplianceClient } from '../compliance/clients.js';
import type { Platform } from '../compliance/handle.js';
import type { Db } from '../db/db.js';
import { isRapidApiError, RapidApiError, stopsTheRun } from '../rapidapi/errors.js';
import { instagramLikers, instagramPosts } from '../rapidapi/instagram.js';
import type { Listing } from '../rapidapi/pages.js';
import type { RapidApis } from '../rapidapi/services.js';
import { tiktokCommenters, tiktokProfile, tiktokVideos } from '../rapidapi/tiktok.js';
import type { ListedPost, Person } from '../rapidapi/types.js';
import type { DayWindow } from '../time/day.js';
import { withFetchLock } from './lock.js';
import type {
  EngagementOutcome,
  FetchPart,
  FetchProgress,
  FetchResult,
  PlatformResult,
  PostsOutcome,
} from './result.js';
import type { FetchStorage } from './storage.js';

export interface FetchRequest {
  client: ComplianceClient;
  platforms: readonly Platform[];
  parts: readonly FetchPart[];
  day: DayWindow;
  onProgress?: (progress: FetchProgress) => void | Promise<void>;
  /** The run waits for one of the process's run slots (other fetches are running). */
  onWaiting?: () => void | Promise<void>;
}

/**
 * Fetches running at once in this process, whatever their client. Each holds a database
 * connection for its lock and uses the service's request limit; more would only queue
 * behind those and take connections the chat needs.
 */
export const MAX_RUNS = 3;
const slots = pLimit(MAX_RUNS);

const failed = (failure: RapidApiError | null): Listing<ListedPost> => ({
  items: [],
  complete: false,
  pages: 0,
  seen: 0,
  failure,
  pageLimited: false,
});

export interface FetchDeps {
  db: Db;
  apis: RapidApis;
  now: () => Date;
  storage: FetchStorage;
}

export async function runFetch(deps: FetchDeps, request: FetchRequest): Promise<FetchResult> {
  const platforms: PlatformResult[] = [];
  for (const platform of request.platforms) {
    const result = await fetchPlatform(deps, request, platform);
    platforms.push(result);
    // A refused key is refused on the other service too (one RapidAPI key).
    if (result.stopped) break;
  }
  return { clientId: request.client.clientId, nama: request.client.nama, day: request.day, platforms };
}

function accountOf(client: ComplianceClient, platform: Platform): { account: string | null; enabled: boolean } {
  return platform === 'instagram'
    ? { account: client.insta?.replace(/^@+/, '') ?? null, enabled: client.instaEnabled }
    : { account: client.tiktok?.replace(/^@+/, '') ?? null, enabled: client.tiktokEnabled };
}

async function fetchPlatform(deps: FetchDeps, request: FetchRequest, platform: Platform): Promise<PlatformResult> {
  const { client } = request;
  const { account, enabled } = accountOf(client, platform);
  if (!enabled) return { platform, status: 'disabled', account };
  if (!account) return { platform, status: 'no-account', account };
  if (slots.activeCount + slots.pendingCount >= MAX_RUNS) await request.onWaiting?.();
  const locked = await slots(() => withFetchLock(deps.db, client.clientId, platform, async () => {
    const result: PlatformResult = { platform, status: 'ran', account };
    const { storage } = deps;
    if (request.parts.includes('posts')) {
      result.posts = await fetchPosts(deps, storage, request, platform, account);
      if (result.posts.failure && stopsTheRun(result.posts.failure)) {
        result.stopped = result.posts.failure;
        return result;
      }
    }
    if (request.parts.includes('engagement')) {
      const engagement = await fetchEngagement(deps, storage, request, platform);
      result.engagement = engagement.outcome;
      if (engagement.stopped) result.stopped = engagement.stopped;
    }
    return result;
  }));
  return locked.busy ? { platform, status: 'busy', account } : locked.result;
}

async function listPosts(deps: FetchDeps, request: FetchRequest, platform: Platform, account: string): Promise<Listing<ListedPost>> {
  const { apis } = deps;
  const since = request.day.start;
  if (platform === 'instagram') return instagramPosts(apis.instagram, account, since, apis.pageLimit);
  let secUid = await cachedSecUid(deps.db, request.client.clientId);
  if (!secUid) {
    try {
      secUid = (await tiktokProfile(apis.tiktok, account)).secUid;
    } catch (error) {
      if (!isRapidApiError(error)) throw error;
      return failed(error);
    }
    if (!secUid) return failed(new RapidApiError('malformed', 'the account has no secUid'));
    await cacheSecUid(deps.db, request.client.clientId, account, secUid);
  }
  return tiktokVideos(apis.tiktok, secUid, since, apis.pageLimit);
}

async function fetchPosts(
  deps: FetchDeps,
  storage: FetchStorage,
  request: FetchRequest,
  platform: Platform,
  account: string,
): Promise<PostsOutcome> {
  const listing = await listPosts(deps, request, platform, account);
  let { complete, failure } = listing;
  // An answer without a single post, where the day has posts stored, is a glitch far
  // more often than an account emptied overnight: believed, it would remove them all.
  if (complete && listing.seen === 0) {
    const stored = await storage.dayPostIds(deps.db, platform, request.client.clientId, request.day);
    if (stored.length > 0) {
      complete = false;
      failure = new RapidApiError('empty', 'the service listed no posts at all');
    }
  }
  const stored = await storage.storePosts(deps.db, {
    platform,
    clientId: request.client.clientId,
    day: request.day,
    posts: listing.items.filter((p) => p.createdAt >= request.day.start && p.createdAt < request.day.end),
    complete,
    at: deps.now(),
  });
  return { ...stored, complete, failure, pageLimited: listing.pageLimited };
}

function listEngagers(apis: RapidApis, platform: Platform, postId: string): Promise<Listing<Person>> {
  return platform === 'instagram'
    ? instagramLikers(apis.instagram, postId, apis.pageLimit)
    : tiktokCommenters(apis.tiktok, postId, apis.pageLimit);
}

async function fetchEngagement(
  deps: FetchDeps,
  storage: FetchStorage,
  request: FetchRequest,
  platform: Platform,
): Promise<{ outcome: EngagementOutcome; stopped?: RapidApiError }> {
  const ids = await storage.dayPostIds(deps.db, platform, request.client.clientId, request.day);
  const outcome: EngagementOutcome = { posts: ids.length, complete: 0, added: 0, total: 0, problems: [], skipped: 0 };
  const api = platform === 'instagram' ? deps.apis.instagram : deps.apis.tiktok;
  const limit = pLimit(Math.max(1, api.concurrency));
  let stopped: RapidApiError | undefined;
  let crashed = false;
  let done = 0;
  // A failure that is not the service's (the database) ends the run, but only once every
  // post already in hand is finished: the caller releases the lock when this returns.
  const settled = await Promise.allSettled(
    ids.map((postId) =>
      limit(async () => {
        if (stopped || crashed) {
          outcome.skipped++;
          return;
        }
        try {
          await fetchPostEngagement(deps, storage, platform, postId, outcome, (failure) => (stopped ??= failure));
        } catch (error) {
          // Set before this slot frees: the posts still queued see it and return at once.
          crashed = true;
          throw error;
        }
        done++;
        await request.onProgress?.({ platform, done, total: ids.length });
      }),
    ),
  );
  const crash = settled.find((s) => s.status === 'rejected');
  if (crash) throw crash.reason;
  return stopped ? { outcome, stopped } : { outcome };
}

/** One post's likers or commenters, read and merged; what went wrong goes into `outcome`. */
async function fetchPostEngagement(
  deps: FetchDeps,
  storage: FetchStorage,
  platform: Platform,
  postId: string,
  outcome: EngagementOutcome,
  stop: (failure: RapidApiError) => void,
): Promise<void> {
  const listing = await listEngagers(deps.apis, platform, postId);
  if (listing.failure && stopsTheRun(listing.failure)) stop(listing.failure);
  if (listing.complete || listing.items.length > 0) {
    const merged = await storage.mergeEngagement(deps.db, {
      platform,
      postId,
      engagers: listing.items,
      complete: listing.complete,
      at: deps.now(),
    });
    outcome.added += merged.added;
    outcome.total += merged.total;
  }
  if (listing.complete) outcome.complete++;
  else outcome.problems.push({ postId, failure: listing.failure, partial: listing.items.length > 0 });
}

async function cachedSecUid(db: Db, clientId: string): Promise<string | null> {
  const { rows } = await db.query<{ tiktok_secuid: string | null }>(`SELECT tiktok_secuid FROM clients WHERE client_id = $1`, [clientId]);
  const secUid = rows[0]?.tiktok_secuid?.trim();
  return secUid ? secUid : null;
}

/** Only while the client still has the account it was looked up for (an admin may have changed it meanwhile). */
async function cacheSecUid(db: Db, clientId: string, account: string, secUid: string): Promise<void> {
  await db.query(
    `UPDATE clients SET tiktok_secuid = $3 WHERE client_id = $1 AND lower(ltrim(btrim(client_tiktok), '@')) = lower($2)`,
    [clientId, account, secUid],
  );
}
