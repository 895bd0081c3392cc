import { describe, expect, it } from 'vitest';
import { needed, tierOf, verdictOf } from '../../src/compliance/classify.js';
import { compareDivisions, compareMembers } from '../../src/compliance/ordering.js';

describe('division order', () => {
  it('puts BAG, SAT, SI, SPKT, POLSEK first, then the rest alphabetically', () => {
    const divisions = ['POLSEK KOTA', 'SI HUMAS', 'LAINNYA', 'BAG OPS', 'SPKT', 'SAT LANTAS', 'BAG LOG', 'SATPAMOBVIT', '-', 'POLSEK BARAT', 'SAT BINMAS'];
    expect([...divisions].sort(compareDivisions)).toEqual([
      'BAG LOG', 'BAG OPS', 'SAT BINMAS', 'SAT LANTAS', 'SI HUMAS', 'SPKT', 'POLSEK BARAT', 'POLSEK KOTA', '-', 'LAINNYA', 'SATPAMOBVIT',
    ]);
  });
});

describe('member order', () => {
  it('sorts by position, then rank, then name', () => {
    const members = [
      { nama: 'EKO', title: 'BRIGPOL', jabatan: 'BANIT' },
      { nama: 'ANI', title: 'BRIPKA', jabatan: 'BANIT' },
      { nama: 'BUDI', title: 'AIPTU', jabatan: 'BAMIN' },
      { nama: 'DEDI', title: 'KOMPOL', jabatan: 'KABAG OPS' },
      { nama: 'CANDRA', title: 'IPTU', jabatan: 'KANIT 1' },
      { nama: 'FAJAR', title: 'PENATA', jabatan: null },
      { nama: 'AGUS', title: 'BRIGPOL', jabatan: 'BANIT' },
      { nama: 'HADI', title: 'AKBP', jabatan: 'KAPOLRES' },
    ];
    expect([...members].sort(compareMembers).map((m) => m.nama)).toEqual([
      'HADI', 'DEDI', 'CANDRA', 'BUDI', 'ANI', 'AGUS', 'EKO', 'FAJAR',
    ]);
  });
});

describe('classification', () => {
  it('needs ceil(N/2) posts by the legacy rule, every post by the strict one', () => {
    expect([1, 2, 3, 4, 5].map((n) => needed(n, 'half'))).toEqual([1, 1, 2, 2, 3]);
    expect(needed(5, 'all')).toBe(5);
  });

  it('the worked example of the reference, with exceptions apart', () => {
    // Posts sc1 and sc2 (N = 2): BUDI liked both, ANI one, DEDI is an exception, CANDRA has no handle, EKO none.
    const members = {
      BUDI: { hasHandle: true, exception: false, count: 2 },
      DEDI: { hasHandle: true, exception: true, count: 0 },
      ANI: { hasHandle: true, exception: false, count: 1 },
      CANDRA: { hasHandle: false, exception: false, count: 0 },
      EKO: { hasHandle: true, exception: false, count: 0 },
    };
    const verdicts = Object.fromEntries(Object.entries(members).map(([n, m]) => [n, verdictOf(m, 2, 'half')]));
    expect(verdicts).toEqual({ BUDI: 'sudah', DEDI: 'exception', ANI: 'sudah', CANDRA: 'belum', EKO: 'belum' });
    const tiers = Object.fromEntries(Object.entries(members).map(([n, m]) => [n, tierOf(m, 2)]));
    expect(tiers).toEqual({ BUDI: 'lengkap', DEDI: 'belum', ANI: 'kurang', CANDRA: 'no_handle', EKO: 'belum' });
    expect(verdictOf(members.ANI, 2, 'all')).toBe('belum');
  });

  it('with no posts nobody is sudah', () => {
    expect(verdictOf({ hasHandle: true, exception: false, count: 0 }, 0, 'half')).toBe('belum');
  });
});
