import { defineCommand } from '../src/bot/command.js';
import { runAbsensi } from '../src/reports/run-absensi.js';

export default defineCommand({
  name: 'absensikomentar',
  syntax: 'absensikomentar[#<client>][#akumulasi|sudah|belum[#sudah|belum]][#<tanggal>|kemarin][#excel][#grafik]',
  example: 'absensikomentar#POLRESABC#akumulasi',
  help: 'Rekap komentar TikTok anggota atas video resmi hari ini (atau tanggal lain): per konten, atau akumulasi.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 6 },
  handler: (ctx) => runAbsensi(ctx, 'comments'),
});
