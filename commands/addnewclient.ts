import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { addClientReply } from '../src/clients/replies.js';
import { BAD_ID, BAD_NAME } from '../src/clients/texts.js';
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
    await ctx.reply(await addClientReply(ctx, id, nama));
  },
});
