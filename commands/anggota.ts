import { defineCommand } from '../src/bot/command.js';
import { operatorCard } from '../src/members/manage-texts.js';
import { memberInScope, showNumbers } from '../src/members/scope.js';

export default defineCommand({
  name: 'anggota',
  syntax: 'anggota#<NRP>',
  example: 'anggota#75070206',
  help: 'Melihat data seorang anggota client Anda (operator: client sendiri; admin: semua client).',
  roles: ['admin', 'operator'],
  privateOnly: false,
  args: { min: 1, max: 1 },
  async handler(ctx) {
    const member = await memberInScope(ctx, ctx.args[0]!);
    await ctx.reply(operatorCard(member, showNumbers(ctx)));
  },
});
