/** The bot's shared Indonesian texts (command-specific texts live with each command). */
import type { TransportAlert } from '../transport/transport.js';
import type { Role } from '../identity/sender.js';
import type { CommandSpec } from './command.js';
import { formatStamp, formatTime } from '../time/format.js';
import type { PauseCause, PauseState } from '../outbox/kill-switch.js';

export const ROLE_LABEL: Record<Role, string> = {
  admin: 'admin',
  operator: 'operator',
  member: 'anggota',
  unknown: 'belum terdaftar',
};

/** Reply to text that is not a command, fitted to what the sender can do. */
export function unknownTextHint(role: Role): string {
  switch (role) {
    case 'admin':
    case 'operator':
      return '🤖 Perintah tidak dikenali.\nKetik *help* untuk melihat daftar perintah beserta format dan contohnya.';
    case 'member':
      return '🤖 Maaf, pesan Anda belum dikenali sebagai perintah.\nKetik *help* untuk melihat perintah yang dapat Anda gunakan.';
    case 'unknown':
      // The first-contact offer (§1.6): how a member binds this number to their NRP.
      return (
        '🤖 Nomor WhatsApp Anda belum terdaftar di Cicero.\n' +
        'Bila Anda anggota, hubungkan nomor ini dengan NRP/NIP Anda: ketik *userrequest*, atau langsung *daftar#<NRP>* (contoh: daftar#75070206).\n' +
        'Ketik *help* untuk melihat apa yang dapat Anda lakukan, atau hubungi operator satuan Anda.'
      );
  }
}

/** Reply in a private chat to what the bot cannot read (a voice note, a sticker, media without a caption). */
export const UNREADABLE_HINT = 'ℹ️ Bot hanya membaca pesan teks. Ketik *help* untuk melihat daftar perintah.';

/** A known sender without the needed role; unknown senders get {@link unknownTextHint} instead. */
export function refusal(command: CommandSpec): string {
  const allowed = command.roles.filter((r) => r !== 'unknown').map((r) => ROLE_LABEL[r]);
  return `❌ Perintah *${command.name}* hanya dapat digunakan oleh ${allowed.join(' atau ')}.`;
}

export const GROUP_REFUSAL = '❌ Maaf, Anda tidak memiliki akses ke perintah ini.';

/** `login#…` written in a group: not run; the password is exposed and must be changed. */
export const SECRET_IN_GROUP =
  '⚠️ Jangan menulis password di grup. Perintah login tidak dijalankan; segera ganti password akun tersebut (minta admin) dan hapus pesan tadi.';

/** Admin commands show the bot's own state; a group must not read it. */
export function privateOnlyRefusal(command: CommandSpec): string {
  return `❌ Perintah *${command.name}* hanya dapat digunakan melalui chat pribadi dengan nomor bot.`;
}

export function usage(command: CommandSpec, detail?: string): string {
  return [
    detail ? `⚠️ ${detail}` : '⚠️ Format perintah salah.',
    `Format: *${command.syntax}*`,
    `Contoh: ${command.example}`,
  ].join('\n');
}

export const APOLOGY =
  '⚠️ Maaf, terjadi kesalahan saat memproses permintaan Anda. Silakan coba lagi beberapa saat lagi.';

/**
 * Messages over the flood limit are dropped, not queued, so the notice says so and names
 * the moment the window has room (rounded up to the printed second, so "after" holds).
 */
export function floodNotice(until: Date, timezone: string): string {
  const at = new Date(Math.ceil(until.getTime() / 1000) * 1000);
  return `⏳ Anda mengirim terlalu banyak pesan dalam waktu singkat. Pesan berikutnya diabaikan (tidak diproses) sampai pukul ${formatTime(at, timezone)}; kirim ulang setelahnya.`;
}

export const CONVERSATION_CANCELLED = '✅ Menu ditutup. Ketik *help* untuk melihat daftar perintah.';

export function conversationExpired(timeoutMs: number): string {
  const minutes = Math.max(1, Math.round(timeoutMs / 60_000));
  return `⏰ Menu ditutup karena tidak ada balasan selama ${minutes} menit. Ketik perintahnya lagi untuk memulai ulang.`;
}

export const GROUP_CONVERSATION_REFUSED =
  '❌ Menu ini hanya dapat dibuka melalui chat pribadi dengan nomor bot.';

/** Words that end a conversation at any step. */
export const CANCEL_WORDS = new Set(['batal', 'cancel', 'keluar', 'exit']);

export const NOTHING_TO_CANCEL = 'ℹ️ Tidak ada menu yang sedang berjalan, jadi tidak ada yang dibatalkan.\nKetik *help* untuk melihat daftar perintah.';

export const DATABASE_DELAY_NOTICE =
  '⏳ Sistem Cicero sedang mengalami gangguan sementara. Pesan Anda sudah diterima dan akan diproses begitu sistem pulih.';

export const DATABASE_OVERLOAD_NOTICE =
  '⚠️ Sistem Cicero sedang mengalami gangguan dan belum dapat menerima pesan. Mohon kirim ulang pesan Anda beberapa saat lagi.';

/** For a message that reached the bot long after it was sent (the bot was offline). */
export function offlineNote(sentAt: Date, timezone: string): string {
  return (
    `🙏 Maaf, Cicero sedang offline ketika pesan Anda dikirim (${formatStamp(sentAt, timezone)}). ` +
    'Silakan kirim ulang perintah Anda bila masih diperlukan.'
  );
}

/** Why sending paused, as admins read it in alerts, `status` and `outbox`. */
export function pauseReason(signal: PauseCause): string {
  switch (signal.kind) {
    case 'logout':
      return 'WhatsApp mengeluarkan (LOGOUT) sesi bot';
    case 'relink':
      return 'WhatsApp meminta QR baru setelah nomor tertaut (sesi keluar atau hilang)';
    case 'blocked':
      return `WhatsApp melaporkan status ${signal.state}`;
    case 'refused':
      return `WhatsApp menolak pesan ke ${signal.chatId} setelah dikirim (error 463)`;
    case 'send-refused':
      return `WhatsApp menolak pengiriman ke ${signal.chatId} (${signal.error})`;
    case 'recorded':
      return signal.text;
  }
}

/** Sent straight to every admin when the outbox pauses (the queue itself is held). */
export function pauseAlert(state: PauseState, timezone: string): string {
  return [
    '🚨 *Cicero menjeda semua pengiriman pesan*',
    `Alasan: ${pauseReason(state.cause)}`,
    `Sejak: ${formatStamp(state.since, timezone)}`,
    'WhatsApp mungkin sedang membatasi nomor bot. Periksa nomor tersebut di ponsel, lalu kirim *outbox#resume* untuk melanjutkan.',
  ].join('\n');
}

/** Queued to every admin when WhatsApp keeps failing to connect; it goes out once the connection is back. */
export function unreachableAlert(alert: TransportAlert, timezone: string): string {
  return [
    '🚨 *Cicero gagal tersambung ke WhatsApp*',
    `Sejak: ${formatStamp(alert.since, timezone)}`,
    `Percobaan gagal berturut-turut: ${alert.attempts}`,
    `Alasan terakhir: ${alert.reason}`,
    'Bot terus mencoba menyambung ulang. Pesan ini terkirim begitu sambungan pulih; bila gangguan berulang, periksa server bot (log dan /healthz).',
  ].join('\n');
}

/** Told instead of an attachment a reply promised, once it could not be built (never silent). */
export function attachmentFailed(reason: string): string {
  return `⚠️ Lampiran tidak dapat dibuat (${reason}). Silakan ulangi perintahnya.`;
}

/** Why an attachment was not built, for {@link attachmentFailed}. */
export const ATTACHMENT_UNKNOWN = 'jenis lampiran tidak dikenal';
export const ATTACHMENT_ERROR = 'terjadi kesalahan saat membuatnya';
