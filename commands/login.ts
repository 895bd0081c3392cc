import { defineCommand } from '../src/bot/command.js';
import { UsageError, UserError } from '../src/bot/errors.js';
import { formatStamp } from '../src/time/format.js';

/** Every answer ends with this (the router adds it, usage errors included): the message it answers holds a password. */
const DELETE_REMINDER = '🗑️ Hapus pesan login Anda tadi: pesan itu berisi password.';

export default defineCommand({
  name: 'login',
  syntax: 'login#<username>#<password>',
  example: 'login#operator_abc#Rahasia#2026',
  help: 'Masuk dengan akun dashboard (operator atau admin) untuk memakai perintah sesuai perannya; hanya di chat pribadi, lalu hapus pesannya. Password boleh berisi #.',
  roles: ['admin', 'operator', 'member', 'unknown'],
  privateOnly: true,
  secretArgs: true,
  secretReminder: DELETE_REMINDER,
  args: { min: 2, max: 2, keepHashInLast: true },
  async handler(ctx) {
    const [username = '', password = ''] = ctx.args;
    if (username === '' || password === '') throw new UsageError('Username dan password wajib diisi.');
    const { signIn, timezone, log } = ctx.services;
    const result = await signIn.attempt(ctx.sender, username, password, ctx.message.id);
    // The username only once it named an account: a failed attempt may carry the password in it.
    if (result.kind === 'signed-in') log.info({ sender: ctx.sender.key, username: result.session.username }, 'signed in by chat');
    else log.warn({ sender: ctx.sender.key, outcome: result.kind }, 'chat sign-in refused');
    const refuse = (text: string): never => {
      throw new UserError(text);
    };
    switch (result.kind) {
      case 'locked':
        return refuse(
          `⛔ Terlalu banyak percobaan login yang gagal. Login ditolak sampai ${formatStamp(result.until, timezone)}; coba lagi setelahnya.`,
        );
      case 'wrong':
        return refuse(
          result.lockedUntil
            ? `❌ Username atau password salah. Terlalu banyak percobaan gagal: login ditolak sampai ${formatStamp(result.lockedUntil, timezone)}.`
            : '❌ Username atau password salah.',
        );
      case 'disabled':
        return refuse('❌ Akun ini dinonaktifkan, jadi tidak dapat masuk. Hubungi admin.');
      case 'no-client':
        return refuse('❌ Akun operator ini belum terhubung ke client mana pun, jadi tidak dapat masuk. Hubungi admin.');
      case 'role':
        return refuse(`❌ Akun berperan *${result.role}* tidak dapat masuk melalui chat; hanya akun admin dan operator.`);
      case 'changed':
        return refuse('❌ Password akun ini baru saja diganti atau akunnya dinonaktifkan, jadi login tidak dilakukan. Hubungi admin bila perlu.');
      case 'busy':
        return refuse('⏳ Terlalu banyak permintaan login saat ini; coba lagi sebentar.');
      case 'signed-in': {
        const { session } = result;
        const as = session.client
          ? `*operator* client *${session.client.clientId}* (${session.client.nama})`
          : '*admin*';
        await ctx.reply(
          [
            `✅ Berhasil masuk sebagai ${as}.`,
            `Akun: *${session.username}*`,
            `Berlaku sampai ${formatStamp(session.expiresAt, timezone)}; ketik *logout* untuk keluar lebih awal.`,
          ].join('\n'),
        );
      }
    }
  },
});
