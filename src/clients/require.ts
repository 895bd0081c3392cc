/**
 * The client an admin names in a command. An unknown id answers with the ids there are
 * in a private chat; in a group (read by everyone in it) it names only the id typed.
 */
import type { Context } from '../bot/context.js';
import { UserError } from '../bot/errors.js';
import { listClientIds } from '../compliance/clients.js';
import { type ClientRow, loadClient } from './record.js';
import { unknownClient } from './texts.js';

export async function requireClient(ctx: Context, typed: string): Promise<ClientRow> {
  const client = await loadClient(ctx.services.db, typed);
  if (!client) {
    const ids = ctx.chat.isGroup ? null : await listClientIds(ctx.services.db);
    throw new UserError(unknownClient(typed.trim(), ids));
  }
  // The audit trail names the client the command was about.
  ctx.actOn(client.client_id);
  return client;
}
