/**
 * The storage side of a fetch run (issue 13): a client's posts of one day, and the
 * likers/commenters of each post, written so that what was stored once is never lost
 * to a later, poorer answer of the API. Posts: store-posts.ts; engagement:
 * store-engagement.ts (the matching it triggers: migrations 004 and 011).
 */
export type { Platform } from '../compliance/handle.js';
export { mergeEngagement } from './store-engagement.js';
export { dayPostIds, storePosts } from './store-posts.js';

/** A post or video as the API lists it; fields left out (or null) keep what is stored. */
export type { ListedPost as FetchedPost } from '../rapidapi/types.js';

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
export type { Person as Engager } from '../rapidapi/types.js';

export interface EngagementStored {
  /** Handles stored by this merge (not stored before). */
  added: number;
  /** Handles the post now holds. */
  total: number;
}
