import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { chatActor } from '../src/audit/change-log.js';
import { addClient } from '../src/clients/manage.js';
import { clientCard, BAD_ID, BAD_NAME, created, duplicateId } from '../src/clients/texts.js';
import { parseClientId, parseClientName } from '../src/clients/validate.js';

export default defineCommand({
  name: 'addnewclient',
  syntax: 'addnewclient#<ID>#<nama>',
  example: 'addnewclient#POLRESABC#POLRES ABC',
  help: 'Menambah client baru (aktif; Instagram, TikTok dan amplifikasi nonaktif sampai diatur dengan updateclient).',
  roles: ['admin'],
  args: { min: 2, max: 2, keepHashInLast: true },
  async handler(ctx) {
    const [typedId, typedName] = ctx.args as [string, string];
    const id = parseClientId(typedId);
    if (!id) throw new UserError(BAD_ID);
    const nama = parseClientName(typedName);
    if (!nama) throw new UserError(BAD_NAME);
    const { db, now } = ctx.services;
    const outcome = await addClient(db, chatActor(ctx.sender), id, nama, now());
    if (!outcome.ok) {
      ctx.actOn(outcome.existing);
      throw new UserError(duplicateId(outcome.existing));
    }
    ctx.actOn(id);
    await ctx.reply(created(clientCard(outcome.client, { active: 0, total: 0 })));
  },
});
