/**
 * Who has finished registering: WhatsApp bound to their NRP, Instagram and TikTok
 * handles set (each only where the client uses that platform: switched on, account set).
 */
import type { Queryable } from '../db/db.js';
import type { ComplianceClient } from './clients.js';
import { normaliseHandle } from './handle.js';
import { type MemberName, memberName, sortInUnitOrder } from './member.js';

export type Missing = 'whatsapp' | 'instagram' | 'tiktok';

export interface RegistrationMember extends MemberName {
  missing: Missing[];
}

/** A platform counts when it is switched on and the client has an account there. */
export const usesInstagram = (c: ComplianceClient): boolean => c.instaEnabled && c.insta !== null;
export const usesTiktok = (c: ComplianceClient): boolean => c.tiktokEnabled && c.tiktok !== null;

export async function loadRegistration(db: Queryable, client: ComplianceClient): Promise<RegistrationMember[]> {
  const { rows } = await db.query<{
    user_id: string;
    nama: string | null;
    title: string | null;
    divisi: string | null;
    jabatan: string | null;
    whatsapp: string | null;
    insta: string | null;
    tiktok: string | null;
  }>(
    `SELECT user_id, nama, title, divisi, jabatan, whatsapp, insta, tiktok FROM "user" WHERE client_id = $1 AND status`,
    [client.clientId],
  );
  return sortInUnitOrder(
    rows.map((r): RegistrationMember => {
      const missing: Missing[] = [];
      if (!r.whatsapp) missing.push('whatsapp');
      if (usesInstagram(client) && !normaliseHandle(r.insta, 'instagram')) missing.push('instagram');
      if (usesTiktok(client) && !normaliseHandle(r.tiktok, 'tiktok')) missing.push('tiktok');
      return {
        ...memberName(r),
        missing,
      };
    }),
    client.divisionOrder,
  );
}
