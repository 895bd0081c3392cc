/**
 * Who changed what: one `change_log` row per changed field of a member or a client, by
 * chat or from the command line. Written in the same transaction as the change, so a
 * change is never without its row. A "change" to the value already stored writes
 * nothing: a message handled again after a database blip records its change once.
 */
import { userInfo } from 'node:os';
import type { Queryable } from '../db/db.js';
import type { Sender } from '../identity/sender.js';

/** Who made a change: a chat sender (its number or LID, and role) or a command-line user. */
export interface Actor {
  source: 'whatsapp' | 'cli';
  /** The sender's key (phone, else LID), or the operating-system user. */
  id: string;
  /** `admin`, `operator`, `member`, or `cli`. */
  role: string;
}

export interface FieldChange {
  clientId: string | null;
  /** The member's NRP; null for a client's setting. */
  userId: string | null;
  field: string;
  oldValue: string | null;
  newValue: string | null;
}

export interface ChangeRecord extends FieldChange {
  changedAt: Date;
  source: Actor['source'];
  actor: string;
  actorRole: string;
}

/** The command line's actor: the operating-system user running it. */
export function cliActor(): Actor {
  let name = process.env.USER ?? process.env.LOGNAME ?? 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's name stands.
  }
  return { source: 'cli', id: name, role: 'cli' };
}

/** A chat sender as the actor of a change. */
export function chatActor(sender: Pick<Sender, 'key' | 'role'>): Actor {
  return { source: 'whatsapp', id: sender.key, role: sender.role };
}

/** Writes one row per change whose value really changed; returns how many. */
export async function recordChanges(db: Queryable, actor: Actor, changes: readonly FieldChange[], at: Date): Promise<number> {
  const real = changes.filter((c) => c.oldValue !== c.newValue);
  if (real.length === 0) return 0;
  const params: unknown[] = [at, actor.source, actor.id, actor.role];
  const rows = real.map((c) => {
    const n = params.length;
    params.push(c.clientId, c.userId, c.field, c.oldValue, c.newValue);
    return `($1, $2, $3, $4, $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5})`;
  });
  await db.query(
    `INSERT INTO change_log (changed_at, source, actor, actor_role, client_id, user_id, field, old_value, new_value)
     VALUES ${rows.join(', ')}`,
    params,
  );
  return real.length;
}

/** A `change_log` row as read (snake_case columns). */
export interface ChangeRow {
  changed_at: Date;
  source: Actor['source'];
  actor: string;
  actor_role: string;
  client_id: string | null;
  user_id: string | null;
  field: string;
  old_value: string | null;
  new_value: string | null;
}

/** The columns of a {@link ChangeRow}, for SELECT lists (prefixed with a table alias when given). */
export const changeColumns = (alias = ''): string =>
  ['changed_at', 'source', 'actor', 'actor_role', 'client_id', 'user_id', 'field', 'old_value', 'new_value']
    .map((c) => `${alias}${c}`)
    .join(', ');

export const toChangeRecord = (r: ChangeRow): ChangeRecord => ({
  changedAt: new Date(r.changed_at),
  source: r.source,
  actor: r.actor,
  actorRole: r.actor_role,
  clientId: r.client_id,
  userId: r.user_id,
  field: r.field,
  oldValue: r.old_value,
  newValue: r.new_value,
});

/** A member's last `limit` changes, newest first. */
export async function memberHistory(db: Queryable, userId: string, limit = 20): Promise<ChangeRecord[]> {
  const { rows } = await db.query<ChangeRow>(
    `SELECT ${changeColumns()} FROM change_log WHERE user_id = $1 ORDER BY changed_at DESC, id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows.map(toChangeRecord);
}
