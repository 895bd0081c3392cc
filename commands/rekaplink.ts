import { defineCommand } from '../src/bot/command.js';
import { UsageError } from '../src/bot/errors.js';
import { splitOptions, takeClient } from '../src/reports/report-args.js';
import { clientInScope } from '../src/reports/scope.js';
import { sendDayLinks } from '../src/reports/send-recaps.js';

const NO_WORDS: ReadonlySet<string> = new Set();

export default defineCommand({
  name: 'rekaplink',
  syntax: 'rekaplink[#<client>][#<tanggal>|kemarin][#excel]',
  example: 'rekaplink#POLRESABC',
  help: 'Rekap link amplifikasi hari ini (atau tanggal lain): jumlah link per platform dan siapa yang sudah melapor, per divisi; #excel mengirim semua link sebagai file Excel.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 3 },
  async handler(ctx) {
    const { now, timezone } = ctx.services;
    const at = now();
    const { client: typed, rest } = takeClient(ctx.args, NO_WORDS);
    const { date, words, excel, chart } = splitOptions(rest, at, timezone);
    if (words.length > 0 || chart) throw new UsageError();
    await sendDayLinks(ctx, await clientInScope(ctx, typed), date, excel);
  },
});
