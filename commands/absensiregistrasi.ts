import { defineCommand } from '../src/bot/command.js';
import { UsageError } from '../src/bot/errors.js';
import { loadRegistration } from '../src/compliance/registration.js';
import { XLSX_MIME, registrationWorkbook } from '../src/reports/excel.js';
import { renderRegistration } from '../src/reports/registration-text.js';
import { MODE_WORDS, takeClient } from '../src/reports/report-args.js';
import { clientInScope } from '../src/reports/scope.js';

export default defineCommand({
  name: 'absensiregistrasi',
  syntax: 'absensiregistrasi[#<client>][#sudah|belum][#excel]',
  example: 'absensiregistrasi#POLRESABC#belum',
  help: 'Siapa yang belum menghubungkan WhatsApp, belum mengisi Instagram, atau belum mengisi TikTok.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 3 },
  async handler(ctx) {
    const { db, now, timezone, reportMaxLines } = ctx.services;
    const { client: typed, rest } = takeClient(ctx.args, MODE_WORDS);
    const words = rest.map((w) => w.toLowerCase());
    const excel = words.includes('excel');
    const modes = words.filter((w) => w !== 'excel');
    const [mode = 'all'] = modes;
    if (modes.length > 1 || (mode !== 'all' && mode !== 'sudah' && mode !== 'belum')) {
      throw new UsageError('Pilih [sudah|belum], atau kosongkan untuk keduanya.');
    }
    const client = await clientInScope(ctx, typed);
    const members = await loadRegistration(db, client);
    const at = now();
    const rendered = renderRegistration(members, {
      client,
      filter: mode,
      now: at,
      timezone,
      maxLines: reportMaxLines,
      maxChars: ctx.services.messageMaxChars,
    });
    for (const message of rendered.messages) await ctx.reply(message);
    if (excel || rendered.summarised) {
      await ctx.replyDocument({
        fileName: `registrasi-${client.clientId.toLowerCase()}.xlsx`,
        mimeType: XLSX_MIME,
        data: await registrationWorkbook(members, { client, now: at, timezone }),
        caption: `📎 Absensi registrasi ${client.nama}: ${members.length} user, satu baris per user (WhatsApp, Instagram, TikTok, status).`,
      });
    }
  },
});
