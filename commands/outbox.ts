import { defineCommand } from '../src/bot/command.js';
import { pauseReason } from '../src/bot/texts.js';
import { UsageError, UserError } from '../src/bot/errors.js';
import { formatStamp } from '../src/time/format.js';

export default defineCommand({
  name: 'outbox',
  syntax: 'outbox[#resume|#retry#<id>]',
  example: 'outbox#retry#42',
  help: 'Antrean kirim: jumlah, pesan tertua, dead letter; *resume* melanjutkan pengiriman yang dijeda, *retry* mengantrekan ulang satu dead letter.',
  roles: ['admin'],
  args: { min: 0, max: 2 },
  async handler(ctx) {
    const { outbox, timezone } = ctx.services;
    const [action, id] = ctx.args.map((a) => a.toLowerCase());
    if (action === 'resume' && id === undefined) {
      const previous = await outbox.resume();
      await ctx.reply(
        previous
          ? `✅ Pengiriman dilanjutkan (dijeda sejak ${formatStamp(previous.since, timezone)}: ${pauseReason(previous.cause)}).`
          : 'ℹ️ Pengiriman tidak sedang dijeda.',
      );
      return;
    }
    if (action === 'retry') {
      if (!id || !/^\d+$/.test(id)) throw new UsageError('Sebutkan nomor dead letter, misalnya outbox#retry#42.');
      // An id past the safe-integer range cannot be a row (and would make PostgreSQL's bigint
      // cast fail), so it gets the same answer as any unknown id without reaching SQL.
      const row = Number(id);
      if (!Number.isSafeInteger(row) || !(await outbox.retryDead(row))) {
        throw new UserError(`❌ Tidak ada dead letter dengan nomor *${id}*.`);
      }
      await ctx.reply(`✅ Dead letter *${id}* diantrekan ulang.`);
      return;
    }
    if (action !== undefined) throw new UsageError(`Aksi *${action}* tidak dikenal.`);

    const stats = await outbox.stats();
    const paused = outbox.paused();
    const dead = await outbox.deadLetters(5);
    const lines = [
      '📮 *Antrean Kirim Cicero*',
      paused
        ? `Status: *DIJEDA* sejak ${formatStamp(paused.since, timezone)}\nAlasan: ${pauseReason(paused.cause)}\nLanjutkan dengan *outbox#resume*.`
        : 'Status: berjalan',
      `Menunggu dikirim: ${stats.depth} pesan`,
      `Pesan tertua: ${stats.oldestPendingS === null ? '-' : `${stats.oldestPendingS} detik`}`,
      `Dead letter: ${stats.deadLetters}`,
      ...dead.map(
        (row) =>
          `• #${row.id} ke ${row.chat_id} (${row.attempts}x): ${row.last_error ?? '-'}${row.body ? ` — "${row.body.split('\n')[0]}"` : ''}`,
      ),
    ];
    if (dead.length > 0) lines.push('Kirim ulang dengan *outbox#retry#<nomor>*.');
    await ctx.reply(lines.join('\n'));
  },
});
