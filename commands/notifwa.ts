import { defineCommand } from '../src/bot/command.js';
import { UsageError, UserError } from '../src/bot/errors.js';
import { reminderStatus, unknownChoice } from '../src/reminders/texts.js';
import { ownReminderEnabled, reminderRefusal, switchReminder } from '../src/reminders/toggle.js';

const CHOICES: Record<string, boolean> = { on: true, aktif: true, ya: true, off: false, nonaktif: false, mati: false, tidak: false };

export default defineCommand({
  name: 'notifwa',
  syntax: 'notifwa[#on|off]',
  example: 'notifwa#on',
  help: 'Melihat, mengaktifkan (on) atau menonaktifkan (off) pengingat WhatsApp harian berisi konten hari itu yang belum Anda like atau komentari.',
  roles: ['admin', 'operator', 'member'],
  privateOnly: true,
  args: { min: 0, max: 1 },
  async handler(ctx) {
    const [typed] = ctx.args;
    const wanted = typed === undefined ? undefined : CHOICES[typed.trim().toLowerCase()];
    if (typed !== undefined && wanted === undefined) throw new UsageError(typed.trim() === '' ? undefined : unknownChoice(typed));
    const refusal = reminderRefusal(ctx.sender, wanted);
    if (refusal) throw new UserError(refusal);
    if (wanted === undefined) await ctx.reply(reminderStatus(await ownReminderEnabled(ctx), ctx.services.reminderTime));
    else await ctx.reply(await switchReminder(ctx, wanted));
  },
});
