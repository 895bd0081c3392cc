/**
 * Paging through a listing until the service says there is no next page. A listing
 * that ends any other way (a failure, the page limit, a cursor that does not move) is
 * partial: what was read is kept, and callers must not treat absence as meaning anything.
 */
import { isRapidApiError, type RapidApiError } from './errors.js';

export interface Page<T> {
  items: T[];
  /** The next page's cursor; null = this was the last page. */
  next: string | null;
  /** The rest is not needed (e.g. posts older than the day asked for): the listing is complete. */
  enough?: boolean;
}

export interface Listing<T> {
  items: T[];
  /** Every page up to the end was read. */
  complete: boolean;
  pages: number;
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
  const seen = new Set<string>();
  while (true) {
    let page: Page<T>;
    try {
      page = await readPage(cursor);
    } catch (error) {
      if (!isRapidApiError(error)) throw error;
      return { items, complete: false, pages, failure: error, pageLimited: false };
    }
    pages++;
    items.push(...page.items);
    if (page.enough || page.next === null) return { items, complete: true, pages, failure: null, pageLimited: false };
    // A cursor seen before would loop forever over the same pages.
    if (seen.has(page.next)) return { items, complete: false, pages, failure: null, pageLimited: true };
    if (pages >= pageLimit) return { items, complete: false, pages, failure: null, pageLimited: true };
    seen.add(page.next);
    cursor = page.next;
  }
}
