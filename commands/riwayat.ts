import { memberHistory } from '../src/audit/change-log.js';
import { defineCommand } from '../src/bot/command.js';
import { history } from '../src/members/manage-texts.js';
import { memberInScope } from '../src/members/scope.js';

export default defineCommand({
  name: 'riwayat',
  syntax: 'riwayat#<NRP>',
  example: 'riwayat#75070206',
  help: 'Menampilkan 20 perubahan terakhir data seorang anggota: siapa, kapan, kolom, nilai lama dan baru.',
  roles: ['admin', 'operator'],
  // Names who changed what (their numbers): never in a group.
  privateOnly: true,
  args: { min: 1, max: 1 },
  async handler(ctx) {
    const member = await memberInScope(ctx, ctx.args[0]!);
    const { db, timezone } = ctx.services;
    await ctx.reply(history(member.userId, await memberHistory(db, member.userId, 20), timezone));
  },
});
