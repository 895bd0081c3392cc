/** The client a report is about, found the way operators type it (any case). */
import type { Queryable } from '../db/db.js';
import type { Threshold } from './classify.js';
import type { ClientRow } from '../clients/record.js';

export interface ComplianceClient {
  clientId: string;
  nama: string;
  active: boolean;
  /** Instagram account and whether Instagram compliance is on. */
  insta: string | null;
  instaEnabled: boolean;
  tiktok: string | null;
  tiktokEnabled: boolean;
  amplifyEnabled: boolean;
  threshold: Threshold;
  /** `client_type` as stored (ORG, POLDA, POLSEK, …), null when empty: the unit label of its reports. */
  type: string | null;
  /** The client's own division order (`urutandivisi`); empty: the default order. */
  divisionOrder: string[];
}

type Row = Pick<
  ClientRow,
  | 'client_id'
  | 'nama'
  | 'client_type'
  | 'client_status'
  | 'client_insta'
  | 'client_insta_status'
  | 'client_tiktok'
  | 'client_tiktok_status'
  | 'client_amplify_status'
> & { absensi_threshold: Threshold; division_order: string[] };

const COLUMNS = `client_id, nama, client_type, client_status, client_insta, client_insta_status, client_tiktok,
  client_tiktok_status, client_amplify_status, absensi_threshold, division_order`;

export async function findClient(db: Queryable, typed: string): Promise<ComplianceClient | null> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM clients WHERE lower(client_id) = lower($1) ORDER BY client_id = $1 DESC LIMIT 1`,
    [typed.trim()],
  );
  return rows[0] ? toClient(rows[0]) : null;
}

/** Every active client, by id: one query whatever their number. */
export async function activeClients(db: Queryable): Promise<ComplianceClient[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM clients WHERE client_status ORDER BY client_id`);
  return rows.map(toClient);
}

function toClient(r: Row): ComplianceClient {
  const blank = (v: string | null) => (v === null || v.trim() === '' ? null : v.trim());
  return {
    clientId: r.client_id,
    nama: r.nama,
    active: r.client_status,
    insta: blank(r.client_insta),
    instaEnabled: r.client_insta_status,
    tiktok: blank(r.client_tiktok),
    tiktokEnabled: r.client_tiktok_status,
    amplifyEnabled: r.client_amplify_status,
    threshold: r.absensi_threshold,
    type: blank(r.client_type),
    divisionOrder: r.division_order ?? [],
  };
}

export async function listClientIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ client_id: string }>(`SELECT client_id FROM clients ORDER BY client_id`);
  return rows.map((r) => r.client_id);
}

/** Sets the client's own division order (`urutandivisi`); an empty list restores the default. */
export async function setDivisionOrder(db: Queryable, clientId: string, order: readonly string[]): Promise<void> {
  await db.query(`UPDATE clients SET division_order = $2, updated_at = now() WHERE client_id = $1`, [clientId, order]);
}

export async function setThreshold(db: Queryable, clientId: string, threshold: Threshold): Promise<void> {
  await db.query(`UPDATE clients SET absensi_threshold = $2, updated_at = now() WHERE client_id = $1`, [clientId, threshold]);
}
