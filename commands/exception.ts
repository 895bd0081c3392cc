import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { applyEdit } from '../src/members/edit-command.js';
import { parseFieldValue } from '../src/members/manage.js';
import { badValue } from '../src/members/manage-texts.js';
import { memberInScope } from '../src/members/scope.js';

export default defineCommand({
  name: 'exception',
  syntax: 'exception#<NRP>#ya|tidak',
  example: 'exception#75070206#ya',
  help: 'Menandai anggota sebagai exception (selalu dihitung sudah di rekap) atau mencabut tandanya.',
  roles: ['admin', 'operator'],
  privateOnly: false,
  args: { min: 2, max: 2 },
  async handler(ctx) {
    const [nrp = '', raw = ''] = ctx.args;
    const word = raw.trim().toLowerCase();
    const parsed = word === 'ya' || word === 'tidak' ? parseFieldValue('exception', word) : null;
    if (!parsed?.ok) throw new UserError(badValue('exception', 'flag'));
    await applyEdit(ctx, await memberInScope(ctx, nrp), 'exception', parsed.value);
  },
});
