/**
 * A recap's members split for the workbook process (excel-process.ts): the fields a member
 * keeps from one report to the next (who they are) and those each report gives them (what they
 * did). The process keeps the last members it was sent whole; a later report of the same
 * members sends only what they did, as typed arrays, which serialise as plain copies. Sending
 * 10,000 members whole took the bot's thread about 9.5 ms a report.
 */
import type { Tier, Verdict } from '../compliance/classify.js';
import type { RecapMember } from '../compliance/recap.js';

/** Who a member is: what stays the same while the unit's members do. */
export type FixedMember = Pick<RecapMember, 'userId' | 'nama' | 'title' | 'divisi' | 'jabatan' | 'handle' | 'exception'>;

/** What each member did in one report, member by member in the recap's order. */
export interface ReportColumns {
  count: Int32Array;
  links: Int32Array;
  tier: Uint8Array;
  verdict: Uint8Array;
  /** Member k's posts are `engaged[engagedFrom[k]]` up to `engaged[engagedFrom[k + 1]]`. */
  engagedFrom: Int32Array;
  engaged: Int32Array;
}

// Records, so that a tier or verdict added later fails to compile here rather than travel as another.
const TIER_CODE: Record<Tier, number> = { lengkap: 0, kurang: 1, belum: 2, no_handle: 3 };
const VERDICT_CODE: Record<Verdict, number> = { sudah: 0, belum: 1, exception: 2 };
const byCode = <T extends string>(codes: Record<T, number>): T[] => {
  const values: T[] = [];
  for (const [value, code] of Object.entries(codes) as [T, number][]) values[code] = value;
  return values;
};
const TIERS = byCode(TIER_CODE);
const VERDICTS = byCode(VERDICT_CODE);

export function fixedOf(m: FixedMember): FixedMember {
  return { userId: m.userId, nama: m.nama, title: m.title, divisi: m.divisi, jabatan: m.jabatan, handle: m.handle, exception: m.exception };
}

/** Whether `members` are `fixed`, member by member (the kept roster's strings compare by reference first). */
export function sameFixed(fixed: readonly FixedMember[], members: readonly FixedMember[]): boolean {
  if (fixed.length !== members.length) return false;
  for (let i = 0; i < fixed.length; i++) {
    const f = fixed[i]!;
    const m = members[i]!;
    if (
      f.userId !== m.userId || f.nama !== m.nama || f.title !== m.title || f.divisi !== m.divisi ||
      f.jabatan !== m.jabatan || f.handle !== m.handle || f.exception !== m.exception
    ) {
      return false;
    }
  }
  return true;
}

export function reportColumns(members: readonly RecapMember[]): ReportColumns {
  const n = members.length;
  const c: ReportColumns = {
    count: new Int32Array(n),
    links: new Int32Array(n),
    tier: new Uint8Array(n),
    verdict: new Uint8Array(n),
    engagedFrom: new Int32Array(n + 1),
    engaged: new Int32Array(0),
  };
  let total = 0;
  for (let k = 0; k < n; k++) {
    const m = members[k]!;
    c.count[k] = m.count;
    c.links[k] = m.links;
    c.tier[k] = TIER_CODE[m.tier];
    c.verdict[k] = VERDICT_CODE[m.verdict];
    c.engagedFrom[k] = total;
    total += m.engaged.length;
  }
  c.engagedFrom[n] = total;
  const engaged = new Int32Array(total);
  let at = 0;
  for (let k = 0; k < n; k++) {
    const posts = members[k]!.engaged;
    for (let j = 0; j < posts.length; j++) engaged[at++] = posts[j]!;
  }
  c.engaged = engaged;
  return c;
}

/** The recap's members again: `fixed` with what `columns` say they did. Throws when the two do not fit together. */
export function joinMembers(fixed: readonly FixedMember[], columns: ReportColumns): RecapMember[] {
  if (fixed.length !== columns.count.length) throw new Error(`${columns.count.length} members reported, ${fixed.length} known`);
  return fixed.map((f, k): RecapMember => ({
    userId: f.userId,
    nama: f.nama,
    title: f.title,
    divisi: f.divisi,
    jabatan: f.jabatan,
    handle: f.handle,
    exception: f.exception,
    engaged: Array.from(columns.engaged.subarray(columns.engagedFrom[k]!, columns.engagedFrom[k + 1]!)),
    links: columns.links[k]!,
    count: columns.count[k]!,
    tier: TIERS[columns.tier[k]!]!,
    verdict: VERDICTS[columns.verdict[k]!]!,
  }));
}
