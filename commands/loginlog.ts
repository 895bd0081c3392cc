import { defineCommand } from '../src/bot/command.js';
import { UsageError } from '../src/bot/errors.js';
import { recentLogins } from '../src/identity/login-log.js';
import { formatStamp } from '../src/time/format.js';

const DEFAULT_DAYS = 7;
const MAX_DAYS = 366;
const MAX_LINES = 50;

export default defineCommand({
  name: 'loginlog',
  syntax: 'loginlog[#<hari>]',
  example: 'loginlog#30',
  help: `Login terakhir (anggota dan akun dashboard): siapa, jenis, sumber, waktu; bawaan ${DEFAULT_DAYS} hari, paling banyak ${MAX_LINES} baris.`,
  roles: ['admin'],
  args: { min: 0, max: 1 },
  async handler(ctx) {
    const [typed] = ctx.args;
    const days = typed === undefined ? DEFAULT_DAYS : Number(typed);
    if (!/^\d+$/.test(typed ?? '0') || !Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
      throw new UsageError(`Jumlah hari harus angka 1 sampai ${MAX_DAYS}.`);
    }
    const { db, now, timezone } = ctx.services;
    const since = new Date(now().getTime() - days * 86_400_000);
    const { entries, counts, total } = await recentLogins(db, since, MAX_LINES);
    const lines = [`🔐 *Login ${days} hari terakhir* (sejak ${formatStamp(since, timezone)})`];
    if (total === 0) {
      lines.push('Belum ada login.');
    } else {
      lines.push(`Jumlah: ${total} (${counts.map((c) => `${c.type} ${c.count}`).join(', ')})`);
      for (const e of entries) {
        const who = e.type === 'user' ? `${e.name ?? '-'}, NRP ${e.actorId}` : (e.name ?? e.actorId);
        const client = e.clientId ? ` (${e.clientId})` : '';
        lines.push(`• ${formatStamp(e.at, timezone)} · ${e.type} · ${e.source} · ${who}${client}`);
      }
      if (total > entries.length) lines.push(`(${entries.length} terbaru dari ${total} ditampilkan)`);
    }
    await ctx.reply(lines.join('\n'));
  },
});
