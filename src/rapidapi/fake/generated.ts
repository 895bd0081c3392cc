/**
 * Accounts nobody set: generated from the username and the day, so "today" has posts
 * whenever a client asks, and yesterday's posts show where today ends.
 */
import { DateTime } from 'luxon';
import { dayWindow } from '../../time/day.js';
import { commentText, displayName, drawHandles, numericId, randomFor, secUidOf, shortcodeOf } from './ids.js';
import type { IgPost, IgProfile, TtProfile, TtVideo } from './model.js';

/** Jakarta-style posting times; the first right after midnight so today is never empty for long. */
const IG_SLOTS = ['00:05', '07:10', '10:30', '15:45'];
const TT_SLOTS = ['00:10', '08:20', '13:05', '19:30'];
/** Yesterday's posts served: the last two of its slots. */
const YESTERDAY = 2;

const CAPTIONS = [
  'Patroli dialogis bersama warga',
  'Pengamanan kegiatan masyarakat',
  'Sosialisasi kamtibmas di sekolah',
  'Bakti sosial untuk warga sekitar',
  'Apel pagi dan pengecekan personel',
];

/** Missing and private accounts on demand: no set-up needed to show either case. */
export function prefixRule(username: string): 'missing' | 'private' | null {
  if (username.startsWith('tidakada')) return 'missing';
  if (username.startsWith('privat')) return 'private';
  return null;
}

/** The slots of today and the last ones of yesterday that are not after `now`, newest first. */
function slotTimes(slots: string[], now: Date, timezone: string): Array<{ date: string; slot: string; at: Date }> {
  const today = dayWindow(now, timezone);
  const yesterday = dayWindow(new Date(today.start.getTime() - 1), timezone).date;
  const days = [
    ...slots.slice(-YESTERDAY).map((slot) => ({ date: yesterday, slot })),
    ...slots.map((slot) => ({ date: today.date, slot })),
  ];
  return days
    .map((d) => ({ ...d, at: DateTime.fromISO(`${d.date}T${d.slot}`, { zone: timezone }).toJSDate() }))
    .filter((d) => d.at <= now)
    .reverse();
}

export function generatedInstagram(username: string, now: Date, timezone: string, isPrivate: boolean): IgProfile {
  const posts: IgPost[] = slotTimes(IG_SLOTS, now, timezone).map(({ date, slot, at }) => {
    const code = shortcodeOf(`ig|${username}|${date}|${slot}`);
    const random = randomFor(`ig-likers|${code}`);
    const k = IG_SLOTS.indexOf(slot);
    return {
      code,
      pk: numericId(`ig-post|${code}`, 19),
      takenAt: at,
      caption: `${random.pick(CAPTIONS)} #${username}`,
      likers: drawHandles(random, random.int(25, 140)),
      mediaType: k === 2 ? 2 : k === 1 ? 8 : 1,
    };
  });
  return {
    username,
    userId: numericId(`ig-user|${username}`, 10),
    fullName: displayName(username).toUpperCase(),
    followers: randomFor(`ig-followers|${username}`).int(1500, 90_000),
    isPrivate,
    posts: isPrivate ? [] : posts,
  };
}

export function generatedTiktok(username: string, now: Date, timezone: string, isPrivate: boolean): TtProfile {
  const videos: TtVideo[] = slotTimes(TT_SLOTS, now, timezone).map(({ date, slot, at }) => {
    const id = `7${numericId(`tt|${username}|${date}|${slot}`, 18)}`;
    const random = randomFor(`tt-commenters|${id}`);
    const commenters = drawHandles(random, random.int(10, 70));
    // Some people comment more than once: clients must count them once.
    const again = drawHandles(random, random.int(0, 5), commenters);
    return { id, createTime: at, desc: `${random.pick(CAPTIONS)} #${username}`, commenters: [...commenters, ...again] };
  });
  return {
    username,
    userId: numericId(`tt-user|${username}`, 19),
    secUid: secUidOf(username),
    nickname: displayName(username).toUpperCase(),
    followers: randomFor(`tt-followers|${username}`).int(800, 60_000),
    isPrivate,
    videos: isPrivate ? [] : videos,
  };
}

/** A comment's text, id and time: derived from the video and its place in the list. */
export function commentOf(videoId: string, index: number, createTime: Date): { cid: string; text: string; at: Date } {
  const random = randomFor(`tt-comment|${videoId}|${index}`);
  return { cid: numericId(`tt-cid|${videoId}|${index}`, 19), text: commentText(random), at: new Date(createTime.getTime() + (index + 1) * 37_000) };
}
