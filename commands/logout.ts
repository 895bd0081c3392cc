import { defineCommand } from '../src/bot/command.js';

export default defineCommand({
  name: 'logout',
  syntax: 'logout',
  example: 'logout',
  help: 'Keluar dari akun dashboard yang dipakai masuk lewat *login*.',
  roles: ['admin', 'operator', 'member', 'unknown'],
  privateOnly: false,
  async handler(ctx) {
    const ended = await ctx.services.signIn.signOut(ctx.sender);
    // The account's name only in a private chat: a group need not learn which accounts exist.
    const account = ctx.sender.session && !ctx.chat.isGroup ? ` dari akun *${ctx.sender.session.username}*` : '';
    await ctx.reply(
      ended
        ? `✅ Anda sudah keluar${account}. Peran Anda kembali seperti yang dikenali dari nomor ini.`
        : 'ℹ️ Anda belum masuk (login) dengan akun mana pun, jadi tidak ada yang diakhiri.',
    );
  },
});
