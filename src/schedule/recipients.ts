/**
 * Who receives a client's scheduled messages, read when the job runs: the groups bound
 * to the client (`thisgroup#`), its operator and super numbers, and the job's extra
 * recipients. Numbers in any common form become `<digits>@c.us`; group ids stay
 * `…@g.us` (Cicero_V2 rewrote them to `@c.us`, so its group recaps never arrived).
 */
import { groupIds } from '../clients/record.js';
import type { Queryable } from '../db/db.js';
import { chatIdOf, parseWaIdentity } from '../identity/wa-id.js';

export interface Recipients {
  /** Group chats: they get the short "belum" recap. */
  groups: string[];
  /** Private chats (operator, super, extra numbers): they get the full recap. */
  people: string[];
  /** Entries that are neither a number, a LID nor a group id, as typed. */
  unusable: string[];
}

const isGroupId = (value: string): boolean => /^[\w-]+@g\.us$/i.test(value.trim());

/** Splits a stored list ("0812…, 62813…@c.us") into entries. */
const entries = (value: string | null): string[] =>
  (value ?? '')
    .split(/[,;\n]/)
    .map((e) => e.trim())
    .filter(Boolean);

/** Sorts typed entries into group and private chat ids, each once. */
export function recipientsOf(groups: readonly string[], numbers: readonly string[]): Recipients {
  const out: Recipients = { groups: [], people: [], unusable: [] };
  for (const raw of [...groups, ...numbers]) {
    if (isGroupId(raw)) {
      const id = raw.trim().toLowerCase();
      if (!out.groups.includes(id)) out.groups.push(id);
      continue;
    }
    const identity = parseWaIdentity(raw);
    if (!identity) {
      out.unusable.push(raw);
      continue;
    }
    const id = chatIdOf(identity);
    if (!out.people.includes(id)) out.people.push(id);
  }
  return out;
}

/** The recipients of one client's job; null when the client does not exist. */
export async function loadRecipients(db: Queryable, clientId: string, extra: readonly string[]): Promise<Recipients | null> {
  const { rows } = await db.query<{ client_group: string | null; client_operator: string | null; client_super: string | null }>(
    'SELECT client_group, client_operator, client_super FROM clients WHERE client_id = $1',
    [clientId],
  );
  const row = rows[0];
  if (!row) return null;
  return recipientsOf(groupIds(row.client_group), [...entries(row.client_operator), ...entries(row.client_super), ...extra]);
}
