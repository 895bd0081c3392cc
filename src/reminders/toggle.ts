/**
 * The chat side of the opt-in, shared by `notifwa` and the member's menu: only a bound
 * member, in a private chat (the chat a reminder will go to).
 */
import type { BaseContext } from '../bot/context.js';
import type { Sender } from '../identity/sender.js';
import { NOT_BOUND } from '../members/texts.js';
import { reminderState, setReminder } from './opt-in.js';
import * as text from './texts.js';

/** Why the sender may not see (`enabling` undefined) or switch their reminder, or null. */
export function reminderRefusal(sender: Sender, enabling?: boolean): string | null {
  const member = sender.member;
  if (!member) return NOT_BOUND;
  if (enabling === true && !member.active) return text.inactiveMember(member.userId);
  return null;
}

/** Whether the bound sender's reminder is on. */
export async function ownReminderEnabled(ctx: BaseContext): Promise<boolean> {
  const state = await reminderState(ctx.services.db, ctx.sender.member!.userId);
  return state?.enabled === true;
}

/** Turns the bound sender's reminder on or off from this chat; the reply. */
export async function switchReminder(ctx: BaseContext, enabled: boolean): Promise<string> {
  const userId = ctx.sender.member!.userId;
  const { db, now } = ctx.services;
  const before = await reminderState(db, userId);
  await setReminder(db, userId, { chatId: ctx.chat.id, endpoint: ctx.services.outbox.endpoint }, enabled, now());
  if (enabled) return before?.enabled && before.chatId === ctx.chat.id ? text.ALREADY_ON : text.turnedOn(ctx.services.reminderTime);
  return before?.enabled ? text.TURNED_OFF : text.ALREADY_OFF;
}
