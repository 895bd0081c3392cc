import { defineCommand } from '../src/bot/command.js';
import { removeClientFlow, shownImpact } from '../src/clients/flows.js';
import { requireClient } from '../src/clients/require.js';

export default defineCommand({
  name: 'removeclient',
  syntax: 'removeclient#<ID>',
  example: 'removeclient#POLRESABC',
  help: 'Menghapus client beserta anggota, konten dan laporannya (setelah konfirmasi ya), atau menonaktifkannya saja.',
  roles: ['admin'],
  args: { min: 1, max: 1 },
  flows: [removeClientFlow as never],
  async handler(ctx) {
    const client = await requireClient(ctx, ctx.args[0]!);
    await ctx.startConversation(removeClientFlow, { clientId: client.client_id, shown: await shownImpact(ctx, client.client_id) });
  },
});
