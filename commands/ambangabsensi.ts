import { defineCommand } from '../src/bot/command.js';
import { UsageError } from '../src/bot/errors.js';
import { setThreshold } from '../src/compliance/clients.js';
import type { Threshold } from '../src/compliance/classify.js';
import { takeClient } from '../src/reports/report-args.js';
import { clientInScope } from '../src/reports/scope.js';

const WORDS: Record<string, Threshold> = { setengah: 'half', separuh: 'half', half: 'half', semua: 'all', all: 'all' };
const OPTION_WORDS: ReadonlySet<string> = new Set(Object.keys(WORDS));
const DESCRIBE: Record<Threshold, string> = {
  half: '*setengah*: sudah bila minimal separuh konten hari itu (dibulatkan ke atas) dikerjakan',
  all: '*semua*: sudah hanya bila semua konten hari itu dikerjakan',
};

export default defineCommand({
  name: 'ambangabsensi',
  syntax: 'ambangabsensi[#<client>][#setengah|semua]',
  example: 'ambangabsensi#POLRESABC#semua',
  help: 'Melihat atau mengubah syarat "sudah" pada rekap absensi client: setengah konten (bawaan) atau semua konten.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 2 },
  async handler(ctx) {
    const { client: typed, rest } = takeClient(ctx.args, OPTION_WORDS);
    const [value, ...extra] = rest;
    if (extra.length > 0) throw new UsageError();
    const wanted = value === undefined ? undefined : WORDS[value.toLowerCase()];
    if (value !== undefined && wanted === undefined) throw new UsageError(`Pilihan *${value}* tidak dikenal.`);
    const client = await clientInScope(ctx, typed);
    if (wanted === undefined) {
      await ctx.reply(`Syarat sudah untuk *${client.clientId}* (${client.nama}): ${DESCRIBE[client.threshold]}.`);
      return;
    }
    await setThreshold(ctx.services.db, client.clientId, wanted);
    await ctx.reply(`✅ Syarat sudah untuk *${client.clientId}* (${client.nama}) sekarang ${DESCRIBE[wanted]}.`);
  },
});
