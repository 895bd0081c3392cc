/** The Indonesian texts operators and admins get when they manage members. Pure. */
import { normaliseHandle, type Platform } from '../compliance/handle.js';
import type { ChangeRecord } from '../audit/change-log.js';
import { formatStamp } from '../time/format.js';
import type { ManagedMember, MemberField, ValueProblem } from './manage.js';
import { SHORT_TEXT_MAX, TEXT_MAX } from './profile.js';

/** The field names operators type (`ubahanggota#<NRP>#<field>#…`) and what they change. */
export const FIELD_NAMES: Readonly<Record<string, MemberField>> = {
  nama: 'nama',
  pangkat: 'title',
  divisi: 'divisi',
  satfung: 'divisi',
  jabatan: 'jabatan',
  whatsapp: 'whatsapp',
  wa: 'whatsapp',
  insta: 'insta',
  instagram: 'insta',
  tiktok: 'tiktok',
};

export const FIELD_LABEL: Record<MemberField, string> = {
  nama: 'Nama',
  title: 'Pangkat',
  divisi: 'Satfung',
  jabatan: 'Jabatan',
  whatsapp: 'WhatsApp',
  insta: 'Instagram',
  tiktok: 'TikTok',
  status: 'Status',
  exception: 'Exception',
};

const show = (v: string | null): string => (v && v.trim() !== '' ? v : '-');

function showHandle(stored: string | null, platform: Platform): string {
  if (!stored || stored.trim() === '') return '-';
  return `@${normaliseHandle(stored, platform) ?? stored.trim().replace(/^@+/, '')}`;
}

/** A member's card for their operator or an admin; the number only where `showNumber` (never in a group). */
export function operatorCard(m: ManagedMember, showNumber: boolean): string {
  const number = m.whatsapp ? (showNumber ? m.whatsapp : 'terhubung') : 'belum terhubung';
  return [
    `👤 *${[m.title, m.nama].filter(Boolean).join(' ') || '-'}*`,
    `NRP/NIP: ${m.userId}`,
    `Client: ${show(m.clientId)}`,
    `Satfung: ${show(m.divisi)}`,
    `Jabatan: ${show(m.jabatan)}`,
    `WhatsApp: ${number}`,
    `Instagram: ${showHandle(m.insta, 'instagram')}`,
    `TikTok: ${showHandle(m.tiktok, 'tiktok')}`,
    `Status: ${m.active ? '🟢 AKTIF' : '🔴 NONAKTIF'}`,
    `Exception: ${m.exception ? 'ya' : 'tidak'}`,
  ].join('\n');
}

/** Said alike for a member of another client and for an NRP nobody has: ids do not leak. */
export function memberNotFound(nrp: string): string {
  return `❌ Anggota dengan NRP/NIP *${nrp}* tidak ditemukan di client Anda.`;
}

export function unknownField(typed: string): string {
  return `❌ Kolom *${typed}* tidak dikenal. Pilihan: ${[...new Set(Object.keys(FIELD_NAMES))].join(', ')}.`;
}

export function badValue(field: MemberField, problem: ValueProblem): string {
  switch (problem) {
    case 'text': {
      const max = field === 'title' || field === 'divisi' ? SHORT_TEXT_MAX : TEXT_MAX;
      return `❌ ${FIELD_LABEL[field]} tidak boleh kosong dan paling panjang ${max} huruf.`;
    }
    case 'phone':
      return '❌ Nomor WhatsApp tidak valid. Tulis nomornya, misalnya 0812-3456-7890 atau +62 812 3456 7890.';
    case 'post-link':
      return `❌ Itu link postingan/video, bukan link profil. Kirim link profil ${FIELD_LABEL[field]} atau username-nya saja.`;
    case 'other-platform':
      return `❌ Itu bukan link ${FIELD_LABEL[field]}. Kirim link profil ${FIELD_LABEL[field]} atau username-nya saja.`;
    case 'invalid-handle':
      return field === 'insta'
        ? '❌ Username Instagram tidak valid: 1–30 huruf kecil, angka, titik atau garis bawah.'
        : '❌ Username TikTok tidak valid: 2–24 huruf kecil, angka, titik atau garis bawah.';
    case 'flag':
      return field === 'status' ? '❌ Status harus *aktif* atau *nonaktif*.' : '❌ Exception harus *ya* atau *tidak*.';
  }
}

/** The owner is named only to those who may see them: an admin, or the operator of the owner's client. */
export function valueTaken(field: MemberField, owner: { userId: string; nama: string | null; title: string | null } | null): string {
  const what = field === 'whatsapp' ? 'Nomor WhatsApp ini' : `Username ${FIELD_LABEL[field]} ini`;
  if (!owner) return `❌ ${what} sudah dipakai anggota lain.`;
  const name = [owner.title, owner.nama].filter(Boolean).join(' ');
  return `❌ ${what} sudah dipakai anggota lain: *${owner.userId}*${name ? ` (${name})` : ''}.`;
}

/** `note`: what the profile check adds to a handle's change (a private account, an account not checked). */
export function changed(field: MemberField, m: ManagedMember, showNumber: boolean, didChange: boolean, note: string | null = null): string {
  const head = didChange
    ? `✅ ${FIELD_LABEL[field]} untuk NRP/NIP *${m.userId}* berhasil diubah.`
    : `ℹ️ ${FIELD_LABEL[field]} untuk NRP/NIP *${m.userId}* sudah seperti itu; tidak ada yang diubah.`;
  return [head, ...(note ? [note] : []), '', operatorCard(m, showNumber)].join('\n');
}

export function added(m: ManagedMember, showNumber: boolean): string {
  return ['✅ *Anggota baru berhasil ditambahkan:*', '', operatorCard(m, showNumber)].join('\n');
}

export function alreadyExists(nrp: string, sameClient: boolean): string {
  return sameClient
    ? `❌ NRP/NIP *${nrp}* sudah terdaftar di client ini. Ketik *anggota#${nrp}* untuk melihatnya.`
    : `❌ NRP/NIP *${nrp}* sudah terdaftar di client lain. Hubungi admin bila anggota ini pindah satuan.`;
}

export const OWN_NUMBER = '❌ Itu nomor WhatsApp Anda sendiri. Tulis nomor anggota tersebut.';

export const NOT_YOUR_CLIENT = '❌ Anda hanya dapat menambah anggota ke client Anda sendiri (di chat pribadi, atau di grup client Anda).';

/** The member field a typed name stands for (own keys only: `constructor` is not a field). */
export const fieldNamed = (typed: string): MemberField | undefined => {
  const key = typed.trim().toLowerCase();
  return Object.hasOwn(FIELD_NAMES, key) ? FIELD_NAMES[key] : undefined;
};

export const ADMIN_NEEDS_CLIENT =
  '❌ Admin menambah anggota di grup client-nya, atau lewat menu *oprrequest* yang menanyakan client-nya.';

export function history(nrp: string, records: readonly ChangeRecord[], zone: string): string {
  if (records.length === 0) return `ℹ️ Belum ada perubahan tercatat untuk NRP/NIP *${nrp}*.`;
  const lines = records.map((r) => {
    const who = r.source === 'cli' ? `cli (${r.actor})` : `${r.actorRole} ${r.actor}`;
    return `• ${formatStamp(r.changedAt, zone)} — ${r.field}: ${show(r.oldValue)} → ${show(r.newValue)} (${who})`;
  });
  return [`🕘 *Riwayat perubahan NRP/NIP ${nrp}* (${records.length} terakhir)`, ...lines].join('\n');
}

/** The operator menu (`oprrequest`), for one client. */
export function operatorMenu(clientId: string): string {
  return [
    `┏━━━ *MENU OPERATOR CICERO* ━━━┓`,
    `Client: *${clientId}*`,
    '',
    '1. Tambah anggota baru',
    '2. Ubah data anggota',
    '3. Aktifkan / nonaktifkan anggota',
    '4. Tandai / cabut exception',
    '5. Cari anggota (NRP atau nama)',
    '6. Daftar anggota exception',
    '7. Rekap registrasi (yang belum lengkap)',
    '8. Rekap link hari ini',
    '',
    'Rekap lain: *absensiregistrasi*, *rekaplink*, *absensilink*.',
    'Ketik *angka menu* di atas, atau *batal* untuk keluar.',
  ].join('\n');
}

export const MENU_CHOICE = '❌ Pilihan tidak dikenali. Balas angka *1* sampai *8*.';

export const clientGoneText = (clientId: string): string => `❌ Client *${clientId}* sudah tidak ada.`;

export function clientPicker(clients: ReadonlyArray<{ clientId: string; nama: string }>): string {
  if (clients.length === 0) return 'Belum ada client terdaftar.';
  return ['*Daftar Client*', 'Balas angka untuk pilih client:', ...clients.map((c, i) => `${i + 1}. *${c.clientId}* - ${c.nama}`)].join('\n');
}

export const CLIENT_CHOICE = '❌ Pilihan tidak dikenali. Balas angka pada daftar, atau ID client-nya.';

export const ASK_MEMBER_NRP = 'Ketik NRP/NIP anggota:';
export const ASK_NEW_NRP = 'Ketik NRP/NIP anggota baru:';
export const ASK_NAME = 'Ketik nama lengkap anggota:';
export const ASK_POSITION = 'Ketik jabatan anggota (atau *-* bila tidak ada):';
export const ASK_FIND = 'Ketik NRP/NIP atau sebagian nama anggota:';

export function askPick(label: string, choices: readonly string[], allowNew: boolean): string {
  if (choices.length === 0) return `Ketik ${label.toLowerCase()}:`;
  return [
    `Pilih ${label.toLowerCase()} (balas angkanya)${allowNew ? `, atau ketik ${label.toLowerCase()} baru` : ''}:`,
    ...choices.map((c, i) => `${i + 1}. ${c}`),
  ].join('\n');
}

export const EDIT_FIELDS: readonly MemberField[] = ['nama', 'title', 'divisi', 'jabatan', 'whatsapp', 'insta', 'tiktok'];

export const FIELD_MENU_OPR = [
  'Pilih data yang diubah:',
  ...EDIT_FIELDS.map((f, i) => `${i + 1}. ${FIELD_LABEL[f]}`),
  `${EDIT_FIELDS.length + 1}. Hapus (lepas) WhatsApp`,
].join('\n');

export const FIELD_CHOICE_OPR = `❌ Pilihan tidak dikenali. Balas angka *1* sampai *${EDIT_FIELDS.length + 1}*.`;

export function askValue(field: MemberField): string {
  switch (field) {
    case 'whatsapp':
      return 'Ketik nomor WhatsApp anggota (contoh: 0812-3456-7890):';
    case 'insta':
      return 'Kirim username Instagram anggota atau link profilnya:';
    case 'tiktok':
      return 'Kirim username TikTok anggota atau link profilnya:';
    default:
      return `Ketik ${FIELD_LABEL[field].toLowerCase()} baru:`;
  }
}

export function confirmWith(card: string, question: string): string {
  return [card, '', question].join('\n');
}

export const ASK_STATUS = 'Balas *aktif* atau *nonaktif*.';
export const ASK_EXCEPTION = 'Jadikan exception? Balas *ya* atau *tidak*.';
export const ASK_RELEASE = 'Lepaskan nomor WhatsApp anggota ini? Balas *ya* atau *tidak*.';
export const NOT_RELEASED = 'ℹ️ Nomor WhatsApp tidak dilepas.';

export function found(members: readonly ManagedMember[], fragment: string): string {
  if (members.length === 0) return `❌ Tidak ada anggota client ini dengan nama mengandung *${fragment}*.`;
  return [
    `🔎 *${members.length} anggota* dengan nama mengandung *${fragment}*${members.length >= 20 ? ' (20 pertama)' : ''}:`,
    ...members.map((m, i) => `${i + 1}. ${[m.title, m.nama].filter(Boolean).join(' ')} (${m.userId})${m.active ? '' : ' — nonaktif'}`),
  ].join('\n');
}

export function exceptionList(clientId: string, members: readonly ManagedMember[]): string {
  if (members.length === 0) return `ℹ️ Tidak ada anggota exception di client *${clientId}*.`;
  return [
    `*Daftar Anggota Exception* — ${clientId}`,
    `Total: ${members.length}`,
    ...members.map((m) => `- ${show(m.divisi)}: ${[m.title, m.nama].filter(Boolean).join(' ')} (${m.userId})`),
  ].join('\n');
}
