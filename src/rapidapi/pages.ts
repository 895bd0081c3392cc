/**
 * Paging through a listing until the service says there is no next page. A listing
 * that ends any other way (a failure, the page limit, a cursor that does not move) is
 * partial: what was read is kept, and callers must not treat absence as meaning anything.
 */
import { isRapidApiError, RapidApiError } from './errors.js';

/** A page that announces more but gives no cursor to ask for it with. */
export function noCursor(what: string): RapidApiError {
  return new RapidApiError('malformed', `the answer for ${what} announced more pages but gave no cursor`);
}

export interface Page<T> {
  items: T[];
  /** The next page's cursor; null = this was the last page. */
  next: string | null;
  /** The rest is not needed (e.g. posts older than the day asked for): the listing is complete. */
  enough?: boolean;
  /** Entries the page held before any filtering (default: `items.length`). */
  seen?: number;
  /** The page was read, but the way on is unreadable (more announced, no cursor): the listing ends partial. */
  broken?: RapidApiError;
}

export interface Listing<T> {
  items: T[];
  /** Every page up to the end was read. */
  complete: boolean;
  pages: number;
  /** Entries the service listed, before any filtering. */
  seen: number;
  /** Why a partial listing stopped, when a request failed. */
  failure: RapidApiError | null;
  /** The page limit ended it while the service had more. */
  pageLimited: boolean;
}

export async function readPages<T>(
  pageLimit: number,
  readPage: (cursor: string | null) => Promise<Page<T>>,
): Promise<Listing<T>> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let seen = 0;
  const cursors = new Set<string>();
  const end = (complete: boolean, failure: RapidApiError | null, pageLimited: boolean): Listing<T> => ({
    items,
    complete,
    pages,
    seen,
    failure,
    pageLimited,
  });
  while (true) {
    let page: Page<T>;
    try {
      page = await readPage(cursor);
    } catch (error) {
      if (!isRapidApiError(error)) throw error;
      return end(false, error, false);
    }
    pages++;
    seen += page.seen ?? page.items.length;
    items.push(...page.items);
    if (page.enough) return end(true, null, false);
    if (page.broken) return end(false, page.broken, false);
    if (page.next === null) return end(true, null, false);
    // A cursor seen before would loop forever over the same pages.
    if (cursors.has(page.next) || pages >= pageLimit) return end(false, null, true);
    cursors.add(page.next);
    cursor = page.next;
  }
}
