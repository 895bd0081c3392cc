import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { bindingBarrier, memberMenuFlow, registerFlow } from '../src/members/flows.js';

export default defineCommand({
  name: 'userrequest',
  syntax: 'userrequest',
  example: 'userrequest',
  help: 'Menu anggota: melihat dan mengubah data Anda (nama, pangkat, satfung, jabatan, Instagram, TikTok); bila nomor ini belum terhubung, menghubungkannya dengan NRP/NIP Anda.',
  roles: ['admin', 'operator', 'member', 'unknown'],
  privateOnly: true,
  flows: [memberMenuFlow as never, registerFlow as never],
  async handler(ctx) {
    if (ctx.sender.member) {
      await ctx.startConversation(memberMenuFlow, {});
      return;
    }
    const barrier = bindingBarrier(ctx.sender);
    if (barrier) throw new UserError(barrier);
    await ctx.startConversation(registerFlow, {});
  },
});
