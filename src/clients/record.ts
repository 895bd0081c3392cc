/**
 * A client row as the management commands read it, and the change_log rows between two
 * states of it (none → created, before → after, before → removed): one diff for every
 * kind of change, so each writes the same shape of audit rows.
 */
import { CLIENT_FIELDS } from './validate.js';
import type { Queryable } from '../db/db.js';
import type { FieldChange } from '../audit/change-log.js';

export interface ClientRow {
  client_id: string;
  nama: string;
  client_type: string | null;
  client_status: boolean;
  client_insta: string | null;
  client_insta_status: boolean;
  client_tiktok: string | null;
  client_tiktok_status: boolean;
  client_amplify_status: boolean;
  client_operator: string | null;
  client_super: string | null;
  client_group: string | null;
  tiktok_secuid: string | null;
  /** The client's own division order for reports (`urutandivisi`); empty: the default. */
  division_order: string[];
}

/** The audited columns, in card order (client_id names the row, it is not a setting). */
export const AUDITED_COLUMNS = [...CLIENT_FIELDS, 'client_group', 'tiktok_secuid'] as const satisfies readonly (keyof ClientRow)[];

export const CLIENT_COLUMNS = `client_id, nama, client_type, client_status, client_insta, client_insta_status, client_tiktok,
  client_tiktok_status, client_amplify_status, client_operator, client_super, client_group, tiktok_secuid, division_order`;

/** The client whose id is `typed` in any case (the exact spelling first, as `findClient` does). */
export async function loadClient(db: Queryable, typed: string, forUpdate = false): Promise<ClientRow | null> {
  const { rows } = await db.query<ClientRow>(
    `SELECT ${CLIENT_COLUMNS} FROM clients WHERE lower(client_id) = lower($1)
      ORDER BY client_id = $1 DESC LIMIT 1${forUpdate ? ' FOR UPDATE' : ''}`,
    [typed.trim()],
  );
  return rows[0] ?? null;
}

const asText = (v: string | boolean | null | undefined): string | null =>
  v === null || v === undefined ? null : typeof v === 'boolean' ? String(v) : v;

/** One change per audited column whose value differs between the two states. */
export function clientChanges(before: ClientRow | null, after: ClientRow | null): FieldChange[] {
  const clientId = (after ?? before)?.client_id ?? null;
  return AUDITED_COLUMNS.map((field) => ({
    clientId,
    userId: null,
    field,
    oldValue: asText(before?.[field]),
    newValue: asText(after?.[field]),
  })).filter((c) => c.oldValue !== c.newValue);
}

/** The group ids in `client_group` (comma-separated; spaces and case as operators typed them). */
export function groupIds(clientGroup: string | null): string[] {
  return (clientGroup ?? '')
    .split(',')
    .map((g) => g.replace(/\s/g, ''))
    .filter((g) => g !== '');
}

export interface MemberCounts {
  active: number;
  total: number;
}

export async function memberCounts(db: Queryable, clientId: string): Promise<MemberCounts> {
  const { rows } = await db.query<MemberCounts>(
    `SELECT count(*) FILTER (WHERE status)::int AS active, count(*)::int AS total FROM "user" WHERE client_id = $1`,
    [clientId],
  );
  return rows[0] ?? { active: 0, total: 0 };
}

export interface ClientSummary {
  clientId: string;
  nama: string;
  active: boolean;
  members: MemberCounts;
  groups: number;
}

/** Every client with its member counts, in id order. */
export async function listClients(db: Queryable): Promise<ClientSummary[]> {
  const { rows } = await db.query<{ client_id: string; nama: string; client_status: boolean; client_group: string | null; active: number; total: number }>(
    `SELECT c.client_id, c.nama, c.client_status, c.client_group,
            count(u.user_id) FILTER (WHERE u.status)::int AS active, count(u.user_id)::int AS total
       FROM clients c LEFT JOIN "user" u ON u.client_id = c.client_id
      GROUP BY c.client_id ORDER BY c.client_id`,
  );
  return rows.map((r) => ({
    clientId: r.client_id,
    nama: r.nama,
    active: r.client_status,
    members: { active: r.active, total: r.total },
    groups: groupIds(r.client_group).length,
  }));
}
