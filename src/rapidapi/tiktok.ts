/**
 * The TikTok service (tiktok-api23): an account's secUid and profile, its videos, a
 * video's commenters. Field names as in the reference (§6).
 */
import { RapidApiError } from './errors.js';
import type { RapidApi } from './http.js';
import { arr, bool, cursor, type Json, num, obj, str, top, unixTime } from './json.js';
import { type Listing, noCursor, readPages } from './pages.js';
import type { ListedPost, Person, Profile } from './types.js';

/** TikTok's statusCode for an account that does not exist, and for a private one. */
const NO_SUCH_USER = new Set([10201, 10202]);
const PRIVATE = 10222;

function failIfStatus(body: Json, what: string): void {
  const status = num(body.statusCode ?? body.status_code);
  if (status === null || status === 0) return;
  if (status === PRIVATE) throw new RapidApiError('private', `${what} is private`);
  if (NO_SUCH_USER.has(status)) throw new RapidApiError('not-found', `${what} does not exist`);
}

/** The account's profile and secUid; a `not-found` failure when there is no such account. */
export async function tiktokProfile(api: RapidApi, handle: string): Promise<Profile> {
  const body = top(await api.get('/api/user/info', { uniqueId: handle }), 'user info');
  failIfStatus(body, `@${handle}`);
  const info = obj(body.userInfo);
  const user = obj(info?.user);
  const username = user ? str(user.uniqueId) : null;
  // Without TikTok's own "no such user" status, a missing userInfo is an unreadable answer.
  if (!user || !username) throw new RapidApiError('malformed', 'the answer for user info held no account');
  const stats = obj(info?.stats);
  return {
    platform: 'tiktok',
    userId: str(user.id),
    username,
    fullName: str(user.nickname),
    biography: str(user.signature),
    followers: num(stats?.followerCount),
    following: num(stats?.followingCount),
    posts: num(stats?.videoCount),
    profilePicUrl: str(user.avatarThumb),
    profilePicUrlHd: str(user.avatarLarger),
    isPrivate: bool(user.privateAccount) ?? false,
    isVerified: bool(user.verified),
    isBusiness: null,
    category: null,
    accountType: null,
    externalUrl: null,
    publicEmail: null,
    publicPhoneNumber: null,
    totalIgtvVideos: null,
    latestReelMedia: null,
    secUid: str(user.secUid),
  };
}

function listedVideo(item: Json): ListedPost | null {
  const id = str(item.id ?? item.video_id ?? item.aweme_id);
  const createdAt = unixTime(item.createTime ?? item.create_time);
  if (!id || !createdAt) return null;
  const stats = obj(item.stats ?? item.statistics);
  return {
    id,
    createdAt,
    caption: str(item.desc),
    likeCount: num(stats?.diggCount ?? stats?.digg_count),
    commentCount: num(stats?.commentCount ?? stats?.comment_count),
    isVideo: true,
    ext: { postId: id, isPinned: bool(item.isPinnedItem) ?? false },
  };
}

/** The account's videos published at or after `since`, newest first (pinned ones aside). */
export function tiktokVideos(api: RapidApi, secUid: string, since: Date, pageLimit: number): Promise<Listing<ListedPost>> {
  return readPages(pageLimit, async (from) => {
    const body = top(await api.get('/api/user/posts', { secUid, count: 35, cursor: from ?? '0' }), 'videos');
    failIfStatus(body, 'the account');
    const data = obj(body.data) ?? body;
    const items = arr(data.itemList ?? data.items ?? data.videos);
    if (!items) throw new RapidApiError('malformed', 'the answer for videos held no list');
    const videos = items.map((i) => obj(i)).flatMap((i) => (i ? [listedVideo(i)] : [])).filter((v) => v !== null);
    const more = bool(data.hasMore ?? data.has_more) === true;
    const next = more ? cursor(data.cursor) : null;
    return {
      items: videos.filter((v) => v.createdAt >= since),
      next,
      enough: videos.some((v) => v.createdAt < since && !v.ext?.isPinned),
      seen: items.length,
      ...(more && next === null ? { broken: noCursor('videos') } : {}),
    };
  });
}

function commenter(item: Json): Person | null {
  const user = obj(item.user);
  const username = str(user?.unique_id ?? user?.uniqueId);
  if (!user || !username) return null;
  return { username, userId: str(user.uid ?? user.id), fullName: str(user.nickname) };
}

/** Everyone who commented on the video (one entry per comment; the storage merges them). */
export function tiktokCommenters(api: RapidApi, videoId: string, pageLimit: number): Promise<Listing<Person>> {
  return readPages(pageLimit, async (next) => {
    const body = top(await api.get('/api/post/comments', { videoId, count: 50, cursor: next ?? '0' }), 'comments');
    if (num(body.statusCode) === 10204) throw new RapidApiError('not-found', `video ${videoId} does not exist`);
    const data = obj(body.data) ?? body;
    const comments = arr(data.comments);
    if (!comments) {
      // TikTok answers a video without comments with `comments: null`.
      if (data.comments === null) return { items: [], next: null };
      throw new RapidApiError('malformed', 'the answer for comments held no list');
    }
    const nextCursor = cursor(data.cursor);
    const hasMore = bool(data.has_more ?? data.hasMore);
    const total = num(data.total);
    // Without has_more, the cursor moving past the total ends it.
    const more = hasMore ?? (nextCursor !== null && total !== null && Number(nextCursor) < total);
    return {
      items: comments.map((c) => obj(c)).flatMap((c) => (c ? [commenter(c)] : [])).filter((p) => p !== null),
      next: more ? nextCursor : null,
      ...(more && nextCursor === null ? { broken: noCursor('comments') } : {}),
    };
  });
}
