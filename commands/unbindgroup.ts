import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { chatActor } from '../src/audit/change-log.js';
import { unbindGroup } from '../src/clients/groups.js';
import * as text from '../src/clients/texts.js';

export default defineCommand({
  name: 'unbindgroup',
  syntax: 'unbindgroup',
  example: 'unbindgroup',
  help: 'Ditulis di grup WhatsApp: melepas grup ini dari client-nya (admin, atau operator client grup ini).',
  roles: ['admin', 'operator'],
  privateOnly: false,
  async handler(ctx) {
    if (!ctx.chat.isGroup) throw new UserError(text.UNBIND_GROUP_ONLY);
    const client = ctx.chat.client;
    if (!client) throw new UserError(text.NOT_BOUND);
    if (ctx.sender.role !== 'admin' && ctx.sender.client?.clientId !== client.clientId) throw new UserError(text.NOT_YOUR_GROUP);
    const { db, now } = ctx.services;
    const outcome = await unbindGroup(db, chatActor(ctx.sender), client.clientId, ctx.chat.id, now());
    if (outcome.kind === 'not-bound') throw new UserError(text.NOT_BOUND);
    await ctx.reply(text.unbound(outcome.client, outcome.stillBoundTo));
  },
});
