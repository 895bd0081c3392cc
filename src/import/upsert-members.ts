/**
 * Writes a checked member file into one client, in one transaction: the checks that
 * need the database first (an NRP of another client's member, numbers and handles held
 * by others), then inserts and updates in bulk, the optional deactivation of members
 * missing from the file, and one `change_log` row per changed field.
 *
 * An empty cell never changes a stored value. A cell equal to the stored value once
 * both are in normal form (upper-cased texts, handles, canonical numbers) is no change,
 * so a file imported twice, or exported and imported back, changes nothing.
 */
import { type Actor, type FieldChange, recordChanges } from '../audit/change-log.js';
import { normaliseHandle } from '../compliance/handle.js';
import type { Db } from '../db/db.js';
import { canonicalPhone } from '../identity/wa-id.js';
import { lockKey } from '../members/binding.js';
import { cleanText, SHORT_TEXT_MAX, TEXT_MAX } from '../members/profile.js';
import type { MemberRow, ParsedMembers, Rejection } from './member-rows.js';
import type { Progress } from './progress.js';
import { refuseTaken, type UniqueCheck } from './unique.js';
import type { UserRow } from '../members/user-row.js';

type Stored = UserRow;

type Field = 'nama' | 'title' | 'divisi' | 'jabatan' | 'insta' | 'tiktok' | 'whatsapp' | 'status';
const FIELDS: readonly Field[] = ['nama', 'title', 'divisi', 'jabatan', 'insta', 'tiktok', 'whatsapp', 'status'];
const COLUMNS = 'user_id, nama, title, divisi, jabatan, insta, tiktok, whatsapp, status, client_id';

/** A stored value in the form an import cell takes (null when it has none). */
function normalOf(field: Field, stored: Stored): string | boolean | null {
  const v = stored[field];
  switch (field) {
    case 'nama':
    case 'jabatan':
      return cleanText(v as string | null ?? '', TEXT_MAX);
    case 'title':
    case 'divisi':
      return cleanText(v as string | null ?? '', SHORT_TEXT_MAX);
    case 'insta':
      return normaliseHandle(v as string | null, 'instagram');
    case 'tiktok':
      return normaliseHandle(v as string | null, 'tiktok');
    case 'whatsapp':
      return v === null ? null : canonicalPhone(v as string) ?? (v as string);
    case 'status':
      return v as boolean;
  }
}

const asText = (v: string | boolean | null): string | null => (v === null ? null : String(v));

export interface MemberImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
  deactivated: number;
  /** Why --deactivate-missing deactivated nothing, when it was asked and could not run. */
  deactivationSkipped: string | null;
  rejected: Rejection[];
  changes: number;
}

export interface MemberImportOptions {
  clientId: string;
  deactivateMissing: boolean;
  actor: Actor;
  now: Date;
  progress?: Progress;
}

/** Rows per bulk statement. */
const CHUNK = 1000;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export async function upsertMembers(db: Db, parsed: ParsedMembers, options: MemberImportOptions): Promise<MemberImportResult> {
  const { clientId, actor, now, progress } = options;
  return db.tx(async (t) => {
    await lockKey(t, `member-import:${clientId}`);
    await lockKey(t, `member-handle:${clientId}:instagram`);
    await lockKey(t, `member-handle:${clientId}:tiktok`);
    const rejected = [...parsed.rejected];
    // Locked as read: a binding or an edit by chat during the import waits, and is never written over.
    const { rows: clientRows } = await t.query<Stored>(`SELECT ${COLUMNS} FROM "user" WHERE client_id = $1 FOR UPDATE`, [clientId]);
    const stored = new Map(clientRows.map((r) => [r.user_id, r]));
    const ids = [...new Set(parsed.rows.flatMap((r) => [r.nrp, r.typedNrp]))].filter((id) => !stored.has(id));
    const { rows: outside } = await t.query<Stored>(`SELECT ${COLUMNS} FROM "user" WHERE user_id = ANY($1::text[]) FOR UPDATE`, [ids]);
    const elsewhere = new Map(outside.map((r) => [r.user_id, r]));

    // The stored NRP: an unpadded legacy NRP is found as typed.
    const valid = new Set<MemberRow>();
    for (const row of parsed.rows) {
      if (!stored.has(row.nrp) && stored.has(row.typedNrp)) row.nrp = row.typedNrp;
      const other = stored.has(row.nrp) ? null : (elsewhere.get(row.nrp) ?? elsewhere.get(row.typedNrp));
      if (other) {
        const owner = other.client_id ? `client ${other.client_id}` : 'no client';
        rejected.push({ line: row.line, reason: `NRP ${other.user_id} belongs to a member of ${owner}, not ${clientId}` });
      } else valid.add(row);
    }
    progress?.step('checked', 0);

    const numbers = [...new Set([...valid].flatMap((r) => (r.whatsapp ? [r.whatsapp] : [])))];
    const { rows: numberRows } = await t.query<Stored>(`SELECT ${COLUMNS} FROM "user" WHERE whatsapp = ANY($1::text[]) FOR UPDATE`, [numbers]);
    const numberHolders = new Map<string, string[]>();
    const everyone = new Map(stored);
    for (const r of numberRows) {
      everyone.set(r.user_id, r);
      numberHolders.set(r.whatsapp!, [...(numberHolders.get(r.whatsapp!) ?? []), r.user_id]);
    }
    const checks: Array<[Field, UniqueCheck<MemberRow & { userId: string }>]> = [];
    for (const field of ['whatsapp', 'insta', 'tiktok'] as const) {
      const label = field === 'whatsapp' ? 'WhatsApp number' : field === 'insta' ? 'Instagram handle' : 'TikTok handle';
      const holders = new Map<string, string[]>();
      if (field === 'whatsapp') for (const [k, v] of numberHolders) holders.set(k, v);
      else {
        for (const r of clientRows) {
          const h = normalOf(field, r) as string | null;
          if (h) holders.set(h, [...(holders.get(h) ?? []), r.user_id]);
        }
      }
      checks.push([
        field,
        {
          valueOf: (row) => row[field],
          storedOf: (id) => {
            const r = everyone.get(id);
            return r ? (normalOf(field, r) as string | null) : null;
          },
          holdersOf: (value) => holders.get(value) ?? [],
          heldBy: (value, holder) => {
            const owner = everyone.get(holder);
            const where = owner && owner.client_id !== clientId ? ` of client ${owner.client_id ?? '(none)'}` : '';
            return `${label} ${value} is already used by member ${holder}${owner?.nama ? ` (${owner.nama})` : ''}${where}`;
          },
          claimedAlso: (value, lines) => `${label} ${value} is also given on line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`,
        },
      ]);
    }
    const claimants = new Set([...valid].map((r) => Object.assign(r, { userId: r.nrp })));
    for (const [, check] of checks) {
      for (const [row, reason] of refuseTaken(claimants, check)) rejected.push({ line: row.line, reason });
    }
    progress?.step('checked', parsed.rows.length);

    const changes: FieldChange[] = [];
    const updates: Stored[] = [];
    const inserts: Stored[] = [];
    const freeNumbers: string[] = [];
    let unchanged = 0;
    for (const row of claimants) {
      const before = stored.get(row.nrp);
      if (!before) {
        const fresh: Stored = { ...row, user_id: row.nrp, status: row.status ?? true, client_id: clientId };
        inserts.push(fresh);
        changes.push({ clientId, userId: row.nrp, field: 'client_id', oldValue: null, newValue: clientId });
        for (const field of FIELDS) {
          if (row[field] !== null) changes.push({ clientId, userId: row.nrp, field, oldValue: null, newValue: asText(row[field]) });
        }
        continue;
      }
      const after: Stored = { ...before };
      let changed = false;
      for (const field of FIELDS) {
        const value = row[field];
        if (value === null || value === normalOf(field, before)) continue;
        (after as unknown as Record<Field, string | boolean | null>)[field] = value;
        changes.push({ clientId, userId: before.user_id, field, oldValue: asText(before[field]), newValue: asText(value) });
        changed = true;
      }
      if (!changed) unchanged += 1;
      else {
        updates.push(after);
        if (before.whatsapp !== null && after.whatsapp !== before.whatsapp) freeNumbers.push(before.user_id);
      }
    }

    // Numbers changing hands inside the file: free them first (whatsapp is UNIQUE, checked per row).
    if (freeNumbers.length > 0) {
      await t.query(`UPDATE "user" SET whatsapp = NULL WHERE user_id = ANY($1::text[])`, [freeNumbers]);
    }
    // Rows left unwritten (unchanged, rejected) count as done for the bar.
    let written = parsed.rows.length + parsed.rejected.length - updates.length - inserts.length;
    for (const part of chunks(updates, CHUNK)) {
      await t.query(
        `UPDATE "user" u SET nama = v.nama, title = v.title, divisi = v.divisi, jabatan = v.jabatan, insta = v.insta,
                tiktok = v.tiktok, whatsapp = v.whatsapp, status = v.status, updated_at = $10
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[])
                AS v(user_id, nama, title, divisi, jabatan, insta, tiktok, whatsapp, status)
          WHERE u.user_id = v.user_id`,
        [...columnsOf(part), now],
      );
      written += part.length;
      progress?.step('written', written);
    }
    for (const part of chunks(inserts, CHUNK)) {
      await t.query(
        `INSERT INTO "user" (user_id, nama, title, divisi, jabatan, insta, tiktok, whatsapp, status, client_id, created_at, updated_at)
         SELECT v.*, $10, $11, $11
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[])
                AS v(user_id, nama, title, divisi, jabatan, insta, tiktok, whatsapp, status)`,
        [...columnsOf(part), clientId, now],
      );
      written += part.length;
      progress?.step('written', written);
    }

    let deactivated = 0;
    let deactivationSkipped: string | null = null;
    if (options.deactivateMissing) {
      if (parsed.unnamed > 0) {
        deactivationSkipped = `${parsed.unnamed} rejected row${parsed.unnamed === 1 ? ' has' : 's have'} no readable NRP, so it is unknown whom the file names; fix ${parsed.unnamed === 1 ? 'it' : 'them'} and run again`;
      } else {
        const { rows } = await t.query<{ user_id: string }>(
          `UPDATE "user" SET status = false, updated_at = $3
            WHERE client_id = $1 AND status AND NOT (user_id = ANY($2::text[])) RETURNING user_id`,
          [clientId, [...parsed.named], now],
        );
        deactivated = rows.length;
        for (const r of rows) changes.push({ clientId, userId: r.user_id, field: 'status', oldValue: 'true', newValue: 'false' });
      }
    }
    let logged = 0;
    for (const part of chunks(changes, 5000)) logged += await recordChanges(t, actor, part, now);
    rejected.sort((a, b) => a.line - b.line);
    return { inserted: inserts.length, updated: updates.length, unchanged, deactivated, deactivationSkipped, rejected, changes: logged };
  });
}

function columnsOf(rows: Stored[]): unknown[] {
  return [
    rows.map((r) => r.user_id),
    rows.map((r) => r.nama),
    rows.map((r) => r.title),
    rows.map((r) => r.divisi),
    rows.map((r) => r.jabatan),
    rows.map((r) => r.insta),
    rows.map((r) => r.tiktok),
    rows.map((r) => r.whatsapp),
    rows.map((r) => r.status),
  ];
}
