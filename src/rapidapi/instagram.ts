/**
 * The Instagram service (social-api4): an account's posts, a post's likers, a profile.
 * Field names as in the reference (§6); anything missing reads as null.
 */
import { RapidApiError } from './errors.js';
import type { RapidApi } from './http.js';
import { arr, bool, cursor, type Json, list, num, obj, str, top, unixTime } from './json.js';
import { type Listing, noCursor, readPages } from './pages.js';
import type { ListedPost, Person, Profile } from './types.js';

function listedPost(item: Json): ListedPost | null {
  const code = str(item.code);
  const createdAt = unixTime(item.taken_at);
  if (!code || !createdAt) return null;
  const images = (arr(obj(item.image_versions)?.items) ?? [])
    .map((i) => str(obj(i)?.url))
    .filter((u): u is string => u !== null);
  const carousel = (arr(item.carousel_media) ?? [])
    .map((m) => str(obj(arr(obj(obj(m)?.image_versions)?.items)?.[0])?.url))
    .filter((u): u is string => u !== null);
  const owner = obj(item.user);
  const isVideo = bool(item.is_video) ?? num(item.media_type) === 2;
  return {
    id: code,
    createdAt,
    caption: str(obj(item.caption)?.text) ?? (typeof item.caption === 'string' ? item.caption : null),
    likeCount: num(item.like_count),
    commentCount: num(item.comment_count),
    isVideo,
    imageUrl: images[0] ?? carousel[0] ?? null,
    videoUrl: str(obj(arr(item.video_versions)?.[0])?.url),
    thumbnailUrl: str(item.thumbnail_url) ?? images[0] ?? null,
    imagesUrl: carousel.length > 0 ? carousel : null,
    isCarousel: carousel.length > 0 || num(item.media_type) === 8,
    ext: {
      postId: str(item.id) ?? str(item.pk) ?? code,
      ownerId: str(owner?.pk) ?? str(owner?.id),
      ownerUsername: str(owner?.username),
      mediaType: num(item.media_type),
      isPinned: bool(item.is_pinned) ?? false,
      viewCount: num(item.view_count),
      playCount: num(item.play_count),
      shareCount: num(item.share_count),
      saveCount: num(item.save_count),
    },
  };
}

/**
 * The account's posts published at or after `since`, newest first. Complete once a
 * post older than `since` (not pinned: pinned posts head the list whatever their age)
 * or the last page is reached.
 */
export function instagramPosts(api: RapidApi, username: string, since: Date, pageLimit: number): Promise<Listing<ListedPost>> {
  return readPages(pageLimit, async (token) => {
    const body = top(await api.get('/v1/posts', { username_or_id_or_url: username, pagination_token: token ?? undefined }), 'posts');
    const data = obj(body.data);
    const items = list(data?.items, 'posts');
    if (items.length === 0 && bool(obj(data?.user)?.is_private) === true) {
      throw new RapidApiError('private', `@${username} is a private account`);
    }
    const posts = items.map((i) => obj(i)).flatMap((i) => (i ? [listedPost(i)] : [])).filter((p) => p !== null);
    const older = posts.some((p) => p.createdAt < since && !p.ext?.isPinned);
    const more = bool(body.has_more ?? data?.has_more);
    const next = more === false ? null : cursor(body.pagination_token ?? data?.pagination_token);
    return {
      items: posts.filter((p) => p.createdAt >= since),
      next,
      enough: older,
      seen: items.length,
      ...(more === true && next === null ? { broken: noCursor('posts') } : {}),
    };
  });
}

function person(item: Json): Person | null {
  const username = str(item.username);
  if (!username) return null;
  return {
    username,
    userId: str(item.pk) ?? str(item.id),
    fullName: str(item.full_name),
    isPrivate: bool(item.is_private),
    isVerified: bool(item.is_verified),
    profilePicUrl: str(item.profile_pic_url),
  };
}

/** Everyone who liked the post, page by page until the service has no next page. */
export function instagramLikers(api: RapidApi, shortcode: string, pageLimit: number): Promise<Listing<Person>> {
  return readPages(pageLimit, async (from) => {
    const body = top(await api.get('/v1/likes', { code_or_id_or_url: shortcode, cursor: from ?? undefined }), 'likes');
    const data = obj(body.data);
    const items = list(data?.items, 'likes');
    const more = bool(data?.has_more);
    const next = more === false ? null : cursor(data?.next_cursor ?? data?.end_cursor ?? body.pagination_token);
    return {
      items: items.map((i) => obj(i)).flatMap((i) => (i ? [person(i)] : [])).filter((p) => p !== null),
      next,
      ...(more === true && next === null ? { broken: noCursor('likes') } : {}),
    };
  });
}

/** The account's profile; a `not-found` failure when there is no such account. */
export async function instagramProfile(api: RapidApi, username: string): Promise<Profile> {
  const body = top(await api.get('/v1/info', { username_or_id_or_url: username }), 'profile');
  // Only an explicit `data: null` says there is no such account; any other shape is unreadable.
  if (body.data === null) throw new RapidApiError('not-found', `no Instagram account @${username}`);
  const data = obj(body.data);
  const found = data ? str(data.username) : null;
  if (!data || !found) throw new RapidApiError('malformed', 'the answer for profile held no account');
  return {
    platform: 'instagram',
    userId: str(data.pk) ?? str(data.id),
    username: found,
    fullName: str(data.full_name),
    biography: str(data.biography),
    followers: num(data.follower_count ?? data.followers_count),
    following: num(data.following_count),
    posts: num(data.media_count ?? data.posts_count),
    profilePicUrl: str(data.profile_pic_url),
    profilePicUrlHd: str(data.profile_pic_url_hd),
    isPrivate: bool(data.is_private) ?? false,
    isVerified: bool(data.is_verified),
    isBusiness: bool(data.is_business),
    category: str(data.category_name ?? data.category),
    accountType: num(data.account_type),
    externalUrl: str(data.external_url),
    publicEmail: str(data.public_email),
    publicPhoneNumber: str(data.public_phone_number),
    totalIgtvVideos: num(data.total_igtv_videos),
    latestReelMedia: num(data.latest_reel_media),
    secUid: null,
  };
}
