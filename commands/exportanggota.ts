import { DateTime } from 'luxon';
import { defineCommand } from '../src/bot/command.js';
import { exportFileName, exportMembers } from '../src/import/export-members.js';
import { XLSX_MIME } from '../src/reports/excel.js';
import { clientInScope } from '../src/reports/scope.js';

export default defineCommand({
  name: 'exportanggota',
  syntax: 'exportanggota[#<client>]',
  example: 'exportanggota#POLRESABC',
  help: 'Daftar anggota client sebagai file Excel dengan format impor: ubah lalu impor kembali dengan cicero import members.',
  roles: ['admin', 'operator'],
  // The workbook holds members' numbers: never into a group.
  privateOnly: true,
  args: { min: 0, max: 1 },
  async handler(ctx) {
    const { db, now, timezone } = ctx.services;
    const client = await clientInScope(ctx, ctx.args[0]?.trim() || null);
    const at = now();
    const { data, members } = await exportMembers(db, client.clientId, at);
    const day = DateTime.fromJSDate(at, { zone: timezone }).toISODate() ?? '';
    await ctx.replyDocument({
      fileName: exportFileName(client.clientId, day),
      mimeType: XLSX_MIME,
      data,
      caption:
        `📎 Anggota ${client.nama} (${client.clientId}): ${members} orang, satu baris per anggota. ` +
        'Sel kosong tidak menghapus data saat diimpor kembali.',
    });
  },
});
