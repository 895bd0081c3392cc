/**
 * Queues one occurrence's messages in the outbox as broadcasts: per recipient, the pages
 * of its recap as the parts of one message whose key names the job, the client, the
 * occurrence and the recipient. In one transaction:
 * - an occurrence already queued (a process died before recording its run, and another
 *   ran it again) queues nothing: the first rendering goes out whole, never mixed;
 * - an occurrence older than one already queued queues nothing: it ran late;
 * - still-waiting messages of earlier occurrences are removed, except a message one of
 *   whose parts already left (a recap is never cut in the middle).
 * Keys hold ISO times, which sort in time order. A run for a past day (`recap run --date`)
 * has keys of its own and neither supersedes nor is superseded.
 */
import type { Db, Executor } from '../db/db.js';
import type { Outbox } from '../outbox/outbox.js';
import { type NewRow, OutboxStore } from '../outbox/store.js';
import type { JobName } from './jobs.js';
import type { JobMessage } from './run-job.js';

/** What queuing needs of the outbox: the running bot's, or rows for another number (`recap run --enqueue`). */
export type RowMaker = Pick<Outbox, 'rowsOf' | 'wake'>;

export interface Delivery {
  queued: number;
  /** Messages of earlier occurrences removed unsent. */
  superseded: number;
  /** Why nothing was queued: the occurrence was queued before, or a newer one was. */
  skipped: 'queued-before' | 'newer-queued' | null;
}

const jobPrefix = (clientId: string, job: JobName): string => `jadwal:${clientId}:${job}:`;

/**
 * Each recipient's pages as the parts of one message (they follow each other without the
 * broadcast gap); a document as `…:doc<n>`, an image as `…:img<n>` (n: its place in the list).
 */
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
      if ('image' in m.part) rows.push(...outbox.rowsOf({ chatId, key: `${key}:img${i}`, origin: 'broadcast', image: m.part.image }));
    });
  }
  return rows;
}

/** A recipient's message: its text key, whatever document (`…:doc<n>`) or image (`…:img<n>`) key it is. */
const messageOf = (key: string): string => key.replace(/:(doc|img)\d+$/, '');

/**
 * Removes the still-waiting messages of the job's occurrences before `iso`. The rows are
 * locked first, so the outbox worker cannot start one of them while it is decided.
 */
async function supersede(t: Executor, prefix: string, iso: string): Promise<number> {
  const older = `left(message_key, length($1)) = $1 AND substr(message_key, length($1) + 1, ${iso.length}) < $2`;
  const { rows: waiting } = await t.query<{ id: number; message_key: string }>(
    `SELECT id, message_key FROM outbox WHERE ${older} AND status = 'pending' ORDER BY id FOR UPDATE`,
    [prefix, iso],
  );
  if (waiting.length === 0) return 0;
  const { rows: started } = await t.query<{ message_key: string }>(
    `SELECT DISTINCT message_key FROM outbox WHERE ${older} AND status IN ('sending', 'sent')`,
    [prefix, iso],
  );
  const begun = new Set(started.map((r) => messageOf(r.message_key)));
  const drop = waiting.filter((r) => !begun.has(messageOf(r.message_key)));
  if (drop.length === 0) return 0;
  await t.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [drop.map((r) => r.id)]);
  return new Set(drop.map((r) => messageOf(r.message_key))).size;
}

export async function deliver(
  db: Db,
  outbox: RowMaker,
  occurrence: { clientId: string; job: JobName; at: Date },
  messages: readonly JobMessage[],
  now: Date,
  /** A run for this past day (`recap run --date`): keys of its own, nothing superseded. */
  pastDay?: string,
): Promise<Delivery> {
  const iso = occurrence.at.toISOString();
  const prefix = pastDay ? `jadwal-${pastDay}:${occurrence.clientId}:${occurrence.job}:` : jobPrefix(occurrence.clientId, occurrence.job);
  const own = `${prefix}${iso}:`;
  // Large files in pieces first (see OutboxStore.stageFiles); a skipped delivery leaves them to housekeeping.
  const rows = await new OutboxStore(db).stageFiles(rowsFor(outbox, own, messages), now);
  const delivery = await db.tx(async (t): Promise<Delivery> => {
    const { rows: seen } = await t.query<{ own: boolean }>(
      `SELECT left(message_key, length($2)) = $2 AS own FROM outbox
        WHERE left(message_key, length($1)) = $1 AND substr(message_key, length($1) + 1, ${iso.length}) >= $3
        ORDER BY 1 DESC LIMIT 1`,
      [prefix, own, iso],
    );
    if (seen[0]) return { queued: 0, superseded: 0, skipped: seen[0].own ? 'queued-before' : 'newer-queued' };
    const superseded = pastDay ? 0 : await supersede(t, prefix, iso);
    let queued = 0;
    // Bounded statements: a province recap to many recipients can be hundreds of rows.
    for (let i = 0; i < rows.length; i += 200) {
      const insert = OutboxStore.insertStatement(rows.slice(i, i + 200), 2, '$1');
      const { rows: added } = await t.query(`${insert.sql} RETURNING id`, [now, ...insert.params]);
      queued += added.length;
    }
    return { queued, superseded, skipped: null };
  });
  if (delivery.queued > 0) outbox.wake();
  return delivery;
}
