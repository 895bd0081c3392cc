/** The fake's accounts once resolved: what the routes render, whatever their source. */

export interface IgPost {
  code: string;
  pk: string;
  takenAt: Date;
  caption: string;
  likers: string[];
  /** 1 image, 2 video, 8 carousel. */
  mediaType: 1 | 2 | 8;
}

export interface IgProfile {
  username: string;
  userId: string;
  fullName: string;
  followers: number;
  isPrivate: boolean;
  /** Newest first; empty for a private account. */
  posts: IgPost[];
}

export interface TtVideo {
  id: string;
  createTime: Date;
  desc: string;
  /** One comment per entry. */
  commenters: string[];
}

export interface TtProfile {
  username: string;
  userId: string;
  secUid: string;
  nickname: string;
  followers: number;
  isPrivate: boolean;
  /** Newest first; empty for a private account. */
  videos: TtVideo[];
}
