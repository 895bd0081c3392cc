/**
 * The province-scale shortcuts of the report (tally without cutting strings, the sort's
 * plain-name comparison, the handle already in form) give exactly what the plain way gives.
 */
import { describe, expect, it } from 'vitest';
import { type EngagedRow, type EngagementDay, type MemberEngagement, Tally } from '../../src/compliance/engagement.js';
import { normaliseHandle } from '../../src/compliance/handle.js';
import { type MemberName, sortInUnitOrder } from '../../src/compliance/member.js';
import { compareText } from '../../src/compliance/ordering.js';
import { buildRecap } from '../../src/compliance/recap.js';
import { IdIndex } from '../../src/compliance/roster.js';
import { dayWindowOf } from '../../src/time/day.js';

/** The tally of `rows`, added in batches of `batch` posts (in post order, as loadEngagement reads them). */
function tally(members: { user_id: string }[], rows: EngagedRow[], ids: string[], batch = ids.length) {
  const counted = new Tally(new IdIndex(members.map((m) => m.user_id)), ids);
  for (let from = 0; from < ids.length; from += batch) {
    const these = new Set(ids.slice(from, from + batch));
    counted.add(rows.filter((r) => these.has(r.post_id)));
  }
  return { engaged: counted.engaged(), links: counted.links };
}

const SEPARATOR = String.fromCharCode(31);

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s / 2 ** 32;
  };
}

/** The plain tally: split each post's string and look every id up in a Map. */
function plainTally(members: { user_id: string }[], rows: EngagedRow[], ids: string[]) {
  const index = new Map<string, number>();
  members.forEach((m, i) => {
    if (!index.has(m.user_id)) index.set(m.user_id, i);
  });
  const engaged = members.map((): number[] => []);
  const links = members.map(() => 0);
  for (const [at, id] of ids.entries()) {
    const row = rows.find((r) => r.post_id === id);
    if (!row) continue;
    row.users.split(SEPARATOR).forEach((u, k) => {
      const i = index.get(u);
      if (i === undefined) return;
      // A post once per member, however often their id comes (engagement_match's key makes it once).
      if (engaged[i]!.at(-1) !== at) engaged[i]!.push(at);
      links[i]! += row.links?.[k] ?? 0;
    });
  }
  return { engaged, links };
}

describe('tally', () => {
  it('matches ids where they lie in the string: prefixes, strangers, odd characters', () => {
    const members = ['1', '12', '123', '1234', '21', 'ÄB', 'a b', '0'].map((user_id) => ({ user_id }));
    const ids = ['p0', 'p1', 'p2'];
    const rows: EngagedRow[] = [
      // Out of post order, as GROUP BY returns them.
      { post_id: 'p2', users: ['123', '9', '12345', 'ÄB'].join(SEPARATOR), links: null },
      { post_id: 'p0', users: ['12', '1', '2', 'a b', '0'].join(SEPARATOR), links: null },
    ];
    const { engaged, links } = tally(members, rows, ids);
    expect(engaged).toEqual([[0], [0], [2], [], [], [2], [0], [0]]);
    expect([...links]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('tells all-digit ids apart by their digits, leading zeros and length included', () => {
    const ids = ['0123', '123', '00123', '1', '01', '123456789012345', '0123456789012345', '1234567890123456', '12345678901234567', '', '9'];
    const members = ids.map((user_id) => ({ user_id }));
    const posts = ['p0', 'p1'];
    const rows: EngagedRow[] = [
      { post_id: 'p0', users: ['123', '0123', '1234567890123456', '', '99', '0'].join(SEPARATOR), links: null },
      { post_id: 'p1', users: ['00123', '01', '12345678901234567', '123456789012345', '0123456789012345', '12345678901234568'].join(SEPARATOR), links: null },
    ];
    const fast = tally(members, rows, posts);
    expect(fast.engaged).toEqual(plainTally(members, rows, posts).engaged);
    expect(Object.fromEntries(ids.map((id, i) => [id, fast.engaged[i]]))).toEqual({
      '0123': [0], '123': [0], '00123': [1], '1': [], '01': [1], '123456789012345': [1], '0123456789012345': [1],
      '1234567890123456': [0], '12345678901234567': [1], '': [0], '9': [],
    });
  });

  it('adds each member their links, the k-th count going with the k-th id', () => {
    const members = [{ user_id: 'b' }, { user_id: 'a' }, { user_id: 'c' }];
    const rows: EngagedRow[] = [
      { post_id: 'x', users: ['a', 'b', 'z'].join(SEPARATOR), links: [2, 1, 5] },
      { post_id: 'y', users: ['a', 'c'].join(SEPARATOR), links: [1, 3] },
    ];
    const { engaged, links } = tally(members, rows, ['x', 'y']);
    expect(engaged).toEqual([[0], [0, 1], [1]]);
    expect([...links]).toEqual([1, 3, 3]);
  });

  it('gives what splitting and a Map give, on 2,000 generated members and 12 posts', () => {
    const next = random(7);
    const digits = () => String(Math.floor(next() * 10 ** (1 + Math.floor(next() * 6))));
    const members = Array.from({ length: 2000 }, () => ({ user_id: digits() })); // duplicates and prefixes included
    const ids = Array.from({ length: 12 }, (_, i) => `post${i}`);
    const rows: EngagedRow[] = ids.flatMap((post_id) =>
      next() < 0.1
        ? [] // a post nobody engaged with has no row
        : [
            {
              post_id,
              users: Array.from({ length: 600 }, () => (next() < 0.8 ? members[Math.floor(next() * members.length)]!.user_id : digits())).join(SEPARATOR),
              links: null,
            },
          ],
    );
    const fast = tally(members, rows, ids);
    const plain = plainTally(members, rows, ids);
    expect(fast.engaged).toEqual(plain.engaged);
    // Read in batches of posts (as the report does, side by side), the same.
    expect(tally(members, rows, ids, 5).engaged).toEqual(plain.engaged);
    expect(tally(members, rows, ids, 1).engaged).toEqual(plain.engaged);
    expect(fast.engaged.flat().length).toBeGreaterThan(3000);
  });

  it('keeps more than 32 posts apart (posts 31, 32 and 63, 64 at the word edges), in post order', () => {
    const next = random(19);
    const members = Array.from({ length: 300 }, (_, i) => ({ user_id: `m${i}` }));
    const ids = Array.from({ length: 70 }, (_, i) => `post${i}`);
    const rows: EngagedRow[] = ids.map((post_id, at) => ({
      post_id,
      // Everyone on the edge posts, so each of them is checked on its own.
      users: members.filter(() => [31, 32, 63, 64].includes(at) || next() < 0.4).map((m) => m.user_id).join(SEPARATOR),
      links: null,
    }));
    const plain = plainTally(members, rows, ids);
    expect(tally(members, rows, ids).engaged).toEqual(plain.engaged);
    expect(tally(members, rows, ids, 7).engaged).toEqual(plain.engaged);
    for (const list of tally(members, rows, ids).engaged) expect(list).toEqual(expect.arrayContaining([31, 32, 63, 64]));
  });

  it('gives members who engaged with the same posts one shared list, and no one a list of someone else’s posts', () => {
    const members = ['a', 'b', 'c', 'd', 'e'].map((user_id) => ({ user_id }));
    const rows: EngagedRow[] = [
      { post_id: 'x', users: ['a', 'b', 'c'].join(SEPARATOR), links: null },
      { post_id: 'y', users: ['a', 'b'].join(SEPARATOR), links: null },
    ];
    const { engaged } = tally(members, rows, ['x', 'y']);
    expect(engaged).toEqual([[0, 1], [0, 1], [0], [], []]);
    expect(engaged[0]).toBe(engaged[1]);
    expect(engaged[3]).toBe(engaged[4]);
    expect(engaged[2]).not.toBe(engaged[0]);
  });
});

describe('sortInUnitOrder', () => {
  const member = (nama: string, userId: string): MemberName => ({ userId, nama, title: 'BRIPDA', divisi: 'BAG OPS', jabatan: null });

  it('orders names by the collator whether they are plain (capitals, digits, spaces) or not', () => {
    const names = [
      'BUDI', 'BUDI, S.H.', 'BUDI S', 'BUDIS', 'M. RIZKI', 'M RIZKI', 'MRIZKI', 'ÄGUS', 'AGUS', 'AGUS 2', 'AGUS 10', "O'NEIL",
      'ONEIL', 'AL-FATIH', 'AL FATIH', 'ALFATIH', 'ÉKO', 'EKO', 'ZAINAL', 'A', '',
    ];
    const next = random(3);
    const members = names.flatMap((n, i) => [member(n, `u${i}b`), member(n, `u${i}a`)]).sort(() => next() - 0.5);
    const sorted = sortInUnitOrder(members);
    const expected = [...members].sort((a, b) => compareText(a.nama, b.nama) || (a.userId < b.userId ? -1 : 1));
    expect(sorted.map((m) => `${m.nama}/${m.userId}`)).toEqual(expected.map((m) => `${m.nama}/${m.userId}`));
  });

  it('keeps division, then position, then rank before the name', () => {
    const members: MemberName[] = [
      { userId: '1', nama: 'A', title: 'BRIPDA', divisi: 'SAT LANTAS', jabatan: null },
      { userId: '2', nama: 'Z', title: 'AKBP', divisi: 'SAT LANTAS', jabatan: null },
      { userId: '3', nama: 'M', title: 'BRIPDA', divisi: 'SAT LANTAS', jabatan: 'KASAT LANTAS' },
      { userId: '4', nama: 'B', title: 'KOMPOL', divisi: 'BAG OPS', jabatan: null },
    ];
    expect(sortInUnitOrder(members).map((m) => m.userId)).toEqual(['4', '3', '2', '1']);
  });
});

describe('buildRecap on members already in unit order', () => {
  const DIVISIONS = ['SAT LANTAS', 'PIMPINAN', 'BAG OPS', 'POLSEK UTARA'];
  const TITLES = ['BRIPDA', 'AKBP', 'IPTU', 'KOMPOL'];
  const next = random(11);
  const members: MemberEngagement[] = Array.from({ length: 300 }, (_, i) => ({
    userId: String(80_000_000 + i),
    nama: `NAMA ${Math.floor(next() * 50)}`,
    title: TITLES[i % TITLES.length]!,
    divisi: DIVISIONS[Math.floor(next() * DIVISIONS.length)]!,
    jabatan: i % 17 === 0 ? 'KASAT LANTAS' : null,
    handle: i % 9 === 0 ? null : `h${i}`,
    exception: i % 31 === 0,
    engaged: i % 3 === 0 ? [] : [0, 1],
    links: 0,
  }));
  const day = (list: MemberEngagement[], inUnitOrder?: string[]): EngagementDay => ({
    source: 'likes',
    day: dayWindowOf('2026-11-25', 'Asia/Jakarta'),
    posts: [0, 1].map((k) => ({ id: `p${k}`, url: '', createdAt: new Date(0), fetched: true, partial: false, updatedAt: null })),
    members: list,
    inUnitOrder,
    lastUpdated: null,
  });
  const ids = (recap: { members: { userId: string }[] }) => recap.members.map((m) => m.userId);

  it('keeps the order it was given for the same division order, and sorts for any other', () => {
    for (const order of [[], ['SAT LANTAS']]) {
      const inOrder = sortInUnitOrder(members, order);
      const sortedHere = buildRecap(day(members), 'half', order);
      expect(ids(buildRecap(day(inOrder, order), 'half', order))).toEqual(ids(sortedHere));
      // Marked as in another order: sorted again, to the order asked for.
      expect(ids(buildRecap(day(inOrder, order.length ? [] : ['BAG OPS']), 'half', order))).toEqual(ids(sortedHere));
    }
    // The mark is trusted: a list marked but not in order stays as given (loadEngagement marks only the roster's).
    expect(ids(buildRecap(day(members, []), 'half', []))).toEqual(members.map((m) => m.userId));
  });
});

describe('normaliseHandle on a handle already in form', () => {
  it('returns it as it is, and still normalises everything else', () => {
    for (const h of ['budi.s', 'a_b.c9', 'x']) expect(normaliseHandle(h, 'instagram')).toBe(h);
    expect(normaliseHandle('tiktok_user', 'tiktok')).toBe('tiktok_user');
    expect(normaliseHandle('x', 'tiktok')).toBeNull(); // too short for TikTok
    expect(normaliseHandle('@Budi.S ', 'instagram')).toBe('budi.s');
    expect(normaliseHandle('a'.repeat(31), 'instagram')).toBeNull();
  });
});
