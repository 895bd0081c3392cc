/**
 * Creating, changing and removing clients. Each change and its change_log rows are one
 * transaction, so a change is never without its audit rows; the client row is locked
 * first, so two admins changing one client take turns.
 */
import { type Actor, recordChanges } from '../audit/change-log.js';
import type { Db, Executor } from '../db/db.js';
import { canonicalLid, canonicalPhone } from '../identity/wa-id.js';
import { CLIENT_COLUMNS, type ClientRow, clientChanges, loadClient } from './record.js';
import type { ClientField } from './validate.js';

/** Serialises creations, so two admins adding one id at once get one client and one refusal. */
async function lockClientIds(t: Executor): Promise<void> {
  await t.query(`SELECT pg_advisory_xact_lock(hashtextextended('cicero.clients', 0))`);
}

export type AddOutcome = { ok: true; client: ClientRow } | { ok: false; existing: string };

/** A new active client, every platform off until its accounts are set (as Cicero_V2 did). */
export async function addClient(db: Db, actor: Actor, clientId: string, nama: string, now: Date): Promise<AddOutcome> {
  return db.tx(async (t) => {
    await lockClientIds(t);
    const existing = await loadClient(t, clientId);
    if (existing) return { ok: false, existing: existing.client_id };
    const { rows } = await t.query<ClientRow>(
      `INSERT INTO clients (client_id, nama, client_status, client_insta_status, client_tiktok_status, client_amplify_status,
                            created_at, updated_at)
       VALUES ($1, $2, true, false, false, false, $3, $3) RETURNING ${CLIENT_COLUMNS}`,
      [clientId, nama, now],
    );
    const client = rows[0]!;
    await recordChanges(t, actor, clientChanges(null, client), now);
    return { ok: true, client };
  });
}

/**
 * Another client whose `client_operator` is `number` in any written form (older rows
 * hold `0812-…`); compared in JS, as canonical forms, over the few clients there are.
 */
async function clientOfOperator(t: Executor, number: string, except: string): Promise<string | null> {
  const { rows } = await t.query<{ client_id: string; client_operator: string }>(
    `SELECT client_id, client_operator FROM clients WHERE client_id <> $1 AND client_operator IS NOT NULL ORDER BY client_id`,
    [except],
  );
  const canonical = (v: string) => canonicalLid(v) ?? canonicalPhone(v);
  return rows.find((r) => canonical(r.client_operator) === number)?.client_id ?? null;
}

export type UpdateOutcome =
  | { ok: true; before: ClientRow; after: ClientRow }
  | { ok: false; reason: 'unknown' }
  /** The number already runs another client: the sender look-up would pick one of the two. */
  | { ok: false; reason: 'operator-taken'; otherClient: string };

/** Sets one setting; `value` is already in stored form (see `parseFieldValue`). */
export async function updateClient(
  db: Db,
  actor: Actor,
  clientId: string,
  field: ClientField,
  value: string | boolean | null,
  now: Date,
): Promise<UpdateOutcome> {
  return db.tx(async (t) => {
    if (field === 'client_operator') await lockClientIds(t);
    const before = await loadClient(t, clientId, true);
    if (!before) return { ok: false, reason: 'unknown' };
    if (field === 'client_operator' && typeof value === 'string') {
      const other = await clientOfOperator(t, value, before.client_id);
      if (other) return { ok: false, reason: 'operator-taken', otherClient: other };
    }
    // `field` is one of the fixed column names (never typed text), so it may be spliced.
    const { rows } = await t.query<ClientRow>(
      `UPDATE clients SET ${field} = $2, updated_at = $3 WHERE client_id = $1 RETURNING ${CLIENT_COLUMNS}`,
      [before.client_id, value, now],
    );
    const after = rows[0]!;
    await recordChanges(t, actor, clientChanges(before, after), now);
    return { ok: true, before, after };
  });
}

/** What goes with a client when it is removed. */
export interface RemovalImpact {
  members: number;
  activeMembers: number;
  instaPosts: number;
  tiktokPosts: number;
  linkReports: number;
  /** Dashboard accounts of the client: they stay, without a client (an operator can then do nothing). */
  dashboardAccounts: number;
}

const IMPACT = `SELECT
    (SELECT count(*)::int FROM "user" WHERE client_id = $1) AS members,
    (SELECT count(*)::int FROM "user" WHERE client_id = $1 AND status) AS active_members,
    (SELECT count(*)::int FROM insta_post WHERE client_id = $1) AS insta_posts,
    (SELECT count(*)::int FROM tiktok_post WHERE client_id = $1) AS tiktok_posts,
    (SELECT count(*)::int FROM link_report l
      WHERE l.user_id IN (SELECT user_id FROM "user" WHERE client_id = $1)
         OR l.shortcode IN (SELECT shortcode FROM insta_post WHERE client_id = $1)) AS link_reports,
    (SELECT count(*)::int FROM dashboard_user WHERE client_id = $1) AS dashboard_accounts`;

export async function removalImpact(db: Executor, clientId: string): Promise<RemovalImpact> {
  const { rows } = await db.query<Record<string, number>>(IMPACT, [clientId]);
  const r = rows[0]!;
  return {
    members: r.members!,
    activeMembers: r.active_members!,
    instaPosts: r.insta_posts!,
    tiktokPosts: r.tiktok_posts!,
    linkReports: r.link_reports!,
    dashboardAccounts: r.dashboard_accounts!,
  };
}

/**
 * Deletes the client and everything of it, children before parents (the foreign keys
 * cascade too, but deleting explicitly counts what went and does not depend on them):
 * link reports, members (their engagement matches cascade), likes and comments, posts
 * (their ig_ext_* mirrors cascade), then the client. Dashboard accounts keep existing
 * without a client (`ON DELETE SET NULL`), their chat sessions ended. Null when the
 * client was already gone.
 */
export async function removeClient(db: Db, actor: Actor, clientId: string, now: Date): Promise<RemovalImpact | null> {
  return db.tx(async (t) => {
    const before = await loadClient(t, clientId, true);
    if (!before) return null;
    const id = before.client_id;
    const impact = await removalImpact(t, id);
    const posts = `SELECT shortcode FROM insta_post WHERE client_id = $1`;
    const videos = `SELECT video_id FROM tiktok_post WHERE client_id = $1`;
    await t.query(
      `DELETE FROM link_report WHERE user_id IN (SELECT user_id FROM "user" WHERE client_id = $1) OR shortcode IN (${posts})`,
      [id],
    );
    await t.query(`DELETE FROM "user" WHERE client_id = $1`, [id]);
    await t.query(`DELETE FROM insta_like WHERE shortcode IN (${posts})`, [id]);
    await t.query(`DELETE FROM insta_comment WHERE shortcode IN (${posts})`, [id]);
    await t.query(`DELETE FROM insta_post WHERE client_id = $1`, [id]);
    await t.query(`DELETE FROM tiktok_comment WHERE video_id IN (${videos})`, [id]);
    await t.query(`DELETE FROM tiktok_post WHERE client_id = $1`, [id]);
    await t.query(
      `DELETE FROM operator_session WHERE dashboard_user_id IN (SELECT user_id FROM dashboard_user WHERE client_id = $1)`,
      [id],
    );
    await t.query(`UPDATE dashboard_user SET client_id = NULL, updated_at = $2 WHERE client_id = $1`, [id, now]);
    await t.query(`DELETE FROM clients WHERE client_id = $1`, [id]);
    await recordChanges(t, actor, clientChanges(before, null), now);
    return impact;
  });
}
