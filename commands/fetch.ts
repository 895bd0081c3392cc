import { defineCommand } from '../src/bot/command.js';
import { fetchCommand } from '../src/fetch/chat.js';

export default defineCommand({
  name: 'fetch',
  syntax: 'fetch[#<client>][#<tanggal>|kemarin]',
  example: 'fetch#POLRESABC',
  help: 'Ambil semuanya sekaligus: konten dan likes Instagram, video dan komentar TikTok client hari ini.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 2 },
  handler: (ctx) => fetchCommand(ctx, ['instagram', 'tiktok'], ['posts', 'engagement']),
});
