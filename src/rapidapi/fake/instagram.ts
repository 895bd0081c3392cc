/** The Instagram service (social-api4): /v1/posts, /v1/likes, /v1/info. */
import { displayName, numericId, pictureUrl, randomFor } from './ids.js';
import type { IgPost, IgProfile } from './model.js';
import { offsetOfToken, ok, pageOf, type Reply, type Route, tokenOf, unixSeconds } from './paging.js';

const NOT_FOUND: Reply = { status: 404, body: { detail: 'Not found' } };
const required = (name: string): Reply => ({ status: 422, body: { detail: `${name} is required` } });
const BAD_TOKEN: Reply = { status: 400, body: { detail: 'Invalid pagination token' } };

function owner(p: IgProfile) {
  return {
    pk: p.userId,
    id: p.userId,
    username: p.username,
    full_name: p.fullName,
    is_private: p.isPrivate,
    is_verified: false,
    profile_pic_url: pictureUrl('ig', p.userId),
  };
}

function item(post: IgPost, profile: IgProfile) {
  const image = `https://picsum.photos/seed/${post.code}/1080/1350`;
  const video = post.mediaType === 2;
  return {
    id: `${post.pk}_${profile.userId}`,
    pk: post.pk,
    code: post.code,
    taken_at: unixSeconds(post.takenAt),
    caption: { text: post.caption },
    // The real service's count lags the likers it lists.
    like_count: Math.floor(post.likers.length * 0.9),
    comment_count: Math.floor(post.likers.length / 7),
    is_video: video,
    media_type: post.mediaType,
    image_versions: { items: [{ url: image, width: 1080, height: 1350 }] },
    ...(video ? { video_versions: [{ url: `https://example.invalid/video/${post.code}.mp4` }] } : {}),
    thumbnail_url: image,
    ...(video ? { play_count: post.likers.length * 11 } : {}),
    user: owner(profile),
  };
}

export const posts: Route = ({ accounts, query, emptyPage, postsPerPage }) => {
  const name = query.username_or_id_or_url;
  if (!name) return required('username_or_id_or_url');
  const profile = accounts.instagram(name);
  if (!profile) return NOT_FOUND;
  const offset = offsetOfToken(query.pagination_token);
  if (offset === null) return BAD_TOKEN;
  const page = pageOf(profile.posts, offset, postsPerPage, emptyPage);
  return ok({
    data: { count: page.items.length, items: page.items.map((p) => item(p, profile)), user: owner(profile) },
    pagination_token: page.next === null ? null : tokenOf(page.next),
  });
};

export const likes: Route = ({ accounts, query, emptyPage, likersPerPage }) => {
  const code = query.code_or_id_or_url;
  if (!code) return required('code_or_id_or_url');
  const found = accounts.instagramPost(code);
  if (!found) return NOT_FOUND;
  const offset = offsetOfToken(query.cursor);
  if (offset === null) return BAD_TOKEN;
  const { likers } = found.post;
  const page = pageOf(likers, offset, likersPerPage, emptyPage);
  const items = page.items.map((username) => {
    const pk = numericId(`ig-liker|${username}`, 11);
    return { id: pk, pk, username, full_name: displayName(username), is_private: false, is_verified: false, profile_pic_url: pictureUrl('ig', pk) };
  });
  return ok({
    data: { count: items.length, items, total: likers.length, next_cursor: page.next === null ? null : tokenOf(page.next) },
  });
};

export const info: Route = ({ accounts, query }) => {
  const name = query.username_or_id_or_url;
  if (!name) return required('username_or_id_or_url');
  const p = accounts.instagram(name);
  if (!p) return NOT_FOUND;
  const random = randomFor(`ig-info|${p.username}`);
  return ok({
    data: {
      ...owner(p),
      biography: `Akun resmi ${p.fullName}`,
      follower_count: p.followers,
      following_count: random.int(20, 900),
      media_count: p.posts.length + random.int(100, 2000),
      profile_pic_url_hd: `https://picsum.photos/seed/ig-${p.userId}/1080/1080`,
      is_business: !p.isPrivate,
      category_name: p.isPrivate ? null : 'Government Organization',
      account_type: 1,
      external_url: null,
      public_email: null,
      public_phone_number: null,
      total_igtv_videos: 0,
      latest_reel_media: 0,
    },
  });
};
