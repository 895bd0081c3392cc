/**
 * A stand-in for the two RapidAPI services (Instagram social-api4, TikTok tiktok-api23)
 * on one local port, for tests and the demo: there is no internet here. Answers in the
 * services' shapes, checks the key the way RapidAPI does, serves deterministic data
 * (the demo client's own posts for its accounts), and plays faults tests queue.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Accounts } from './fake/accounts.js';
import { Faults } from './fake/faults.js';
import * as instagram from './fake/instagram.js';
import type { Reply, Route } from './fake/paging.js';
import * as tiktok from './fake/tiktok.js';
import type {
  FakeFault,
  FakeInstagramAccount,
  FakeOptions,
  FakeRequest,
  FakeTiktokAccount,
} from './fake/types.js';

export type {
  FakeFault,
  FakeInstagramAccount,
  FakeInstagramPost,
  FakeOptions,
  FakeRequest,
  FakeTiktokAccount,
  FakeTiktokVideo,
} from './fake/types.js';

export const FAKE_RAPIDAPI_KEY = 'fake-rapidapi-key';

export interface FakeRapidApi {
  /** http://<host>:<port> */
  url: string;
  /** The key it accepts. */
  key: string;
  /** Every request received, in order. */
  requests: FakeRequest[];
  /** Replace the generated data of one account (tests). */
  setInstagramAccount(username: string, account: FakeInstagramAccount | 'missing' | 'private'): void;
  setTiktokAccount(username: string, account: FakeTiktokAccount | 'missing' | 'private'): void;
  /** Queue faults: the next `times` requests whose path equals `path` (and whose query matches `query` if given) get this answer instead. */
  fault(f: FakeFault): void;
  close(): Promise<void>;
}

const ROUTES: Record<string, Route> = {
  '/v1/posts': instagram.posts,
  '/v1/likes': instagram.likes,
  '/v1/info': instagram.info,
  '/api/user/info': tiktok.userInfo,
  '/api/user/posts': tiktok.userPosts,
  '/api/post/comments': tiktok.comments,
};

/** RapidAPI's own answers, before the request reaches the service. */
const NO_KEY: Reply = { status: 401, body: { message: 'Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info.' } };
const NOT_SUBSCRIBED: Reply = { status: 403, body: { message: 'You are not subscribed to this API.' } };
const FAULT_MESSAGES: Record<number, string> = {
  429: 'You have exceeded the rate limit per second for your plan, BASIC, by the API provider',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** An answer as it goes on the wire. */
interface Raw {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const json = (reply: Reply): Raw => ({ status: reply.status, body: JSON.stringify(reply.body) });

export async function startFakeRapidApi(options: FakeOptions = {}): Promise<FakeRapidApi> {
  const key = options.key ?? FAKE_RAPIDAPI_KEY;
  const now = options.now ?? (() => new Date());
  const accounts = new Accounts(now, options.timezone ?? 'Asia/Jakarta');
  const faults = new Faults();
  const requests: FakeRequest[] = [];
  const sizes = {
    likersPerPage: options.likersPerPage ?? 50,
    commentsPerPage: options.commentsPerPage ?? 50,
    postsPerPage: options.postsPerPage ?? 12,
    // Instagram's default page is 12; TikTok's pages are `count` (at most 35) unless a test asks for smaller.
    videosPerPage: options.postsPerPage ?? 35,
  };

  /** What to send back; null for a hanging fault (close() ends the connection). */
  const answer = (req: IncomingMessage): Raw | null => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const query = Object.fromEntries(url.searchParams);
    const given = header(req, 'x-rapidapi-key');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, headers: { key: given, host: header(req, 'x-rapidapi-host') }, at: now() });

    if (given === undefined || given === '') return json(NO_KEY);
    if (given !== key) return json(NOT_SUBSCRIBED);

    const fault = faults.take(url.pathname, query);
    if (fault?.hang) return null;
    if (fault?.body !== undefined) return { status: fault.status ?? 200, body: fault.body };
    if (fault?.status !== undefined) {
      const message = FAULT_MESSAGES[fault.status] ?? `Fault ${fault.status}`;
      return { ...json({ status: fault.status, body: { message } }), headers: fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter } };
    }

    const route = ROUTES[url.pathname];
    if (!route) return json({ status: 404, body: { message: `Endpoint '${url.pathname}' does not exist` } });
    if (req.method !== 'GET') return json({ status: 405, body: { message: 'Method not allowed' } });
    return json(route({ accounts, query, emptyPage: fault?.emptyPage === true, ...sizes }));
  };

  const server = createServer((req, res) => {
    let raw: Raw | null;
    try {
      raw = answer(req);
    } catch (error) {
      // A bug in the fake must show in the test, not hang it.
      raw = json({ status: 500, body: { message: `fake RapidAPI failed: ${(error as Error).message}` } });
    }
    if (!raw) return;
    res.writeHead(raw.status, { 'content-type': 'application/json', ...raw.headers });
    res.end(raw.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    key,
    requests,
    setInstagramAccount: (username, account) => accounts.setInstagram(username, account),
    setTiktokAccount: (username, account) => accounts.setTiktok(username, account),
    fault: (f) => faults.add(f),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive connections and hanging requests would hold close() open.
        server.closeAllConnections();
      }),
  };
}
