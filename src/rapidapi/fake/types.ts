/** What tests give the fake RapidAPI server, and what it records. */

export interface FakeInstagramPost {
  code: string;
  /** The media pk; derived from the code when absent. */
  id?: string;
  takenAt: Date;
  caption?: string;
  likers: string[];
  isVideo?: boolean;
}

export interface FakeInstagramAccount {
  posts: FakeInstagramPost[];
  userId?: string;
  fullName?: string;
  followers?: number;
  isPrivate?: boolean;
}

export interface FakeTiktokVideo {
  id: string;
  createTime: Date;
  desc?: string;
  /** One comment per entry: a handle listed twice commented twice. */
  commenters: string[];
}

export interface FakeTiktokAccount {
  secUid?: string;
  videos: FakeTiktokVideo[];
  nickname?: string;
  followers?: number;
  isPrivate?: boolean;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: { key: string | undefined; host: string | undefined };
  at: Date;
}

export interface FakeFault {
  path: string;
  /** Only requests whose query has these values (others may be present too). */
  query?: Record<string, string>;
  /** How many matching requests get this answer; default 1. */
  times?: number;
  status?: number;
  retryAfter?: string;
  /** Answered raw (status 200 unless `status` is given). */
  body?: string;
  /** Never answered; close() ends the connection. */
  hang?: boolean;
  /** Zero items, but the next cursor the real page would have carried, so paging continues past it. */
  emptyPage?: boolean;
}

export interface FakeOptions {
  port?: number;
  host?: string;
  key?: string;
  now?: () => Date;
  timezone?: string;
  likersPerPage?: number;
  commentsPerPage?: number;
  postsPerPage?: number;
}
