/**
 * Writes a checked client file in one transaction: new clients inserted, existing ones
 * (matched by id in any case) updated, one `change_log` row per changed setting. An
 * empty cell never changes a stored value; a value equal to the stored one in normal
 * form (accounts, canonical numbers) is no change.
 */
import { type Actor, type FieldChange, recordChanges } from '../audit/change-log.js';
import { normaliseHandle } from '../compliance/handle.js';
import type { Db } from '../db/db.js';
import { CLIENT_ID_MAX, parseClientId } from '../clients/validate.js';
import { lockKey } from '../members/binding.js';
import { CLIENT_ACCOUNTS, CLIENT_FLAGS, CLIENT_NUMBERS, CLIENT_TEXTS, type ClientField, numberList, type ParsedClients } from './client-rows.js';
import type { Rejection } from './member-rows.js';

const PLATFORMS_OFF: Partial<Record<ClientField, boolean>> = {
  client_insta_status: false,
  client_tiktok_status: false,
  client_amplify_status: false,
};

const FIELDS: readonly ClientField[] = [...CLIENT_TEXTS, ...CLIENT_ACCOUNTS, ...CLIENT_NUMBERS, ...CLIENT_FLAGS];
type Stored = { client_id: string } & Record<ClientField, string | boolean | null>;

function normalOf(field: ClientField, value: string | boolean | null): string | boolean | null {
  if (value === null || typeof value === 'boolean') return value;
  if (field === 'client_insta') return normaliseHandle(value, 'instagram') ?? value;
  if (field === 'client_tiktok') return normaliseHandle(value, 'tiktok') ?? value;
  if (field === 'client_operator' || field === 'client_super') {
    const list = numberList(value);
    return list.ok ? list.value : value;
  }
  return value.trim().replace(/\s+/g, ' ');
}

export interface ClientImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: Rejection[];
  changes: number;
}

export async function upsertClients(db: Db, parsed: ParsedClients, actor: Actor, now: Date): Promise<ClientImportResult> {
  return db.tx(async (t) => {
    // The lock `addnewclient` and `updateclient` take: client ids and operator numbers stay unique.
    await lockKey(t, 'cicero.clients');
    const { rows } = await t.query<Stored>(`SELECT client_id, ${FIELDS.join(', ')} FROM clients FOR UPDATE`);
    const byId = new Map(rows.map((r) => [r.client_id.toLowerCase(), r]));
    // Which client each operator number runs (stored in any form), kept up to date row by row.
    const operatorOf = new Map<string, string>();
    for (const r of rows) {
      const number = typeof r.client_operator === 'string' ? normalOf('client_operator', r.client_operator) : null;
      if (typeof number === 'string' && number !== '') operatorOf.set(number, r.client_id);
    }
    const operatorTaken = (row: (typeof parsed.rows)[number]): string | null => {
      const number = row.values.client_operator;
      if (typeof number !== 'string') return null;
      const holder = operatorOf.get(number);
      return holder !== undefined && holder.toLowerCase() !== row.clientId.toLowerCase() ? holder : null;
    };
    const rejected = [...parsed.rejected];
    const changes: FieldChange[] = [];
    let inserted = 0;
    let updated = 0;
    let unchanged = 0;
    for (const row of parsed.rows) {
      const before = byId.get(row.clientId.toLowerCase());
      const taken = operatorTaken(row);
      if (taken) {
        rejected.push({ line: row.line, reason: `client_operator ${row.values.client_operator} already runs client ${taken}` });
        continue;
      }
      if (typeof row.values.client_operator === 'string') operatorOf.set(row.values.client_operator, before?.client_id ?? row.clientId);
      if (!before) {
        if (row.values.nama === undefined) {
          rejected.push({ line: row.line, reason: `client ${row.clientId} is new and needs its nama` });
          continue;
        }
        // A new client as `addnewclient` makes it: id upper-cased, every platform off unless the file says.
        const newId = parseClientId(row.clientId);
        if (!newId) {
          rejected.push({ line: row.line, reason: `new client ${row.clientId}: the id must be letters, digits and _ (at most ${CLIENT_ID_MAX})` });
          continue;
        }
        const values: Partial<Record<ClientField, string | boolean>> = { ...PLATFORMS_OFF, ...row.values };
        const fields = FIELDS.filter((f) => values[f] !== undefined);
        await t.query(
          `INSERT INTO clients (client_id, ${fields.join(', ')}, created_at, updated_at)
           VALUES ($1, ${fields.map((_, i) => `$${i + 3}`).join(', ')}, $2, $2)`,
          [newId, now, ...fields.map((f) => values[f])],
        );
        for (const f of fields) changes.push({ clientId: newId, userId: null, field: f, oldValue: null, newValue: String(values[f]) });
        byId.set(newId.toLowerCase(), { client_id: newId, ...values } as Stored);
        inserted += 1;
        continue;
      }
      const changed = FIELDS.filter((f) => row.values[f] !== undefined && row.values[f] !== normalOf(f, before[f]));
      if (changed.length === 0) {
        unchanged += 1;
        continue;
      }
      await t.query(
        `UPDATE clients SET ${changed.map((f, i) => `${f} = $${i + 3}`).join(', ')}, updated_at = $2 WHERE client_id = $1`,
        [before.client_id, now, ...changed.map((f) => row.values[f])],
      );
      for (const f of changed) {
        const old = before[f];
        changes.push({ clientId: before.client_id, userId: null, field: f, oldValue: old === null ? null : String(old), newValue: String(row.values[f]) });
      }
      updated += 1;
    }
    const logged = await recordChanges(t, actor, changes, now);
    rejected.sort((a, b) => a.line - b.line);
    return { inserted, updated, unchanged, rejected, changes: logged };
  });
}
