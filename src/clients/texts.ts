/** The Indonesian texts of client management and group binding. Pure. */
import type { RemovalImpact } from './manage.js';
import { type ClientRow, type ClientSummary, groupIds, type MemberCounts } from './record.js';
import {
  CLIENT_FIELDS,
  CLIENT_ID_MAX,
  CLIENT_NAME_MAX,
  CLIENT_TYPE_MAX,
  FIELD_ALIASES,
  type ClientField,
  type ValueProblem,
} from './validate.js';

const show = (v: string | null): string => (v && v.trim() !== '' ? v : '-');
const flag = (v: boolean): string => (v ? '✅ aktif' : '❌ nonaktif');

/**
 * One client's card: its settings under their column names (what `updateclient` takes),
 * its member counts and its bound groups (by id, with the name WhatsApp gives when
 * `groupNames` has it).
 */
export function clientCard(
  c: ClientRow,
  members: MemberCounts,
  title = '🏢 *Client*',
  groupNames: ReadonlyMap<string, string> = new Map(),
): string {
  const groups = groupIds(c.client_group);
  return [
    `${title} *${c.client_id}*`,
    `nama: ${c.nama}`,
    `client_type: ${show(c.client_type)}`,
    `client_status: ${flag(c.client_status)}`,
    `client_insta: ${c.client_insta ? `@${c.client_insta}` : '-'}`,
    `client_insta_status: ${flag(c.client_insta_status)}`,
    `client_tiktok: ${c.client_tiktok ? `@${c.client_tiktok}` : '-'}`,
    `client_tiktok_status: ${flag(c.client_tiktok_status)}`,
    `client_amplify_status: ${flag(c.client_amplify_status)}`,
    `client_operator: ${show(c.client_operator)}`,
    `client_super: ${show(c.client_super)}`,
    `Anggota: ${members.active} aktif dari ${members.total}`,
    groups.length === 0
      ? 'Grup terikat: -'
      : `Grup terikat (${groups.length}):\n${groups.map((g) => `• ${g}${groupNames.has(g) ? ` (${groupNames.get(g)})` : ''}`).join('\n')}`,
    `Urutan divisi: ${(c.division_order ?? []).length ? c.division_order.join(', ') : 'bawaan (PIMPINAN, BAG, SAT, SI, SPKT, POLSEK, lainnya)'}`,
  ].join('\n');
}

export function clientList(clients: readonly ClientSummary[]): string {
  if (clients.length === 0) return '🏢 Belum ada client. Tambahkan dengan *addnewclient#<ID>#<nama>*.';
  const lines = clients.map(
    (c) =>
      `• *${c.clientId}* ${c.nama}${c.active ? '' : ' (nonaktif)'}: anggota ${c.members.active} aktif / ${c.members.total}, grup ${c.groups}`,
  );
  return [`🏢 *Daftar client* (${clients.length})`, ...lines, '', 'Rincian satu client: *clientinfo#<ID>*.'].join('\n');
}

export const BAD_ID = `❌ ID client hanya boleh berisi huruf, angka dan garis bawah (_), paling panjang ${CLIENT_ID_MAX} karakter.`;
export const BAD_NAME = `❌ Nama client wajib berisi huruf atau angka, paling panjang ${CLIENT_NAME_MAX} karakter.`;

export const duplicateId = (id: string): string => `❌ Client *${id}* sudah ada. Lihat dengan *clientinfo#${id}*.`;

export function unknownClient(typed: string, ids: readonly string[] | null): string {
  if (ids === null) return `❌ Client *${typed}* tidak dikenal.`;
  return `❌ Client *${typed}* tidak dikenal.\nClient yang terdaftar: ${ids.length ? ids.join(', ') : '(belum ada)'}`;
}

export const created = (card: string): string => `✅ Client baru ditambahkan (aktif; Instagram, TikTok dan amplifikasi nonaktif sampai akunnya diisi).\n\n${card}`;

export const changed = (field: ClientField, card: string): string => `✅ *${field}* diperbarui.\n\n${card}`;
export const unchanged = (field: ClientField, card: string): string => `ℹ️ *${field}* sudah bernilai itu; tidak ada yang berubah.\n\n${card}`;

export function unknownKey(typed: string): string {
  const aliases = Object.entries(FIELD_ALIASES).map(([alias, field]) => `${alias} (= ${field})`);
  return `❌ Kunci *${typed}* tidak dikenal.\nKunci yang bisa diubah: ${CLIENT_FIELDS.join(', ')}.\nSingkatan: ${aliases.join(', ')}.`;
}

const CLEAR_HINT = 'atau *-* untuk mengosongkan';
const PROBLEMS: Record<ValueProblem, string> = {
  flag: 'Nilai yang diterima: *true*, *false*, *aktif* atau *nonaktif*.',
  name: `Nama client wajib berisi huruf atau angka, paling panjang ${CLIENT_NAME_MAX} karakter.`,
  type: `Jenis client: huruf, angka, spasi, titik, garis bawah atau tanda hubung, paling panjang ${CLIENT_TYPE_MAX} karakter (mis. ORG), ${CLEAR_HINT}.`,
  'post-link': `Itu tautan postingan, bukan profil. Kirim username (mis. polres_abc) atau tautan profil, ${CLEAR_HINT}.`,
  'other-platform': `Itu tautan platform lain. Kirim username atau tautan profil platform yang sesuai, ${CLEAR_HINT}.`,
  handle: `Kirim username (mis. polres_abc, @polres_abc) atau tautan profil, ${CLEAR_HINT}.`,
  number: `Kirim satu nomor WhatsApp (mis. 0812-3456-7890, +62 812 3456 7890) atau LID (…@lid), ${CLEAR_HINT}.`,
  required: 'Nilai wajib diisi.',
};

export const badValue = (field: ClientField, problem: ValueProblem): string => `❌ Nilai untuk *${field}* tidak valid. ${PROBLEMS[problem]}`;

export const operatorTaken = (otherClient: string): string =>
  `❌ Nomor itu sudah menjadi operator client *${otherClient}*. Satu nomor hanya bisa menjadi operator satu client; kosongkan dulu di *${otherClient}*.`;

export function removalQuestion(c: ClientRow, impact: RemovalImpact): string {
  return [
    `⚠️ Hapus client *${c.client_id}* (${c.nama})?`,
    'Ikut terhapus, dan tidak bisa dikembalikan:',
    `• ${impact.members} anggota (${impact.activeMembers} aktif)`,
    `• ${impact.instaPosts} konten Instagram dan ${impact.tiktokPosts} konten TikTok, dengan likes dan komentarnya`,
    `• ${impact.linkReports} laporan link`,
    `• ikatan ${groupIds(c.client_group).length} grup`,
    ...(impact.dashboardAccounts > 0 ? [`${impact.dashboardAccounts} akun dashboard client ini tetap ada, tetapi tanpa client.`] : []),
    '',
    'Balas *ya* untuk menghapus, *nonaktif* untuk menonaktifkan saja (data tetap tersimpan), atau *tidak* untuk membatalkan.',
  ].join('\n');
}

export const REMOVAL_ANSWERS = 'Balas *ya*, *nonaktif* atau *tidak*.';

export function removed(clientId: string, impact: RemovalImpact): string {
  return `🗑️ Client *${clientId}* dihapus, bersama ${impact.members} anggota, ${impact.instaPosts + impact.tiktokPosts} konten dan ${impact.linkReports} laporan link.`;
}

export const deactivated = (card: string): string => `✅ Client dinonaktifkan; datanya tetap tersimpan. Aktifkan lagi dengan *updateclient#<ID>#status#aktif*.\n\n${card}`;
export const alreadyInactive = (clientId: string): string => `ℹ️ Client *${clientId}* memang sudah nonaktif; tidak ada yang berubah.`;
export const removalKept = (clientId: string): string => `👍 Client *${clientId}* tidak dihapus.`;
export const clientGone = (clientId: string): string => `ℹ️ Client *${clientId}* sudah tidak ada.`;
export const ADMIN_ONLY = '❌ Hanya admin yang dapat menghapus client.';

// Group binding.
export const GROUP_ONLY = '❌ *thisgroup* hanya berlaku di dalam grup WhatsApp: tulis perintah itu di grup yang ingin diikat ke client.';
export const UNBIND_GROUP_ONLY = '❌ *unbindgroup* hanya berlaku di dalam grup WhatsApp yang ingin dilepas dari client-nya.';
export const NAME_THE_CLIENT = '❌ Sebutkan client-nya: *thisgroup#<ID>*.';
export const ownClientOnly = (own: string): string => `❌ Anda hanya dapat mengikat grup ke client Anda sendiri (*${own}*).`;
export const boundElsewhere = (other: ClientRow): string =>
  `❌ Grup ini sudah terikat ke client *${other.client_id}* (${other.nama}). Lepaskan dulu dengan *unbindgroup* oleh admin atau operator client itu.`;
export const bound = (c: ClientRow): string =>
  `✅ Grup ini sekarang terikat ke client *${c.client_id}* (${c.nama}). Rekap dan perintah di grup ini berlaku untuk client itu.`;
export const alreadyBound = (c: ClientRow): string => `ℹ️ Grup ini sudah terikat ke client *${c.client_id}* (${c.nama}).`;
export const NOT_BOUND = 'ℹ️ Grup ini tidak terikat ke client mana pun.';
export const NOT_YOUR_GROUP = '❌ Hanya admin atau operator client grup ini yang dapat melepas grup ini.';
export function unbound(c: ClientRow, stillBoundTo: readonly string[]): string {
  const rest = stillBoundTo.length > 0 ? `\nGrup ini masih terikat ke: ${stillBoundTo.join(', ')}.` : '';
  return `✅ Grup ini dilepas dari client *${c.client_id}* (${c.nama}).${rest}`;
}

// Dashboard accounts.
export const unknownAccount = (typed: string): string =>
  `❌ Akun dashboard *${typed}* tidak ditemukan. Sebutkan user_id atau username-nya (lihat *npx cicero dashboard-user list*).`;
export function accountStatus(username: string, approved: boolean, changed: boolean, sessionsEnded: number): string {
  if (!changed) return `ℹ️ Akun dashboard *${username}* memang sudah ${approved ? 'disetujui (aktif)' : 'ditolak (nonaktif)'}.`;
  if (approved) return `✅ Akun dashboard *${username}* disetujui dan dapat login.`;
  const ended = sessionsEnded > 0 ? ` ${sessionsEnded} sesi login di chat diakhiri.` : '';
  return `❌ Akun dashboard *${username}* ditolak (nonaktif) dan tidak dapat login.${ended}`;
}
