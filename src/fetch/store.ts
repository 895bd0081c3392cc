/**
 * The storage side of a fetch run (issue 13): a client's posts of one day, and the
 * likers/commenters of each post, written so that what was stored once is never lost
 * to a later, poorer answer of the API. Posts: store-posts.ts; engagement:
 * store-engagement.ts (the matching it triggers: migrations 004 and 011).
 */
export type { Platform } from '../compliance/handle.js';
export { mergeEngagement } from './store-engagement.js';
export { dayPostIds, storePosts } from './store-posts.js';

/** A post or video as the API lists it. */
export interface FetchedPost {
  /** Instagram shortcode / TikTok video id. */
  id: string;
  /** Publish time. */
  createdAt: Date;
  caption: string | null;
  likeCount: number | null;
  commentCount: number | null;
  // Instagram only; left out = keep what is stored.
  isVideo?: boolean;
  imageUrl?: string | null;
  videoUrl?: string | null;
  thumbnailUrl?: string | null;
  imagesUrl?: string[] | null;
  isCarousel?: boolean;
  /** Instagram's own ids and counters → ig_ext_users, ig_ext_posts, ig_post_metrics. */
  ext?: {
    postId: string;
    ownerId?: string | null;
    ownerUsername?: string | null;
    mediaType?: number | null;
    isPinned?: boolean;
    viewCount?: number | null;
    playCount?: number | null;
    shareCount?: number | null;
    saveCount?: number | null;
  };
}

export interface PostsStored {
  /** Posts of the day in the listing. */
  found: number;
  new: number;
  /** Stored before and changed (caption, counts, media…). */
  updated: number;
  /** Marked removed by this (complete) listing. */
  removed: number;
  /** Marked removed before and listed again. */
  restored: number;
}

/** A liker or commenter. */
export interface Engager {
  username: string;
  userId?: string | null;
  fullName?: string | null;
  isPrivate?: boolean | null;
  isVerified?: boolean | null;
  profilePicUrl?: string | null;
}

export interface EngagementStored {
  /** Handles stored by this merge (not stored before). */
  added: number;
  /** Handles the post now holds. */
  total: number;
}
