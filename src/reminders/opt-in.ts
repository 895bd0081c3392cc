/**
 * A member's opt-in to the daily reminder (`member_reminder`). Opting in records the
 * chat it was written from (that chat wrote to the bot) and the member's bound number
 * at that moment: a reminder goes only to that chat, and only while the number is
 * still the member's (a changed number never wrote), from the bot number it wrote to.
 */
import type { Queryable } from '../db/db.js';

export interface ReminderState {
  enabled: boolean;
  chatId: string;
}

export async function reminderState(db: Queryable, userId: string): Promise<ReminderState | null> {
  const { rows } = await db.query<{ enabled: boolean; chat_id: string }>(
    'SELECT enabled, chat_id FROM member_reminder WHERE user_id = $1',
    [userId],
  );
  const row = rows[0];
  return row ? { enabled: row.enabled, chatId: row.chat_id } : null;
}

/**
 * Turns the member's reminder on (from `chatId`, with the number bound now) or off.
 * Off keeps the row (and its chat) but sends nothing.
 */
export async function setReminder(
  db: Queryable,
  userId: string,
  chat: { chatId: string; endpoint: string },
  enabled: boolean,
  now: Date,
): Promise<void> {
  // Only a WhatsApp number is kept: a terminal session's endpoint ends with its process.
  const endpoint = chat.endpoint.startsWith('whatsapp:') ? chat.endpoint : null;
  await db.query(
    `INSERT INTO member_reminder (user_id, chat_id, whatsapp, enabled, updated_at, endpoint)
     SELECT u.user_id, $2, u.whatsapp, $3, $4, $5 FROM "user" u WHERE u.user_id = $1
     ON CONFLICT (user_id) DO UPDATE
        SET enabled = excluded.enabled, updated_at = excluded.updated_at,
            chat_id = CASE WHEN excluded.enabled THEN excluded.chat_id ELSE member_reminder.chat_id END,
            whatsapp = CASE WHEN excluded.enabled THEN excluded.whatsapp ELSE member_reminder.whatsapp END,
            endpoint = CASE WHEN excluded.enabled THEN excluded.endpoint ELSE member_reminder.endpoint END`,
    [userId, chat.chatId, enabled, now, endpoint],
  );
}
