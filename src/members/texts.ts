/** The Indonesian texts of member registration and of a member's own data. Pure. */
import { normaliseHandle, type Platform } from '../compliance/handle.js';
import { formatStamp, formatTime } from '../time/format.js';
import type { BindCandidate } from './binding.js';
import { type MemberProfile, type TextField, textMax } from './profile.js';

export const PLATFORM_LABEL: Record<Platform, string> = { instagram: 'Instagram', tiktok: 'TikTok' };

export const FIELD_LABEL: Record<TextField | Platform, string> = {
  nama: 'Nama',
  title: 'Pangkat',
  divisi: 'Satfung',
  jabatan: 'Jabatan',
  instagram: 'Instagram',
  tiktok: 'TikTok',
};

const show = (v: string | null): string => (v && v.trim() !== '' ? v : '-');

/** A stored handle as `@handle`: older rows hold links and a leading `@` (TikTok), shown in normal form. */
function showHandle(stored: string | null, platform: Platform): string {
  if (!stored || stored.trim() === '') return '-';
  const handle = normaliseHandle(stored, platform) ?? stored.trim().replace(/^@+/, '');
  return handle === '' ? '-' : `@${handle}`;
}

/** The member's card (§1.5): shown only to the member themselves, once bound. */
export function memberCard(p: MemberProfile): string {
  return [
    '👤 *Identitas Anda*',
    `Nama: ${show(p.nama)}`,
    `Pangkat: ${show(p.title)}`,
    `NRP/NIP: ${p.userId}`,
    `Satfung: ${show(p.divisi)}`,
    `Jabatan: ${show(p.jabatan)}`,
    `Instagram: ${showHandle(p.insta, 'instagram')}`,
    `TikTok: ${showHandle(p.tiktok, 'tiktok')}`,
    `Status: ${p.active ? '🟢 AKTIF' : '🔴 NONAKTIF'}`,
  ].join('\n');
}

export const ASK_NRP = 'Ketik NRP/NIP Anda (hanya angka, contoh: 75070206), atau *batal* untuk keluar.';

/** Agrees with `parseNrp`: 8 digits (6 or 7 when leading zeros are left out) or 18, spaces, dots and dashes ignored. */
export const MALFORMED_NRP =
  '❌ Itu bukan NRP/NIP. NRP terdiri dari 8 angka (contoh: 75070206; angka 0 di depan boleh tidak ditulis) dan NIP dari 18 angka, tanpa huruf.';

export function unknownNrp(nrp: string): string {
  return `❌ NRP/NIP *${nrp}* tidak ditemukan. Periksa kembali, atau tanyakan kepada operator Cicero di satuan Anda.`;
}

/** Before binding only what lets the member recognise themselves: name, rank, division. */
export function confirmBinding(c: Pick<BindCandidate, 'userId' | 'nama' | 'title' | 'divisi'>): string {
  const name = [c.title, c.nama].filter((v) => v && v.trim() !== '').join(' ') || '-';
  return [
    `NRP/NIP *${c.userId}* ditemukan:`,
    `*${name}*${c.divisi ? ` (${c.divisi})` : ''}`,
    '',
    `Balas *ya* untuk menghubungkan nomor WhatsApp ini dengan NRP/NIP *${c.userId}*, atau *tidak* bila itu bukan Anda.`,
    'Satu NRP/NIP hanya dapat terhubung dengan satu nomor WhatsApp.',
  ].join('\n');
}

export const YES_OR_NO = 'Balas *ya* atau *tidak*.';

export const BINDING_DECLINED = 'ℹ️ Nomor WhatsApp ini tidak dihubungkan. Ketik *userrequest* bila ingin mencoba lagi.';

export function bound(p: MemberProfile): string {
  return [
    `✅ Nomor WhatsApp ini telah terhubung dengan NRP/NIP *${p.userId}*.`,
    '',
    memberCard(p),
    '',
    'Ketik *userrequest* untuk melihat atau mengubah data Anda.',
  ].join('\n');
}

/** The refusal names the client's operator; the operator hears who tried. */
export function nrpTaken(c: BindCandidate): string {
  const unit = c.clientNama ?? c.clientId;
  const operator = unit ? `operator Cicero *${unit}*` : 'operator Cicero di satuan Anda';
  const reach = c.operator ? ` (https://wa.me/${c.operator})` : '';
  return `❌ NRP ini sudah terhubung dengan nomor lain; hubungi ${operator}${reach} bila nomor itu bukan milik Anda atau Anda berganti nomor.`;
}

export function hijackNotice(c: BindCandidate, who: { phone: string | null; lid: string | null }, at: Date, zone: string): string {
  const name = [c.title, c.nama].filter(Boolean).join(' ');
  const from = [who.phone ? `nomor ${who.phone}` : null, who.lid ? `LID ${who.lid}` : null].filter(Boolean).join(', ');
  return [
    '⚠️ *Percobaan menghubungkan NRP yang sudah terdaftar*',
    `NRP/NIP: *${c.userId}*${name ? ` (${name})` : ''}`,
    `Sudah terhubung dengan nomor: ${c.whatsapp ?? '-'}`,
    `Dicoba dari: ${from || '-'}`,
    `Waktu: ${formatStamp(at, zone)}`,
    'Permintaan itu ditolak. Bila anggota tersebut memang berganti nomor, lepaskan dulu nomor lamanya.',
  ].join('\n');
}

/** A bound member names their own NRP again (`daftar#<own NRP>`). */
export function alreadyYours(nrp: string): string {
  return `ℹ️ Nomor WhatsApp ini sudah terhubung dengan NRP/NIP Anda sendiri (*${nrp}*); tidak ada yang perlu dilakukan. Ketik *userrequest* untuk melihat atau mengubah data Anda.`;
}

export function numberTaken(holder: string): string {
  return `❌ Nomor WhatsApp ini sudah terhubung dengan NRP/NIP *${holder}*. Satu nomor hanya untuk satu NRP/NIP; ketik *lepas* untuk melepaskannya lebih dulu.`;
}

export function inactiveMember(nrp: string): string {
  return `❌ NRP/NIP *${nrp}* berstatus NONAKTIF sehingga tidak dapat dihubungkan dengan nomor WhatsApp. Hubungi operator Cicero di satuan Anda.`;
}

/** A LID sender whose phone number WhatsApp has not revealed (already in a private chat). */
export const NO_PHONE =
  '❌ WhatsApp belum memberi tahu bot nomor telepon Anda (pesan Anda datang dengan ID privasi/LID), sehingga nomor ini belum dapat dihubungkan dengan NRP/NIP. Ini bukan kesalahan Anda. Yang dapat Anda lakukan: coba lagi beberapa saat lagi (WhatsApp sering memberitahukan nomornya kemudian), atau minta operator Cicero di satuan Anda mencatat nomor WhatsApp Anda pada NRP/NIP Anda.';

export function lookupLimit(perHour: number, until: Date, zone: string): string {
  return `⏳ Anda sudah mencari ${perHour} NRP/NIP dalam satu jam terakhir. Pencarian NRP/NIP berikutnya baru dapat dilakukan pukul ${formatTime(until, zone)}.`;
}

export const NOT_BOUND =
  '❌ Nomor WhatsApp ini belum terhubung dengan NRP/NIP. Ketik *daftar#<NRP>* (contoh: daftar#75070206) atau *userrequest* untuk menghubungkannya.';

export const USER_MENU = [
  '┏━━━ *MENU UTAMA USER* ━━━┓',
  '1️⃣ Lihat Data Saya',
  '2️⃣ Update Data Saya',
  '3️⃣ Pengingat WhatsApp Harian',
  '┗━━━━━━━━━━━━━━━━━━━┛',
  'Balas angka *1-3*, atau *batal* untuk keluar.',
].join('\n');

export const MENU_CHOICE = '❌ Pilihan tidak dikenali. Balas angka *1*, *2* atau *3*.';

export const FIELD_MENU = [
  '✏️ *Pilih data yang ingin diubah:*',
  '1. Nama',
  '2. Pangkat',
  '3. Satfung',
  '4. Jabatan',
  '5. Instagram',
  '6. TikTok',
  '',
  'Balas angka *1-6*, atau *batal* untuk keluar.',
].join('\n');

export const FIELD_CHOICE = '❌ Pilihan tidak dikenali. Balas angka *1* sampai *6*.';

const ASK_TEXT: Record<TextField, string> = {
  nama: 'Ketik nama lengkap Anda (tanpa pangkat):',
  title: 'Ketik pangkat Anda (contoh: BRIPKA):',
  divisi: 'Ketik satfung Anda (contoh: SAT LANTAS):',
  jabatan: 'Ketik jabatan Anda:',
};

export function askText(field: TextField): string {
  return ASK_TEXT[field];
}

/** The list is a convenience: a rank or division not in it may be typed. */
export function askChoice(field: TextField, choices: readonly string[]): string {
  const label = FIELD_LABEL[field].toLowerCase();
  return [
    `Pilih ${label} Anda: balas angkanya, atau ketik ${label} Anda bila tidak ada dalam daftar.`,
    ...choices.map((c, i) => `${i + 1}. ${c}`),
  ].join('\n');
}

/** A number outside the list. */
export function badChoice(field: TextField, count: number): string {
  return `❌ Tidak ada nomor itu dalam daftar ${FIELD_LABEL[field].toLowerCase()}. Balas angka *1* sampai *${count}*, atau ketik ${FIELD_LABEL[field].toLowerCase()} Anda.`;
}

export function badText(field: TextField): string {
  return `❌ ${FIELD_LABEL[field]} kosong atau terlalu panjang (paling banyak ${textMax(field)} huruf).`;
}

export function askHandle(platform: Platform): string {
  return platform === 'instagram'
    ? 'Kirim username Instagram Anda atau link profilnya (contoh: https://www.instagram.com/budi.santoso/):'
    : 'Kirim username TikTok Anda atau link profilnya (contoh: https://www.tiktok.com/@budi.santoso):';
}

export function badHandle(platform: Platform, reason: 'post-link' | 'other-platform' | 'invalid'): string {
  const label = PLATFORM_LABEL[platform];
  switch (reason) {
    case 'post-link':
      return `❌ Itu link postingan/video, bukan link profil. Kirim link profil ${label} Anda atau username-nya saja.`;
    case 'other-platform':
      return `❌ Itu bukan link ${label}. Kirim link profil ${label} Anda atau username-nya saja.`;
    case 'invalid':
      return platform === 'instagram'
        ? '❌ Username Instagram tidak valid: 1–30 huruf kecil, angka, titik atau garis bawah.'
        : '❌ Username TikTok tidak valid: 2–24 huruf kecil, angka, titik atau garis bawah.';
  }
}

/** Never names the member who has the handle. */
export function handleTaken(platform: Platform, handle: string): string {
  return `❌ Username ${PLATFORM_LABEL[platform]} *@${handle}* sudah dipakai anggota lain di satuan Anda. Bila itu akun Anda, hubungi operator Cicero di satuan Anda.`;
}

/** `note`: what the profile check adds (a private account, an account not checked), under the first line. */
export function fieldUpdated(label: string, value: string, p: MemberProfile, note: string | null = null): string {
  return [`✅ ${label} Anda berhasil diubah menjadi *${value}*.`, ...(note ? [note] : []), '', memberCard(p)].join('\n');
}

export function offerHandle(platform: Platform, handle: string): string {
  return `Apakah Anda ingin mengubah username ${PLATFORM_LABEL[platform]} Anda menjadi *@${handle}* sesuai link ini?\nBalas *ya* atau *tidak*.`;
}

export const HANDLE_DECLINED = 'ℹ️ Username tidak diubah.';

export function handleUpdated(platform: Platform, handle: string, nrp: string): string {
  return `✅ Username ${PLATFORM_LABEL[platform]} untuk NRP/NIP *${nrp}* berhasil diubah menjadi *@${handle}*.`;
}

export function confirmRelease(p: MemberProfile): string {
  const name = [p.title, p.nama].filter(Boolean).join(' ');
  return [
    `Nomor WhatsApp ini terhubung dengan NRP/NIP *${p.userId}*${name ? ` (${name})` : ''}.`,
    'Balas *ya* untuk melepaskannya (nomor ini tidak lagi dikenali sebagai Anda), atau *tidak* untuk membatalkan.',
  ].join('\n');
}

export function released(nrp: string): string {
  return `✅ Nomor WhatsApp ini sudah dilepas dari NRP/NIP *${nrp}*. Ketik *daftar#<NRP>* untuk menghubungkannya lagi.`;
}

export const RELEASE_DECLINED = 'ℹ️ Nomor WhatsApp ini tetap terhubung.';

export const ALREADY_RELEASED = 'ℹ️ Nomor WhatsApp ini sudah tidak terhubung dengan NRP/NIP tersebut.';

/** The profile check: no such account, so the handle is not set. */
export function profileMissing(platform: Platform, handle: string): string {
  return `❌ Akun ${PLATFORM_LABEL[platform]} *@${handle}* tidak ditemukan. Periksa kembali username-nya (tanpa @) lalu kirim lagi.`;
}

/** The profile check: a private account, set all the same. `own`: the sender's own account (else a member's, set by an operator). */
export function profilePrivate(platform: Platform, handle: string, own: boolean): string {
  const whose = own ? 'akun Anda sendiri' : 'akun anggota tersebut';
  return `⚠️ Akun ${PLATFORM_LABEL[platform]} *@${handle}* bersifat privat (dikunci). Pastikan itu memang ${whose}.`;
}

/** The profile check did not run: no RapidAPI key (`configured` false), or the service failed. */
export function profileUnchecked(platform: Platform, configured: boolean): string {
  return configured
    ? `(Akun belum diperiksa: layanan ${PLATFORM_LABEL[platform]} sedang tidak dapat dihubungi.)`
    : '(Akun tidak diperiksa.)';
}

/** A reply with the profile check's note (if any) on the next line. */
export const withNote = (reply: string, note: string | null): string => (note ? `${reply}\n${note}` : reply);
