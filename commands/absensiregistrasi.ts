import { defineCommand } from '../src/bot/command.js';
import { UsageError } from '../src/bot/errors.js';
import { MODE_WORDS, takeClient } from '../src/reports/report-args.js';
import { clientInScope } from '../src/reports/scope.js';
import { sendRegistration } from '../src/reports/send-recaps.js';

export default defineCommand({
  name: 'absensiregistrasi',
  syntax: 'absensiregistrasi[#<client>][#sudah|belum][#excel]',
  example: 'absensiregistrasi#POLRESABC#belum',
  help: 'Siapa yang belum menghubungkan WhatsApp, belum mengisi Instagram, atau belum mengisi TikTok.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 3 },
  async handler(ctx) {
    const { client: typed, rest } = takeClient(ctx.args, MODE_WORDS);
    const words = rest.map((w) => w.toLowerCase());
    const excel = words.includes('excel');
    const modes = words.filter((w) => w !== 'excel');
    const [mode = 'all'] = modes;
    if (modes.length > 1 || (mode !== 'all' && mode !== 'sudah' && mode !== 'belum')) {
      throw new UsageError('Pilih [sudah|belum], atau kosongkan untuk keduanya.');
    }
    await sendRegistration(ctx, await clientInScope(ctx, typed), mode, excel);
  },
});
