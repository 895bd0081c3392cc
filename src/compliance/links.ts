/**
 * Amplification: members re-post an official Instagram post on their own accounts
 * and report the links (`laporlink`). One link_report row per member and post,
 * merged per platform on resend; each link must be a post link of its platform.
 */
import type { Queryable } from '../db/db.js';
import type { DayWindow } from '../time/day.js';

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

export interface DayLinks {
  posts: string[];
  /** Members who reported at least one link for the day's posts. */
  reporters: number;
  links: Record<LinkPlatform, string[]>;
}

/** Every link reported for a client's posts of one day, per platform (removed posts left out). */
export async function loadDayLinks(db: Queryable, clientId: string, day: DayWindow): Promise<DayLinks> {
  const { rows } = await db.query<{
    shortcode: string;
    user_id: string | null;
    instagram_link: string | null;
    facebook_link: string | null;
    twitter_link: string | null;
    tiktok_link: string | null;
    youtube_link: string | null;
  }>(
    `SELECT p.shortcode, r.user_id, r.instagram_link, r.facebook_link, r.twitter_link, r.tiktok_link, r.youtube_link
       FROM insta_post p
       LEFT JOIN link_report r ON r.shortcode = p.shortcode
        AND r.user_id IN (SELECT user_id FROM "user" WHERE client_id = $1 AND status)
      WHERE p.client_id = $1 AND p.created_at >= $2 AND p.created_at < $3 AND p.removed_at IS NULL
      ORDER BY p.created_at, p.shortcode, r.created_at, r.user_id`,
    [clientId, day.start, day.end],
  );
  const posts: string[] = [];
  const reporters = new Set<string>();
  const links: Record<LinkPlatform, string[]> = { instagram: [], facebook: [], twitter: [], tiktok: [], youtube: [] };
  for (const r of rows) {
    if (posts.at(-1) !== r.shortcode) posts.push(r.shortcode);
    if (!r.user_id) continue;
    for (const platform of LINK_PLATFORMS) {
      const link = r[`${platform}_link`];
      if (link) {
        links[platform].push(link);
        reporters.add(r.user_id);
      }
    }
  }
  return { posts, reporters: reporters.size, links };
}
