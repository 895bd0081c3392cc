/**
 * The replies of the client changes, shared by the short commands (`addnewclient#`,
 * `updateclient#`, `approvedash#`, `denydash#`) and the `clientrequest` menu: each makes
 * the change through its service (which writes change_log), names the client for the
 * audit trail, and answers with the text; a refusal is thrown as a `UserError`.
 */
import { chatActor } from '../audit/change-log.js';
import type { BaseContext } from '../bot/context.js';
import { UserError } from '../bot/errors.js';
import { setDashboardStatus } from './dashboard.js';
import { addClient, updateClient } from './manage.js';
import { memberCounts } from './record.js';
import { accountStatus, changed, clientCard, created, duplicateId, operatorTaken, unchanged, unknownAccount } from './texts.js';
import type { ClientField } from './validate.js';

/** Creates the client (`id` and `nama` already parsed); a duplicate id is refused naming the existing one. */
export async function addClientReply(ctx: BaseContext, id: string, nama: string): Promise<string> {
  const { db, now } = ctx.services;
  const outcome = await addClient(db, chatActor(ctx.sender), id, nama, now());
  if (!outcome.ok) {
    ctx.actOn(outcome.existing);
    throw new UserError(duplicateId(outcome.existing));
  }
  ctx.actOn(id);
  return created(clientCard(outcome.client, { active: 0, total: 0 }));
}

/** Sets one setting (`value` in stored form, see `parseFieldValue`); the reply carries the card after. */
export async function updateClientReply(
  ctx: BaseContext,
  clientId: string,
  field: ClientField,
  value: string | boolean | null,
): Promise<string> {
  const { db, now } = ctx.services;
  const outcome = await updateClient(db, chatActor(ctx.sender), clientId, field, value, now());
  if (!outcome.ok) {
    if (outcome.reason === 'operator-taken') throw new UserError(operatorTaken(outcome.otherClient));
    throw new UserError(`❌ Client *${clientId}* sudah tidak ada.`);
  }
  const card = clientCard(outcome.after, await memberCounts(db, outcome.after.client_id));
  return outcome.before[field] === outcome.after[field] ? unchanged(field, card) : changed(field, card);
}

/** Approves (`approve`) or refuses the dashboard account whose id or username is `typed`. */
export async function dashboardStatusReply(ctx: BaseContext, typed: string, approve: boolean): Promise<string> {
  const { db, now } = ctx.services;
  const outcome = await setDashboardStatus(db, chatActor(ctx.sender), typed, approve, now());
  if (!outcome.found) throw new UserError(unknownAccount(typed));
  if (outcome.account.clientId) ctx.actOn(outcome.account.clientId);
  return accountStatus(outcome.account.username, approve, outcome.changed, outcome.sessionsEnded);
}
