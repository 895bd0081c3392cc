/** What a route answers, and slicing a list into pages. */
import type { Accounts } from './accounts.js';

export interface Reply {
  status: number;
  body: unknown;
}

export interface RouteContext {
  accounts: Accounts;
  query: Record<string, string>;
  /** An `emptyPage` fault: answer this page without items. */
  emptyPage: boolean;
  likersPerPage: number;
  commentsPerPage: number;
  /** Instagram's page of posts. */
  postsPerPage: number;
  /** The most videos a TikTok page holds, whatever `count` asks. */
  videosPerPage: number;
}

export type Route = (ctx: RouteContext) => Reply;

export const ok = (body: unknown): Reply => ({ status: 200, body });

/**
 * The page of `items` at `offset`. An emptied page has no items but the next offset
 * the real page would have had (even past the end), so paging goes on after it and
 * the emptied page's items are skipped, as when the service drops a page.
 */
export function pageOf<T>(items: readonly T[], offset: number, size: number, empty: boolean): { items: T[]; next: number | null } {
  const end = offset + size;
  if (empty) return { items: [], next: end };
  return { items: items.slice(offset, end), next: end < items.length ? end : null };
}

/** A whole number from a query value; `fallback` when absent or unreadable. */
export function intParam(value: string | undefined, fallback: number): number {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
}

/** Instagram's opaque tokens: the offset, hidden as the real ones hide theirs. */
export function tokenOf(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

/** The offset a token names: 0 for none, null for one the fake never handed out. */
export function offsetOfToken(token: string | undefined): number | null {
  if (token === undefined || token === '') return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString()) as { offset?: unknown };
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : null;
  } catch {
    return null;
  }
}

export const unixSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);
