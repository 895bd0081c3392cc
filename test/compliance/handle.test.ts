import { describe, expect, it } from 'vitest';
import { handleOfEntry, normaliseHandle } from '../../src/compliance/handle.js';

describe('normaliseHandle (Instagram)', () => {
  it.each([
    ['budi.s', 'budi.s'],
    ['@Budi.S', 'budi.s'],
    [' budi.s ', 'budi.s'],
    ['  @BUDI.S  ', 'budi.s'],
    ['https://www.instagram.com/budi.s/', 'budi.s'],
    ['http://instagram.com/budi.s', 'budi.s'],
    ['instagram.com/budi.s?igsh=MTIzNDU2', 'budi.s'],
    ['www.instagram.com/Budi_S/?hl=id', 'budi_s'],
    ['https://m.instagram.com/budi.s', 'budi.s'],
  ])('%j → %j', (raw, expected) => {
    expect(normaliseHandle(raw, 'instagram')).toBe(expected);
  });

  it.each([
    [null],
    [''],
    ['   '],
    ['-'],
    ['https://www.instagram.com/p/Cx1abcDEF/'], // a post, not a profile
    ['https://www.instagram.com/reel/Cx1abcDEF/'],
    ['https://www.tiktok.com/@budi'], // the other platform
    ['budi santoso'], // a name, not a handle
    ['a'.repeat(31)],
  ])('%j has no handle', (raw) => {
    expect(normaliseHandle(raw, 'instagram')).toBeNull();
  });
});

describe('normaliseHandle (TikTok)', () => {
  it.each([
    ['@budisantoso', 'budisantoso'],
    ['BudiSantoso', 'budisantoso'],
    ['https://www.tiktok.com/@budi.santoso', 'budi.santoso'],
    ['https://www.tiktok.com/@budi.santoso/video/7300000000000000000', 'budi.santoso'],
    ['tiktok.com/@Budi_S?lang=id', 'budi_s'],
  ])('%j → %j', (raw, expected) => {
    expect(normaliseHandle(raw, 'tiktok')).toBe(expected);
  });

  it.each([['https://www.tiktok.com/video/123'], ['https://instagram.com/budi'], ['x']])('%j has no handle', (raw) => {
    expect(normaliseHandle(raw, 'tiktok')).toBeNull();
  });
});

describe('handleOfEntry', () => {
  it('reads usernames stored as strings or as objects', () => {
    expect(handleOfEntry('Budi.S', 'instagram')).toBe('budi.s');
    expect(handleOfEntry({ username: '@Budi.S', full_name: 'Budi' }, 'instagram')).toBe('budi.s');
    expect(handleOfEntry({ unique_id: 'BudiS' }, 'tiktok')).toBe('budis');
    expect(handleOfEntry({ user: { unique_id: 'budis' } }, 'tiktok')).toBe('budis');
    expect(handleOfEntry({ id: 42 }, 'instagram')).toBeNull();
    expect(handleOfEntry(42, 'instagram')).toBeNull();
    expect(handleOfEntry(null, 'tiktok')).toBeNull();
  });
});

describe('the demo organisation, read through the normalisation', () => {
  it('has every typed handle recognisable, and most likers matching a member', async () => {
    const { buildDemoOrganisation } = await import('../../src/seed/demo-organisation.js');
    const org = buildDemoOrganisation(new Date('2026-11-25T07:00:00Z'), 'Asia/Jakarta');
    const insta = new Set<string>();
    for (const m of org.members) {
      if (m.insta !== null) {
        const h = normaliseHandle(m.insta, 'instagram');
        expect(h, m.insta).not.toBeNull();
        insta.add(h!);
      }
      if (m.tiktok !== null) expect(normaliseHandle(m.tiktok, 'tiktok'), m.tiktok).not.toBeNull();
    }
    const likers = org.instaPosts[1]!.engagement!.map((e) => handleOfEntry(e, 'instagram'));
    const members = likers.filter((h) => h !== null && insta.has(h));
    expect(members.length).toBeGreaterThan(50);
    expect(likers.length - members.length).toBeGreaterThan(50); // and strangers too
  });
});
