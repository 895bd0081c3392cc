/**
 * A report as blocks, and its pages: messages of at most `maxChars` that cut between
 * blocks, never inside one that fits a message, so a division's heading always stays
 * with its lines. A message that starts inside a section repeats the headings the
 * section sits under, marked "(lanjutan)"; so does each continuation of a block too
 * long for any message (then with the block's own heading too):
 *
 *   *Konten 2:* https://www.instagram.com/p/abc (lanjutan)
 *   ❌ *Belum melaksanakan* (12 user) (lanjutan):
 *   *SAT LANTAS* (4 user):
 *   - BRIPDA …
 *
 * The whole text is the same blocks on one page. Layout, the same in both: a blank line
 * between blocks; a heading is printed where a block first sits under it, right before
 * the block; headings compare by their text.
 */
import { splitText } from '../outbox/split.js';

export interface Block {
  /** The headings the block sits under, outermost first: a post, then its ✅/❌ section. */
  context: readonly string[];
  /** The block's own heading (a division's `*BAG OPS* (3 user):`), kept with its first line. */
  heading?: string;
  lines: readonly string[];
}

/** `❌ *Belum melaksanakan* (12 user):` → `❌ *Belum melaksanakan* (12 user) (lanjutan):` */
export function continued(heading: string): string {
  return heading.endsWith(':') ? `${heading.slice(0, -1)} (lanjutan):` : `${heading} (lanjutan)`;
}

/** Plain lines (a report's header) as one block per paragraph, so pages break at their blank lines. */
export function paragraphs(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let current: string[] = [];
  for (const line of [...lines, '']) {
    if (line !== '') current.push(line);
    else if (current.length > 0) {
      blocks.push({ context: [], lines: current });
      current = [];
    }
  }
  return blocks;
}

/** The whole report as one text. */
export function joinBlocks(blocks: readonly Block[]): string {
  return paginate(blocks, Number.POSITIVE_INFINITY).join('\n');
}

/** How many leading headings two contexts share. */
function shared(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Length of `lines` joined by line ends. */
const size = (lines: readonly string[]): number => lines.reduce((n, line) => n + line.length + 1, -1);

/** One message being filled, its length kept as it grows. */
class Page {
  lines: string[] = [];
  private length = -1; // of lines.join('\n'); the first line adds no separator

  get empty(): boolean {
    return this.lines.length === 0;
  }

  fits(lines: readonly string[], maxChars: number): boolean {
    return this.length + size(lines) + 1 <= maxChars;
  }

  /** Takes an array, not spread arguments: a division may hold more lines than a call takes arguments. */
  push(lines: readonly string[]): void {
    for (const line of lines) {
      this.lines.push(line);
      this.length += line.length + 1;
    }
  }
}

/**
 * The repeated headings to put atop a new message before `rest`: all of them, or when
 * the limit is too small for that, the innermost that fit (a division's own heading
 * last to go), so that a message is never headings alone.
 */
function repeatable(headings: readonly string[], rest: readonly string[], maxChars: number): string[] {
  for (let outer = 0; outer < headings.length; outer++) {
    if (size([...headings.slice(outer), ...rest]) <= maxChars) return headings.slice(outer);
  }
  return [];
}

/** With `fill`, a block is cut where a page ends once this many of its lines fit there. */
const FILL_MIN_LINES = 2;

/**
 * `fill`: fill each page, cutting a block (under its repeated headings) where the page
 * ends rather than moving it whole to the next page; fewer messages for long reports.
 */
export function paginate(blocks: readonly Block[], maxChars: number, options: { fill?: boolean } = {}): string[] {
  const pages: string[] = [];
  let page = new Page();
  const turn = (lines: readonly string[] = []): void => {
    if (!page.empty) pages.push(page.lines.join('\n'));
    page = new Page();
    page.push(lines);
  };
  let previous: readonly string[] = [];
  for (const block of blocks) {
    const kept = shared(previous, block.context);
    previous = block.context;
    const own = block.heading === undefined ? [] : [block.heading];
    // Headings this block opens, then its own lines.
    const head = [...block.context.slice(kept), ...own];
    const whole = [...head, ...block.lines];
    // 1. After what the page holds.
    if (!page.empty && page.fits(['', ...whole], maxChars)) {
      page.push(['', ...whole]);
      continue;
    }
    // 2. Atop a new page, under the headings it continues (unless filling this page first).
    const resumed = block.context.slice(0, kept).map(continued);
    const startsHere =
      options.fill === true &&
      block.lines.length > FILL_MIN_LINES &&
      !page.empty &&
      page.fits(['', ...head, ...block.lines.slice(0, FILL_MIN_LINES)], maxChars);
    if (size(whole) <= maxChars && !startsHere) {
      turn([...repeatable(resumed, whole, maxChars), ...whole]);
      continue;
    }
    // 3. Longer than any page (or filling): cut between its lines, starting on this page
    // when its heading and first line fit there; every next page repeats all headings.
    const first = block.lines.slice(0, 1);
    if (!page.empty && page.fits(['', ...head, ...first], maxChars)) page.push(['', ...head]);
    else turn([...repeatable(resumed, [...head, ...first], maxChars), ...head]);
    const again = [...block.context, ...own].map(continued);
    let placed = 0;
    for (const line of block.lines) {
      if (placed > 0 && !page.fits([line], maxChars)) {
        turn(repeatable(again, [line], maxChars));
        placed = 0;
      }
      page.push([line]);
      placed++;
    }
  }
  turn();
  // Only a heading and a line that alone exceed the limit are left over it: cut those
  // like any text, rather than send what WhatsApp refuses.
  return pages.flatMap((text) => (text.length > maxChars ? splitText(text, maxChars) : [text]));
}
