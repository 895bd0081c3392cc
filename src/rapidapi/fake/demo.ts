/**
 * The demo client's accounts serve the demo organisation's own posts (same shortcodes
 * and video ids as `cicero seed demo`), with likers the seed does not have yet and one
 * post it does not know, so a fetch after the seed visibly changes something.
 */
import { handleOfEntry, normaliseHandle, type Platform } from '../../compliance/handle.js';
import { buildDemoOrganisation, type DemoOrganisation, type DemoPost } from '../../seed/demo-organisation.js';
import { dayWindow } from '../../time/day.js';
import { drawHandles, numericId, randomFor, secUidOf } from './ids.js';
import type { IgPost, IgProfile, TtProfile, TtVideo } from './model.js';

/** Share of the demo members' handles added as new likers/commenters of each post. */
const NEW_ENGAGEMENT = 0.1;

export interface DemoAccounts {
  instagram: IgProfile;
  tiktok: TtProfile;
}

export const demoHandles = (() => {
  const { client } = buildDemoOrganisation(new Date(0), 'UTC');
  return { instagram: normaliseHandle(client.client_insta, 'instagram')!, tiktok: normaliseHandle(client.client_tiktok, 'tiktok')! };
})();

function memberHandles(org: DemoOrganisation, platform: Platform): string[] {
  const handles = org.members
    .filter((m) => m.status)
    .map((m) => normaliseHandle(platform === 'instagram' ? m.insta : m.tiktok, platform));
  return [...new Set(handles.filter((h): h is string => h !== null))];
}

/**
 * The post's engagement as the seed stored it plus ~10% of the members who had not
 * engaged; a post the seed left unfetched (or does not have) gets a fresh share.
 */
function engagement(post: DemoPost | null, key: string, members: string[], platform: Platform): string[] {
  const random = randomFor(`demo|${key}`);
  const stored = post?.engagement
    ? post.engagement.map((e) => handleOfEntry(e, platform)).filter((h): h is string => h !== null)
    : drawHandles(random, Math.round(members.length * 0.5), members);
  const had = new Set(stored);
  const fresh = drawHandles(random, Math.round(members.length * NEW_ENGAGEMENT), members.filter((h) => !had.has(h)));
  return [...fresh, ...stored];
}

function instagram(org: DemoOrganisation, yesterday: DemoOrganisation, at: Date): IgProfile {
  const members = memberHandles(org, 'instagram');
  const seeded = org.instaPosts;
  const extraCode = seeded[0]!.id.replace(/IG\d+$/, `IG${seeded.length + 1}`);
  const post = (p: DemoPost | null, code: string, takenAt: Date, caption: string): IgPost => ({
    code,
    pk: numericId(`ig-post|${code}`, 19),
    takenAt,
    caption,
    likers: engagement(p, code, members, 'instagram'),
    mediaType: 1,
  });
  // The new post first: on a tie with the seed's latest, the stable sort keeps it newest.
  const posts = [
    post(null, extraCode, at, 'Kegiatan terbaru POLRES DEMO'),
    ...seeded.map((p) => post(p, p.id, new Date(p.created_at), p.caption)),
    ...yesterday.instaPosts.slice(-2).map((p) => post(p, p.id, new Date(p.created_at), p.caption)),
  ];
  return {
    username: demoHandles.instagram,
    userId: numericId(`ig-user|${demoHandles.instagram}`, 10),
    fullName: org.client.nama,
    followers: 12_500,
    isPrivate: false,
    posts: posts.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime()),
  };
}

function tiktok(org: DemoOrganisation, yesterday: DemoOrganisation, at: Date): TtProfile {
  const members = memberHandles(org, 'tiktok');
  const seeded = org.tiktokPosts;
  const extraId = `${seeded[0]!.id.slice(0, -8)}${String(seeded.length + 1).padStart(8, '0')}`;
  const video = (p: DemoPost | null, id: string, createTime: Date, desc: string): TtVideo => ({
    id,
    createTime,
    desc,
    commenters: engagement(p, id, members, 'tiktok'),
  });
  const videos = [
    video(null, extraId, at, 'Video terbaru POLRES DEMO'),
    ...seeded.map((p) => video(p, p.id, new Date(p.created_at), p.caption)),
    ...yesterday.tiktokPosts.slice(-2).map((p) => video(p, p.id, new Date(p.created_at), p.caption)),
  ];
  return {
    username: demoHandles.tiktok,
    userId: numericId(`tt-user|${demoHandles.tiktok}`, 19),
    secUid: secUidOf(demoHandles.tiktok),
    nickname: org.client.nama,
    followers: 8_300,
    isPrivate: false,
    videos: videos.sort((a, b) => b.createTime.getTime() - a.createTime.getTime()),
  };
}

/**
 * Built with the first `now` of the day and kept for the day, so post times do not
 * shift between fetches; the new post is published at that moment.
 */
export function demoAccounts(now: Date, timezone: string): DemoAccounts {
  const org = buildDemoOrganisation(now, timezone);
  // Any moment of yesterday gives yesterday's ids; its last minute spreads its posts over the whole day.
  const yesterday = buildDemoOrganisation(new Date(dayWindow(now, timezone).start.getTime() - 60_000), timezone);
  return { instagram: instagram(org, yesterday, now), tiktok: tiktok(org, yesterday, now) };
}
