/**
 * Which client a report command may read: an admin any, an operator only their
 * own. An unknown client is named to admins with the valid ids; everyone else
 * gets the same refusal as for another unit's client, so ids do not leak.
 */
import type { Context } from '../bot/context.js';
import { UserError } from '../bot/errors.js';
import { type ComplianceClient, findClient, listClientIds } from '../compliance/clients.js';

export async function clientInScope(ctx: Context, typed: string): Promise<ComplianceClient> {
  const { db } = ctx.services;
  const { sender } = ctx;
  const client = await findClient(db, typed);
  if (sender.role !== 'admin') {
    const own = sender.role === 'operator' ? sender.client : null;
    if (!client || !own || own.clientId !== client.clientId) {
      throw new UserError(
        own
          ? `❌ Anda hanya dapat melihat rekap client Anda sendiri (*${own.clientId}*).`
          : '❌ Maaf, Anda tidak memiliki akses ke rekap ini.',
      );
    }
  }
  if (!client) {
    const ids = await listClientIds(db);
    throw new UserError(
      `❌ Client *${typed}* tidak dikenal.\nClient yang terdaftar: ${ids.length ? ids.join(', ') : '(belum ada)'}`,
    );
  }
  if (!client.active) throw new UserError(`⚠️ Client *${client.clientId}* (${client.nama}) tidak aktif.`);
  return client;
}
