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
  // A unit has a few dozen ranks and positions, each spelled the same way by hundreds.
  const position = memo(positionRank);
  const rank = memo(rankRank);
  const keyed = members.map((m) => ({
    m,
    // Division, position and rank in one number (positions and ranks are each under 256).
    key: divisionAt.get(m.divisi)! * 65_536 + position(m.jabatan) * 256 + rank(m.title),
    plain: PLAIN_NAME.test(m.nama),
  }));
  keyed.sort(
    (a, b) =>
      a.key - b.key ||
      (a.plain && b.plain ? byCodeUnit(a.m.nama, b.m.nama) : compareText(a.m.nama, b.m.nama)) ||
      byCodeUnit(a.m.userId, b.m.userId),
  );
  return keyed.map((k) => k.m);
}

/**
 * Names of capitals, digits and spaces only (most of them: names are upper-cased) order
 * the same by code unit as by the collator, which costs several times more per comparison.
 * Any other name, and any pair with one, goes to the collator, so the order is the collator's.
 */
const PLAIN_NAME = /^[A-Z0-9 ]*$/;

function memo(f: (v: string | null) => number): (v: string | null) => number {
  const seen = new Map<string | null, number>();
  return (v) => {
    let r = seen.get(v);
    if (r === undefined) {
      r = f(v);
      seen.set(v, r);
    }
    return r;
  };
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
