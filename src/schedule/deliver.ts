/**
 * Queues one occurrence's messages in the outbox as broadcasts. Each message's key names
 * the job, the client, the occurrence and the recipient, so running the occurrence again
 * (a retry, a second process) adds nothing. Still-waiting messages of the job's earlier
 * occurrences (keys hold ISO times, which sort in time order) are removed in the same transaction: a recap superseded by a newer one is
 * never sent late.
 */
import type { Db } from '../db/db.js';
import type { Outbox } from '../outbox/outbox.js';
import { OutboxStore } from '../outbox/store.js';
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

export async function deliver(
  db: Db,
  outbox: RowMaker,
  occurrence: { clientId: string; job: JobName; at: Date },
  messages: readonly JobMessage[],
  now: Date,
): Promise<Delivery> {
  const own = occurrenceKey(occurrence.clientId, occurrence.job, occurrence.at);
  const counter = new Map<string, number>();
  const rows = messages.flatMap(({ chatId, part }) => {
    const n = (counter.get(chatId) ?? 0) + 1;
    counter.set(chatId, n);
    return outbox.rowsOf({
      chatId,
      key: `${own}${chatId}:${n}`,
      origin: 'broadcast',
      ...('text' in part ? { text: part.text } : { document: part.document }),
    });
  });
  const delivery = await db.tx(async (t) => {
    // Only rows not yet claimed: a part being sent right now finishes.
    const { rows: removed } = await t.query(
      `DELETE FROM outbox
        WHERE status = 'pending' AND left(message_key, length($1)) = $1 AND message_key < $2
       RETURNING id`,
      [jobPrefix(occurrence.clientId, occurrence.job), own],
    );
    let queued = 0;
    // Bounded statements: a province recap to many recipients can be hundreds of rows.
    for (let i = 0; i < rows.length; i += 200) {
      const insert = OutboxStore.insertStatement(rows.slice(i, i + 200), 2, '$1');
      const { rows: added } = await t.query(`${insert.sql} RETURNING id`, [now, ...insert.params]);
      queued += added.length;
    }
    return { queued, superseded: removed.length };
  });
  if (delivery.queued > 0) outbox.wake();
  return delivery;
}
