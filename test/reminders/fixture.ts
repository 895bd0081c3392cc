/**
 * The worked example (test/helpers/compliance.ts) with three members bound to numbers,
 * on Wednesday 25/11/2026: BUDI liked both Instagram posts and has not commented on the
 * TikTok video; ANI liked sc1 only and commented; CANDRA has no handles at all.
 */
import { remindMembers } from '../../src/reminders/remind.js';
import { createTestBot, MEMBER, type TestBot } from '../helpers/bot.js';
import { MEMBERS, seedWorkedExample } from '../helpers/compliance.js';
import type { TestDatabase } from '../helpers/db.js';

export const ANI = '6281300000022';
export const CANDRA = '6281300000033';
export const ZONE = 'Asia/Jakarta';
export { MEMBER, MEMBERS };

export const IG = (shortcode: string): string => `https://www.instagram.com/p/${shortcode}`;
export const TT = (video: string): string => `https://www.tiktok.com/@polresabc/video/${video}`;

export async function freshDay(database: TestDatabase): Promise<TestBot> {
  const { db } = database;
  for (const table of ['outbox', 'member_reminder_sent', 'member_reminder', 'clients', 'conversation']) await db.query(`DELETE FROM ${table}`);
  await seedWorkedExample(db);
  await db.query(`UPDATE "user" SET whatsapp = $2 WHERE user_id = $1`, [MEMBERS.ani, ANI]);
  await db.query(`UPDATE "user" SET whatsapp = $2 WHERE user_id = $1`, [MEMBERS.candra, CANDRA]);
  return createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000' } });
}

/** Runs the reminders at the bot's clock and returns what was sent, per chat. */
export async function remind(t: TestBot, database: TestDatabase, maxPerDay = 40) {
  const run = await remindMembers(database.db, t.bot.outbox, { timezone: ZONE, maxPerDay }, t.clock.now);
  await t.bot.outbox.drain();
  return { run, sent: t.transport.takeTexts() };
}
