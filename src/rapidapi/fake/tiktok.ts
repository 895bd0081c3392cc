/** The TikTok service (tiktok-api23): /api/user/info, /api/user/posts, /api/post/comments. */
import { commentOf } from './generated.js';
import { displayName, numericId, pictureUrl, randomFor } from './ids.js';
import type { TtProfile, TtVideo } from './model.js';
import { intParam, ok, pageOf, type Reply, type Route, unixSeconds } from './paging.js';

const required = (name: string): Reply => ({ status: 400, body: { message: `${name} is required` } });
const noVideos = (statusCode: number, statusMsg?: string): Reply =>
  ok({ data: { itemList: [], hasMore: false, cursor: '0' }, statusCode, ...(statusMsg ? { statusMsg } : {}) });

export const userInfo: Route = ({ accounts, query }) => {
  if (!query.uniqueId) return required('uniqueId');
  const p = accounts.tiktok(query.uniqueId);
  if (!p) return ok({ statusCode: 10202, statusMsg: 'user not exist' });
  const random = randomFor(`tt-info|${p.username}`);
  return ok({
    userInfo: {
      user: {
        id: p.userId,
        uniqueId: p.username,
        nickname: p.nickname,
        avatarThumb: pictureUrl('tt', p.userId),
        secUid: p.secUid,
        privateAccount: p.isPrivate,
        verified: false,
      },
      stats: {
        followerCount: p.followers,
        followingCount: random.int(10, 500),
        heart: random.int(10_000, 900_000),
        videoCount: p.videos.length + random.int(50, 900),
      },
    },
    statusCode: 0,
  });
};

function item(v: TtVideo, p: TtProfile) {
  const comments = v.commenters.length;
  return {
    id: v.id,
    desc: v.desc,
    createTime: unixSeconds(v.createTime),
    stats: { diggCount: comments * 6, commentCount: comments, playCount: comments * 60, shareCount: Math.floor(comments / 3) },
    author: { uniqueId: p.username, secUid: p.secUid },
  };
}

export const userPosts: Route = ({ accounts, query, emptyPage, videosPerPage }) => {
  const p = query.secUid ? accounts.tiktokBySecUid(query.secUid) : query.uniqueId ? accounts.tiktok(query.uniqueId) : undefined;
  if (p === undefined) return required('secUid');
  if (!p) return noVideos(10201);
  if (p.isPrivate) return noVideos(10222, 'private account');
  const offset = intParam(query.cursor, 0);
  const size = Math.min(Math.max(1, intParam(query.count, 35)), 35, videosPerPage);
  const page = pageOf(p.videos, offset, size, emptyPage);
  return ok({
    data: {
      itemList: page.items.map((v) => item(v, p)),
      hasMore: page.next !== null,
      cursor: String(page.next ?? offset + page.items.length),
    },
  });
};

export const comments: Route = ({ accounts, query, emptyPage, commentsPerPage }) => {
  if (!query.videoId) return required('videoId');
  const found = accounts.tiktokVideo(query.videoId);
  if (!found) return ok({ data: { comments: [], cursor: 0, has_more: 0, total: 0 }, statusCode: 10204 });
  const { video } = found;
  const offset = intParam(query.cursor, 0);
  const size = Math.min(Math.max(1, intParam(query.count, 50)), 50, commentsPerPage);
  const indexes = video.commenters.map((_, i) => i);
  const page = pageOf(indexes, offset, size, emptyPage);
  return ok({
    data: {
      comments: page.items.map((i) => {
        const handle = video.commenters[i]!;
        const { cid, text, at } = commentOf(video.id, i, video.createTime);
        return {
          cid,
          text,
          create_time: unixSeconds(at),
          user: { uid: numericId(`tt-commenter|${handle}`, 19), unique_id: handle, nickname: displayName(handle) },
        };
      }),
      cursor: page.next ?? offset + page.items.length,
      has_more: page.next === null ? 0 : 1,
      total: video.commenters.length,
    },
  });
};
