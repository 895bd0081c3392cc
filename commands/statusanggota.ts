import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { applyEdit } from '../src/members/edit-command.js';
import { parseFieldValue } from '../src/members/manage.js';
import { badValue } from '../src/members/manage-texts.js';
import { memberInScope } from '../src/members/scope.js';

export default defineCommand({
  name: 'statusanggota',
  syntax: 'statusanggota#<NRP>#aktif|nonaktif',
  example: 'statusanggota#75070206#nonaktif',
  help: 'Mengaktifkan atau menonaktifkan anggota (anggota nonaktif tidak dihitung di rekap dan tidak dapat mendaftarkan nomornya).',
  roles: ['admin', 'operator'],
  privateOnly: false,
  args: { min: 2, max: 2 },
  async handler(ctx) {
    const [nrp = '', raw = ''] = ctx.args;
    const word = raw.trim().toLowerCase();
    const parsed = word === 'aktif' || word === 'nonaktif' ? parseFieldValue('status', word) : null;
    if (!parsed?.ok) throw new UserError(badValue('status', 'flag'));
    await applyEdit(ctx, await memberInScope(ctx, nrp), 'status', parsed.value);
  },
});
