/**
 * Queues one member's reminder: the `member_reminder_sent` row and the outbox rows in
 * one transaction, under a lock, so the daily maximum and the one-a-day rule hold with
 * several bot processes (the primary key (user_id, day) is the one-a-day rule itself).
 */
import type { Db, Queryable } from '../db/db.js';
import { lockKey } from '../members/binding.js';
import type { Outbox } from '../outbox/outbox.js';
import { OutboxStore } from '../outbox/store.js';
import type { Candidate } from './candidates.js';

export const reminderKey = (userId: string, day: string): string => `reminder:${userId}:${day}`;

export type QueueOutcome = 'queued' | 'already' | 'full';

export async function queueReminder(
  db: Db,
  outbox: Outbox,
  member: Candidate,
  text: string,
  day: string,
  maxPerDay: number,
  now: Date,
): Promise<QueueOutcome> {
  return db.tx(async (t) => {
    await lockKey(t, 'member-reminders');
    if ((await remindedOn(t, day)) >= maxPerDay) return 'full';
    const { rows } = await t.query(
      `INSERT INTO member_reminder_sent (user_id, day, chat_id, sent_at) VALUES ($1, $2::date, $3, $4)
       ON CONFLICT (user_id, day) DO NOTHING RETURNING user_id`,
      [member.userId, day, member.chatId, now],
    );
    if (rows.length === 0) return 'already';
    // From the number the member wrote to, whichever process queues it.
    const parts = outbox.rowsOf({ chatId: member.chatId, key: reminderKey(member.userId, day), origin: 'broadcast', text });
    const insert = OutboxStore.insertStatement(
      parts.map((row) => ({ ...row, endpoint: member.endpoint ?? row.endpoint })),
      2,
      '$1',
    );
    await t.query(insert.sql, [now, ...insert.params]);
    return 'queued';
  });
}

/** Reminders queued on the day, by every process. */
export async function remindedOn(db: Queryable, day: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM member_reminder_sent WHERE day = $1::date', [day]);
  return rows[0]!.n;
}

/**
 * Drops reminders of earlier days still waiting in the outbox (WhatsApp was down, the
 * budget was spent): a reminder sent a day late lists posts no longer asked for.
 */
export async function dropStaleReminders(db: Queryable, day: string): Promise<number> {
  const { rows } = await db.query(
    `DELETE FROM outbox WHERE status = 'pending' AND message_key LIKE 'reminder:%' AND right(message_key, 10) < $1
     RETURNING id`,
    [day],
  );
  return rows.length;
}
