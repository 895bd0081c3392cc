import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { chatActor } from '../src/audit/change-log.js';
import { bindGroup } from '../src/clients/groups.js';
import { requireClient } from '../src/clients/require.js';
import * as text from '../src/clients/texts.js';

export default defineCommand({
  name: 'thisgroup',
  syntax: 'thisgroup#<ID>',
  example: 'thisgroup#POLRESABC',
  help: 'Ditulis di grup WhatsApp: mengikat grup ini ke client (admin, atau operator client itu; operator boleh tanpa ID).',
  roles: ['admin', 'operator'],
  // It must run where nothing else does: in a group bound to no client.
  privateOnly: false,
  unboundGroups: true,
  args: { min: 0, max: 1 },
  async handler(ctx) {
    if (!ctx.chat.isGroup) throw new UserError(text.GROUP_ONLY);
    const own = ctx.sender.role === 'operator' ? ctx.sender.client : null;
    const typed = ctx.args[0] ?? own?.clientId;
    if (!typed) throw new UserError(text.NAME_THE_CLIENT);
    // An operator learns nothing about other clients, not even whether an id exists.
    if (ctx.sender.role !== 'admin' && own?.clientId.toLowerCase() !== typed.trim().toLowerCase()) {
      throw new UserError(text.ownClientOnly(own?.clientId ?? '-'));
    }
    const client = await requireClient(ctx, typed);
    const { db, now } = ctx.services;
    const outcome = await bindGroup(db, chatActor(ctx.sender), client.client_id, ctx.chat.id, now());
    switch (outcome.kind) {
      case 'elsewhere':
        throw new UserError(text.boundElsewhere(outcome.other));
      case 'already':
        await ctx.reply(text.alreadyBound(outcome.client));
        return;
      case 'bound':
        await ctx.reply(text.bound(outcome.client));
        return;
      case 'unknown':
        throw new UserError(text.clientGone(client.client_id));
    }
  },
});
