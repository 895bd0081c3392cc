/** Paging a report into messages: whole divisions, headings repeated where a section continues. */
import { describe, expect, it } from 'vitest';
import { type Block, continued, joinBlocks, paginate } from '../../src/reports/paginate.js';

const division = (context: string[], name: string, n: number): Block => ({
  context,
  heading: `*${name}* (${n} user):`,
  lines: Array.from({ length: n }, (_, i) => `- BRIPDA ${name} ${i + 1}`),
});

const HEADER: Block = { context: [], lines: ['📋 *Rekap*', 'Jumlah: 9'] };
const SUDAH = '✅ *Sudah melaksanakan* (5 user):';
const BELUM = '❌ *Belum melaksanakan* (4 user):';
const FOOTER: Block = { context: [], lines: ['Terimakasih.'] };

describe('paginate', () => {
  const blocks = [HEADER, division([SUDAH], 'BAG OPS', 2), division([SUDAH], 'SAT LANTAS', 3), division([BELUM], 'POLSEK KOTA', 4), FOOTER];

  it('lays the blocks out as the report always was: a heading where a section starts, blank lines between blocks', () => {
    expect(joinBlocks(blocks)).toBe(
      [
        '📋 *Rekap*',
        'Jumlah: 9',
        '',
        SUDAH,
        '*BAG OPS* (2 user):',
        '- BRIPDA BAG OPS 1',
        '- BRIPDA BAG OPS 2',
        '',
        '*SAT LANTAS* (3 user):',
        '- BRIPDA SAT LANTAS 1',
        '- BRIPDA SAT LANTAS 2',
        '- BRIPDA SAT LANTAS 3',
        '',
        BELUM,
        '*POLSEK KOTA* (4 user):',
        '- BRIPDA POLSEK KOTA 1',
        '- BRIPDA POLSEK KOTA 2',
        '- BRIPDA POLSEK KOTA 3',
        '- BRIPDA POLSEK KOTA 4',
        '',
        'Terimakasih.',
      ].join('\n'),
    );
    expect(paginate(blocks, 10_000)).toEqual([joinBlocks(blocks)]);
  });

  it('starts a new message rather than split a division that fits one, and repeats the section heading there', () => {
    const pages = paginate(blocks, 170);
    expect(pages).toEqual([
      ['📋 *Rekap*', 'Jumlah: 9', '', SUDAH, '*BAG OPS* (2 user):', '- BRIPDA BAG OPS 1', '- BRIPDA BAG OPS 2'].join('\n'),
      [
        '✅ *Sudah melaksanakan* (5 user) (lanjutan):',
        '*SAT LANTAS* (3 user):',
        '- BRIPDA SAT LANTAS 1',
        '- BRIPDA SAT LANTAS 2',
        '- BRIPDA SAT LANTAS 3',
      ].join('\n'),
      // A new section needs no "(lanjutan)".
      [
        BELUM,
        '*POLSEK KOTA* (4 user):',
        '- BRIPDA POLSEK KOTA 1',
        '- BRIPDA POLSEK KOTA 2',
        '- BRIPDA POLSEK KOTA 3',
        '- BRIPDA POLSEK KOTA 4',
        '',
        'Terimakasih.',
      ].join('\n'),
    ]);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(170);
  });

  it('repeats every heading a continued section sits under (a post, then its section)', () => {
    const post = '*Konten 1:* https://www.instagram.com/p/abc';
    const input = [HEADER, division([post, SUDAH], 'BAG OPS', 3), division([post, SUDAH], 'SAT LANTAS', 3), division([post, BELUM], 'SI HUMAS', 2)];
    const pages = paginate(input, 200);
    expect(pages[1]!.split('\n').slice(0, 3)).toEqual([
      '*Konten 1:* https://www.instagram.com/p/abc (lanjutan)',
      '✅ *Sudah melaksanakan* (5 user) (lanjutan):',
      '*SAT LANTAS* (3 user):',
    ]);
    // A new section of the same post continues only the post.
    expect(pages.at(-1)!.split('\n').slice(0, 3)).toEqual([
      '*Konten 1:* https://www.instagram.com/p/abc (lanjutan)',
      BELUM,
      '*SI HUMAS* (2 user):',
    ]);
  });

  it('cuts a division too long for one message between its lines, its heading repeated with (lanjutan)', () => {
    const pages = paginate([HEADER, division([SUDAH], 'SAT SAMAPTA', 12), FOOTER], 150);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(150);
    // It starts where the header left room, heading and first line together.
    expect(pages[0]!.split('\n').slice(0, 6)).toEqual(['📋 *Rekap*', 'Jumlah: 9', '', SUDAH, '*SAT SAMAPTA* (12 user):', '- BRIPDA SAT SAMAPTA 1']);
    for (const page of pages.slice(1)) {
      expect(page).toMatch(/^✅ \*Sudah melaksanakan\* \(5 user\) \(lanjutan\):\n\*SAT SAMAPTA\* \(12 user\) \(lanjutan\):\n- BRIPDA SAT SAMAPTA \d+/);
    }
    const members = pages.flatMap((p) => p.split('\n')).filter((l) => l.startsWith('- '));
    expect(members).toEqual(Array.from({ length: 12 }, (_, i) => `- BRIPDA SAT SAMAPTA ${i + 1}`));
    expect(pages.at(-1)!.endsWith('\n\nTerimakasih.')).toBe(true);
  });

  it('cuts a single line longer than a message like any text, so no message is over the limit', () => {
    const pages = paginate([HEADER, { context: [SUDAH], lines: [`- ${'😀'.repeat(100)}`] }], 60);
    for (const page of pages) {
      expect(page.length).toBeLessThanOrEqual(60);
      expect(page).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(pages.join('').replace(/\s/g, '')).toContain('😀'.repeat(100));
  });

  it('marks a continued heading before its closing colon', () => {
    expect(continued('❌ *Belum melaksanakan* (12 user):')).toBe('❌ *Belum melaksanakan* (12 user) (lanjutan):');
    expect(continued('*Konten 2:* https://www.instagram.com/p/x')).toBe('*Konten 2:* https://www.instagram.com/p/x (lanjutan)');
  });

  it('on any report: every message within the limit, every member once and in order, no heading cut off its first line', () => {
    let seed = 11;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 200; round++) {
      const input: Block[] = [HEADER];
      let member = 0;
      for (let post = 1; post <= 1 + Math.floor(next() * 3); post++) {
        for (const section of [SUDAH, BELUM]) {
          for (let d = 0; d < Math.floor(next() * 4); d++) {
            const n = 1 + Math.floor(next() * (next() < 0.1 ? 40 : 6));
            input.push({
              context: [`*Konten ${post}:* https://www.instagram.com/p/p${post}`, section],
              heading: `*DIVISI ${d}* (${n} user):`,
              lines: Array.from({ length: n }, () => `- BRIPDA NAMA ${++member}`),
            });
          }
        }
      }
      input.push(FOOTER);
      // From just above a section's first headings and line (≈ 120), below every heading
      // repeated plus a line (≈ 150), to a few divisions.
      const max = 125 + Math.floor(next() * 400);
      const pages = paginate(input, max);
      const context = `round ${round}, max ${max}`;
      const lines = pages.flatMap((p) => p.split('\n'));
      expect(lines.filter((l) => l.startsWith('- ')), context).toEqual(Array.from({ length: member }, (_, i) => `- BRIPDA NAMA ${i + 1}`));
      for (const page of pages) {
        expect(page.length, context).toBeLessThanOrEqual(max);
        const own = page.split('\n');
        own.forEach((line, i) => {
          if (/^\*DIVISI \d\* \(\d+ user\)/.test(line)) expect(own[i + 1], context).toMatch(/^- BRIPDA NAMA \d+$/);
        });
        // Never a message of headings alone.
        expect(own.some((line) => !/:$|\(lanjutan\)$|^\*Konten/.test(line)), context).toBe(true);
      }
      // One page, with nothing repeated, is the whole text.
      expect(paginate(input, Number.POSITIVE_INFINITY), context).toEqual([joinBlocks(input)]);
    }
  });
});
