/**
 * `cicero seed demo`: replaces the demo client and everything it owns with a fresh
 * copy whose posts are published today, so every report has something to show.
 * One transaction and one INSERT per table, whatever the size.
 */
import type { Db, Queryable } from '../db/db.js';
import {
  buildDemoOrganisation,
  DEMO_ADMIN_WHATSAPP,
  DEMO_UNUSED_WHATSAPP,
  type DemoMember,
  type DemoOrganisation,
} from './demo-organisation.js';

/** A member to try the demo as: NRP/NIP and name as `whoami` shows them. */
export interface DemoPerson {
  nrp: string;
  name: string;
}

export interface DemoSummary {
  clientId: string;
  nama: string;
  operator: string;
  group: string;
  activeMembers: number;
  inactiveMembers: number;
  exceptionMembers: number;
  divisions: number;
  instaPosts: number;
  tiktokPosts: number;
  linkReports: number;
  firstPostAt: Date;
  /** Numbers (canonical 62…) and members to try each role with. */
  tryAs: {
    /** Not stored: the admin is whoever ADMIN_WHATSAPP names; this is the number to put there. */
    admin: string;
    operator: string;
    /** An active member whose WhatsApp is bound. */
    boundMember: DemoPerson & { whatsapp: string };
    /** An active member with no WhatsApp bound yet. */
    unboundMember: DemoPerson;
    /** A number nobody in the demo has, to register an unbound member with later. */
    unusedNumber: string;
  };
}

function person(m: DemoMember): DemoPerson {
  return { nrp: m.user_id, name: [m.title, m.nama].filter(Boolean).join(' ') };
}

/** Inserts `rows` (plain objects) into `table` through jsonb_populate_recordset: one statement. */
async function insertRows(q: Queryable, table: string, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).map((c) => `"${c}"`).join(', ');
  await q.query(
    `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`,
    [JSON.stringify(rows)],
  );
}

export async function seedDemo(db: Db, now: Date, timezone: string): Promise<DemoSummary> {
  const org: DemoOrganisation = buildDemoOrganisation(now, timezone);
  const { client } = org;
  await db.tx(async (t) => {
    // ON DELETE CASCADE takes the members, posts, likes, comments and link reports with it.
    await t.query('DELETE FROM clients WHERE client_id = $1', [client.client_id]);
    await insertRows(t, 'clients', [client]);
    await insertRows(t, '"user"', org.members.map((m) => ({ ...m, client_id: client.client_id })));
    await insertRows(
      t,
      'insta_post',
      org.instaPosts.map((p) => ({
        shortcode: p.id,
        client_id: client.client_id,
        caption: p.caption,
        created_at: p.created_at,
        like_count: p.engagement?.length ?? 0,
        comment_count: 0,
        image_url: `https://picsum.photos/seed/${p.id}/1080/1080`,
      })),
    );
    await insertRows(
      t,
      'insta_like',
      org.instaPosts.filter((p) => p.engagement).map((p) => ({ shortcode: p.id, likes: p.engagement, updated_at: now })),
    );
    await insertRows(
      t,
      'tiktok_post',
      org.tiktokPosts.map((p) => ({
        video_id: p.id,
        client_id: client.client_id,
        caption: p.caption,
        created_at: p.created_at,
        like_count: 0,
        comment_count: p.engagement?.length ?? 0,
      })),
    );
    await insertRows(
      t,
      'tiktok_comment',
      org.tiktokPosts.filter((p) => p.engagement).map((p) => ({ video_id: p.id, comments: p.engagement, updated_at: now })),
    );
    await insertRows(t, 'link_report', org.linkReports.map((r) => ({ ...r, created_at: now })));
  });

  const active = org.members.filter((m) => m.status);
  const ordinary = active.filter((m) => !m.exception);
  const bound = ordinary.find((m) => m.whatsapp)!;
  const unbound = ordinary.find((m) => !m.whatsapp)!;
  return {
    clientId: client.client_id,
    nama: client.nama,
    operator: client.client_operator,
    group: client.client_group,
    activeMembers: active.length,
    inactiveMembers: org.members.length - active.length,
    exceptionMembers: active.filter((m) => m.exception).length,
    divisions: new Set(org.members.map((m) => m.divisi)).size,
    instaPosts: org.instaPosts.length,
    tiktokPosts: org.tiktokPosts.length,
    linkReports: org.linkReports.length,
    firstPostAt: new Date(org.instaPosts[0]!.created_at),
    tryAs: {
      admin: DEMO_ADMIN_WHATSAPP,
      operator: client.client_operator,
      boundMember: { ...person(bound), whatsapp: bound.whatsapp! },
      unboundMember: person(unbound),
      unusedNumber: DEMO_UNUSED_WHATSAPP,
    },
  };
}
