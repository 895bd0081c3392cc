import { defineCommand } from '../src/bot/command.js';
import { groupIds, listClients, memberCounts } from '../src/clients/record.js';
import { requireClient } from '../src/clients/require.js';
import { clientCard, clientList } from '../src/clients/texts.js';

export default defineCommand({
  name: 'clientinfo',
  syntax: 'clientinfo[#<ID>]',
  example: 'clientinfo#POLRESABC',
  help: 'Data satu client (pengaturan, jumlah anggota, grup terikat), atau tanpa ID semua client dengan jumlah anggotanya.',
  roles: ['admin'],
  args: { min: 0, max: 1 },
  async handler(ctx) {
    const [typed] = ctx.args;
    const { db } = ctx.services;
    if (typed === undefined) {
      await ctx.reply(clientList(await listClients(db)));
      return;
    }
    const client = await requireClient(ctx, typed);
    // Names as WhatsApp shows them, asked only for the few groups bound to this client.
    const names = new Map<string, string>();
    for (const id of groupIds(client.client_group)) {
      const name = await ctx.services.groupName(id);
      if (name) names.set(id, name);
    }
    await ctx.reply(clientCard(client, await memberCounts(db, client.client_id), undefined, names));
  },
});
