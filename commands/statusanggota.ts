import { defineCommand } from '../src/bot/command.js';
import { flagHandler } from '../src/members/edit-command.js';

export default defineCommand({
  name: 'statusanggota',
  syntax: 'statusanggota#<NRP>#aktif|nonaktif',
  example: 'statusanggota#75070206#nonaktif',
  help: 'Mengaktifkan atau menonaktifkan anggota (anggota nonaktif tidak dihitung di rekap dan tidak dapat mendaftarkan nomornya).',
  roles: ['admin', 'operator'],
  privateOnly: false,
  args: { min: 2, max: 2 },
  handler: flagHandler('status', ['aktif', 'nonaktif']),
});
