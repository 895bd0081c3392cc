/** Why a RapidAPI request or listing failed; the fetch summary names it in words. */
export type RapidApiFailure =
  /** RAPIDAPI_KEY is not set. */
  | 'key-missing'
  /** The service answered 401/403: the key is wrong or not subscribed. Stops the whole run. */
  | 'key-refused'
  /** 429 on every try. */
  | 'rate-limited'
  /** 5xx on every try, or another unexpected status. */
  | 'upstream'
  | 'timeout'
  | 'network'
  /** The body was not the JSON we expect. */
  | 'malformed'
  /** The account, post or video does not exist (any more). */
  | 'not-found'
  /** The account is private: its posts cannot be listed. */
  | 'private'
  /** The service listed no post at all where posts are stored: not believed, nothing is marked removed. */
  | 'empty';

export class RapidApiError extends Error {
  override name = 'RapidApiError';
  constructor(
    readonly kind: RapidApiFailure,
    message: string,
    /** The last HTTP status, when there was one. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export function isRapidApiError(error: unknown): error is RapidApiError {
  return error instanceof RapidApiError;
}

/** Failures after which no further request of the run can succeed. */
export function stopsTheRun(error: unknown): boolean {
  return isRapidApiError(error) && (error.kind === 'key-refused' || error.kind === 'key-missing');
}
