import { defineCommand } from '../src/bot/command.js';
import { UserError } from '../src/bot/errors.js';
import { parseNrp } from '../src/members/binding.js';
import { confirmBindingFlow, lookUpForBinding } from '../src/members/flows.js';

export default defineCommand({
  name: 'daftar',
  syntax: 'daftar#<NRP/NIP>',
  example: 'daftar#75070206',
  help: 'Menghubungkan nomor WhatsApp ini dengan NRP/NIP Anda (setelah Anda mengonfirmasi nama yang ditemukan).',
  roles: ['admin', 'operator', 'member', 'unknown'],
  privateOnly: true,
  args: { min: 1, max: 1 },
  // First contact (§1.6): an unknown number typing only a plausible NRP gets the same as
  // `daftar#<digits>`. Only when no menu is active (an active one takes the answer first).
  matches: (text) => /^\d+$/.test(text.trim()) && parseNrp(text) !== null,
  matchRoles: ['unknown'],
  flows: [confirmBindingFlow as never],
  async handler(ctx) {
    const found = await lookUpForBinding(ctx, ctx.args[0]!);
    if ('refusal' in found) throw new UserError(found.refusal);
    await ctx.startConversation(confirmBindingFlow, { candidate: found.candidate });
  },
});
