/** What a fetch run needs from the database (src/fetch/store*.ts), as one port tests can wrap. */
import type { Platform } from '../compliance/handle.js';
import type { Db } from '../db/db.js';
import type { ListedPost, Person } from '../rapidapi/types.js';
import type { DayWindow } from '../time/day.js';
import type { EngagementStored, PostsStored } from './store.js';

export interface FetchStorage {
  storePosts(
    db: Db,
    input: { platform: Platform; clientId: string; day: DayWindow; posts: ListedPost[]; complete: boolean; at: Date },
  ): Promise<PostsStored>;
  mergeEngagement(
    db: Db,
    input: { platform: Platform; postId: string; engagers: Person[]; complete: boolean; at: Date },
  ): Promise<EngagementStored>;
  /** The client's posts of the day that are not marked removed, oldest first. */
  dayPostIds(db: Db, platform: Platform, clientId: string, day: DayWindow): Promise<string[]>;
}
