/**
 * Which members an operator or admin may see and change. An operator: only members of
 * their own client; an admin: any, except that in a group bound to a client everyone
 * gets that client's members only. A member outside the sender's scope is answered
 * exactly like an NRP nobody has, so another unit's members are never shown.
 */
import type { BaseContext } from '../bot/context.js';
import { UserError } from '../bot/errors.js';
import { parseNrp } from './binding.js';
import { loadMember, type ManagedMember } from './manage.js';
import { memberNotFound } from './manage-texts.js';
import { MALFORMED_NRP } from './texts.js';

/** A scope that holds no member: an operator in another client's group, or without a client. */
export const NO_CLIENT = '';

/**
 * The client whose members the sender manages here: null for an admin outside a bound
 * group (any client), {@link NO_CLIENT} when the sender manages none here.
 */
export function managedClient(ctx: BaseContext): string | null {
  const own = ctx.sender.role === 'operator' ? (ctx.sender.client?.clientId ?? NO_CLIENT) : null;
  if (ctx.chat.isGroup && ctx.chat.client) {
    // A bound group is its client's: an admin manages that client there, an operator only if it is theirs.
    const group = ctx.chat.client.clientId;
    return ctx.sender.role === 'admin' || own === group ? group : NO_CLIENT;
  }
  return ctx.sender.role === 'admin' ? null : (own ?? NO_CLIENT);
}

/** The typed NRP in its stored form (throws a reply for a malformed one). */
export function typedNrp(typed: string): string {
  const nrp = parseNrp(typed);
  if (!nrp) throw new UserError(MALFORMED_NRP);
  return nrp;
}

/** How a new NRP is stored: 6 or 7 digits zero-padded to 8, as imports store them. */
export const storedNrp = (nrp: string): string => (nrp.length < 8 ? nrp.padStart(8, '0') : nrp);

/**
 * The member `typed` names, when the sender may manage them; otherwise a "not found"
 * reply. `scope` is the client whose members are in reach (null: any), by default the
 * sender's (the operator menu passes the client an admin picked).
 */
export async function memberInScope(ctx: BaseContext, typed: string, scope = managedClient(ctx)): Promise<ManagedMember> {
  const nrp = typedNrp(typed);
  const { db } = ctx.services;
  const member = (await loadMember(db, nrp)) ?? (nrp.length < 8 ? await loadMember(db, storedNrp(nrp)) : null);
  if (!member || (scope !== null && member.clientId !== scope)) throw new UserError(memberNotFound(nrp));
  if (member.clientId) ctx.actOn(member.clientId);
  return member;
}

/** Whether the sender may be told who (of client `clientId`) holds a number or handle. */
export function mayName(ctx: BaseContext, clientId: string | null): boolean {
  if (ctx.sender.role === 'admin') return true;
  return ctx.sender.role === 'operator' && clientId !== null && ctx.sender.client?.clientId === clientId;
}

/** Member numbers are shown in private chats only. */
export const showNumbers = (ctx: BaseContext): boolean => !ctx.chat.isGroup;
