import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { listClientIds } from '../src/compliance/clients.js';
import { adminOperatorMenuFlow, operatorMenuFlow } from '../src/members/operator-menu.js';

export default defineCommand({
  name: 'oprrequest',
  syntax: 'oprrequest',
  example: 'oprrequest',
  help: 'Menu operator: tambah anggota, ubah data anggota, aktif/nonaktif, exception, cari anggota, daftar exception — untuk client Anda (admin memilih client dulu).',
  roles: ['admin', 'operator'],
  privateOnly: true,
  flows: [operatorMenuFlow as never, adminOperatorMenuFlow as never],
  async handler(ctx) {
    if (ctx.sender.role === 'operator') {
      const clientId = ctx.sender.client?.clientId;
      if (!clientId) throw new UserError('❌ Akun operator Anda belum terhubung ke client mana pun. Hubungi admin.');
      await ctx.startConversation(operatorMenuFlow, { clientId });
      return;
    }
    const clients = await listClientIds(ctx.services.db);
    if (clients.length === 0) throw new UserError('ℹ️ Belum ada client terdaftar. Tambahkan dengan *addnewclient#<ID>#<nama>*.');
    await ctx.startConversation(adminOperatorMenuFlow, { clients });
  },
});
