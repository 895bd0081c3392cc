/** A member as every report names and orders them. */
import { compareDivisions, compareMembers } from './ordering.js';

export interface MemberName {
  userId: string;
  nama: string;
  title: string;
  /** Upper-case; "-" when empty. */
  divisi: string;
  jabatan: string | null;
}

export interface MemberNameRow {
  user_id: string;
  nama: string | null;
  title: string | null;
  divisi: string | null;
  jabatan: string | null;
}

const upper = (v: string | null): string => (v ?? '').trim().toUpperCase();

export function memberName(r: MemberNameRow): MemberName {
  return { userId: r.user_id, nama: upper(r.nama), title: upper(r.title), divisi: upper(r.divisi) || '-', jabatan: r.jabatan };
}

/** Divisions in unit order, then position, rank, name; the NRP settles ties so the order is stable. */
export function unitOrder(a: MemberName, b: MemberName): number {
  return compareDivisions(a.divisi, b.divisi) || compareMembers(a, b) || a.userId.localeCompare(b.userId);
}
