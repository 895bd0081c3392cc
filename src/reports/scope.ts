/**
 * Which client a report command may read or change.
 *
 * - Left out, the client is the group's (in a group bound to a client), else the
 *   operator's own; an admin in a private chat must name it.
 * - A bound group belongs to its client: there every sender, admins included, gets
 *   that client only, and a refusal names no other client.
 * - Elsewhere an admin may ask about any client; an operator only their own. An
 *   unknown client is named to an admin in a private chat with the valid ids;
 *   everyone else gets the same refusal as for another unit's client, so ids do not leak.
 */
import type { Context } from '../bot/context.js';
import { UsageError, UserError } from '../bot/errors.js';
import { type ComplianceClient, findClient, listClientIds } from '../compliance/clients.js';

export const CLIENT_NEEDED = 'Sebutkan client-nya.';

export function groupOnlyRefusal(clientId: string): string {
  return `❌ Grup ini hanya dapat menampilkan data client grup ini (*${clientId}*).`;
}

export async function clientInScope(ctx: Context, typed: string | null): Promise<ComplianceClient> {
  const { db } = ctx.services;
  const { sender, chat } = ctx;
  const groupClient = chat.isGroup ? chat.client : null;
  const own = sender.role === 'operator' ? sender.client : null;
  const wanted = typed ?? groupClient?.clientId ?? own?.clientId;
  if (!wanted) throw new UsageError(CLIENT_NEEDED);
  const client = await findClient(db, wanted);
  // The audit trail names the client the command was about, allowed or not.
  if (client) ctx.actOn(client.clientId);
  if (groupClient && client?.clientId !== groupClient.clientId) throw new UserError(groupOnlyRefusal(groupClient.clientId));
  if (sender.role !== 'admin' && (!client || !own || own.clientId !== client.clientId)) {
    throw new UserError(
      own
        ? `❌ Anda hanya dapat melihat rekap client Anda sendiri (*${own.clientId}*).`
        : '❌ Maaf, Anda tidak memiliki akses ke rekap ini.',
    );
  }
  if (!client) {
    if (chat.isGroup) throw new UserError(`❌ Client *${wanted}* tidak dikenal.`);
    const ids = await listClientIds(db);
    throw new UserError(
      `❌ Client *${wanted}* tidak dikenal.\nClient yang terdaftar: ${ids.length ? ids.join(', ') : '(belum ada)'}`,
    );
  }
  if (!client.active) throw new UserError(`⚠️ Client *${client.clientId}* (${client.nama}) tidak aktif.`);
  return client;
}
