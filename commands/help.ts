import { defineCommand } from '../src/bot/command.js';
import type { CommandSpec } from '../src/bot/command.js';
import { ROLE_LABEL } from '../src/bot/texts.js';

function describe(command: CommandSpec): string {
  const aliases = command.aliases?.length ? ` (${command.aliases.join(', ')})` : '';
  return [`*${command.name}*${aliases}`, command.help, `Format: ${command.syntax}`, `Contoh: ${command.example}`].join(
    '\n',
  );
}

export default defineCommand({
  name: 'help',
  aliases: ['bantuan', 'menu'],
  syntax: 'help[#<perintah>]',
  example: 'help',
  help: 'Menampilkan perintah yang dapat Anda gunakan, dengan format dan contohnya.',
  roles: ['admin', 'operator', 'member', 'unknown'],
  args: { min: 0, max: 1 },
  async handler(ctx) {
    const { catalog } = ctx.services;
    const role = ctx.sender.role;
    // In a group, only what may run there: the group reads the answer too.
    const allowed = catalog.forRole(role, ctx.chat.isGroup);
    const [name] = ctx.args;
    if (name) {
      const command = catalog.find(name);
      if (!command || !allowed.includes(command)) {
        await ctx.reply(`❓ Perintah *${name.toLowerCase()}* tidak tersedia untuk Anda. Ketik *help* untuk daftar lengkap.`);
        return;
      }
      await ctx.reply(describe(command));
      return;
    }
    const intro =
      role === 'unknown'
        ? 'Nomor WhatsApp Anda belum terdaftar. Perintah yang dapat Anda gunakan:'
        : `Anda terdaftar sebagai *${ROLE_LABEL[role]}*${ctx.sender.client ? ` di *${ctx.sender.client.clientId}*` : ''}. Perintah yang dapat Anda gunakan:`;
    const menus = allowed.some((c) => (c.flows?.length ?? 0) > 0);
    await ctx.reply(
      [
        '📋 *Daftar Perintah Cicero*',
        intro,
        ...allowed.map(describe),
        ...(menus ? ['Ketik *batal* untuk keluar dari menu yang sedang berjalan.'] : []),
      ].join('\n\n'),
    );
  },
});
