/**
 * Splits a long text into parts of at most `max` UTF-16 code units (what the outbox
 * counts), losing nothing but the whitespace at each cut. Where a part ends, best first:
 *
 * 1. at a blank line (between paragraphs), if that keeps the part at least half full;
 * 2. at the last line end;
 * 3. at the last space, if that keeps the part more than half full;
 * 4. at the last grapheme boundary, so an emoji, a letter with its accents or a ZWJ
 *    family is never cut in two (cutting one used to show two U+FFFD marks).
 *
 * Only a single grapheme longer than `max` (say, a letter under hundreds of combining
 * marks) is cut between its code points; a code point itself is never cut, so a
 * surrogate pair needs `max` ≥ 2.
 *
 * Graphemes are looked up only around a cut, in a slice of the text that starts where
 * a grapheme is known to start (the part's start, or the cut itself): segmenting the
 * whole text would cost a pass over it per lookup.
 */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const COMBINING_MARK = /^\p{M}/u;
const WHITESPACE = /^\s+$/u;

export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];

  /** A part starting at `i` would begin with a combining mark (possible right after a line end). */
  const isMark = (i: number): boolean => i < text.length && COMBINING_MARK.test(text.slice(i, i + 2));

  /**
   * Whether a grapheme starts at `at`, just before a space or a line end. Only the code
   * point before can join one of those (CR with LF, a prepended mark with a space), so a
   * slice of a few units decides it.
   */
  const startsGraphemeBeforeSeparator = (at: number, from: number): boolean => {
    const start = Math.max(from, at - 2);
    for (const g of segmenter.segment(text.slice(start, at + 1))) if (start + g.index === at) return true;
    return false;
  };

  /** The end of the part that starts at `from` (a grapheme start), with from < end ≤ from + max. */
  const cutAfter = (from: number): number => {
    const limit = from + max;
    const atSeparator = (separator: string, lowest: number): number | null => {
      for (let at = text.lastIndexOf(separator, limit); at > from && at >= lowest; at = text.lastIndexOf(separator, at - 1)) {
        // "\r\n" is one grapheme: end the part before the CR.
        const end = separator[0] === '\n' && text[at - 1] === '\r' ? at - 1 : at;
        if (end > from && startsGraphemeBeforeSeparator(end, from)) return end;
      }
      return null;
    };
    const found = atSeparator('\n\n', from + max / 2) ?? atSeparator('\n', from + 1) ?? atSeparator(' ', from + max / 2 + 1);
    if (found !== null) return found;

    // The grapheme boundaries up to `limit`, from the part's start; the unit after `limit`
    // completes a surrogate pair there.
    const starts: number[] = [];
    for (const g of segmenter.segment(text.slice(from, limit + 2))) {
      if (from + g.index > limit) break;
      starts.push(from + g.index);
    }
    // Not a combining mark at the start of the next part.
    for (let i = starts.length - 1; i > 0; i--) if (!isMark(starts[i]!)) return starts[i]!;
    // One grapheme longer than `max`: cut between code points, never inside a surrogate pair.
    const high = text.charCodeAt(limit - 1);
    return high >= 0xd800 && high <= 0xdbff && limit - 1 > from ? limit - 1 : limit;
  };

  /** Past the whitespace at a cut, whole graphemes only, and not onto a lone combining mark. */
  const skipWhitespace = (at: number): number => {
    let i = at;
    while (i < text.length) {
      // `i` starts a grapheme, so the first segment of a short slice is that grapheme
      // (a whitespace-only grapheme is at most "\r\n").
      const first = segmenter.segment(text.slice(i, i + 4)).containing(0)!.segment;
      if (!WHITESPACE.test(first) || isMark(i + first.length)) break;
      i += first.length;
    }
    return i;
  };

  const parts: string[] = [];
  let from = 0;
  while (text.length - from > max) {
    const end = cutAfter(from);
    parts.push(text.slice(from, end));
    from = skipWhitespace(end);
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}
