/**
 * `removeclient#<ID>`'s confirmation: it shows what goes with the client and waits for
 * `ya` (delete), `nonaktif` (deactivate instead) or `tidak`. The counts are read again
 * when asked, and the deletion checks the sender is still an admin: a menu can outlive
 * a sign-in. The `clientrequest` menu asks the same question (`removalQuestionFor`,
 * `removalAnswer`).
 */
import { chatActor } from '../audit/change-log.js';
import type { BaseContext } from '../bot/context.js';
import { defineFlow } from '../bot/conversation.js';
import { removalImpact, removeClient, updateClient } from './manage.js';
import { loadClient, memberCounts } from './record.js';
import * as text from './texts.js';

export interface RemoveClientData {
  clientId: string;
  /** What the question showed would go (see `shownImpact`): `ya` deletes only that. */
  shown?: string;
}

/** What a removal would take, as compared between the question and the `ya`. */
export const shownImpact = async (ctx: BaseContext, clientId: string): Promise<string> =>
  JSON.stringify(await removalImpact(ctx.services.db, clientId));

/** Said when the client gained or lost members, posts or reports between the question and the `ya`. */
export const REMOVAL_CHANGED = '⚠️ Data client ini berubah sejak pertanyaan tadi (misalnya ada anggota baru). Periksa lagi:';

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

/** The removal question: what goes with the client (counts read now). */
export async function removalQuestionFor(ctx: BaseContext, clientId: string): Promise<string> {
  const client = await loadClient(ctx.services.db, clientId);
  if (!client) return text.clientGone(clientId);
  return text.removalQuestion(client, await removalImpact(ctx.services.db, client.client_id));
}

/**
 * Acts on an answer to the removal question (`ya` deletes, `nonaktif` deactivates,
 * `tidak` keeps) and says what happened; null when the answer is none of them. The
 * caller checks the sender is still an admin.
 */
export async function removalAnswer(
  ctx: BaseContext,
  clientId: string,
  input: string,
  shown: string | undefined,
): Promise<string | { changed: string } | null> {
  const word = input.trim().toLowerCase();
  if (NO.has(word)) return text.removalKept(clientId);
  if (DEACTIVATE.has(word)) return deactivate(ctx, clientId);
  if (!YES.has(word)) return null;
  // Only what the question showed: anything added since (an import) is asked about again.
  const current = await shownImpact(ctx, clientId);
  if (shown !== undefined && current !== shown) return { changed: current };
  const { db, now } = ctx.services;
  const impact = await removeClient(db, chatActor(ctx.sender), clientId, now());
  return impact ? text.removed(clientId, impact) : text.clientGone(clientId);
}

export const removeClientFlow = defineFlow<RemoveClientData>({
  name: 'removeclient',
  first: 'confirm',
  steps: {
    confirm: {
      ask: (data, ctx) => removalQuestionFor(ctx, data.clientId),
      async answer(input, data, ctx) {
        if (ctx.sender.role !== 'admin') return { done: text.ADMIN_ONLY };
        const reply = await removalAnswer(ctx, data.clientId, input, data.shown);
        if (reply === null) return { repeat: text.REMOVAL_ANSWERS };
        if (typeof reply !== 'string') return { next: 'confirm', data: { ...data, shown: reply.changed }, say: REMOVAL_CHANGED };
        return { done: reply };
      },
    },
  },
});
