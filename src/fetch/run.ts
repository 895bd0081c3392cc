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
import { isRapidApiError, type RapidApiError, stopsTheRun } from '../rapidapi/errors.js';
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
}

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
  const locked = await withFetchLock(deps.db, client.clientId, platform, async () => {
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
  });
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
      return { items: [], complete: false, pages: 0, failure: error, pageLimited: false };
    }
    if (secUid) await cacheSecUid(deps.db, request.client.clientId, secUid);
  }
  if (!secUid) return { items: [], complete: false, pages: 0, failure: null, pageLimited: false };
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
  const stored = await storage.storePosts(deps.db, {
    platform,
    clientId: request.client.clientId,
    day: request.day,
    posts: listing.items.filter((p) => p.createdAt >= request.day.start && p.createdAt < request.day.end),
    complete: listing.complete,
    at: deps.now(),
  });
  return { ...stored, complete: listing.complete, failure: listing.failure, pageLimited: listing.pageLimited };
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
  let stopped: (RapidApiError) | undefined;
  let done = 0;
  await Promise.all(
    ids.map((postId) =>
      limit(async () => {
        if (stopped) {
          outcome.skipped++;
          return;
        }
        const listing = await listEngagers(deps.apis, platform, postId);
        if (listing.failure && stopsTheRun(listing.failure)) stopped ??= listing.failure;
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
        done++;
        await request.onProgress?.({ platform, done, total: ids.length });
      }),
    ),
  );
  return stopped ? { outcome, stopped } : { outcome };
}

async function cachedSecUid(db: Db, clientId: string): Promise<string | null> {
  const { rows } = await db.query<{ tiktok_secuid: string | null }>(`SELECT tiktok_secuid FROM clients WHERE client_id = $1`, [clientId]);
  const secUid = rows[0]?.tiktok_secuid?.trim();
  return secUid ? secUid : null;
}

async function cacheSecUid(db: Db, clientId: string, secUid: string): Promise<void> {
  await db.query(`UPDATE clients SET tiktok_secuid = $2 WHERE client_id = $1`, [clientId, secUid]);
}
