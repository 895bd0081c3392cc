/**
 * Tells each client's operator what admins changed in their client, in one short
 * message per minute at most: a job every minute reads the admin rows of change_log
 * not yet told (src/audit/operator-notice.ts), queues one message per client through
 * the outbox and marks them told, in one transaction under a lock, so several bot
 * processes tell each change once and a crash tells it at the next run.
 */
import { schedule } from 'node-cron';
import { adminChangesNotice } from '../audit/notice-text.js';
import { markNotified, pendingNotices } from '../audit/operator-notice.js';
import type { Db } from '../db/db.js';
import { canonicalPhone, phoneChatId } from '../identity/wa-id.js';
import type { Logger } from '../log.js';
import { lockKey } from '../members/binding.js';
import type { Outbox } from '../outbox/outbox.js';
import { OutboxStore } from '../outbox/store.js';

/** Changes older than this are never told (a first run does not tell the whole history). */
const LOOK_BACK_MS = 60 * 60_000;

/** Queues the notices due now; returns how many messages were queued. */
export async function tellOperators(db: Db, outbox: Outbox, zone: string, now: Date): Promise<number> {
  const queued = await db.tx(async (t) => {
    await lockKey(t, 'operator-notices');
    let messages = 0;
    for (const notice of await pendingNotices(t, new Date(now.getTime() - LOOK_BACK_MS))) {
      const operator = notice.operator ? canonicalPhone(notice.operator) : null;
      if (operator) {
        const rows = outbox.rowsOf({
          chatId: phoneChatId(operator),
          key: `admin-changes:${notice.clientId}:${notice.lastChangeId}`,
          origin: 'broadcast',
          text: adminChangesNotice(notice.clientId, notice.changes, zone),
        });
        const insert = OutboxStore.insertStatement(rows, 2, '$1');
        await t.query(insert.sql, [now, ...insert.params]);
        messages++;
      }
      // Without an operator number there is nobody to tell: the changes are passed over.
      await markNotified(t, notice.clientId, notice.lastChangeId, now);
    }
    return messages;
  });
  if (queued > 0) outbox.wake();
  return queued;
}

export function scheduleOperatorNotices(db: Db, outbox: Outbox, zone: string, log: Logger): { stop(): void } {
  const job = schedule(
    '* * * * *',
    async () => {
      try {
        const queued = await tellOperators(db, outbox, zone, new Date());
        if (queued > 0) log.info({ queued }, 'operators told of admin changes');
      } catch (error) {
        log.error({ err: error }, 'telling operators of admin changes failed');
      }
    },
    { timezone: zone, noOverlap: true, name: 'operator-notices' },
  );
  return { stop: () => void job.stop() };
}
