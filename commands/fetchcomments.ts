import { defineCommand } from '../src/bot/command.js';
import { fetchCommand } from '../src/fetch/chat.js';

export default defineCommand({
  name: 'fetchcomments',
  syntax: 'fetchcomments[#<client>][#<tanggal>|kemarin]',
  example: 'fetchcomments#POLRESABC',
  help: 'Ambil daftar akun yang berkomentar di video TikTok client hari ini (atau tanggal lain).',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 2 },
  handler: (ctx) => fetchCommand(ctx, ['tiktok'], ['engagement']),
});
