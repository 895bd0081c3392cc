import { defineCommand } from '../src/bot/command.js';
import { pauseReason } from '../src/bot/texts.js';
import { formatDuration, formatStamp } from '../src/time/format.js';
import type { ConnectionState } from '../src/transport/transport.js';

const STATE_LABEL: Record<ConnectionState, string> = {
  stopped: 'berhenti',
  starting: 'sedang memulai',
  pairing: 'menunggu pemindaian QR / kode pairing',
  authenticated: 'terautentikasi, menunggu siap',
  ready: 'siap',
  disconnected: 'terputus (menyambung ulang)',
};

export default defineCommand({
  name: 'status',
  syntax: 'status',
  example: 'status',
  help: 'Menampilkan keadaan bot: koneksi WhatsApp, antrean kirim, pesan terakhir, dan lama aktif.',
  roles: ['admin'],
  async handler(ctx) {
    const { status, timezone, now, outbox: queue } = ctx.services;
    const transport = status.transport();
    const at = now();
    const outbox = await queue.stats();
    const paused = queue.paused();
    await ctx.reply(
      [
        '🖥️ *Status Cicero*',
        `WhatsApp: *${STATE_LABEL[transport.state]}* (${transport.name})`,
        paused
          ? `Pengiriman: *DIJEDA* sejak ${formatStamp(paused.since, timezone)} (${pauseReason(paused.cause)}). Lanjutkan dengan *outbox#resume*.`
          : 'Pengiriman: berjalan',
        `Antrean kirim: ${outbox.depth} pesan${outbox.oldestPendingS !== null ? ` (tertua ${outbox.oldestPendingS} detik)` : ''}`,
        `Gagal terkirim (dead letter): ${outbox.deadLetters}`,
        `Pesan masuk terakhir: ${status.lastMessageAt ? formatStamp(status.lastMessageAt, timezone) : '-'}`,
        `Aktif sejak: ${formatStamp(status.startedAt, timezone)} (${formatDuration(at.getTime() - status.startedAt.getTime())})`,
      ].join('\n'),
    );
  },
});
