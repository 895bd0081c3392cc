/** Reading the services' answers, including the shapes the stand-in server never sends. */
import { describe, expect, it } from 'vitest';
import { RapidApi } from '../../src/rapidapi/http.js';
import { instagramLikers, instagramPosts, instagramProfile } from '../../src/rapidapi/instagram.js';
import { tiktokCommenters, tiktokProfile, tiktokVideos } from '../../src/rapidapi/tiktok.js';

/** A service answering each request with the next body, recording the queries. */
function service(bodies: unknown[]) {
  const queries: Array<Record<string, string>> = [];
  const api = new RapidApi({
    baseUrl: 'https://example.test',
    key: 'k',
    timeoutMs: 1_000,
    concurrency: 1,
    tries: 1,
    fetch: (async (input: URL) => {
      queries.push(Object.fromEntries(new URL(input).searchParams));
      return new Response(JSON.stringify(bodies.shift()), { status: 200 });
    }) as typeof fetch,
  });
  return { api, queries };
}

const since = new Date('2026-11-24T17:00:00Z'); // 00:00 WIB on 25 November
const unix = (iso: string) => Date.parse(iso) / 1000;
const item = (code: string, iso: string, extra: object = {}) => ({ code, taken_at: unix(iso), ...extra });

describe('Instagram', () => {
  it('reads past a pinned old post and stops at the first older one', async () => {
    const { api, queries } = service([
      {
        data: {
          items: [
            item('PINNED', '2026-10-01T00:00:00Z', { is_pinned: true }),
            item('NEW', '2026-11-25T02:00:00Z', { caption: { text: 'Apel pagi' }, like_count: '12', image_versions: { items: [{ url: 'https://img/1' }] } }),
            { taken_at: unix('2026-11-25T01:00:00Z') }, // no code: passed over
          ],
        },
        pagination_token: 'p2',
      },
      { data: { items: [item('EARLY', '2026-11-24T17:00:00Z'), item('OLD', '2026-11-24T16:59:59Z')] }, pagination_token: 'p3' },
    ]);
    const listing = await instagramPosts(api, 'polres.abc', since, 20);
    expect(listing.complete).toBe(true);
    expect(listing.items.map((p) => p.id)).toEqual(['NEW', 'EARLY']);
    expect(listing.items[0]).toMatchObject({ caption: 'Apel pagi', likeCount: 12, imageUrl: 'https://img/1', isVideo: false });
    expect(queries).toEqual([{ username_or_id_or_url: 'polres.abc' }, { username_or_id_or_url: 'polres.abc', pagination_token: 'p2' }]);
  });

  it('ends partial, keeping the page, when more posts are announced without a token', async () => {
    const listing = await instagramPosts(
      service([{ data: { items: [item('NEW', '2026-11-25T02:00:00Z')] }, has_more: true, pagination_token: null }]).api,
      'x',
      since,
      20,
    );
    expect(listing).toMatchObject({ complete: false, seen: 1, failure: { kind: 'malformed' } });
    expect(listing.items.map((p) => p.id)).toEqual(['NEW']);
  });

  it('calls a listing without items but marked private a private account, and a list-less answer malformed', async () => {
    const closed = await instagramPosts(service([{ data: { items: [], user: { is_private: true } } }]).api, 'x', since, 20);
    expect([closed.complete, closed.failure?.kind]).toEqual([false, 'private']);
    const odd = await instagramLikers(service([{ data: { users: [] } }]).api, 'SC', 20);
    expect([odd.complete, odd.failure?.kind]).toEqual([false, 'malformed']);
  });

  it('follows next_cursor, then end_cursor, and stops when has_more is false', async () => {
    const { api, queries } = service([
      { data: { items: [{ username: 'a', pk: 1 }], next_cursor: 'c2' } },
      { data: { items: [{ username: 'b' }, { id: 3 }], end_cursor: 'c3' } },
      { data: { items: [{ username: 'c' }], next_cursor: 'c4', has_more: false } },
    ]);
    const listing = await instagramLikers(api, 'SC', 20);
    expect(listing.items.map((p) => p.username)).toEqual(['a', 'b', 'c']);
    expect(listing.items[0]!.userId).toBe('1');
    expect(listing.complete).toBe(true);
    expect(queries.map((q) => q.cursor)).toEqual([undefined, 'c2', 'c3']);
  });

  it('reads a profile, with the alternative field names, and no data as no account', async () => {
    const profile = await instagramProfile(
      service([{ data: { pk: 42, username: 'budi', followers_count: 10, posts_count: 3, is_private: true, category: 'Polisi' } }]).api,
      'budi',
    );
    expect(profile).toMatchObject({ userId: '42', username: 'budi', followers: 10, posts: 3, isPrivate: true, category: 'Polisi' });
    await expect(instagramProfile(service([{ data: null }]).api, 'nobody')).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('TikTok', () => {
  it('names a private or missing account from its statusCode', async () => {
    const closed = await tiktokVideos(service([{ statusCode: 10222, data: { itemList: [] } }]).api, 'S', since, 20);
    expect(closed.failure?.kind).toBe('private');
    const gone = await tiktokVideos(service([{ statusCode: 10201 }]).api, 'S', since, 20);
    expect(gone.failure?.kind).toBe('not-found');
    await expect(tiktokProfile(service([{ statusCode: 10202, statusMsg: 'user not exist' }]).api, 'x')).rejects.toMatchObject({
      kind: 'not-found',
    });
  });

  it('reads videos from itemList, items or videos, and pages while hasMore', async () => {
    const { api, queries } = service([
      { data: { items: [{ id: '2', createTime: unix('2026-11-25T05:00:00Z'), stats: { diggCount: 5, commentCount: 2 } }], hasMore: true, cursor: '99' } },
      { data: { videos: [{ id: '1', createTime: unix('2026-11-20T05:00:00Z') }], hasMore: true, cursor: '98' } },
    ]);
    const listing = await tiktokVideos(api, 'SEC', since, 20);
    expect(listing.items).toMatchObject([{ id: '2', likeCount: 5, commentCount: 2 }]);
    expect(listing.complete).toBe(true);
    expect(queries.map((q) => q.cursor)).toEqual(['0', '99']);
  });

  it('takes comments: null as none, and pages by cursor and total when has_more is absent', async () => {
    expect(await tiktokCommenters(service([{ data: { comments: null, cursor: 0 } }]).api, 'V', 20)).toMatchObject({ items: [], complete: true });
    const { api } = service([
      { data: { comments: [{ user: { unique_id: 'a' } }, { user: {} }], cursor: 2, total: 3 } },
      { data: { comments: [{ user: { unique_id: 'b' } }], cursor: 3, total: 3 } },
    ]);
    const listing = await tiktokCommenters(api, 'V', 20);
    expect(listing.items.map((p) => p.username)).toEqual(['a', 'b']);
    expect(listing.complete).toBe(true);
    const deleted = await tiktokCommenters(service([{ statusCode: 10204, data: { comments: [] } }]).api, 'V', 20);
    expect(deleted.failure?.kind).toBe('not-found');
  });
});
