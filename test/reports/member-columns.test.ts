/** A recap's members split into who they are and what they did, for the workbook process, and joined again. */
import { describe, expect, it } from 'vitest';
import type { RecapMember } from '../../src/compliance/recap.js';
import { type FixedMember, fixedOf, joinMembers, reportColumns, sameFixed } from '../../src/reports/member-columns.js';

const member = (i: number, over: Partial<RecapMember> = {}): RecapMember => ({
  userId: String(1000 + i),
  nama: `NAMA ${i}`,
  title: 'BRIPDA',
  divisi: i % 2 ? 'BAG OPS' : 'PIMPINAN',
  jabatan: i % 3 ? null : 'KASUBBAG',
  handle: i % 4 ? `user${i}` : null,
  exception: i % 5 === 0,
  engaged: i % 4 ? [0, 2, i % 7].filter((v, k, a) => a.indexOf(v) === k).sort((a, b) => a - b) : [],
  links: i % 3,
  count: i % 4,
  tier: (['lengkap', 'kurang', 'belum', 'no_handle'] as const)[i % 4]!,
  verdict: (['sudah', 'belum', 'exception'] as const)[i % 3]!,
  ...over,
});

describe('member columns', () => {
  const members = Array.from({ length: 50 }, (_, i) => member(i));

  it('joins back into the same members, posts, tiers and verdicts included', () => {
    const joined = joinMembers(members.map(fixedOf), reportColumns(members));
    expect(joined).toEqual(members);
    expect(joined.filter((m) => m.engaged.length === 0).length).toBeGreaterThan(0);
  });

  it('takes what each did from the columns, who they are from the fixed fields', () => {
    const fixed = members.map(fixedOf);
    const later = members.map((m, i) => ({ ...m, engaged: i % 2 ? [1] : [], count: i % 2, verdict: 'belum' as const }));
    expect(joinMembers(fixed, reportColumns(later))).toEqual(later);
  });

  it('tells the same members from members of whom any fixed field changed, or one more or fewer', () => {
    const fixed = members.map(fixedOf);
    expect(sameFixed(fixed, members.map((m) => ({ ...m, count: 0, engaged: [] })))).toBe(true);
    const changes: Partial<FixedMember>[] = [
      { userId: '9' }, { nama: 'X' }, { title: 'AKBP' }, { divisi: 'SAT X' }, { jabatan: 'KAPOLRES' }, { handle: 'lain' }, { exception: true },
    ];
    for (const change of changes) {
      const one = members.map((m, i) => (i === 11 ? { ...m, ...change } : m)); // 11: no exception, no position, a handle
      expect({ change, same: sameFixed(fixed, one) }).toEqual({ change, same: false });
    }
    expect(sameFixed(fixed, members.slice(1))).toBe(false);
    expect(sameFixed(fixed, [...members, member(99)])).toBe(false);
  });

  it('refuses columns of another number of members', () => {
    expect(() => joinMembers(members.slice(1).map(fixedOf), reportColumns(members))).toThrow(/50 members reported, 49 known/);
  });
});
