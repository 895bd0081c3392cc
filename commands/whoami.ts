import { defineCommand } from '../src/bot/command.js';
import { ROLE_LABEL } from '../src/bot/texts.js';
import type { Sender } from '../src/identity/sender.js';
import { formatStamp } from '../src/time/format.js';

/** How the sender came by the role. */
function knownAs(sender: Sender): string | null {
  switch (sender.roleSource) {
    case 'admin-list':
      return 'Dikenali sebagai: admin dari nomor ini (daftar admin bot).';
    case 'operator-number':
      return 'Dikenali sebagai: operator dari nomor ini (nomor operator client).';
    case 'member':
      return 'Dikenali sebagai: anggota dari nomor yang terhubung ke NRP/NIP.';
    case 'session':
    case 'none':
      return null;
  }
}

export default defineCommand({
  name: 'whoami',
  aliases: ['siapasaya'],
  syntax: 'whoami',
  example: 'whoami',
  help: 'Menampilkan bagaimana Cicero mengenali nomor Anda: nomor atau LID, peran, dan client.',
  roles: ['admin', 'operator', 'member', 'unknown'],
  async handler(ctx) {
    const { sender, chat } = ctx;
    const lines = ['👤 *Identitas Anda di Cicero*'];
    lines.push(`Nomor WhatsApp: ${sender.phone ?? 'belum diketahui (pesan datang dari LID)'}`);
    if (sender.lid) lines.push(`LID: ${sender.lid}`);
    lines.push(`Peran: *${ROLE_LABEL[sender.role]}*`);
    if (sender.client) lines.push(`Client: *${sender.client.clientId}* (${sender.client.nama})`);
    if (sender.member) {
      const m = sender.member;
      const name = [m.title, m.nama].filter(Boolean).join(' ');
      lines.push(`NRP/NIP: ${m.userId}${name ? ` (${name})` : ''}${m.active ? '' : ' · status NONAKTIF'}`);
    } else if (sender.role === 'unknown') {
      lines.push('Nomor ini belum terhubung dengan NRP/NIP mana pun.');
    }
    const source = knownAs(sender);
    if (source) lines.push(source);
    if (sender.session) {
      // The dashboard username only in a private chat: a group need not learn which accounts exist.
      const as = chat.isGroup ? 'dengan akun dashboard' : `sebagai *${sender.session.username}*`;
      lines.push(
        `Masuk (login) ${as} (${ROLE_LABEL[sender.session.role]}) sampai ${formatStamp(sender.session.expiresAt, ctx.services.timezone)}; ketik *logout* untuk keluar.`,
      );
    }
    if (chat.isGroup) {
      lines.push(
        chat.client
          ? `Grup ini terhubung ke client *${chat.client.clientId}* (${chat.client.nama}).`
          : 'Grup ini belum terhubung ke client mana pun.',
      );
    }
    await ctx.reply(lines.join('\n'));
  },
});
