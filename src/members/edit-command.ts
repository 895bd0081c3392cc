/** One member field changed by an operator or admin (command or menu): the reply, the changed card. */
import { chatActor } from '../audit/change-log.js';
import type { BaseContext, Context } from '../bot/context.js';
import { UserError } from '../bot/errors.js';
import { checkHandle } from './handle-check.js';
import { editMember, type FieldValue, type ManagedMember, type MemberField, PLATFORM } from './manage.js';
import { badValue, changed, memberNotFound, OWN_NUMBER, valueTaken } from './manage-texts.js';
import { mayName, memberInScope, showNumbers } from './scope.js';

/** The reply to the change; throws a `UserError` (the refusal) when it cannot be made. */
export async function editReply(ctx: BaseContext, member: ManagedMember, field: MemberField, value: FieldValue | null): Promise<string> {
  // An operator's own number given to someone else (a slip, as Cicero_V2 found): that member would speak as the operator.
  if (field === 'whatsapp' && value !== null && value === ctx.sender.phone && ctx.sender.member?.userId !== member.userId) {
    throw new UserError(OWN_NUMBER);
  }
  // A handle's account is looked up first (outside the change's transaction); no such account is refused.
  const verdict =
    (field === 'insta' || field === 'tiktok') && typeof value === 'string'
      ? await checkHandle(ctx, member, PLATFORM[field], value, ctx.sender.member?.userId === member.userId)
      : null;
  if (verdict && verdict.refused !== null) throw new UserError(verdict.refused);
  const { db, now } = ctx.services;
  const outcome = await editMember(db, chatActor(ctx.sender), member.userId, field, value, now());
  if (!outcome.ok) {
    if (outcome.reason === 'not-found') throw new UserError(memberNotFound(member.userId));
    throw new UserError(valueTaken(field, mayName(ctx, outcome.ownerClient) ? outcome.owner : null));
  }
  await verdict?.keep();
  return changed(field, outcome.member, showNumbers(ctx), outcome.changed, verdict?.note ?? null);
}

export async function applyEdit(ctx: BaseContext, member: ManagedMember, field: MemberField, value: FieldValue | null): Promise<void> {
  await ctx.reply(await editReply(ctx, member, field, value));
}

/**
 * The handler of a `<command>#<NRP>#<word>` command that sets a yes/no field
 * (`statusanggota`, `exception`): only the two `words` are taken.
 */
export function flagHandler(field: 'status' | 'exception', words: readonly [string, string]) {
  return async (ctx: Context): Promise<void> => {
    const [nrp = '', raw = ''] = ctx.args;
    const word = raw.trim().toLowerCase();
    if (!words.includes(word)) throw new UserError(badValue(field, 'flag'));
    await applyEdit(ctx, await memberInScope(ctx, nrp), field, word === words[0]);
  };
}
