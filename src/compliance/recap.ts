/**
 * A day's engagement turned into verdicts: every member's count, tier and
 * sudah/belum/exception verdict, in unit order, plus per-post and per-division
 * figures. Pure: the chat text and the Excel file are both read from this.
 */
import { type MemberTally, type Threshold, type Tier, type Verdict, needed, tierOf, verdictOf } from './classify.js';
import type { DayPost, EngagementDay, MemberEngagement } from './engagement.js';
import { sortInUnitOrder } from './member.js';
import { divisionComparator } from './ordering.js';

export interface RecapMember extends MemberEngagement {
  /** Countable posts engaged with. */
  count: number;
  tier: Tier;
  verdict: Verdict;
}

export interface Counts {
  members: number;
  sudah: number;
  belum: number;
  exception: number;
}

export interface DivisionGroup<M> {
  divisi: string;
  members: M[];
}

export interface Recap {
  day: EngagementDay;
  threshold: Threshold;
  /** Posts with engagement data: N in "(c/N konten)". */
  countable: number;
  /** Posts needed for sudah. */
  needed: number;
  /** Every active member, divisions in unit order, members by position, rank, name. */
  members: RecapMember[];
  counts: Counts;
  /** The client's own division order (empty: the default), which every list of divisions follows. */
  divisionOrder: readonly string[];
}

export function buildRecap(day: EngagementDay, threshold: Threshold, divisionOrder: readonly string[] = []): Recap {
  const hasData = day.posts.map((p) => p.fetched);
  const countable = hasData.filter(Boolean).length;
  // This runs for every member of a province, so it allocates nothing but the members
  // themselves: an index loop (a for-of here left an iterator per member and a result per
  // post to the collector, 1-4 MB a province report), one tally object reused, and the
  // fields spelled out rather than spread.
  const tally: MemberTally = { hasHandle: false, exception: false, count: 0 };
  const recapped = day.members.map((m): RecapMember => {
    const engaged = m.engaged;
    let count = 0;
    for (let k = 0; k < engaged.length; k++) if (hasData[engaged[k]!]) count += 1;
    tally.hasHandle = m.handle !== null;
    tally.exception = m.exception;
    tally.count = count;
    return {
      userId: m.userId,
      nama: m.nama,
      title: m.title,
      divisi: m.divisi,
      jabatan: m.jabatan,
      handle: m.handle,
      exception: m.exception,
      engaged: m.engaged,
      links: m.links,
      count,
      tier: tierOf(tally, countable),
      verdict: verdictOf(tally, countable, threshold),
    };
  });
  const sorted = day.inUnitOrder && sameList(day.inUnitOrder, divisionOrder);
  const members = sorted ? recapped : sortInUnitOrder(recapped, divisionOrder);
  return { day, threshold, countable, needed: needed(countable, threshold), members, counts: countsOf(members), divisionOrder };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

export function countsOf(members: readonly { verdict: Verdict }[]): Counts {
  const counts: Counts = { members: members.length, sudah: 0, belum: 0, exception: 0 };
  for (const m of members) counts[m.verdict] += 1;
  return counts;
}

/** Consecutive members of one division (input already in unit order). */
export function byDivision<M extends { divisi: string }>(members: readonly M[]): DivisionGroup<M>[] {
  const groups: DivisionGroup<M>[] = [];
  for (const m of members) {
    const last = groups.at(-1);
    if (last && last.divisi === m.divisi) last.members.push(m);
    else groups.push({ divisi: m.divisi, members: [m] });
  }
  return groups;
}

export interface PostVerdicts {
  post: DayPost;
  index: number;
  /** Exception members are in neither list. */
  sudah: RecapMember[];
  belum: RecapMember[];
}

/** Who engaged with each post (one pass over the members); null lists for a post whose data is not available. */
export function perPost(recap: Recap): Array<PostVerdicts | { post: DayPost; index: number; sudah: null; belum: null }> {
  const posts = recap.day.posts;
  const sudah = posts.map((): RecapMember[] => []);
  const belum = posts.map((): RecapMember[] => []);
  const engaged = new Uint8Array(posts.length);
  for (const m of recap.members) {
    if (m.verdict === 'exception') continue;
    engaged.fill(0);
    for (let k = 0; k < m.engaged.length; k++) engaged[m.engaged[k]!] = 1;
    for (let i = 0; i < posts.length; i++) {
      if (posts[i]!.fetched) (engaged[i] ? sudah : belum)[i]!.push(m);
    }
  }
  return posts.map((post, index) =>
    post.fetched ? { post, index, sudah: sudah[index]!, belum: belum[index]! } : { post, index, sudah: null, belum: null },
  );
}

/** How many members (exceptions aside) engaged with each post: what {@link perPost}'s sudah lists would count, without the lists. */
export function sudahPerPost(recap: Recap): Array<number | null> {
  const posts = recap.day.posts;
  const counts = new Uint32Array(posts.length);
  const seen = new Uint8Array(posts.length);
  for (const m of recap.members) {
    if (m.verdict === 'exception') continue;
    seen.fill(0);
    for (let k = 0; k < m.engaged.length; k++) {
      const i = m.engaged[k]!;
      if (seen[i]) continue;
      seen[i] = 1;
      counts[i]! += 1;
    }
  }
  return posts.map((post, i) => (post.fetched ? counts[i]! : null));
}

export interface DivisionScore {
  divisi: string;
  counts: Counts;
  /** Of the belum: members who engaged with some posts, but fewer than the rule needs. */
  kurang: number;
  /** sudah / (sudah + belum), 0..1; null when everyone is an exception. */
  rate: number | null;
}

/** Per-division figures, weakest first (lowest rate, then most belum, then unit order). */
export function divisionScores(recap: Recap): DivisionScore[] {
  const compareDivisions = divisionComparator(recap.divisionOrder);
  return byDivision(recap.members)
    .map((g): DivisionScore => {
      const counts = countsOf(g.members);
      const judged = counts.sudah + counts.belum;
      const kurang = g.members.filter((m) => m.verdict === 'belum' && m.count > 0).length;
      return { divisi: g.divisi, counts, kurang, rate: judged ? counts.sudah / judged : null };
    })
    .sort(
      (a, b) =>
        (a.rate ?? 2) - (b.rate ?? 2) || b.counts.belum - a.counts.belum || compareDivisions(a.divisi, b.divisi),
    );
}
