/** The two RapidAPI services as configured, shared by the bot, the CLI and the scheduler. */
import { type Config, loadConfig } from '../config.js';
import { RapidApi, type RapidApiOptions } from './http.js';

export interface RapidApis {
  instagram: RapidApi;
  tiktok: RapidApi;
  /**
   * For look-ups a member waits for in chat (the profile check): one try, at most
   * {@link CHECK_TIMEOUT_MS}, and requests of their own, so a running fetch never makes
   * someone wait for a reply.
   */
  check: { instagram: RapidApi; tiktok: RapidApi };
  /** Pages read per listing (posts of an account, likers or commenters of a post). */
  pageLimit: number;
  /** A key is set: fetches and profile checks can run. */
  configured: boolean;
}

export const RAPIDAPI_VARIABLES = [
  'RAPIDAPI_KEY',
  'RAPIDAPI_INSTAGRAM_URL',
  'RAPIDAPI_TIKTOK_URL',
  'RAPIDAPI_TIMEOUT_S',
  'RAPIDAPI_PAGE_LIMIT',
  'RAPIDAPI_CONCURRENCY',
] as const;

export type RapidApiConfig = Config<(typeof RAPIDAPI_VARIABLES)[number]>;

/** The longest a chat reply waits for a profile look-up. */
export const CHECK_TIMEOUT_MS = 8_000;

export type RapidApiOverrides = Partial<Pick<RapidApiOptions, 'sleep' | 'fetch' | 'backoffMs' | 'tries'>>;

/** `overrides` lets tests shorten the waits (sleep) without touching the configuration. */
export function createRapidApis(
  config: RapidApiConfig = loadConfig(RAPIDAPI_VARIABLES),
  overrides: RapidApiOverrides = {},
): RapidApis {
  const common = {
    key: config.RAPIDAPI_KEY,
    timeoutMs: config.RAPIDAPI_TIMEOUT_S * 1000,
    concurrency: config.RAPIDAPI_CONCURRENCY,
    ...overrides,
  };
  const quick = { ...common, tries: 1, timeoutMs: Math.min(common.timeoutMs, CHECK_TIMEOUT_MS) };
  return {
    instagram: new RapidApi({ baseUrl: config.RAPIDAPI_INSTAGRAM_URL, ...common }),
    tiktok: new RapidApi({ baseUrl: config.RAPIDAPI_TIKTOK_URL, ...common }),
    check: {
      instagram: new RapidApi({ baseUrl: config.RAPIDAPI_INSTAGRAM_URL, ...quick }),
      tiktok: new RapidApi({ baseUrl: config.RAPIDAPI_TIKTOK_URL, ...quick }),
    },
    pageLimit: config.RAPIDAPI_PAGE_LIMIT,
    configured: config.RAPIDAPI_KEY !== undefined,
  };
}
