import { defineCommand } from '../src/bot/command.js';
import { runAbsensi } from '../src/reports/run-absensi.js';

export default defineCommand({
  name: 'absensilink',
  syntax: 'absensilink[#<client>][#akumulasi|sudah|belum[#sudah|belum]][#<tanggal>|kemarin][#excel][#grafik]',
  example: 'absensilink#POLRESABC#akumulasi#belum',
  help: 'Rekap pelaporan link amplifikasi anggota (laporlink) atas konten Instagram resmi hari ini atau tanggal lain.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 6 },
  handler: (ctx) => runAbsensi(ctx, 'links'),
});
