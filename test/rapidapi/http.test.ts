import { describe, expect, it } from 'vitest';
import { RapidApiError } from '../../src/rapidapi/errors.js';
import { RapidApi, retryAfterMs } from '../../src/rapidapi/http.js';
import { readPages } from '../../src/rapidapi/pages.js';

type Answer = Response | Error | (() => Promise<Response>);

/** A RapidApi whose fetch plays `answers` in order, recording each request and each wait. */
function scripted(answers: Answer[], options: { key?: string | undefined; concurrency?: number } = {}) {
  const calls: Array<{ url: URL; headers: Headers }> = [];
  const sleeps: number[] = [];
  const api = new RapidApi({
    baseUrl: 'https://social-api4.p.rapidapi.com',
    key: 'key' in options ? options.key : 'secret-key',
    timeoutMs: 5_000,
    concurrency: options.concurrency ?? 3,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    fetch: (async (input: URL, init?: RequestInit) => {
      calls.push({ url: new URL(input), headers: new Headers(init?.headers) });
      const answer = answers.shift();
      if (answer === undefined) throw new Error('no answer scripted');
      if (answer instanceof Error) throw answer;
      return typeof answer === 'function' ? answer() : answer;
    }) as typeof fetch,
  });
  return { api, calls, sleeps };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

async function failure(promise: Promise<unknown>): Promise<RapidApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RapidApiError);
  return error as RapidApiError;
}

describe('RapidApi requests', () => {
  it('sends the key, the host and the query, and returns the parsed body', async () => {
    const { api, calls } = scripted([json({ data: { items: [] } })]);
    expect(await api.get('/v1/posts', { username_or_id_or_url: 'polres abc', pagination_token: undefined })).toEqual({
      data: { items: [] },
    });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.url.pathname).toBe('/v1/posts');
    expect(call!.url.searchParams.get('username_or_id_or_url')).toBe('polres abc');
    expect(call!.url.searchParams.has('pagination_token')).toBe(false);
    expect(call!.headers.get('x-rapidapi-key')).toBe('secret-key');
    expect(call!.headers.get('x-rapidapi-host')).toBe('social-api4.p.rapidapi.com');
  });

  it('honours Retry-After on 429, then backs off doubling on 5xx', async () => {
    const { api, calls, sleeps } = scripted([json({}, 429, { 'retry-after': '7' }), json({}, 503), json({ ok: 1 })]);
    expect(await api.get('/v1/likes')).toEqual({ ok: 1 });
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([7_000, 2_000]);
  });

  it('backs off 1 s then 2 s on a 429 without Retry-After, and names the failure after 3 tries', async () => {
    const { api, calls, sleeps } = scripted([json({}, 429), json({}, 429), json({}, 429)]);
    const error = await failure(api.get('/v1/likes'));
    expect(error.kind).toBe('rate-limited');
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([1_000, 2_000]);
  });

  it('gives up at once when asked to wait longer than a minute', async () => {
    const { api, calls } = scripted([json({}, 429, { 'retry-after': '3600' }), json({ ok: 1 })]);
    expect((await failure(api.get('/v1/likes'))).kind).toBe('rate-limited');
    expect(calls).toHaveLength(1);
  });

  it('honours Retry-After on a 503 too', async () => {
    const { api, sleeps } = scripted([json({}, 503, { 'retry-after': '4' }), json({ ok: 1 })]);
    expect(await api.get('/v1/likes')).toEqual({ ok: 1 });
    expect(sleeps).toEqual([4_000]);
  });

  it('reads a 404 of the gateway for an unknown path as a service failure, not a missing account', async () => {
    const { api } = scripted([json({ message: "Endpoint '/v1/infoo' does not exist" }, 404)]);
    expect((await failure(api.get('/v1/infoo'))).kind).toBe('upstream');
  });

  it('retries a 500 on the first try', async () => {
    const { api, calls } = scripted([json({}, 500), json({ ok: 1 })]);
    expect(await api.get('/v1/likes')).toEqual({ ok: 1 });
    expect(calls).toHaveLength(2);
  });

  it('does not retry a refused key or a missing resource', async () => {
    for (const [status, kind] of [
      [401, 'key-refused'],
      [403, 'key-refused'],
      [404, 'not-found'],
      [400, 'upstream'],
    ] as const) {
      const { api, calls, sleeps } = scripted([json({ message: 'no' }, status), json({ ok: 1 })]);
      const error = await failure(api.get('/v1/likes'));
      expect([error.kind, error.status]).toEqual([kind, status]);
      expect(calls).toHaveLength(1);
      expect(sleeps).toEqual([]);
    }
  });

  it('asks nothing without a key', async () => {
    const { api, calls } = scripted([json({ ok: 1 })], { key: undefined });
    expect(api.configured).toBe(false);
    expect((await failure(api.get('/v1/likes'))).kind).toBe('key-missing');
    expect(calls).toHaveLength(0);
  });

  it('retries malformed JSON, timeouts and network errors', async () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const { api, calls } = scripted([new Response('not json{', { status: 200 }), timeout, new TypeError('fetch failed'), json({ ok: 1 })]);
    // Three tries per request: the first request fails on its third.
    const error = await failure(api.get('/v1/likes'));
    expect(error.kind).toBe('network');
    expect(calls).toHaveLength(3);
    expect(await api.get('/v1/likes')).toEqual({ ok: 1 });

    const lone = scripted([timeout, timeout, timeout]);
    expect((await failure(lone.api.get('/v1/likes'))).kind).toBe('timeout');
    const bad = scripted([1, 2, 3].map(() => new Response('<html>', { status: 200 })));
    expect((await failure(bad.api.get('/v1/likes'))).kind).toBe('malformed');
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const held = () =>
      new Promise<Response>((resolve) => {
        inFlight++;
        most = Math.max(most, inFlight);
        releases.push(() => {
          inFlight--;
          resolve(json({ ok: 1 }));
        });
      });
    const { api } = scripted([held, held, held, held, held], { concurrency: 2 });
    const all = Promise.all([1, 2, 3, 4, 5].map(() => api.get('/v1/likes')));
    // Release whatever is waiting until all five have answered.
    let answered = 0;
    void all.then(() => (answered = 5));
    while (answered < 5) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    expect(most).toBe(2);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-02T03:00:00Z');
    expect(retryAfterMs('5', now)).toBe(5_000);
    expect(retryAfterMs('Wed, 02 Dec 2026 03:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe('paging', () => {
  const pages = (answers: Array<{ items: number[]; next: string | null } | RapidApiError>) => {
    const asked: Array<string | null> = [];
    return {
      asked,
      read: async (cursor: string | null) => {
        asked.push(cursor);
        const a = answers.shift()!;
        if (a instanceof RapidApiError) throw a;
        return a;
      },
    };
  };

  it('reads until the service has no next page', async () => {
    const p = pages([
      { items: [1, 2], next: 'a' },
      { items: [], next: 'b' },
      { items: [3], next: null },
    ]);
    const listing = await readPages(20, p.read);
    expect(listing).toMatchObject({ items: [1, 2, 3], complete: true, pages: 3, failure: null, pageLimited: false });
    expect(p.asked).toEqual([null, 'a', 'b']);
  });

  it('keeps what was read when a page fails, as partial', async () => {
    const p = pages([{ items: [1], next: 'a' }, new RapidApiError('upstream', 'HTTP 500', 500)]);
    const listing = await readPages(20, p.read);
    expect(listing.items).toEqual([1]);
    expect(listing.complete).toBe(false);
    expect(listing.failure?.kind).toBe('upstream');
  });

  it('stops at the page limit, and at a cursor seen before, as partial', async () => {
    const limited = await readPages(2, pages([{ items: [1], next: 'a' }, { items: [2], next: 'b' }, { items: [3], next: null }]).read);
    expect(limited).toMatchObject({ items: [1, 2], complete: false, pageLimited: true });
    const looping = await readPages(20, pages([{ items: [1], next: 'a' }, { items: [2], next: 'a' }]).read);
    expect(looping).toMatchObject({ items: [1, 2], complete: false, pageLimited: true });
  });
});
