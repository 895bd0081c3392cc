/** The Indonesian texts of member reminders: the opt-in replies and the reminder itself. Pure. */
import type { Platform } from '../compliance/handle.js';
import { formatDay, formatTime } from '../time/format.js';

const WHAT = 'daftar konten hari itu yang belum Anda like (Instagram) atau komentari (TikTok)';
/** `when`: the time of day reminders go (`16.10 WIB`), or null when the server sends none. */
const howOften = (when: string | null): string =>
  `${when ? `setiap hari sekitar pukul ${when}, ` : ''}paling banyak satu pesan sehari ke chat ini, dan tidak ada pesan bila semua sudah Anda kerjakan`;

const SERVER_OFF = '\n⚠️ Saat ini server tidak mengirim pengingat; hubungi operator Cicero di satuan Anda.';

export function reminderStatus(enabled: boolean, when: string | null): string {
  const status = enabled
    ? `🔔 Pengingat WhatsApp harian Anda *AKTIF*: ${WHAT}, ${howOften(when)}.\nKetik *notifwa#off* untuk menonaktifkannya.`
    : `🔕 Pengingat WhatsApp harian Anda *NONAKTIF*.\nKetik *notifwa#on* untuk menerima ${WHAT} (${howOften(when)}).`;
  return when ? status : `${status}${SERVER_OFF}`;
}

export function turnedOn(when: string | null): string {
  const text = `✅ Pengingat WhatsApp harian *diaktifkan*: Anda akan menerima ${WHAT}, ${howOften(when)}.\nKetik *notifwa#off* untuk menonaktifkannya.`;
  return when ? text : `${text}${SERVER_OFF}`;
}
export const ALREADY_ON = '✅ Pengingat WhatsApp harian Anda sudah *AKTIF*. Ketik *notifwa#off* untuk menonaktifkannya.';
export const TURNED_OFF = '🔕 Pengingat WhatsApp harian *dinonaktifkan*. Ketik *notifwa#on* untuk mengaktifkannya lagi.';
export const ALREADY_OFF = '🔕 Pengingat WhatsApp harian Anda memang *NONAKTIF*. Ketik *notifwa#on* untuk mengaktifkannya.';

export function inactiveMember(nrp: string): string {
  return `❌ NRP/NIP *${nrp}* berstatus NONAKTIF, sehingga pengingat tidak dapat diaktifkan. Hubungi operator Cicero di satuan Anda.`;
}

export function unknownChoice(typed: string): string {
  return `Pilihan *${typed}* tidak dikenal; gunakan *on* atau *off*.`;
}

/** The member's menu, option 3: the state and how to change it. */
export function reminderMenu(enabled: boolean, when: string | null): string {
  return [
    reminderStatus(enabled, when),
    '',
    'Balas *1* untuk mengaktifkan, *2* untuk menonaktifkan, atau *batal* untuk keluar.',
  ].join('\n');
}

export const REMINDER_MENU_CHOICE = '❌ Pilihan tidak dikenali. Balas angka *1* (aktifkan) atau *2* (nonaktifkan).';

/** The posts of one platform a member has not yet engaged with. */
export interface MissingPosts {
  platform: Platform;
  urls: string[];
  /** The member has no handle for the platform: their engagement cannot be counted. */
  noHandle: boolean;
}

const HEADING: Record<Platform, string> = {
  instagram: 'Konten Instagram yang belum Anda like',
  tiktok: 'Konten TikTok yang belum Anda komentari',
};

const SET_HANDLE: Record<Platform, string> = {
  instagram: '⚠️ Username Instagram Anda belum tercatat, sehingga like Anda tidak terhitung. Kirim *insta#<username atau link profil>* untuk mencatatnya.',
  tiktok: '⚠️ Username TikTok Anda belum tercatat, sehingga komentar Anda tidak terhitung. Kirim *tiktok#<username atau link profil>* untuk mencatatnya.',
};

/**
 * The reminder: per platform, the client's links of the posts still to do, never the
 * member's own handle. `dataAt`: the latest fetch the list is based on.
 */
export function reminderText(missing: readonly MissingPosts[], now: Date, dataAt: Date | null, zone: string): string {
  const lines = [`🔔 *Pengingat Cicero* — ${formatDay(now, zone)}`];
  for (const m of missing) {
    lines.push('', `*${HEADING[m.platform]}* (${m.urls.length}):`, ...m.urls.map((url, i) => `${i + 1}. ${url}`));
    if (m.noHandle) lines.push(SET_HANDLE[m.platform]);
  }
  if (dataAt) lines.push('', `Data per pukul ${formatTime(dataAt, zone)}; bila sudah Anda kerjakan sesudahnya, abaikan pesan ini.`);
  lines.push('', 'Ketik *notifwa#off* untuk berhenti menerima pengingat ini.');
  return lines.join('\n');
}
