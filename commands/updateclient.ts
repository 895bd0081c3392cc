import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { chatActor } from '../src/audit/change-log.js';
import { updateClient } from '../src/clients/manage.js';
import { memberCounts } from '../src/clients/record.js';
import { requireClient } from '../src/clients/require.js';
import { badValue, changed, clientCard, operatorTaken, unchanged, unknownKey } from '../src/clients/texts.js';
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
    const { db, now } = ctx.services;
    const outcome = await updateClient(db, chatActor(ctx.sender), client.client_id, field, parsed.value, now());
    if (!outcome.ok) {
      if (outcome.reason === 'operator-taken') throw new UserError(operatorTaken(outcome.otherClient));
      throw new UserError(`❌ Client *${client.client_id}* sudah tidak ada.`);
    }
    const card = clientCard(outcome.after, await memberCounts(db, outcome.after.client_id));
    await ctx.reply(outcome.before[field] === outcome.after[field] ? unchanged(field, card) : changed(field, card));
  },
});
