/**
 * Which account a request names: one a test set, the demo client's, or a generated
 * one. Posts and videos are indexed as their accounts are resolved, because the
 * likes and comments routes name only the post.
 */
import { normaliseHandle } from '../../compliance/handle.js';
import { dayWindow } from '../../time/day.js';
import { type DemoAccounts, demoAccounts, demoHandles } from './demo.js';
import { generatedInstagram, generatedTiktok, prefixRule } from './generated.js';
import { displayName, numericId, secUidOf, usernameOfSecUid } from './ids.js';
import type { IgPost, IgProfile, TtProfile, TtVideo } from './model.js';
import type { FakeInstagramAccount, FakeTiktokAccount } from './types.js';

/** What a test set for an account. */
type Given<T> = T | 'missing' | 'private';

function fromInstagram(username: string, a: FakeInstagramAccount): IgProfile {
  const userId = a.userId ?? numericId(`ig-user|${username}`, 10);
  const posts: IgPost[] = a.posts.map((p) => ({
    code: p.code,
    pk: p.id ?? numericId(`ig-post|${p.code}`, 19),
    takenAt: p.takenAt,
    caption: p.caption ?? '',
    likers: [...p.likers],
    mediaType: p.isVideo ? 2 : 1,
  }));
  const isPrivate = a.isPrivate ?? false;
  return {
    username,
    userId,
    fullName: a.fullName ?? displayName(username).toUpperCase(),
    followers: a.followers ?? 1000,
    isPrivate,
    posts: isPrivate ? [] : posts.sort((x, y) => y.takenAt.getTime() - x.takenAt.getTime()),
  };
}

function fromTiktok(username: string, a: FakeTiktokAccount): TtProfile {
  const isPrivate = a.isPrivate ?? false;
  const videos: TtVideo[] = a.videos.map((v) => ({ id: v.id, createTime: v.createTime, desc: v.desc ?? '', commenters: [...v.commenters] }));
  return {
    username,
    userId: numericId(`tt-user|${username}`, 19),
    secUid: a.secUid ?? secUidOf(username),
    nickname: a.nickname ?? displayName(username).toUpperCase(),
    followers: a.followers ?? 1000,
    isPrivate,
    videos: isPrivate ? [] : videos.sort((x, y) => y.createTime.getTime() - x.createTime.getTime()),
  };
}

/** `@Name`, a profile URL or a bare name → the comparable username. */
export function usernameOf(raw: string, platform: 'instagram' | 'tiktok'): string {
  return normaliseHandle(raw, platform) ?? raw.trim().toLowerCase();
}

export class Accounts {
  private readonly instagramSet = new Map<string, Given<FakeInstagramAccount>>();
  private readonly tiktokSet = new Map<string, Given<FakeTiktokAccount>>();
  private readonly posts = new Map<string, { profile: IgProfile; post: IgPost }>();
  private readonly igUserIds = new Map<string, string>();
  private readonly videos = new Map<string, { profile: TtProfile; video: TtVideo }>();
  private readonly secUids = new Map<string, string>();
  private demo: { date: string; accounts: DemoAccounts } | null = null;

  constructor(
    private readonly now: () => Date,
    private readonly timezone: string,
  ) {}

  /** Replaces the account; its posts are indexed at once, so likes answer before any listing. */
  setInstagram(username: string, account: Given<FakeInstagramAccount>): void {
    const name = usernameOf(username, 'instagram');
    this.instagramSet.set(name, account);
    for (const [code, e] of this.posts) if (e.profile.username === name) this.posts.delete(code);
    this.instagram(name);
  }

  setTiktok(username: string, account: Given<FakeTiktokAccount>): void {
    const name = usernameOf(username, 'tiktok');
    this.tiktokSet.set(name, account);
    for (const [id, e] of this.videos) if (e.profile.username === name) this.videos.delete(id);
    this.tiktok(name);
  }

  private demoAccounts(): DemoAccounts {
    const now = this.now();
    const { date } = dayWindow(now, this.timezone);
    if (this.demo?.date !== date) this.demo = { date, accounts: demoAccounts(now, this.timezone) };
    return this.demo.accounts;
  }

  /** null: no such account. */
  instagram(usernameOrId: string): IgProfile | null {
    const raw = usernameOrId.trim();
    const username = /^\d+$/.test(raw) ? (this.igUserIds.get(raw) ?? raw) : usernameOf(raw, 'instagram');
    const profile = this.resolveInstagram(username);
    if (profile) {
      this.igUserIds.set(profile.userId, username);
      for (const post of profile.posts) this.posts.set(post.code, { profile, post });
    }
    return profile;
  }

  private resolveInstagram(username: string): IgProfile | null {
    const set = this.instagramSet.get(username);
    const rule = set === undefined ? prefixRule(username) : typeof set === 'string' ? set : null;
    if (rule === 'missing') return null;
    if (set !== undefined && typeof set !== 'string') return fromInstagram(username, set);
    if (rule === null && username === demoHandles.instagram) return this.demoAccounts().instagram;
    return generatedInstagram(username, this.now(), this.timezone, rule === 'private');
  }

  /** A post by shortcode, post URL, pk or `<pk>_<owner>`, once its account was resolved (the demo's always). */
  instagramPost(codeOrId: string): { profile: IgProfile; post: IgPost } | null {
    const raw = codeOrId.trim();
    const code = /instagram\.com\/(?:p|reel|reels|tv)\/([^/?#]+)/.exec(raw)?.[1] ?? raw;
    const find = () => this.posts.get(code) ?? [...this.posts.values()].find((e) => e.post.pk === code.split('_')[0]) ?? null;
    const found = find();
    if (found) return found;
    this.instagram(demoHandles.instagram);
    return find();
  }

  tiktok(uniqueId: string): TtProfile | null {
    const username = usernameOf(uniqueId, 'tiktok');
    const profile = this.resolveTiktok(username);
    if (profile) {
      this.secUids.set(profile.secUid, username);
      for (const video of profile.videos) this.videos.set(video.id, { profile, video });
    }
    return profile;
  }

  private resolveTiktok(username: string): TtProfile | null {
    const set = this.tiktokSet.get(username);
    const rule = set === undefined ? prefixRule(username) : typeof set === 'string' ? set : null;
    if (rule === 'missing') return null;
    if (set !== undefined && typeof set !== 'string') return fromTiktok(username, set);
    if (rule === null && username === demoHandles.tiktok) return this.demoAccounts().tiktok;
    return generatedTiktok(username, this.now(), this.timezone, rule === 'private');
  }

  /** A secUid handed out before, or one of the fake's own form (it names the account). */
  tiktokBySecUid(secUid: string): TtProfile | null {
    const username = this.secUids.get(secUid) ?? usernameOfSecUid(secUid);
    if (username === null) return null;
    const profile = this.tiktok(username);
    return profile?.secUid === secUid ? profile : null;
  }

  tiktokVideo(videoId: string): { profile: TtProfile; video: TtVideo } | null {
    const found = this.videos.get(videoId.trim());
    if (found) return found;
    this.tiktok(demoHandles.tiktok);
    return this.videos.get(videoId.trim()) ?? null;
  }
}
