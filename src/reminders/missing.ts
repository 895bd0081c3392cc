/**
 * What a member still has to do today, from the day's engagement of their client. Pure.
 * Only posts whose likers/commenters were fetched count (a post never fetched cannot
 * say who is missing); a member without a handle on a platform is missing all of them,
 * and is told to set the handle.
 */
import { type EngagementDay, PLATFORM_OF } from '../compliance/engagement.js';
import type { MissingPosts } from './texts.js';

export function missingPosts(userId: string, days: readonly EngagementDay[]): MissingPosts[] {
  const missing: MissingPosts[] = [];
  for (const day of days) {
    const member = day.members.find((m) => m.userId === userId);
    if (!member || member.exception) continue;
    const engaged = new Set(member.engaged);
    const urls = day.posts.flatMap((post, i) => (post.fetched && !engaged.has(i) ? [post.url] : []));
    if (urls.length > 0) missing.push({ platform: PLATFORM_OF[day.source], urls, noHandle: member.handle === null });
  }
  return missing;
}

/** The latest complete fetch among the days the member is reminded of. */
export function dataTime(days: readonly EngagementDay[]): Date | null {
  const stamps = days.flatMap((d) => (d.lastUpdated ? [d.lastUpdated.getTime()] : []));
  return stamps.length > 0 ? new Date(Math.max(...stamps)) : null;
}
