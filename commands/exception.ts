import { defineCommand } from '../src/bot/command.js';
import { flagHandler } from '../src/members/edit-command.js';

export default defineCommand({
  name: 'exception',
  syntax: 'exception#<NRP>#ya|tidak',
  example: 'exception#75070206#ya',
  help: 'Menandai anggota sebagai exception (selalu dihitung sudah di rekap) atau mencabut tandanya.',
  roles: ['admin', 'operator'],
  privateOnly: false,
  args: { min: 2, max: 2 },
  handler: flagHandler('exception', ['ya', 'tidak']),
});
