import { defineCommand } from '../src/bot/command.js';
import { applyEdit } from '../src/members/edit-command.js';
import { memberInScope } from '../src/members/scope.js';

export default defineCommand({
  name: 'lepaswa',
  syntax: 'lepaswa#<NRP>',
  example: 'lepaswa#75070206',
  help: 'Melepaskan nomor WhatsApp dari seorang anggota (misalnya ganti nomor); anggota dapat mendaftar lagi dengan daftar#<NRP>.',
  roles: ['admin', 'operator'],
  privateOnly: false,
  args: { min: 1, max: 1 },
  async handler(ctx) {
    await applyEdit(ctx, await memberInScope(ctx, ctx.args[0]!), 'whatsapp', null);
  },
});
