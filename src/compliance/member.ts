/** A member as every report names and orders them. */
import { compareText, divisionComparator, positionRank, rankRank } from './ordering.js';

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

/**
 * Sorts members into unit order: divisions (the client's own order when it set one,
 * else PIMPINAN, BAG, SAT, SI, SPKT, POLSEK, the rest alphabetically), then position,
 * rank and name, the NRP settling ties so the order is stable. Each member's keys are
 * computed once, not at every comparison: a province has 10,000 members.
 */
export function sortInUnitOrder<M extends MemberName>(members: readonly M[], divisionOrder: readonly string[] = []): M[] {
  // A province has 40 divisions and 10,000 members: order the division names once.
  const divisions = [...new Set(members.map((m) => m.divisi))].sort(divisionComparator(divisionOrder));
  const divisionAt = new Map(divisions.map((d, i) => [d, i]));
  const keyed = members.map((m) => ({
    m,
    division: divisionAt.get(m.divisi)!,
    position: positionRank(m.jabatan),
    rank: rankRank(m.title),
  }));
  keyed.sort(
    (a, b) =>
      a.division - b.division ||
      a.position - b.position ||
      a.rank - b.rank ||
      compareText(a.m.nama, b.m.nama) ||
      (a.m.userId < b.m.userId ? -1 : a.m.userId > b.m.userId ? 1 : 0),
  );
  return keyed.map((k) => k.m);
}
