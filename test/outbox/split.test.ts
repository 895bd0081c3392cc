import { describe, expect, it } from 'vitest';
import { splitText } from '../../src/outbox/split.js';

describe('splitText', () => {
  it('leaves a short text whole', () => {
    expect(splitText('halo\ndunia', 100)).toEqual(['halo\ndunia']);
  });

  it('splits at line boundaries, every part within the limit, nothing lost', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `- BRIPKA ANGGOTA ${i} : @anggota${i} (1/2 konten)`);
    const text = lines.join('\n');
    const parts = splitText(text, 200);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(200);
    expect(parts.join('\n')).toBe(text);
    for (const part of parts) expect(lines).toContain(part.split('\n')[0]); // no part starts mid-line
  });

  it('cuts a single over-long line at a space when it can', () => {
    const parts = splitText(`${'kata '.repeat(30)}akhir`, 40);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(40);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(`${'kata '.repeat(30)}akhir`);
    expect(splitText('x'.repeat(95), 40)).toEqual(['x'.repeat(40), 'x'.repeat(40), 'x'.repeat(15)]);
  });
});

/** A small seeded generator, so a failure names a text that can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces a chat text is made of; each is whole graphemes, combining marks always on a base letter. */
const PIECES = [
  'kata',
  'BRIPKA',
  ' ',
  ' ',
  '\n',
  '\n\n',
  '\r\n',
  '😀', // a surrogate pair
  'e\u0301', // e + combining acute
  'a\u0308\u0323', // two combining marks
  '👨‍👩‍👧‍👦', // a ZWJ sequence, 11 code units
  '🇮🇩', // a flag: two regional indicators
  '👍🏽', // with a skin tone
  'क्षि', // Devanagari conjunct
  '각', // Hangul
  '❓',
];
const LONGEST_GRAPHEME = 11;

function randomText(next: () => number): string {
  const pieces: string[] = [];
  const count = Math.floor(next() * 400);
  for (let i = 0; i < count; i++) {
    // Now and then a long run of one piece: a line with no space, or no line end at all.
    const piece = PIECES[Math.floor(next() * PIECES.length)]!;
    pieces.push(next() < 0.05 ? piece.repeat(20 + Math.floor(next() * 80)) : piece);
  }
  return pieces.join('');
}

const graphemeBoundaries = (text: string): Set<number> => {
  const at = new Set([text.length]);
  for (const g of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) at.add(g.index);
  return at;
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('splitText on any text (property)', () => {
  it('keeps every part within the limit, cuts only between graphemes, and loses nothing but whitespace at the cuts', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const next = random(seed);
      const text = randomText(next);
      const max = LONGEST_GRAPHEME + Math.floor(next() * 120);
      const parts = splitText(text, max);
      const context = `seed ${seed}, max ${max}`;
      const boundaries = graphemeBoundaries(text);
      let position = 0;
      for (const part of parts) {
        expect(part.length, context).toBeLessThanOrEqual(max);
        if (text.length > max) expect(part.length, context).toBeGreaterThan(0);
        expect(LONE_SURROGATE.test(part), context).toBe(false);
        expect(/^\p{M}/u.test(part), context).toBe(false);
        // The part is the text from here on, after nothing but whitespace.
        const start = text.indexOf(part, position);
        expect(start, context).toBeGreaterThanOrEqual(position);
        expect(text.slice(position, start), context).toMatch(/^\s*$/);
        expect(boundaries.has(start) && boundaries.has(start + part.length), context).toBe(true);
        position = start + part.length;
      }
      expect(text.slice(position), context).toMatch(/^\s*$/);
      expect(parts.join('').replace(/\s/g, ''), context).toBe(text.replace(/\s/g, ''));
    }
  });

  it('prefers a blank line, then a line end, then a space, then a grapheme boundary', () => {
    const paragraph = (word: string) => `${word} ${word}\n${word} ${word}`; // 19 code units
    // A blank line in the second half wins over a later line end.
    expect(splitText(`${paragraph('satu')}\n\n${paragraph('dua.')}\nlagi`, 36)).toEqual([
      paragraph('satu'),
      `${paragraph('dua.')}\nlagi`,
    ]);
    // No blank line: the last line end, even early, wins over a space.
    expect(splitText(`pendek\n${'kata '.repeat(10)}`, 30)).toEqual(['pendek', 'kata kata kata kata kata kata', 'kata kata kata kata ']);
    // No whitespace: whole emoji, never half of one (an odd limit would cut a surrogate pair).
    expect(splitText('😀'.repeat(5), 5)).toEqual(['😀😀', '😀😀', '😀']);
    expect(splitText(`x${'👨‍👩‍👧‍👦'.repeat(3)}`, 15)).toEqual(['x👨‍👩‍👧‍👦', '👨‍👩‍👧‍👦', '👨‍👩‍👧‍👦']);
    expect(splitText(`${'e\u0301'.repeat(5)}`, 5)).toEqual(['e\u0301e\u0301', 'e\u0301e\u0301', 'e\u0301']);
  });

  it('cuts a single grapheme longer than the limit between code points, never inside a surrogate pair', () => {
    const zalgo = `a${'\u0301'.repeat(9)}`;
    const parts = splitText(zalgo, 4);
    expect(parts.join('')).toBe(zalgo);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4);
    const family = '👨‍👩‍👧‍👦';
    const pieces = splitText(family, 4);
    expect(pieces.join('')).toBe(family);
    for (const piece of pieces) expect(LONE_SURROGATE.test(piece)).toBe(false);
  });
});
