/**
 * Queues one occurrence's messages in the outbox as broadcasts: per recipient, the pages
 * of its recap as one message, whose key names the job, the client, the occurrence and the
 * recipient, so running the occurrence again (a retry, a second process) adds nothing. Still-waiting messages of the job's earlier
 * occurrences (keys hold ISO times, which sort in time order) are removed in the same transaction: a recap superseded by a newer one is
 * never sent late.
 */
import type { Db } from '../db/db.js';
import type { Outbox } from '../outbox/outbox.js';
import { type NewRow, OutboxStore } from '../outbox/store.js';
import type { JobName } from './jobs.js';
import type { JobMessage } from './run-job.js';

/** What queuing needs of the outbox: the running bot's, or rows for another number (`recap run --enqueue`). */
export type RowMaker = Pick<Outbox, 'rowsOf' | 'wake'>;

export interface Delivery {
  queued: number;
  /** Outbox rows of earlier occurrences removed unsent. */
  superseded: number;
}

const jobPrefix = (clientId: string, job: JobName): string => `jadwal:${clientId}:${job}:`;

export function occurrenceKey(clientId: string, job: JobName, occurrence: Date): string {
  return `${jobPrefix(clientId, job)}${occurrence.toISOString()}:`;
}

/** Each recipient's pages as the parts of one outbox message (they then follow each other without the broadcast gap); each document a message of its own. */
function rowsFor(outbox: RowMaker, own: string, messages: readonly JobMessage[]): NewRow[] {
  const byChat = new Map<string, JobMessage[]>();
  for (const m of messages) byChat.set(m.chatId, [...(byChat.get(m.chatId) ?? []), m]);
  const rows: NewRow[] = [];
  for (const [chatId, list] of byChat) {
    const key = `${own}${chatId}`;
    const pages = list.flatMap((m) => ('text' in m.part ? outbox.rowsOf({ chatId, key, origin: 'broadcast', text: m.part.text }) : []));
    rows.push(...pages.map((row, i) => ({ ...row, part: i + 1, parts: pages.length })));
    list.forEach((m, i) => {
      if ('document' in m.part) rows.push(...outbox.rowsOf({ chatId, key: `${key}:doc${i}`, origin: 'broadcast', document: m.part.document }));
    });
  }
  return rows;
}

export async function deliver(
  db: Db,
  outbox: RowMaker,
  occurrence: { clientId: string; job: JobName; at: Date },
  messages: readonly JobMessage[],
  now: Date,
  /** Remove the unsent messages of the job's earlier occurrences (not for a run of a past day). */
  supersede = true,
): Promise<Delivery> {
  const prefix = jobPrefix(occurrence.clientId, occurrence.job);
  const iso = occurrence.at.toISOString();
  const rows = rowsFor(outbox, occurrenceKey(occurrence.clientId, occurrence.job, occurrence.at), messages);
  // The occurrence time in a key: ISO strings of one length, which sort in time order.
  const keyTime = `substr(message_key, length($1) + 1, ${iso.length})`;
  const delivery = await db.tx(async (t) => {
    // A newer occurrence already queued (this one ran late): this one is superseded before it starts.
    const { rows: newer } = await t.query(`SELECT 1 FROM outbox WHERE left(message_key, length($1)) = $1 AND ${keyTime} > $2 LIMIT 1`, [
      prefix,
      iso,
    ]);
    if (newer.length > 0) return { queued: 0, superseded: 0 };
    let superseded = 0;
    if (supersede) {
      // Only messages none of whose parts left or are leaving: a recap is never cut in the middle.
      const { rows: removed } = await t.query(
        `DELETE FROM outbox o
          WHERE o.status = 'pending' AND left(o.message_key, length($1)) = $1 AND ${keyTime.replace('message_key', 'o.message_key')} < $2
            AND NOT EXISTS (SELECT 1 FROM outbox s WHERE s.message_key = o.message_key AND s.status IN ('sending', 'sent'))
         RETURNING o.id`,
        [prefix, iso],
      );
      superseded = removed.length;
    }
    let queued = 0;
    // Bounded statements: a province recap to many recipients can be hundreds of rows.
    for (let i = 0; i < rows.length; i += 200) {
      const insert = OutboxStore.insertStatement(rows.slice(i, i + 200), 2, '$1');
      const { rows: added } = await t.query(`${insert.sql} RETURNING id`, [now, ...insert.params]);
      queued += added.length;
    }
    return { queued, superseded };
  });
  if (delivery.queued > 0) outbox.wake();
  return delivery;
}
