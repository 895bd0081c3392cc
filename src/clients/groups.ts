/**
 * Binding WhatsApp groups to clients (`clients.client_group`, comma-separated ids). A
 * group belongs to one client only; binds and unbinds take one lock, so two clients
 * binding one group at the same moment (two processes) end with one binding.
 */
import { type Actor, recordChanges } from '../audit/change-log.js';
import type { Db, Executor } from '../db/db.js';
import { CLIENT_COLUMNS, type ClientRow, clientChanges, groupIds, loadClient } from './record.js';

async function lockGroups(t: Executor): Promise<void> {
  await t.query(`SELECT pg_advisory_xact_lock(hashtextextended('cicero.client_group', 0))`);
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The clients whose `client_group` lists the group (more than one only in old data). */
async function clientsOfGroup(t: Executor, groupId: string): Promise<ClientRow[]> {
  const { rows } = await t.query<ClientRow>(
    `SELECT ${CLIENT_COLUMNS} FROM clients WHERE client_group IS NOT NULL AND strpos(lower(client_group), lower($1)) > 0
      ORDER BY client_id`,
    [groupId],
  );
  return rows.filter((r) => groupIds(r.client_group).some((g) => same(g, groupId)));
}

async function setGroups(t: Executor, actor: Actor, before: ClientRow, ids: string[], now: Date): Promise<ClientRow> {
  const { rows } = await t.query<ClientRow>(
    `UPDATE clients SET client_group = $2, updated_at = $3 WHERE client_id = $1 RETURNING ${CLIENT_COLUMNS}`,
    [before.client_id, ids.length > 0 ? ids.join(',') : null, now],
  );
  const after = rows[0]!;
  await recordChanges(t, actor, clientChanges(before, after), now);
  return after;
}

export type BindOutcome =
  | { kind: 'bound'; client: ClientRow }
  | { kind: 'already'; client: ClientRow }
  | { kind: 'elsewhere'; other: ClientRow }
  | { kind: 'unknown' };

/** Adds the group to the client's list, unless it is there already or bound to another client. */
export async function bindGroup(db: Db, actor: Actor, clientId: string, groupId: string, now: Date): Promise<BindOutcome> {
  return db.tx(async (t) => {
    await lockGroups(t);
    const client = await loadClient(t, clientId, true);
    if (!client) return { kind: 'unknown' };
    const holders = await clientsOfGroup(t, groupId);
    const other = holders.find((h) => h.client_id !== client.client_id);
    if (other) return { kind: 'elsewhere', other };
    if (holders.length > 0) return { kind: 'already', client };
    return { kind: 'bound', client: await setGroups(t, actor, client, [...groupIds(client.client_group), groupId], now) };
  });
}

export type UnbindOutcome = { kind: 'unbound'; client: ClientRow; stillBoundTo: string[] } | { kind: 'not-bound' };

/** Removes the group from `clientId`'s list (every spelling of it). */
export async function unbindGroup(db: Db, actor: Actor, clientId: string, groupId: string, now: Date): Promise<UnbindOutcome> {
  return db.tx(async (t) => {
    await lockGroups(t);
    const client = await loadClient(t, clientId, true);
    const ids = groupIds(client?.client_group ?? null);
    if (!client || !ids.some((g) => same(g, groupId))) return { kind: 'not-bound' };
    const after = await setGroups(
      t,
      actor,
      client,
      ids.filter((g) => !same(g, groupId)),
      now,
    );
    const stillBoundTo = (await clientsOfGroup(t, groupId)).map((c) => c.client_id);
    return { kind: 'unbound', client: after, stillBoundTo };
  });
}
