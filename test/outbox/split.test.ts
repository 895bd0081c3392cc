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
