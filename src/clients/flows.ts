/**
 * `removeclient#<ID>`'s confirmation: it shows what goes with the client and waits for
 * `ya` (delete), `nonaktif` (deactivate instead) or `tidak`. The counts are read again
 * when asked, and the deletion checks the sender is still an admin: a menu can outlive
 * a sign-in.
 */
import { chatActor } from '../audit/change-log.js';
import type { BaseContext } from '../bot/context.js';
import { defineFlow } from '../bot/conversation.js';
import { removalImpact, removeClient, updateClient } from './manage.js';
import { loadClient, memberCounts } from './record.js';
import * as text from './texts.js';

export interface RemoveClientData {
  clientId: string;
}

const YES = new Set(['ya', 'y', 'yes', 'iya']);
const NO = new Set(['tidak', 't', 'no', 'n', 'tdk']);
const DEACTIVATE = new Set(['nonaktif', 'nonaktifkan']);

async function deactivate(ctx: BaseContext, clientId: string): Promise<string> {
  const { db, now } = ctx.services;
  const outcome = await updateClient(db, chatActor(ctx.sender), clientId, 'client_status', false, now());
  if (!outcome.ok) return text.clientGone(clientId);
  if (!outcome.before.client_status) return text.alreadyInactive(outcome.after.client_id);
  return text.deactivated(text.clientCard(outcome.after, await memberCounts(db, outcome.after.client_id)));
}

export const removeClientFlow = defineFlow<RemoveClientData>({
  name: 'removeclient',
  first: 'confirm',
  steps: {
    confirm: {
      async ask(data, ctx) {
        const client = await loadClient(ctx.services.db, data.clientId);
        if (!client) return text.clientGone(data.clientId);
        return text.removalQuestion(client, await removalImpact(ctx.services.db, client.client_id));
      },
      async answer(input, data, ctx) {
        const word = input.trim().toLowerCase();
        if (ctx.sender.role !== 'admin') return { done: text.ADMIN_ONLY };
        if (NO.has(word)) return { done: text.removalKept(data.clientId) };
        if (DEACTIVATE.has(word)) return { done: await deactivate(ctx, data.clientId) };
        if (!YES.has(word)) return { repeat: text.REMOVAL_ANSWERS };
        const { db, now } = ctx.services;
        const impact = await removeClient(db, chatActor(ctx.sender), data.clientId, now());
        return { done: impact ? text.removed(data.clientId, impact) : text.clientGone(data.clientId) };
      },
    },
  },
});
