import { defineCommand } from '../src/bot/command.js';
import { runAbsensi } from '../src/reports/run-absensi.js';

export default defineCommand({
  name: 'absensikomentar',
  syntax: 'absensikomentar[#<client>][#akumulasi|sudah|belum[#sudah|belum]][#<tanggal>|kemarin][#excel]',
  example: 'absensikomentar#POLRESABC#akumulasi',
  help: 'Rekap komentar TikTok anggota atas video resmi hari ini (atau tanggal lain): per konten, atau akumulasi.',
  roles: ['admin', 'operator'],
  args: { min: 0, max: 5 },
  handler: (ctx) => runAbsensi(ctx, 'comments'),
});
