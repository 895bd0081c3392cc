/**
 * Who has complied. A member engaged with `count` of the day's `total` posts whose
 * engagement data is available. Tiers: lengkap (all), kurang (some), belum (none),
 * and no handle (cannot comply until registered). The sudah/belum split follows the
 * client's threshold: the legacy rule (at least half, rounded up) or all posts.
 * Exception members are neither sudah nor belum: they are listed apart.
 */

export type Tier = 'lengkap' | 'kurang' | 'belum' | 'no_handle';
export type Threshold = 'half' | 'all';
export type Verdict = 'sudah' | 'belum' | 'exception';

export interface MemberTally {
  hasHandle: boolean;
  exception: boolean;
  /** Posts (with engagement data) this member engaged with. */
  count: number;
}

/** Posts needed for sudah out of `total`: ceil(N/2) by the legacy rule (1 of 2 passes, 2 of 5 does not). */
export function needed(total: number, threshold: Threshold): number {
  return threshold === 'all' ? total : Math.ceil(total / 2);
}

export function tierOf(member: MemberTally, total: number): Tier {
  if (!member.hasHandle) return 'no_handle';
  if (member.count <= 0) return 'belum';
  return member.count >= total ? 'lengkap' : 'kurang';
}

export function verdictOf(member: MemberTally, total: number, threshold: Threshold): Verdict {
  if (member.exception) return 'exception';
  if (!member.hasHandle || total === 0) return 'belum';
  return member.count >= needed(total, threshold) ? 'sudah' : 'belum';
}
