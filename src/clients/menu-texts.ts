/**
 * The Indonesian texts of the admin client menu (`clientrequest`). Pure. The results of
 * its actions are the short commands' texts (`texts.ts`): the menu says what they say.
 */
import type { DashboardAccount } from './dashboard.js';
import type { ClientRow, ClientSummary } from './record.js';
import { CLIENT_FIELDS, CLIENT_ID_MAX, type ClientField, FIELD_ALIASES, isFlagField } from './validate.js';

export const CLIENT_MENU = [
  '┏━━━ *MENU CLIENT CICERO* ━━━┓',
  '',
  '1. Tambah client baru',
  '2. Kelola client (info, ubah pengaturan, hapus)',
  '3. Daftar semua client',
  '4. Akun dashboard menunggu persetujuan',
  '',
  'Ketik *angka menu* di atas, atau *batal* untuk keluar.',
].join('\n');

export const MENU_CHOICE = '❌ Pilihan tidak dikenali. Balas angka *1* sampai *4*.';

export const ADMIN_ONLY = '❌ Menu client hanya dapat digunakan oleh admin.';

export const ASK_NEW_ID = `Ketik ID client baru (huruf, angka dan _, paling panjang ${CLIENT_ID_MAX} karakter; contoh: POLRESABC):`;
export const askNewName = (id: string): string => `Ketik nama client *${id}* (contoh: POLRES ABC):`;

export const NO_CLIENTS = 'ℹ️ Belum ada client terdaftar. Pilih *1* untuk menambah client.';

export function clientPicker(clients: ReadonlyArray<Pick<ClientSummary, 'clientId' | 'nama' | 'active'>>): string {
  return [
    '*Pilih client*',
    'Balas angka pada daftar, atau ID client-nya:',
    ...clients.map((c, i) => `${i + 1}. *${c.clientId}* - ${c.nama}${c.active ? '' : ' (nonaktif)'}`),
  ].join('\n');
}

export const CLIENT_CHOICE = '❌ Pilihan tidak dikenali. Balas angka pada daftar, atau ID client-nya.';

export function clientActions(clientId: string, nama: string): string {
  return [
    `Client *${clientId}* (${nama}):`,
    '1. Lihat info client',
    '2. Ubah pengaturan',
    '3. Hapus / nonaktifkan client',
    '4. Kembali ke menu utama',
    '',
    'Balas angkanya.',
  ].join('\n');
}

export const ACTION_CHOICE = '❌ Pilihan tidak dikenali. Balas angka *1* sampai *4*.';

const aliasOf = (field: ClientField): string | undefined => Object.entries(FIELD_ALIASES).find(([, f]) => f === field)?.[0];

export function fieldMenu(clientId: string): string {
  return [
    `Pilih pengaturan client *${clientId}* yang diubah:`,
    ...CLIENT_FIELDS.map((f, i) => {
      const alias = aliasOf(f);
      return `${i + 1}. ${f}${alias ? ` (${alias})` : ''}`;
    }),
    '',
    'Balas angkanya, atau nama kuncinya.',
  ].join('\n');
}

export const FIELD_CHOICE = `❌ Pilihan tidak dikenali. Balas angka *1* sampai *${CLIENT_FIELDS.length}*, atau nama kuncinya (mis. *insta*).`;

const CLEAR = 'atau *-* untuk mengosongkan';
const number = (who: string): string => `Kirim nomor WhatsApp ${who} (mis. 0812-3456-7890) atau LID (…@lid), ${CLEAR}:`;
const ASK: Record<Exclude<ClientField, 'client_status' | 'client_insta_status' | 'client_tiktok_status' | 'client_amplify_status'>, string> = {
  nama: 'Ketik nama client yang baru:',
  client_type: `Ketik jenis client (mis. ORG), ${CLEAR}:`,
  client_insta: `Kirim username Instagram client (mis. polres_abc) atau tautan profilnya, ${CLEAR}:`,
  client_tiktok: `Kirim username TikTok client (mis. polres_abc) atau tautan profilnya, ${CLEAR}:`,
  client_operator: number('operator client'),
  client_super: number('super admin client'),
};

/** What the setting holds now, as the card shows it. */
function current(client: ClientRow, field: ClientField): string {
  const value = client[field];
  if (typeof value === 'boolean') return value ? 'aktif' : 'nonaktif';
  if (!value) return '-';
  return field === 'client_insta' || field === 'client_tiktok' ? `@${value}` : value;
}

export function askValue(client: ClientRow, field: ClientField): string {
  const question = isFlagField(field) ? 'Balas *aktif* atau *nonaktif* (atau *true* / *false*):' : ASK[field];
  return [`*${field}* client *${client.client_id}* sekarang: ${current(client, field)}`, question].join('\n');
}

export const NO_PENDING = 'ℹ️ Tidak ada akun dashboard yang menunggu persetujuan.';

export function pendingList(accounts: ReadonlyArray<Pick<DashboardAccount, 'username' | 'role' | 'clientId'>>): string {
  return [
    `*Akun dashboard menunggu persetujuan* (${accounts.length})`,
    'Balas angka untuk memilih akun:',
    ...accounts.map((a, i) => `${i + 1}. *${a.username}* — ${a.role}, client ${a.clientId ?? '-'}`),
  ].join('\n');
}

export const ACCOUNT_CHOICE = '❌ Pilihan tidak dikenali. Balas angka pada daftar.';

export function askDecision(account: Pick<DashboardAccount, 'username' | 'role' | 'clientId'>): string {
  return [
    `Akun dashboard *${account.username}* (${account.role}, client ${account.clientId ?? '-'}):`,
    '1. Setujui (dapat login)',
    '2. Tolak (tidak dapat login)',
    '',
    'Balas angkanya, *setujui* atau *tolak*.',
  ].join('\n');
}

export const DECISION_CHOICE = '❌ Balas *1* (setujui) atau *2* (tolak).';
