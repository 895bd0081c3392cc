import { defineCommand } from '../src/bot/command.js';
import { fetchCommand } from '../src/fetch/chat.js';

export default defineCommand({
  name: 'fetchlikes',
  syntax: 'fetchlikes[#<client>][#<tanggal>|kemarin]',
  example: 'fetchlikes#POLRESABC',
  help: 'Ambil daftar akun yang like konten Instagram client hari ini (atau tanggal lain).',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 2 },
  handler: (ctx) => fetchCommand(ctx, ['instagram'], ['engagement']),
});
