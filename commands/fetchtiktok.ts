import { defineCommand } from '../src/bot/command.js';
import { fetchCommand } from '../src/fetch/chat.js';

export default defineCommand({
  name: 'fetchtiktok',
  syntax: 'fetchtiktok[#<client>][#<tanggal>|kemarin]',
  example: 'fetchtiktok#POLRESABC',
  help: 'Ambil video TikTok resmi client hari ini (atau tanggal lain) dari RapidAPI.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 2 },
  handler: (ctx) => fetchCommand(ctx, ['tiktok'], ['posts']),
});
