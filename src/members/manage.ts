/**
 * Operators and admins changing members: add one, change one field (name, rank,
 * division, position, WhatsApp, Instagram, TikTok, status, exception), release a
 * WhatsApp number. Values are validated with the rules members get (handles in normal
 * form and unique within the client, numbers canonical and unique), and every change
 * writes its `change_log` rows in the same transaction. A change to the value already
 * stored changes and records nothing (a retried message, or a repeated command).
 */
import { type Actor, recordChanges } from '../audit/change-log.js';
import type { Platform } from '../compliance/handle.js';
import type { Db, Queryable } from '../db/db.js';
import { canonicalPhone } from '../identity/wa-id.js';
import { lockKey } from './binding.js';
import { cleanText, type HandleOwner, handleOwner, parseHandle, SHORT_TEXT_MAX, TEXT_MAX } from './profile.js';
import type { UserRow } from './user-row.js';

export type MemberField = 'nama' | 'title' | 'divisi' | 'jabatan' | 'whatsapp' | 'insta' | 'tiktok' | 'status' | 'exception';

/** A member as operators see them (their number included). */
export interface ManagedMember {
  userId: string;
  nama: string | null;
  title: string | null;
  divisi: string | null;
  jabatan: string | null;
  whatsapp: string | null;
  insta: string | null;
  tiktok: string | null;
  active: boolean;
  exception: boolean;
  clientId: string | null;
}

const COLUMNS = 'user_id, nama, title, divisi, jabatan, whatsapp, insta, tiktok, status, exception, client_id';
/** The stored row, with the exception flag operators see. */
type Row = UserRow & { exception: boolean };
const toMember = (r: Row): ManagedMember => ({
  userId: r.user_id,
  nama: r.nama,
  title: r.title,
  divisi: r.divisi,
  jabatan: r.jabatan,
  whatsapp: r.whatsapp,
  insta: r.insta,
  tiktok: r.tiktok,
  active: r.status,
  exception: r.exception,
  clientId: r.client_id,
});

export async function loadMember(db: Queryable, userId: string, forUpdate = false): Promise<ManagedMember | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM "user" WHERE user_id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [userId]);
  return rows[0] ? toMember(rows[0]) : null;
}

/** Members of `clientId` whose name holds `fragment` (any case), by name; at most `limit`. */
export async function findByName(db: Queryable, clientId: string, fragment: string, limit = 20): Promise<ManagedMember[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM "user" WHERE client_id = $1 AND strpos(upper(nama), upper($2)) > 0 ORDER BY nama, user_id LIMIT $3`,
    [clientId, fragment.trim(), limit],
  );
  return rows.map(toMember);
}

/** The client's members marked as exceptions, by division and name. */
export async function listExceptions(db: Queryable, clientId: string): Promise<ManagedMember[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM "user" WHERE client_id = $1 AND exception ORDER BY divisi, nama, user_id`, [
    clientId,
  ]);
  return rows.map(toMember);
}

export type ValueProblem = 'text' | 'phone' | 'post-link' | 'other-platform' | 'invalid-handle' | 'flag';
export type FieldValue = string | boolean;

const FLAGS: Record<string, boolean> = { aktif: true, nonaktif: false, true: true, false: false, ya: true, tidak: false };

/** The stored form of a typed value for `field`, or why it is not one. */
export function parseFieldValue(field: MemberField, raw: string): { ok: true; value: FieldValue } | { ok: false; problem: ValueProblem } {
  switch (field) {
    case 'nama':
    case 'jabatan':
    case 'title':
    case 'divisi': {
      const value = cleanText(raw, field === 'title' || field === 'divisi' ? SHORT_TEXT_MAX : TEXT_MAX);
      return value ? { ok: true, value } : { ok: false, problem: 'text' };
    }
    case 'whatsapp': {
      const value = canonicalPhone(raw);
      return value ? { ok: true, value } : { ok: false, problem: 'phone' };
    }
    case 'insta':
    case 'tiktok': {
      const parsed = parseHandle(raw, PLATFORM[field]);
      if (parsed.ok) return { ok: true, value: parsed.handle };
      return { ok: false, problem: parsed.reason === 'invalid' ? 'invalid-handle' : parsed.reason };
    }
    case 'status':
    case 'exception': {
      const word = raw.trim().toLowerCase();
      return Object.hasOwn(FLAGS, word) ? { ok: true, value: FLAGS[word]! } : { ok: false, problem: 'flag' };
    }
  }
}

/** The platform of a handle field. */
export const PLATFORM: Record<'insta' | 'tiktok', Platform> = { insta: 'instagram', tiktok: 'tiktok' };

export type EditOutcome =
  | { ok: true; member: ManagedMember; changed: boolean }
  | { ok: false; reason: 'not-found' }
  /** The number or handle belongs to another member (`owner`, of client `ownerClient`). */
  | { ok: false; reason: 'taken'; owner: HandleOwner; ownerClient: string | null };

const asText = (v: string | boolean | null): string | null => (v === null ? null : String(v));

/**
 * Sets `field` of member `userId` to `value` (already parsed; null clears WhatsApp).
 * Under an advisory lock on what must stay unique (the client's handles, or numbers),
 * so two operators giving one handle to two members at once end with one holding it.
 */
export async function editMember(
  db: Db,
  actor: Actor,
  userId: string,
  field: MemberField,
  value: FieldValue | null,
  now: Date,
): Promise<EditOutcome> {
  try {
    return await db.tx(async (t): Promise<EditOutcome> => {
      // The advisory lock first, then the row (the order member self-service and imports take them in).
      const peek = await loadMember(t, userId);
      if (!peek) return { ok: false, reason: 'not-found' };
      if (field === 'insta' || field === 'tiktok') await lockKey(t, `member-handle:${peek.clientId ?? ''}:${PLATFORM[field]}`);
      const before = await loadMember(t, userId, true);
      if (!before || before.clientId !== peek.clientId) return { ok: false, reason: 'not-found' };
      if ((field === 'insta' || field === 'tiktok') && typeof value === 'string') {
        const owner = await handleOwner(t, before.clientId, PLATFORM[field], value, userId);
        if (owner) return { ok: false, reason: 'taken', owner, ownerClient: before.clientId };
      }
      if (field === 'whatsapp' && typeof value === 'string') {
        const holder = await numberHolder(t, value, userId);
        if (holder) return holder;
      }
      const old = before[field === 'status' ? 'active' : field];
      if (asText(old) === asText(value)) return { ok: true, member: before, changed: false };
      // `field` is one of the MemberField names, which are the column names.
      await t.query(`UPDATE "user" SET ${field} = $2, updated_at = $3 WHERE user_id = $1`, [userId, value, now]);
      await recordChanges(t, actor, [{ clientId: before.clientId, userId, field, oldValue: asText(old), newValue: asText(value) }], now);
      const after = { ...before, [field === 'status' ? 'active' : field]: value } as ManagedMember;
      return { ok: true, member: after, changed: true };
    });
  } catch (error) {
    // Another change gave this number to another member meanwhile (the UNIQUE constraint).
    if (field !== 'whatsapp' || typeof value !== 'string' || (error as { code?: unknown }).code !== '23505') throw error;
    return (await numberHolder(db, value, userId)) ?? { ok: false, reason: 'not-found' };
  }
}

/** The refusal when another member holds `phone`, or null. */
async function numberHolder(db: Queryable, phone: string, userId: string): Promise<EditOutcome | null> {
  const { rows } = await db.query<{ user_id: string; nama: string | null; title: string | null; client_id: string | null }>(
    'SELECT user_id, nama, title, client_id FROM "user" WHERE whatsapp = $1 AND user_id <> $2',
    [phone, userId],
  );
  const other = rows[0];
  return other
    ? { ok: false, reason: 'taken', owner: { userId: other.user_id, nama: other.nama, title: other.title }, ownerClient: other.client_id }
    : null;
}

export interface NewMember {
  userId: string;
  clientId: string;
  nama: string;
  title: string;
  divisi: string;
  jabatan: string | null;
}

export type AddOutcome = { ok: true; member: ManagedMember } | { ok: false; reason: 'exists'; member: ManagedMember };

/** Adds an active member (no exception, no number, no handles); an NRP already stored is refused. */
export async function addMember(db: Db, actor: Actor, input: NewMember, now: Date): Promise<AddOutcome> {
  return db.tx(async (t): Promise<AddOutcome> => {
    // Stored before without its leading zeros (or with them): the same person.
    await lockKey(t, `member-add:${input.userId.replace(/^0+/, '')}`);
    const { rows: same } = await t.query<{ user_id: string }>(
      `SELECT user_id FROM "user" WHERE ltrim(user_id, '0') = ltrim($1, '0') AND length(user_id) <= 8 AND length($1) <= 8 LIMIT 1`,
      [input.userId],
    );
    if (same[0]) return { ok: false, reason: 'exists', member: (await loadMember(t, same[0].user_id))! };
    const { rows } = await t.query<{ user_id: string }>(
      `INSERT INTO "user" (user_id, nama, title, divisi, jabatan, client_id, status, exception, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, true, false, $7, $7)
       ON CONFLICT (user_id) DO NOTHING RETURNING user_id`,
      [input.userId, input.nama, input.title, input.divisi, input.jabatan, input.clientId, now],
    );
    if (rows.length === 0) return { ok: false, reason: 'exists', member: (await loadMember(t, input.userId))! };
    const fields = { client_id: input.clientId, nama: input.nama, title: input.title, divisi: input.divisi, jabatan: input.jabatan };
    await recordChanges(
      t,
      actor,
      Object.entries(fields).map(([field, value]) => ({ clientId: input.clientId, userId: input.userId, field, oldValue: null, newValue: value })),
      now,
    );
    return { ok: true, member: (await loadMember(t, input.userId))! };
  });
}
