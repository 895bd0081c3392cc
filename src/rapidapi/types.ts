/** What the services' answers are read into: plain data, no service's field names. */

/** A post or video as listed; the storage's FetchedPost has the same shape. */
export interface ListedPost {
  /** Instagram shortcode / TikTok video id. */
  id: string;
  createdAt: Date;
  caption: string | null;
  likeCount: number | null;
  commentCount: number | null;
  isVideo?: boolean;
  imageUrl?: string | null;
  videoUrl?: string | null;
  thumbnailUrl?: string | null;
  imagesUrl?: string[] | null;
  isCarousel?: boolean;
  /** Instagram's own ids and counters, for the ig_ext_* tables. */
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

/** A liker or commenter. */
export interface Person {
  username: string;
  userId?: string | null;
  fullName?: string | null;
  isPrivate?: boolean | null;
  isVerified?: boolean | null;
  profilePicUrl?: string | null;
}

/** An account as its profile shows it. */
export interface Profile {
  platform: 'instagram' | 'tiktok';
  userId: string | null;
  username: string;
  fullName: string | null;
  biography: string | null;
  followers: number | null;
  following: number | null;
  posts: number | null;
  profilePicUrl: string | null;
  profilePicUrlHd: string | null;
  isPrivate: boolean;
  isVerified: boolean | null;
  isBusiness: boolean | null;
  category: string | null;
  accountType: number | null;
  externalUrl: string | null;
  publicEmail: string | null;
  publicPhoneNumber: string | null;
  totalIgtvVideos: number | null;
  latestReelMedia: number | null;
  /** TikTok's account key for listing videos. */
  secUid: string | null;
}
