/**
 * `urutandivisi`: the order a client's divisions appear in its reports. Listed
 * divisions come first, in the order given; the rest follow in the default order
 * (PIMPINAN, BAG, SAT, SI, SPKT, POLSEK, then alphabetical).
 */
import { defineCommand } from '../src/bot/command.js';
import { UsageError, UserError } from '../src/bot/errors.js';
import { findClient, setDivisionOrder } from '../src/compliance/clients.js';
import { divisionComparator, divisionKey } from '../src/compliance/ordering.js';
import { divisionChoices } from '../src/members/profile.js';
import { takeClient } from '../src/reports/report-args.js';
import { clientInScope } from '../src/reports/scope.js';

const RESET_WORDS: ReadonlySet<string> = new Set(['hapus', 'bawaan', 'reset']);
const MAX_DIVISIONS = 100;

const numbered = (divisions: readonly string[]): string => divisions.map((d, i) => `${i + 1}. ${d}`).join('\n');

export default defineCommand({
  name: 'urutandivisi',
  syntax: 'urutandivisi[#<client>][#<DIVISI>,<DIVISI>,…|hapus]',
  example: 'urutandivisi#POLRESABC#PIMPINAN,BAG OPS,SAT LANTAS',
  help: 'Melihat atau mengatur urutan divisi pada rekap client: divisi yang disebut tampil lebih dulu sesuai urutan itu, sisanya urutan bawaan. *hapus* kembali ke urutan bawaan.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 2 },
  async handler(ctx) {
    const { db } = ctx.services;
    let { client: typed, rest } = takeClient(ctx.args, RESET_WORDS);
    // `urutandivisi#PIMPINAN,BAG OPS` (an operator's own client): the one argument is the list.
    if (typed !== null && rest.length === 0 && (typed.includes(',') || !(await findClient(db, typed)))) {
      rest = [typed];
      typed = null;
    }
    const [value, ...extra] = rest;
    if (extra.length > 0) throw new UsageError();
    const client = await clientInScope(ctx, typed);
    const present = await divisionChoices(db, client.clientId, true);
    const show = (order: readonly string[]): string =>
      present.length === 0 ? '(belum ada anggota)' : numbered([...present].sort(divisionComparator(order)));
    if (value === undefined) {
      const own = client.divisionOrder.length
        ? `diatur client: ${client.divisionOrder.join(', ')}; sisanya urutan bawaan`
        : 'urutan bawaan (PIMPINAN, BAG, SAT, SI, SPKT, POLSEK, lainnya menurut abjad)';
      await ctx.reply(`📋 Urutan divisi *${client.clientId}* (${client.nama}): ${own}.\n\n${show(client.divisionOrder)}`);
      return;
    }
    if (RESET_WORDS.has(value.trim().toLowerCase())) {
      await setDivisionOrder(db, client.clientId, []);
      await ctx.reply(`✅ Urutan divisi *${client.clientId}* kembali ke urutan bawaan.\n\n${show([])}`);
      return;
    }
    const order = value.split(',').map(divisionKey).filter(Boolean);
    if (order.length === 0) throw new UsageError('Sebutkan divisinya, dipisah koma.');
    if (order.length > MAX_DIVISIONS) throw new UsageError(`Paling banyak ${MAX_DIVISIONS} divisi.`);
    const twice = order.find((d, i) => order.indexOf(d) !== i);
    if (twice) throw new UserError(`❌ Divisi *${twice}* disebut dua kali.`);
    const unknown = order.filter((d) => !present.includes(d));
    if (unknown.length > 0) {
      throw new UserError(
        `❌ Divisi ${unknown.map((d) => `*${d}*`).join(', ')} tidak ada di *${client.clientId}*.\nDivisi yang ada: ${present.join(', ') || '(belum ada anggota)'}`,
      );
    }
    await setDivisionOrder(db, client.clientId, order);
    await ctx.reply(`✅ Urutan divisi *${client.clientId}* disimpan; rekap berikutnya memakai urutan ini.\n\n${show(order)}`);
  },
});
