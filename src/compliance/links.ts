/**
 * Amplification: members re-post an official Instagram post on their own accounts
 * and report the links (`laporlink`). One link_report row per member and post,
 * merged per platform on resend; each link must be a post link of its platform.
 */
import type { Queryable } from '../db/db.js';
import type { DayWindow } from '../time/day.js';
import type { ComplianceClient } from './clients.js';
import { type MemberName, type MemberNameRow, memberName, sortInUnitOrder } from './member.js';

export const LINK_PLATFORMS = ['instagram', 'facebook', 'twitter', 'tiktok', 'youtube'] as const;
export type LinkPlatform = (typeof LINK_PLATFORMS)[number];

/** A post (not a profile) on each platform. */
const PATTERNS: Record<LinkPlatform, RegExp> = {
  instagram: /^https:\/\/(?:www\.|m\.)?instagram\.com\/(?:[a-z0-9._]+\/)?(?:p|reel|reels|tv)\/([A-Za-z0-9_-]+)\/?(?:[?#].*)?$/i,
  facebook:
    /^https:\/\/(?:(?:www|m|web|mbasic)\.)?(?:facebook\.com\/(?:[^/?#]+\/(?:posts|videos|photos)\/|(?:story|permalink|photo|watch)(?:\.php)?\/?\?|share\/[prv]?\/?|reel\/|groups\/[^/?#]+\/(?:posts|permalink)\/)|fb\.watch\/)\S+$/i,
  twitter: /^https:\/\/(?:(?:www|mobile)\.)?(?:twitter\.com|x\.com)\/[A-Za-z0-9_]{1,15}\/status\/\d+\S*$/i,
  tiktok: /^https:\/\/(?:(?:(?:www|m)\.)?tiktok\.com\/@[a-z0-9._]{2,24}\/(?:video|photo)\/\d+|(?:vt|vm)\.tiktok\.com\/[A-Za-z0-9]+)\/?(?:[?#].*)?$/i,
  youtube:
    /^https:\/\/(?:(?:(?:www|m)\.)?youtube\.com\/(?:watch\?(?:\S*&)?v=|shorts\/|live\/)|youtu\.be\/)[A-Za-z0-9_-]{6,}\S*$/i,
};

/** The platform of a re-post link, or null when it is none of the five (or not a post). */
export function linkPlatform(raw: string): { platform: LinkPlatform; url: string } | null {
  const trimmed = raw.trim();
  const url = /^https?:\/\//i.test(trimmed) ? trimmed.replace(/^http:/i, 'https:') : `https://${trimmed}`;
  for (const platform of LINK_PLATFORMS) {
    if (PATTERNS[platform].test(url)) return { platform, url };
  }
  return null;
}

/** The shortcode an official post link (or a bare shortcode) names. */
export function shortcodeOf(raw: string): string | null {
  const text = raw.trim();
  if (/^[A-Za-z0-9_-]{3,64}$/.test(text)) return text;
  const found = linkPlatform(text);
  if (found?.platform !== 'instagram') return null;
  return PATTERNS.instagram.exec(found.url)?.[1] ?? null;
}

export interface LinkReport {
  shortcode: string;
  userId: string;
  links: Partial<Record<LinkPlatform, string>>;
}

export type StoredLinks = Partial<Record<LinkPlatform, string>>;

export interface SavedLinkReport {
  /** Every link now stored for the post, the earlier ones merged in. */
  links: StoredLinks;
  /** What was stored before this report, or null when it is the first. */
  earlier: StoredLinks | null;
}

/**
 * Merges a member's links for a post into what they reported before, per platform:
 * a platform sent again replaces that link, the others stay (members often report one
 * platform at a time). One statement; `earlier` is read from the statement's snapshot.
 */
export async function saveLinkReport(db: Queryable, report: LinkReport): Promise<SavedLinkReport> {
  const l = report.links;
  const { rows } = await db.query<Record<`${LinkPlatform}_link`, string | null> & { earlier: Record<`${LinkPlatform}_link`, string | null> | null }>(
    `WITH earlier AS (
       SELECT instagram_link, facebook_link, twitter_link, tiktok_link, youtube_link
         FROM link_report WHERE shortcode = $1 AND user_id = $2
     )
     INSERT INTO link_report AS r (shortcode, user_id, instagram_link, facebook_link, twitter_link, tiktok_link, youtube_link)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (shortcode, user_id) DO UPDATE SET
       instagram_link = COALESCE(EXCLUDED.instagram_link, r.instagram_link),
       facebook_link = COALESCE(EXCLUDED.facebook_link, r.facebook_link),
       twitter_link = COALESCE(EXCLUDED.twitter_link, r.twitter_link),
       tiktok_link = COALESCE(EXCLUDED.tiktok_link, r.tiktok_link),
       youtube_link = COALESCE(EXCLUDED.youtube_link, r.youtube_link),
       created_at = now()
     RETURNING r.instagram_link, r.facebook_link, r.twitter_link, r.tiktok_link, r.youtube_link,
       (SELECT to_jsonb(e) FROM earlier e) AS earlier`,
    [report.shortcode, report.userId, l.instagram ?? null, l.facebook ?? null, l.twitter ?? null, l.tiktok ?? null, l.youtube ?? null],
  );
  const row = rows[0];
  if (!row) throw new Error('link_report upsert returned no row');
  return { links: linksOf(row), earlier: row.earlier ? linksOf(row.earlier) : null };
}

function linksOf(row: Partial<Record<`${LinkPlatform}_link`, string | null>>): StoredLinks {
  const links: StoredLinks = {};
  for (const platform of LINK_PLATFORMS) {
    const link = row[`${platform}_link`];
    if (link) links[platform] = link;
  }
  return links;
}

export interface OfficialPost {
  shortcode: string;
  clientId: string | null;
}

export async function findOfficialPost(db: Queryable, shortcode: string): Promise<OfficialPost | null> {
  const { rows } = await db.query<{ shortcode: string; client_id: string | null }>(
    `SELECT shortcode, client_id FROM insta_post WHERE shortcode = $1`,
    [shortcode],
  );
  const r = rows[0];
  return r ? { shortcode: r.shortcode, clientId: r.client_id } : null;
}

/** A member who reported links for the day's posts, with their distinct links per platform. */
export interface LinkMember extends MemberName {
  /** Only the platforms they reported; each link once, in the order first reported. */
  links: Partial<Record<LinkPlatform, string[]>>;
}

export interface DayLinks {
  /** The day's official posts (shortcodes), removed ones left out, in upload order. */
  posts: string[];
  /** Active members who reported at least one link for those posts, in unit order. */
  members: LinkMember[];
  /** Members who reported (`members.length`). */
  reporters: number;
  /** Active members of the client who reported nothing. */
  notReported: number;
  /** Per platform, the distinct links across all members (one URL reported by two counts once). */
  distinct: Record<LinkPlatform, number>;
}

/** Hosts whose post links carry only tracking in the query (`?igsh=…`, `?s=20`, `?is_from_webapp=1`). */
const TRACKING_QUERY = /^https:\/\/(?:[a-z]+\.)?(?:instagram\.com|tiktok\.com|twitter\.com|x\.com)\//i;

/**
 * A link as compared for duplicates: trimmed, without a trailing `/`, and for Instagram,
 * TikTok and X without the query and fragment (share links add tracking there; YouTube's
 * and Facebook's queries name the post, so they stay).
 */
export const linkKey = (url: string): string => {
  const trimmed = url.trim();
  const bare = TRACKING_QUERY.test(trimmed) ? trimmed.replace(/[?#].*$/, '') : trimmed;
  return bare.replace(/\/+$/, '');
};

/**
 * The links the client's active members reported for its posts of one day (removed posts
 * left out), per member and platform: the same link reported for two posts counts once.
 */
export async function loadDayLinks(db: Queryable, client: ComplianceClient, day: DayWindow): Promise<DayLinks> {
  const window = [client.clientId, day.start, day.end];
  const posts = await db.query<{ shortcode: string; active: number }>(
    `SELECT shortcode, (SELECT count(*)::int FROM "user" WHERE client_id = $1 AND status) AS active
       FROM insta_post
      WHERE client_id = $1 AND created_at >= $2 AND created_at < $3 AND removed_at IS NULL
      ORDER BY created_at, shortcode`,
    window,
  );
  const { rows } = await db.query<MemberNameRow & Record<`${LinkPlatform}_link`, string | null>>(
    `SELECT u.user_id, u.nama, u.title, u.divisi, u.jabatan,
            r.instagram_link, r.facebook_link, r.twitter_link, r.tiktok_link, r.youtube_link
       FROM insta_post p
       JOIN link_report r ON r.shortcode = p.shortcode
       JOIN "user" u ON u.user_id = r.user_id AND u.client_id = $1 AND u.status
      WHERE p.client_id = $1 AND p.created_at >= $2 AND p.created_at < $3 AND p.removed_at IS NULL
      ORDER BY p.created_at, p.shortcode, r.created_at, r.user_id`,
    window,
  );
  const byUser = new Map<string, { member: LinkMember; seen: Set<string> }>();
  const everyone: Record<LinkPlatform, Set<string>> = {
    instagram: new Set(),
    facebook: new Set(),
    twitter: new Set(),
    tiktok: new Set(),
    youtube: new Set(),
  };
  for (const r of rows) {
    for (const platform of LINK_PLATFORMS) {
      const raw = r[`${platform}_link`];
      const link = raw ? linkKey(raw) : '';
      if (link === '') continue;
      let entry = byUser.get(r.user_id);
      if (!entry) {
        entry = { member: { ...memberName(r), links: {} }, seen: new Set() };
        byUser.set(r.user_id, entry);
      }
      everyone[platform].add(link);
      const key = `${platform} ${link}`;
      if (entry.seen.has(key)) continue;
      entry.seen.add(key);
      const list = entry.member.links[platform];
      if (list) list.push(link);
      else entry.member.links[platform] = [link];
    }
  }
  const members = sortInUnitOrder(
    [...byUser.values()].map((e) => e.member),
    client.divisionOrder,
  );
  const active = posts.rows[0]?.active ?? 0;
  return {
    posts: posts.rows.map((p) => p.shortcode),
    members,
    reporters: members.length,
    notReported: Math.max(0, active - members.length),
    distinct: {
      instagram: everyone.instagram.size,
      facebook: everyone.facebook.size,
      twitter: everyone.twitter.size,
      tiktok: everyone.tiktok.size,
      youtube: everyone.youtube.size,
    },
  };
}
