/** One member field changed by an operator or admin command, answered with the changed card. */
import { chatActor } from '../audit/change-log.js';
import type { Context } from '../bot/context.js';
import { UserError } from '../bot/errors.js';
import { editMember, type FieldValue, type ManagedMember, type MemberField } from './manage.js';
import { changed, memberNotFound, valueTaken } from './manage-texts.js';
import { mayName, showNumbers } from './scope.js';

export async function applyEdit(ctx: Context, member: ManagedMember, field: MemberField, value: FieldValue | null): Promise<void> {
  const { db, now } = ctx.services;
  const outcome = await editMember(db, chatActor(ctx.sender), member.userId, field, value, now());
  if (!outcome.ok) {
    if (outcome.reason === 'not-found') throw new UserError(memberNotFound(member.userId));
    throw new UserError(valueTaken(field, mayName(ctx, outcome.ownerClient) ? outcome.owner : null));
  }
  await ctx.reply(changed(field, outcome.member, showNumbers(ctx), outcome.changed));
}
