import { defineCommand } from '../src/bot/command.js';
import { clientMenuFlow } from '../src/clients/menu.js';

export default defineCommand({
  name: 'clientrequest',
  syntax: 'clientrequest',
  example: 'clientrequest',
  help: 'Menu client: tambah client, lihat/ubah/hapus client, daftar semua client, setujui atau tolak akun dashboard.',
  roles: ['admin'],
  privateOnly: true,
  flows: [clientMenuFlow as never],
  async handler(ctx) {
    await ctx.startConversation(clientMenuFlow, {});
  },
});
