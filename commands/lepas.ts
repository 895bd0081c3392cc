import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { releaseFlow } from '../src/members/flows.js';
import { NOT_BOUND } from '../src/members/texts.js';

export default defineCommand({
  name: 'lepas',
  syntax: 'lepas',
  example: 'lepas',
  help: 'Melepaskan nomor WhatsApp ini dari NRP/NIP Anda (setelah konfirmasi), misalnya sebelum berganti nomor.',
  roles: ['admin', 'operator', 'member'],
  privateOnly: true,
  flows: [releaseFlow as never],
  async handler(ctx) {
    if (!ctx.sender.member) throw new UserError(NOT_BOUND);
    await ctx.startConversation(releaseFlow, {});
  },
});
