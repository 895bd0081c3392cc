import { defineCommand } from '../src/bot/command.js';
import { fetchCommand } from '../src/fetch/chat.js';

export default defineCommand({
  name: 'fetchinsta',
  syntax: 'fetchinsta[#<client>][#<tanggal>|kemarin]',
  example: 'fetchinsta#POLRESABC',
  help: 'Ambil konten Instagram resmi client hari ini (atau tanggal lain) dari RapidAPI.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 2 },
  handler: (ctx) => fetchCommand(ctx, ['instagram'], ['posts']),
});
