import { chatActor } from '../src/audit/change-log.js';
import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { addMember, parseFieldValue } from '../src/members/manage.js';
import { ADMIN_NEEDS_CLIENT, added, alreadyExists, badValue, NOT_YOUR_CLIENT } from '../src/members/manage-texts.js';
import { managedClient, NO_CLIENT, showNumbers, storedNrp, typedNrp } from '../src/members/scope.js';

export default defineCommand({
  name: 'tambahanggota',
  syntax: 'tambahanggota#<NRP>#<nama>#<pangkat>#<divisi>[#<jabatan>]',
  example: 'tambahanggota#75070206#BUDI SANTOSO#BRIPKA#SAT LANTAS#BANIT',
  help: 'Menambah anggota baru ke client Anda (di grup client: ke client grup itu). Nomor WhatsApp dan username diisi anggota sendiri atau lewat ubahanggota.',
  roles: ['admin', 'operator'],
  privateOnly: false,
  args: { min: 4, max: 5 },
  async handler(ctx) {
    const [nrpText = '', ...rest] = ctx.args;
    const clientId = managedClient(ctx);
    if (clientId === null) throw new UserError(ADMIN_NEEDS_CLIENT);
    if (clientId === NO_CLIENT) throw new UserError(NOT_YOUR_CLIENT);
    const nrp = storedNrp(typedNrp(nrpText));
    const fields = ['nama', 'title', 'divisi', 'jabatan'] as const;
    const values: Array<string | null> = [];
    for (const [i, field] of fields.entries()) {
      const raw = rest[i];
      if (raw === undefined || (field === 'jabatan' && raw.trim() === '')) {
        values.push(null);
        continue;
      }
      const parsed = parseFieldValue(field, raw);
      if (!parsed.ok) throw new UserError(badValue(field, parsed.problem));
      values.push(String(parsed.value));
    }
    const [nama, title, divisi, jabatan] = values;
    const { db, now } = ctx.services;
    ctx.actOn(clientId);
    const outcome = await addMember(db, chatActor(ctx.sender), { userId: nrp, clientId, nama: nama!, title: title!, divisi: divisi!, jabatan: jabatan ?? null }, now());
    if (!outcome.ok) throw new UserError(alreadyExists(nrp, outcome.member.clientId === clientId));
    await ctx.reply(added(outcome.member, showNumbers(ctx)));
  },
});
