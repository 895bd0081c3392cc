import { defineCommand } from '../src/bot/command.js';
import { UsageError } from '../src/bot/errors.js';
import { loadDayLinks } from '../src/compliance/links.js';
import { noContentText } from '../src/reports/absensi-text.js';
import { renderDayLinks } from '../src/reports/link-text.js';
import { splitOptions, takeClient } from '../src/reports/report-args.js';
import { ensureSourceEnabled } from '../src/reports/run-absensi.js';
import { clientInScope } from '../src/reports/scope.js';
import { dayWindowOf } from '../src/time/day.js';

const NO_WORDS: ReadonlySet<string> = new Set();

export default defineCommand({
  name: 'rekaplink',
  syntax: 'rekaplink[#<client>][#<tanggal>|kemarin]',
  example: 'rekaplink#POLRESABC',
  help: 'Daftar link amplifikasi yang dilaporkan anggota hari ini (atau tanggal lain), per platform.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 2 },
  async handler(ctx) {
    const { db, now, timezone } = ctx.services;
    const at = now();
    const { client: typed, rest } = takeClient(ctx.args, NO_WORDS);
    const { date, words, excel } = splitOptions(rest, at, timezone);
    if (words.length > 0 || excel) throw new UsageError();
    const client = await clientInScope(ctx, typed);
    ensureSourceEnabled(client, 'links');
    const day = dayWindowOf(date, timezone);
    const links = await loadDayLinks(db, client.clientId, day);
    await ctx.reply(
      links.posts.length === 0
        ? noContentText('links', client, day.start, timezone)
        : renderDayLinks(links, { client, day: day.start, now: at, timezone }),
    );
  },
});
