/**
 * One RapidAPI service (Instagram or TikTok): GET a path, get parsed JSON back.
 *
 * Each request has a timeout and up to three tries; 429, 5xx, timeouts, network
 * errors and unreadable bodies are retried with backoff, honouring `Retry-After`.
 * A refused key (401/403) and a missing resource (404) are not retried: no later try
 * would answer differently. A limit on requests in flight keeps one fetch run from
 * spending a burst of the subscription's quota at once.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import pRetry, { AbortError } from 'p-retry';
import { RapidApiError } from './errors.js';

export interface RapidApiOptions {
  baseUrl: string;
  /** undefined: every request fails with `key-missing`. */
  key: string | undefined;
  timeoutMs: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Tries per request; default 3. */
  tries?: number;
  /** First backoff; it doubles per try. Default 1 s. */
  backoffMs?: number;
  /** A `Retry-After` longer than this is not waited for: the request fails as rate limited. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Waits between tries (tests pass one that records the delay and returns at once). */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export type Query = Record<string, string | number | undefined>;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Seconds or an HTTP date, as the header allows; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** A retryable failure, carrying how long the service asked us to wait. */
class Retryable extends RapidApiError {
  constructor(
    kind: RapidApiError['kind'],
    message: string,
    status?: number,
    readonly waitMs: number | null = null,
  ) {
    super(kind, message, status);
  }
}

export class RapidApi {
  readonly host: string;
  private readonly limit: LimitFunction;
  private readonly tries: number;
  private readonly backoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: RapidApiOptions) {
    this.host = new URL(options.baseUrl).host;
    this.limit = pLimit(options.concurrency);
    this.tries = options.tries ?? 3;
    this.backoffMs = options.backoffMs ?? 1000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.sleep = options.sleep ?? realSleep;
    this.fetch = options.fetch ?? fetch;
  }

  /** Requests in flight at once. */
  get concurrency(): number {
    return this.options.concurrency;
  }

  get configured(): boolean {
    return this.options.key !== undefined;
  }

  /** The parsed JSON body of a 2xx answer; throws a {@link RapidApiError} otherwise. */
  async get(path: string, query: Query = {}): Promise<unknown> {
    const key = this.options.key;
    if (key === undefined) throw new RapidApiError('key-missing', 'RAPIDAPI_KEY is not set');
    const url = new URL(this.options.baseUrl + path);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
    try {
      return await pRetry(() => this.limit(() => this.attempt(url, key)), {
        retries: this.tries - 1,
        // The waits happen in onFailedAttempt, where Retry-After is known.
        minTimeout: 0,
        maxTimeout: 0,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft === 0) return;
          const asked = error instanceof Retryable ? error.waitMs : null;
          if (asked !== null && asked > this.maxRetryAfterMs) {
            throw new RapidApiError('rate-limited', `asked to wait ${Math.round(asked / 1000)} s`, 429);
          }
          await this.sleep(asked ?? this.backoffMs * 2 ** (attemptNumber - 1));
        },
      });
    } catch (error) {
      if (error instanceof AbortError) throw error.originalError;
      throw error;
    }
  }

  private async attempt(url: URL, key: string): Promise<unknown> {
    let response: Response;
    let body: string;
    try {
      response = await this.fetch(url, {
        headers: { 'X-RapidAPI-Key': key, 'X-RapidAPI-Host': this.host, 'x-cache-control': 'no-cache' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new Retryable('timeout', `no answer within ${Math.round(this.options.timeoutMs / 1000)} s`);
      }
      throw new Retryable('network', `network error: ${(error as Error).message}`);
    }
    const status = response.status;
    if (status === 401 || status === 403) throw new AbortError(new RapidApiError('key-refused', `key refused (HTTP ${status})`, status));
    if (status === 404) {
      // RapidAPI's gateway answers a path it does not know with 404 too: a wrong URL or a
      // changed API, not a missing account, and must never be read as one.
      if (/Endpoint .* does not exist/i.test(body)) throw new AbortError(new RapidApiError('upstream', 'unknown endpoint (HTTP 404): check the RAPIDAPI_*_URL', status));
      throw new AbortError(new RapidApiError('not-found', 'not found (HTTP 404)', status));
    }
    const asked = retryAfterMs(response.headers.get('retry-after'));
    if (status === 429) throw new Retryable('rate-limited', 'rate limited (HTTP 429)', status, asked);
    if (status >= 500) throw new Retryable('upstream', `service error (HTTP ${status})`, status, asked);
    if (status < 200 || status >= 300) throw new AbortError(new RapidApiError('upstream', `unexpected HTTP ${status}`, status));
    try {
      return JSON.parse(body);
    } catch {
      throw new Retryable('malformed', 'the answer was not valid JSON', status);
    }
  }
}
