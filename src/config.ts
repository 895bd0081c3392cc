/**
 * Configuration from the environment (and an optional `.env`), validated when a
 * subcommand asks for the variables it needs: a bad `ADMIN_WHATSAPP` must not stop
 * `cicero migrate`, but it must stop `cicero start` with a line naming it.
 *
 * Every variable is declared once in {@link variables}; `.env.example` and the
 * README table are checked against this list by the tests.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { canonicalPhone, parseWaIdentity, type WaIdentity } from './identity/wa-id.js';

/** A configuration problem the user must fix; the CLI prints it as one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v));

const postgresUrl = optionalText.refine(
  (v) => v === undefined || /^postgres(ql)?:\/\/[^\s]+$/.test(v),
  'expected a PostgreSQL URL such as postgres://user:password@host:5432/dbname',
);

const adminList = z
  .string()
  .trim()
  .transform((value, ctx): WaIdentity[] => {
    const entries = value === '' ? [] : value.split(',').map((e) => e.trim()).filter(Boolean);
    const ids: WaIdentity[] = [];
    for (const entry of entries) {
      const id = parseWaIdentity(entry);
      if (id) ids.push(id);
      else ctx.addIssue({ code: 'custom', message: `expected phone numbers or LIDs (…@lid), but "${entry}" is neither` });
    }
    return ids;
  });

const timezone = z
  .string()
  .trim()
  .refine((v) => IANAZone.isValidZone(v), 'expected an IANA time zone such as Asia/Jakarta');

const intBetween = (min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).catch(Number.NaN).refine(
    (n) => Number.isInteger(n),
    `expected a whole number from ${min} to ${max}`,
  );
const positiveInt = (max: number) => intBetween(1, max);
const nonNegativeInt = (max: number) => intBetween(0, max);

const optionalPort = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === '') return undefined;
    const port = Number(v);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      ctx.addIssue({ code: 'custom', message: 'expected a TCP port from 1 to 65535' });
    }
    return port;
  });

const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s/]+(\/\S*)?$/.test(v), 'expected an http(s) URL such as https://social-api4.p.rapidapi.com')
  .transform((v) => v.replace(/\/+$/, ''));

/** `HH:MM` (24-hour clock); empty means none. */
const clockTime = z
  .string()
  .trim()
  .transform((v, ctx): { hour: number; minute: number } | undefined => {
    if (v === '') return undefined;
    const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(v);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'expected a time of day as HH:MM, such as 16:10, or nothing' });
      return undefined;
    }
    return { hour: Number(match[1]), minute: Number(match[2]) };
  });

interface Variable<T> {
  schema: z.ZodType<T>;
  /** Default as written in `.env.example`; `''` means unset. */
  fallback: string;
  doc: string;
  /** Never echo the value (it may hold a password). */
  secret?: boolean;
}

function variable<T>(schema: z.ZodType<T>, fallback: string, doc: string, secret = false): Variable<T> {
  return { schema, fallback, doc, secret };
}

/** Every variable Cicero reads, with its default and a one-line explanation. */
export const variables = {
  DATABASE_URL: variable(
    postgresUrl,
    '',
    'PostgreSQL connection URL; empty uses the embedded database in CICERO_DATA_DIR',
    true,
  ),
  CICERO_DATA_DIR: variable(
    z.string().trim().min(1, 'expected a directory path'),
    './data',
    'Directory for the embedded database and the WhatsApp session (created if missing)',
  ),
  PG_POOL_MAX: variable(positiveInt(200), '10', 'Largest number of PostgreSQL connections the process pools (each running fetch opens one more for its lock, at most 3)'),
  ADMIN_WHATSAPP: variable(
    adminList,
    '',
    'Admin WhatsApp numbers in any common form (`0812-…`, `+62 812 …`, `62812…@c.us`) or LIDs (`…@lid`), comma-separated; empty means no admin, and `start` warns',
  ),
  CICERO_TIMEZONE: variable(timezone, 'Asia/Jakarta', 'Time zone that defines "today" and every time the bot prints'),
  CICERO_CONVERSATION_TIMEOUT_S: variable(
    positiveInt(86_400),
    '300',
    'Seconds of silence after which a menu conversation ends (every message restarts the clock)',
  ),
  CICERO_FLOOD_MAX: variable(positiveInt(10_000), '20', 'Messages a sender may send per flood window before being ignored (admins exempt)'),
  CICERO_FLOOD_WINDOW_S: variable(positiveInt(86_400), '60', 'Length of the flood window in seconds'),
  CICERO_NRP_LOOKUPS_PER_HOUR: variable(
    positiveInt(1_000),
    '5',
    'NRP look-ups (`daftar#<NRP>`, `userrequest`) a number not bound to a member may make within an hour; then refused until the hour has passed',
  ),
  CICERO_AUDIT_RETENTION_DAYS: variable(positiveInt(36_500), '90', 'Days the command audit trail is kept'),
  CICERO_SESSION_HOURS: variable(
    positiveInt(720),
    '12',
    'Hours an operator or admin stays signed in after `login#<username>#<password>` in a chat (until `logout`)',
  ),
  CICERO_LOGIN_MAX_FAILURES: variable(
    positiveInt(1_000),
    '5',
    'Failed chat sign-ins within the login window, for one number or one username, after which sign-ins are refused for the window',
  ),
  CICERO_LOGIN_WINDOW_MIN: variable(positiveInt(1_440), '15', 'Minutes of the login window: failures counted, and the length of a lockout'),
  CICERO_BCRYPT_COST: variable(
    intBetween(10, 20),
    '12',
    'bcrypt cost of the password hashes `cicero dashboard-user` stores (each step doubles the time of a hash and a sign-in)',
  ),
  CHROME_PATH: variable(optionalText, '', 'Chromium/Chrome executable for WhatsApp; empty searches PATH and puppeteer\'s cache'),
  CICERO_WA_INIT_TIMEOUT_S: variable(
    positiveInt(3_600),
    '60',
    'Seconds each WhatsApp connection attempt may take to show a QR or pairing code or restore the session; the first start then gives up, later attempts retry with backoff',
  ),
  CICERO_WA_READY_TIMEOUT_S: variable(
    positiveInt(3_600),
    '120',
    'Seconds between "authenticated" and "ready" after which the WhatsApp client is restarted (with backoff; admins are alerted after 3 failed attempts in a row)',
  ),
  CICERO_WA_ACK_WAIT_S: variable(
    positiveInt(30),
    '10',
    'Seconds a WhatsApp send waits for the server to take or refuse the message (a refusal is error 463); unconfirmed after that counts as sent (at most 30, well inside the outbox\'s 60 s send limit)',
  ),
  CICERO_CHROMIUM_ARGS: variable(
    z.string().trim().transform((v) => (v === '' ? [] : v.split(/\s+/))),
    '',
    'Extra Chromium flags for WhatsApp, separated by spaces (e.g. --proxy-server=http://proxy:3128)',
  ),
  CICERO_WA_WEB_VERSION: variable(
    optionalText.refine((v) => v === undefined || /^2\.\d+\.\d+$/.test(v), 'expected a WhatsApp Web version such as 2.3000.1017054665'),
    '',
    'Pin this WhatsApp Web version (fetched from CICERO_WA_WEB_VERSION_URL); empty runs the version WhatsApp serves',
  ),
  CICERO_WA_WEB_VERSION_URL: variable(
    z.string().trim().refine((v) => /^https?:\/\/\S+\{version\}\S*$/.test(v), 'expected an http(s) URL containing {version}'),
    'https://raw.githubusercontent.com/wppconnect-team/wa-version/main/html/{version}.html',
    'Where a pinned WhatsApp Web version\'s page is fetched from; {version} is replaced',
  ),
  CICERO_WA_PAIRING_PHONE: variable(
    z.string().trim().transform((v, ctx) => {
      if (v === '') return undefined;
      const phone = canonicalPhone(v);
      if (!phone) ctx.addIssue({ code: 'custom', message: 'expected the bot\'s phone number, e.g. 6281234567890' });
      return phone ?? undefined;
    }),
    '',
    'Link by a pairing code for this phone number instead of a QR code; empty shows a QR code',
  ),
  CICERO_TRANSPORT: variable(
    z.enum(['whatsapp', 'console'], { error: 'expected whatsapp or console' }),
    'whatsapp',
    '`cicero start` talks on WhatsApp, or on the console (stdin/stdout) for demos and checks',
  ),
  CICERO_HTTP_PORT: variable(optionalPort, '', 'Port for /healthz and the pairing-QR page; empty serves no HTTP'),
  CICERO_HTTP_HOST: variable(z.string().trim().min(1, 'expected a host address'), '127.0.0.1', 'Address the HTTP server listens on (0.0.0.0 for all)'),
  CICERO_MESSAGE_MAX_CHARS: variable(
    positiveInt(65_000),
    '4000',
    'Longer texts are split into several messages of at most this many characters, at paragraph or line ends (reports at division boundaries), never inside an emoji',
  ),
  CICERO_REPORT_MAX_LINES: variable(
    positiveInt(1_000_000),
    '400',
    'A compliance report listing more members than this is sent as a summary per division, with the full lists in Excel',
  ),
  CICERO_PACE_GLOBAL_MS: variable(nonNegativeInt(600_000), '1000', 'Least milliseconds between any two WhatsApp sends'),
  CICERO_PACE_CHAT_MS: variable(nonNegativeInt(600_000), '3000', 'Least milliseconds between two WhatsApp sends to the same chat'),
  CICERO_PACE_JITTER_MS: variable(nonNegativeInt(600_000), '2000', 'Random extra wait (up to this) before a WhatsApp send'),
  CICERO_PACE_BROADCAST_MS: variable(
    nonNegativeInt(3_600_000),
    '30000',
    'Least milliseconds between two different broadcast messages (recaps, reminders); the further parts of a long one follow without it',
  ),
  CICERO_SEND_BUDGET_PER_HOUR: variable(
    nonNegativeInt(100_000),
    '60',
    'Messages per clock hour the bot may start itself (broadcasts); replies do not count',
  ),
  CICERO_REMINDER_TIME: variable(
    clockTime,
    '16:10',
    'Time (HH:MM in CICERO_TIMEZONE) of the daily reminder to members who opted in (`notifwa#on`) listing the day\'s posts they have not liked or commented on; empty sends no reminders',
  ),
  CICERO_REMINDER_MAX_PER_DAY: variable(
    nonNegativeInt(100_000),
    '40',
    'Member reminders sent per day at most (members reminded least recently first); they are broadcasts and count against CICERO_SEND_BUDGET_PER_HOUR',
  ),
  CICERO_RECAP_SEND_COMPLETE: variable(
    z.enum(['true', 'false'], { error: 'expected true or false' }).transform((v) => v === 'true'),
    'false',
    'When nobody is missing, scheduled group recaps send one short "semua sudah melaksanakan" line (true) or nothing (false); operators always get the full recap',
  ),
  CICERO_RECAP_CHART: variable(
    z.enum(['true', 'false'], { error: 'expected true or false' }).transform((v) => v === 'true'),
    'true',
    'Scheduled likes/comments recaps to unit groups come with a chart picture per division (sudah/kurang/belum, worst first)',
  ),
  CICERO_SCHEDULE_GRACE_MIN: variable(
    nonNegativeInt(1_440),
    '60',
    'Minutes after its time a scheduled job (or the member reminders) missed while no bot ran still runs at start; later it is skipped and logged',
  ),
  CICERO_SEND_MAX_ATTEMPTS: variable(positiveInt(100), '5', 'Tries before a failing message becomes a dead letter'),
  CICERO_SEND_RETRY_BASE_MS: variable(positiveInt(3_600_000), '2000', 'First retry delay; it doubles per try, up to 5 minutes'),
  CICERO_OUTBOX_CLAIM_TIMEOUT_S: variable(
    positiveInt(86_400),
    '120',
    'A message claimed this long ago by a process that stopped is released to another',
  ),
  CICERO_CATCHUP_WINDOW_S: variable(
    positiveInt(7 * 86_400),
    '1800',
    'Messages that reach the bot later than this after being sent get a short "I was offline" note instead of an answer',
  ),
  CICERO_DB_WAIT_NOTICE_S: variable(
    positiveInt(3_600),
    '20',
    'While the database is away, a sender waiting this long is told their message will be handled',
  ),
  CICERO_SHUTDOWN_TIMEOUT_S: variable(positiveInt(600), '20', 'On SIGTERM (or the end of console input), the longest the bot takes to finish the messages in hand, send what it can, and exit'),
  CICERO_OUTBOX_RETENTION_DAYS: variable(positiveInt(36_500), '7', 'Days sent messages stay in the outbox'),
  CICERO_DEAD_LETTER_RETENTION_DAYS: variable(positiveInt(36_500), '30', 'Days dead letters stay in the outbox'),
  CICERO_DEDUP_RETENTION_HOURS: variable(positiveInt(87_600), '48', 'Hours inbound message ids are remembered to drop duplicates'),
  CICERO_EXPIRED_CONVERSATION_RETENTION_HOURS: variable(
    positiveInt(87_600),
    '24',
    'Hours an expired conversation that could not be announced is kept before it is dropped',
  ),
  RAPIDAPI_KEY: variable(
    optionalText,
    '',
    'RapidAPI key for the Instagram and TikTok services (sent as X-RapidAPI-Key); empty: nothing is fetched and handles are accepted unchecked',
    true,
  ),
  RAPIDAPI_INSTAGRAM_URL: variable(
    httpUrl,
    'https://social-api4.p.rapidapi.com',
    'Base URL of the Instagram service (posts, likers, profiles); point it at `cicero fake-rapidapi` for tests and demos',
  ),
  RAPIDAPI_TIKTOK_URL: variable(
    httpUrl,
    'https://tiktok-api23.p.rapidapi.com',
    'Base URL of the TikTok service (account, videos, commenters)',
  ),
  RAPIDAPI_TIMEOUT_S: variable(positiveInt(600), '20', 'Seconds one RapidAPI request may take before it is retried (3 tries in all)'),
  RAPIDAPI_PAGE_LIMIT: variable(
    intBetween(20, 10_000),
    '50',
    'Pages of likers or commenters read per post (and of posts per account) in one fetch; a post with more is stored as partial',
  ),
  RAPIDAPI_CONCURRENCY: variable(positiveInt(50), '3', 'RapidAPI requests in flight at once, per service'),
  LOG_LEVEL: variable(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }), 'info', 'Log level: fatal, error, warn, info, debug, trace or silent'),
} as const;

export type VariableName = keyof typeof variables;
type Parsed<K extends VariableName> = (typeof variables)[K] extends Variable<infer T> ? T : never;
export type Config<K extends VariableName> = { [P in K]: Parsed<P> };

/**
 * Loads `.env` from the working directory into `process.env` once; variables already
 * set in the environment win over the file.
 */
let dotenvLoaded = false;
export function loadDotenv(file = path.resolve('.env')): void {
  if (dotenvLoaded) return;
  dotenvLoaded = true;
  if (existsSync(file)) process.loadEnvFile(file);
}

/**
 * Validates and returns the named variables. Throws a {@link ConfigError} naming the
 * first invalid variable and what it expects.
 */
export function loadConfig<K extends VariableName>(
  names: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Config<K> {
  const config = {} as Record<string, unknown>;
  for (const name of names) {
    const spec = variables[name] as Variable<unknown>;
    const raw = env[name] ?? spec.fallback;
    const result = spec.schema.safeParse(raw);
    if (!result.success) {
      const why = result.error.issues.map((i) => i.message).join('; ');
      const got = spec.secret ? '' : ` (got "${raw}")`;
      throw new ConfigError(`${name} is invalid: ${why}${got}`);
    }
    config[name] = result.data;
  }
  return config as Config<K>;
}
