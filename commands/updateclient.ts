import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { updateClientReply } from '../src/clients/replies.js';
import { requireClient } from '../src/clients/require.js';
import { badValue, unknownKey } from '../src/clients/texts.js';
import { fieldOf, parseFieldValue } from '../src/clients/validate.js';

export default defineCommand({
  name: 'updateclient',
  syntax: 'updateclient#<ID>#<kunci>#<nilai>',
  example: 'updateclient#POLRESABC#insta#https://instagram.com/polres_abc',
  help: 'Mengubah satu pengaturan client: nama, client_type, insta, tiktok, operator, super, status, client_insta_status, client_tiktok_status, client_amplify_status.',
  roles: ['admin'],
  args: { min: 3, max: 3, keepHashInLast: true },
  async handler(ctx) {
    const [typedId, typedKey, typedValue] = ctx.args as [string, string, string];
    const client = await requireClient(ctx, typedId);
    const field = fieldOf(typedKey);
    if (!field) throw new UserError(unknownKey(typedKey.trim()));
    const parsed = parseFieldValue(field, typedValue);
    if (!parsed.ok) throw new UserError(badValue(field, parsed.problem));
    await ctx.reply(await updateClientReply(ctx, client.client_id, field, parsed.value));
  },
});
