/**
 * Binding a WhatsApp number to a member's NRP, and releasing it. One number per NRP
 * and one NRP per number: the `user.whatsapp` UNIQUE constraint holds the second, a
 * guarded `UPDATE … WHERE whatsapp IS NULL` the first, so two numbers binding the same
 * NRP at the same moment end with one binding. Each binding writes one `login_log` row.
 * NRP look-ups by unbound senders are limited per hour (see {@link NrpLookupLimit}).
 */
import { type Actor, recordChanges } from '../audit/change-log.js';
import type { Db, Executor, Queryable } from '../db/db.js';
import { canonicalPhone } from '../identity/wa-id.js';

/**
 * An NRP (8 digits) or a NIP (18 digits). Imports zero-pad NRPs to 8, so an NRP typed
 * without its leading zeros (6 or 7 digits) is accepted and tried padded; 9 to 17 digits
 * are neither. {@link MALFORMED_NRP} says the same.
 */
const NRP_SHAPE = /^(?:\d{6,8}|\d{18})$/;

/** The NRP in what a member typed (spaces, dots and dashes dropped), or null when it is not one. */
export function parseNrp(text: string): string | null {
  const compact = text.trim().replace(/[\s.-]/g, '');
  return NRP_SHAPE.test(compact) ? compact : null;
}

/** A member as found by NRP, before binding. Only name, rank and division may be shown to the sender. */
export interface BindCandidate {
  userId: string;
  nama: string | null;
  title: string | null;
  divisi: string | null;
  active: boolean;
  /** The number bound to this NRP (never shown to the sender). */
  whatsapp: string | null;
  clientId: string | null;
  clientNama: string | null;
  /** The client's operator number, canonical; null when none is set. */
  operator: string | null;
}

interface CandidateRow {
  user_id: string;
  nama: string | null;
  title: string | null;
  divisi: string | null;
  status: boolean;
  whatsapp: string | null;
  client_id: string | null;
  client_nama: string | null;
  client_operator: string | null;
}

const toCandidate = (r: CandidateRow): BindCandidate => ({
  userId: r.user_id,
  nama: r.nama,
  title: r.title,
  divisi: r.divisi,
  active: r.status,
  whatsapp: r.whatsapp,
  clientId: r.client_id,
  clientNama: r.client_nama,
  operator: r.client_operator ? canonicalPhone(r.client_operator.split(',')[0] ?? '') : null,
});

const CANDIDATE = `
  SELECT u.user_id, u.nama, u.title, u.divisi, u.status, u.whatsapp, u.client_id,
         c.nama AS client_nama, c.client_operator
    FROM "user" u LEFT JOIN clients c ON c.client_id = u.client_id`;

/** Whether `typed` (as {@link parseNrp} gives it) names the NRP stored as `userId`. */
export function sameNrp(typed: string, userId: string): boolean {
  return typed === userId || typed.padStart(8, '0') === userId;
}

/** The member with this NRP (as typed, or zero-padded to 8 as imports store it). */
export async function findByNrp(db: Queryable, nrp: string): Promise<BindCandidate | null> {
  const { rows } = await db.query<CandidateRow>(`${CANDIDATE} WHERE u.user_id = ANY($1) ORDER BY u.user_id = $2 DESC LIMIT 1`, [
    [nrp, nrp.padStart(8, '0')],
    nrp,
  ]);
  return rows[0] ? toCandidate(rows[0]) : null;
}

/** The member bound to this number, if any. */
export async function findByWhatsapp(db: Queryable, phone: string): Promise<BindCandidate | null> {
  const { rows } = await db.query<CandidateRow>(`${CANDIDATE} WHERE u.whatsapp = $1`, [phone]);
  return rows[0] ? toCandidate(rows[0]) : null;
}

/** Why a candidate cannot be bound to `phone`, before asking the sender to confirm. */
export type BindBlock = 'inactive' | 'nrp-taken';

export function bindBlock(candidate: BindCandidate, phone: string): BindBlock | null {
  if (!candidate.active) return 'inactive';
  if (candidate.whatsapp !== null && candidate.whatsapp !== phone) return 'nrp-taken';
  return null;
}

export type BindOutcome =
  | { ok: true; candidate: BindCandidate }
  | { ok: false; reason: 'not-found' | 'inactive'; candidate: BindCandidate | null }
  | { ok: false; reason: 'nrp-taken'; candidate: BindCandidate }
  /** The number is bound to another NRP (`holder`). */
  | { ok: false; reason: 'number-taken'; candidate: BindCandidate | null; holder: string };

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Error && (error as { code?: unknown }).code === UNIQUE_VIOLATION;

/**
 * Binds `phone` to the member `userId` and writes one `login_log` row (actor = NRP,
 * type `user`, source `whatsapp`), in one transaction. Binding a number already bound to
 * this NRP again is a success (and logged: it is a login), except for the same inbound
 * message handled again after a database blip (`messageId`), which logs nothing more.
 */
export async function bindNumber(db: Db, userId: string, phone: string, now: Date, messageId: string, actor: Actor): Promise<BindOutcome> {
  const holder = await findByWhatsapp(db, phone);
  if (holder && holder.userId !== userId) {
    return { ok: false, reason: 'number-taken', candidate: await findByNrp(db, userId), holder: holder.userId };
  }
  try {
    return await db.tx(async (t): Promise<BindOutcome> => {
      const updated = await t.query<{ user_id: string; old: string | null; client_id: string | null }>(
        `UPDATE "user" u SET whatsapp = $2, updated_at = $3
           FROM (SELECT user_id, whatsapp AS old FROM "user" WHERE user_id = $1 FOR UPDATE) o
          WHERE u.user_id = o.user_id AND u.status AND (u.whatsapp IS NULL OR u.whatsapp = $2)
          RETURNING u.user_id, o.old, u.client_id`,
        [userId, phone, now],
      );
      const bound = updated.rows[0];
      if (bound) await recordChanges(t, actor, [{ clientId: bound.client_id, userId, field: 'whatsapp', oldValue: bound.old, newValue: phone }], now);
      const { rows } = await t.query<CandidateRow>(`${CANDIDATE} WHERE u.user_id = $1`, [userId]);
      const candidate = rows[0] ? toCandidate(rows[0]) : null;
      if (updated.rows.length === 0) {
        if (!candidate) return { ok: false, reason: 'not-found', candidate };
        if (!candidate.active) return { ok: false, reason: 'inactive', candidate };
        return { ok: false, reason: 'nrp-taken', candidate };
      }
      await t.query(
        `WITH first AS (
           INSERT INTO login_message (message_id, logged_at) VALUES ($3, $2)
           ON CONFLICT (message_id) DO NOTHING RETURNING message_id)
         INSERT INTO login_log (actor_id, login_type, login_source, logged_at)
         SELECT $1, 'user', 'whatsapp', $2 FROM first`,
        [userId, now, messageId],
      );
      return { ok: true, candidate: candidate! };
    });
  } catch (error) {
    // Another message bound this number to another NRP meanwhile (the UNIQUE constraint).
    if (!isUniqueViolation(error)) throw error;
    const taken = await findByWhatsapp(db, phone);
    return { ok: false, reason: 'number-taken', candidate: await findByNrp(db, userId), holder: taken?.userId ?? '' };
  }
}

/** Releases the sender (`ids`: its phone and LID) from the member `userId`; false when it was not bound to them (any more). */
export async function releaseNumber(db: Db, userId: string, ids: readonly string[], now: Date, actor: Actor): Promise<boolean> {
  return db.tx(async (t) => {
    const { rows } = await t.query<{ old: string; client_id: string | null }>(
      `UPDATE "user" u SET whatsapp = NULL, updated_at = $3
         FROM (SELECT user_id, whatsapp AS old FROM "user" WHERE user_id = $1 FOR UPDATE) o
        WHERE u.user_id = o.user_id AND o.old = ANY($2)
        RETURNING o.old, u.client_id`,
      [userId, ids, now],
    );
    const released = rows[0];
    if (released) await recordChanges(t, actor, [{ clientId: released.client_id, userId, field: 'whatsapp', oldValue: released.old, newValue: null }], now);
    return released !== undefined;
  });
}

const HOUR_MS = 3_600_000;

/**
 * At most `perHour` NRP look-ups per sender within any hour, counted in the database so
 * the limit holds across processes and restarts. Each count-and-insert runs in a
 * transaction holding a transaction-level advisory lock on the sender, so two processes
 * (two connections) cannot both see `perHour - 1` look-ups and both insert one.
 */
export class NrpLookupLimit {
  constructor(
    private readonly db: Db,
    private readonly perHour: number,
  ) {}

  /**
   * Counts one look-up by `sender` at `now` when the limit allows it and returns null;
   * otherwise counts nothing and returns when the next look-up is allowed. Look-ups
   * older than an hour (anyone's) are dropped on the way: they count for nothing. The
   * same inbound message (`messageId`, handled again after a database blip) is counted
   * once and allowed again.
   */
  async take(sender: string, now: Date, messageId: string): Promise<Date | null> {
    const row = await this.db.tx(async (t) => {
      await lockKey(t, `nrp-lookup:${sender}`);
      const again = await t.query('SELECT 1 FROM nrp_lookup WHERE message_id = $1', [messageId]);
      if (again.rows.length > 0) return { taken: 1, oldest: null };
      const { rows } = await t.query<{ taken: number; oldest: Date | null }>(
        `WITH pruned AS (
           DELETE FROM nrp_lookup WHERE looked_up_at <= $2
         ), recent AS (
           SELECT looked_up_at FROM nrp_lookup WHERE sender = $1 AND looked_up_at > $2
            ORDER BY looked_up_at DESC LIMIT $3
         ), counted AS (
           INSERT INTO nrp_lookup (sender, looked_up_at, message_id)
           SELECT $1, $4, $5 WHERE (SELECT count(*) FROM recent) < $3
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM counted)::int AS taken, (SELECT min(looked_up_at) FROM recent) AS oldest`,
        [sender, new Date(now.getTime() - HOUR_MS), this.perHour, now, messageId],
      );
      return rows[0]!;
    });
    if (row.taken > 0) return null;
    // The oldest of the last `perHour` look-ups leaving the hour makes room for one more.
    return new Date(new Date(row.oldest!).getTime() + HOUR_MS);
  }
}

/**
 * Takes a transaction-level advisory lock on a key derived from `name` (released at
 * commit or rollback). On PostgreSQL it serialises transactions of all processes using
 * the same name; PGlite runs one transaction at a time anyway (and accepts the call).
 */
export async function lockKey(t: Executor, name: string): Promise<void> {
  await t.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
}
