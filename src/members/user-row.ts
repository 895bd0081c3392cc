/** A `user` row as stored (the columns members, operators and imports read). */
export interface UserRow {
  user_id: string;
  nama: string | null;
  title: string | null;
  divisi: string | null;
  jabatan: string | null;
  insta: string | null;
  tiktok: string | null;
  whatsapp: string | null;
  status: boolean;
  client_id: string | null;
}
