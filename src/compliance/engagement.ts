/**
 * The numbers behind a compliance report: a client's posts of one Jakarta day and,
 * for every active member, which of those posts they engaged with. Two queries
 * whatever the size of the unit: the matching itself was done when the likes,
 * comments or handles were written (engagement_match, migration 004).
 */
import type { Queryable } from '../db/db.js';
import type { DayWindow } from '../time/day.js';
import type { ComplianceClient } from './clients.js';
import { normaliseHandle, type Platform } from './handle.js';

/** What members are asked to do: like Instagram posts, comment on TikTok videos, or report re-post links. */
export type Source = 'likes' | 'comments' | 'links';

export const PLATFORM_OF: Record<Source, Platform> = { likes: 'instagram', comments: 'tiktok', links: 'instagram' };

export interface DayPost {
  id: string;
  url: string;
  createdAt: Date;
  /** False when the likes/comments were never fetched: the post then counts against no one. */
  fetched: boolean;
  /** When its engagement data was last written. */
  updatedAt: Date | null;
}

export interface MemberEngagement {
  userId: string;
  nama: string;
  title: string;
  divisi: string;
  jabatan: string | null;
  /** Normalised handle for the platform; null = not registered (always '' for links, which need none). */
  handle: string | null;
  exception: boolean;
  whatsapp: boolean;
  /** Indexes into `posts` of the posts this member engaged with. */
  engaged: number[];
  /** Links reported (links source only). */
  links: number;
}

export interface EngagementDay {
  source: Source;
  day: DayWindow;
  posts: DayPost[];
  members: MemberEngagement[];
  /** Latest write of engagement data among the day's posts. */
  lastUpdated: Date | null;
}

export function postUrl(source: Source, client: ComplianceClient, id: string): string {
  if (source === 'comments') return `https://www.tiktok.com/@${(client.tiktok ?? '').replace(/^@+/, '')}/video/${id}`;
  return `https://www.instagram.com/p/${id}`;
}

const POSTS: Record<Source, string> = {
  likes: `SELECT p.shortcode AS id, p.created_at, l.shortcode IS NOT NULL AS fetched, l.updated_at
            FROM insta_post p LEFT JOIN insta_like l ON l.shortcode = p.shortcode
           WHERE p.client_id = $1 AND p.created_at >= $2 AND p.created_at < $3
           ORDER BY p.created_at, p.shortcode`,
  comments: `SELECT p.video_id AS id, p.created_at, c.video_id IS NOT NULL AS fetched, c.updated_at
               FROM tiktok_post p LEFT JOIN tiktok_comment c ON c.video_id = p.video_id
              WHERE p.client_id = $1 AND p.created_at >= $2 AND p.created_at < $3
              ORDER BY p.created_at, p.video_id`,
  links: `SELECT p.shortcode AS id, p.created_at, true AS fetched,
                 (SELECT max(r.created_at) FROM link_report r WHERE r.shortcode = p.shortcode) AS updated_at
            FROM insta_post p
           WHERE p.client_id = $1 AND p.created_at >= $2 AND p.created_at < $3
           ORDER BY p.created_at, p.shortcode`,
};

const MEMBER_COLUMNS = `u.user_id, u.nama, u.title, u.divisi, u.jabatan, u.exception, u.whatsapp IS NOT NULL AS whatsapp`;

/** $1 client, $2 the day's post ids (in report order); `engaged` holds 1-based positions in $2. */
const MEMBERS: Record<Source, string> = {
  likes: `SELECT ${MEMBER_COLUMNS}, u.insta AS handle, coalesce(m.engaged, '{}') AS engaged, 0 AS links
            FROM "user" u
            LEFT JOIN (SELECT user_id, array_agg(array_position($2::text[], post_id)) AS engaged
                         FROM engagement_match WHERE platform = 'instagram' AND post_id = ANY ($2::text[])
                        GROUP BY user_id) m ON m.user_id = u.user_id
           WHERE u.client_id = $1 AND u.status`,
  comments: `SELECT ${MEMBER_COLUMNS}, u.tiktok AS handle, coalesce(m.engaged, '{}') AS engaged, 0 AS links
               FROM "user" u
               LEFT JOIN (SELECT user_id, array_agg(array_position($2::text[], post_id)) AS engaged
                            FROM engagement_match WHERE platform = 'tiktok' AND post_id = ANY ($2::text[])
                           GROUP BY user_id) m ON m.user_id = u.user_id
              WHERE u.client_id = $1 AND u.status`,
  links: `SELECT ${MEMBER_COLUMNS}, '' AS handle, coalesce(r.engaged, '{}') AS engaged, coalesce(r.links, 0)::int AS links
            FROM "user" u
            LEFT JOIN (SELECT user_id, array_agg(array_position($2::text[], shortcode)) AS engaged,
                              sum(num_nonnulls(instagram_link, facebook_link, twitter_link, tiktok_link, youtube_link)) AS links
                         FROM link_report
                        WHERE shortcode = ANY ($2::text[])
                          AND num_nonnulls(instagram_link, facebook_link, twitter_link, tiktok_link, youtube_link) > 0
                        GROUP BY user_id) r ON r.user_id = u.user_id
           WHERE u.client_id = $1 AND u.status`,
};

interface PostRow {
  id: string;
  created_at: Date;
  fetched: boolean;
  updated_at: Date | null;
}

interface MemberRow {
  user_id: string;
  nama: string | null;
  title: string | null;
  divisi: string | null;
  jabatan: string | null;
  exception: boolean;
  whatsapp: boolean;
  handle: string | null;
  engaged: number[];
  links: number;
}

const upper = (v: string | null): string => (v ?? '').trim().toUpperCase();

export async function loadEngagement(
  db: Queryable,
  client: ComplianceClient,
  source: Source,
  day: DayWindow,
): Promise<EngagementDay> {
  const posts = (await db.query<PostRow>(POSTS[source], [client.clientId, day.start, day.end])).rows.map(
    (r): DayPost => ({
      id: r.id,
      url: postUrl(source, client, r.id),
      createdAt: r.created_at,
      fetched: r.fetched,
      updatedAt: r.updated_at,
    }),
  );
  const ids = posts.map((p) => p.id);
  const platform = PLATFORM_OF[source];
  const members = (await db.query<MemberRow>(MEMBERS[source], [client.clientId, ids])).rows.map(
    (r): MemberEngagement => ({
      userId: r.user_id,
      nama: upper(r.nama),
      title: upper(r.title),
      divisi: upper(r.divisi) || '-',
      jabatan: r.jabatan,
      handle: source === 'links' ? '' : normaliseHandle(r.handle, platform),
      exception: r.exception,
      whatsapp: r.whatsapp,
      engaged: r.engaged.map((position) => position - 1).sort((a, b) => a - b),
      links: r.links,
    }),
  );
  const stamps = posts.flatMap((p) => (p.updatedAt ? [p.updatedAt.getTime()] : []));
  return {
    source,
    day,
    posts,
    members,
    lastUpdated: stamps.length ? new Date(Math.max(...stamps)) : null,
  };
}
