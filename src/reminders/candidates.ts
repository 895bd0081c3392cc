/**
 * Who may get today's reminder: opted in; active, not excused (exception), of an
 * active client; still bound to the number they opted in with (a changed number never
 * wrote to the bot); not yet reminded today. Members reminded least recently first,
 * so a daily maximum rotates through everyone.
 */
import type { Queryable } from '../db/db.js';

export interface Candidate {
  userId: string;
  clientId: string;
  /** The chat the member opted in from. */
  chatId: string;
  /** The bot number they opted in through (null: the queueing process's). */
  endpoint: string | null;
}

export async function reminderCandidates(db: Queryable, day: string): Promise<Candidate[]> {
  const { rows } = await db.query<{ user_id: string; client_id: string; chat_id: string; endpoint: string | null }>(
    `SELECT r.user_id, u.client_id, r.chat_id, r.endpoint
       FROM member_reminder r
       JOIN "user" u ON u.user_id = r.user_id
       JOIN clients c ON c.client_id = u.client_id
      WHERE r.enabled AND u.status AND NOT u.exception AND c.client_status
        AND u.whatsapp IS NOT NULL AND u.whatsapp = r.whatsapp
        AND NOT EXISTS (SELECT 1 FROM member_reminder_sent s WHERE s.user_id = r.user_id AND s.day = $1::date)
      ORDER BY (SELECT max(s.day) FROM member_reminder_sent s WHERE s.user_id = r.user_id) ASC NULLS FIRST, r.user_id`,
    [day],
  );
  return rows.map((r) => ({ userId: r.user_id, clientId: r.client_id, chatId: r.chat_id, endpoint: r.endpoint }));
}
