import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { applyEdit } from '../src/members/edit-command.js';
import { parseFieldValue } from '../src/members/manage.js';
import { badValue, fieldNamed, unknownField } from '../src/members/manage-texts.js';
import { memberInScope } from '../src/members/scope.js';

export default defineCommand({
  name: 'ubahanggota',
  syntax: 'ubahanggota#<NRP>#<kolom>#<nilai>',
  example: 'ubahanggota#75070206#insta#https://www.instagram.com/budi.santoso/',
  help: 'Mengubah satu data anggota: nama, pangkat, divisi, jabatan, whatsapp, insta atau tiktok. Username disimpan tanpa @ dan tanpa link.',
  roles: ['admin', 'operator'],
  privateOnly: false,
  args: { min: 3, max: 3, keepHashInLast: true },
  async handler(ctx) {
    const [nrp = '', typedField = '', raw = ''] = ctx.args;
    const field = fieldNamed(typedField);
    if (!field) throw new UserError(unknownField(typedField));
    const parsed = parseFieldValue(field, raw);
    if (!parsed.ok) throw new UserError(badValue(field, parsed.problem));
    await applyEdit(ctx, await memberInScope(ctx, nrp), field, parsed.value);
  },
});
