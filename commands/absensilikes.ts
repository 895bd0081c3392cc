import { defineCommand } from '../src/bot/command.js';
import { runAbsensi } from '../src/reports/run-absensi.js';

export default defineCommand({
  name: 'absensilikes',
  syntax: 'absensilikes[#<client>][#akumulasi|sudah|belum[#sudah|belum]][#<tanggal>|kemarin][#excel][#grafik]',
  example: 'absensilikes#POLRESABC#akumulasi#belum',
  help: 'Rekap likes Instagram anggota atas konten resmi hari ini (atau tanggal lain): per konten, atau akumulasi.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 6 },
  handler: (ctx) => runAbsensi(ctx, 'likes'),
});
