/**
 * The process logger: pino, JSON by default and pretty in a terminal, always on
 * stderr because stdout belongs to the CLI's own output (the chat transcript).
 *
 * Phone numbers and LIDs are masked unless the level is debug or trace, and known
 * secret fields are redacted at every level.
 */
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** 10–20 digit runs: phone numbers (62…), LIDs, NIPs. NRPs (8 digits) stay readable. */
const PHONE_LIKE = /\b(\d{4})\d{3,13}(\d{3})\b/g;

/** `6281234567890` → `6281******890`; also inside `…@c.us` / `…@lid` ids and free text. */
export function maskPhones(text: string): string {
  return text.replace(PHONE_LIKE, (whole, head: string, tail: string) =>
    `${head}${'*'.repeat(whole.length - head.length - tail.length)}${tail}`,
  );
}

function maskValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskPhones(value);
  if (depth > 3 || value === null || typeof value !== 'object') return value;
  // Errors and dates keep their own serialisation (a date's own entries are none: it would log as {}).
  if (value instanceof Error || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(v, depth + 1)]));
}

const REDACT = [
  'password',
  'password_hash',
  'passwordHash',
  'databaseUrl',
  'DATABASE_URL',
  'connectionString',
  '*.password',
  '*.password_hash',
  '*.connectionString',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Pretty output; defaults to whether stderr is a terminal. */
  pretty?: boolean;
  /** Where JSON lines go instead of stderr (tests). */
  destination?: pino.DestinationStream;
}

export function createLogger({ level, pretty = process.stderr.isTTY === true, destination }: LoggerOptions): Logger {
  const unmasked = level === 'debug' || level === 'trace';
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    formatters: {
      level: (label) => ({ level: label }),
      ...(unmasked ? {} : { log: (obj: Record<string, unknown>) => maskValue(obj, 0) as Record<string, unknown> }),
    },
    hooks: unmasked
      ? {}
      : {
          logMethod(args, method) {
            method.apply(
              this,
              args.map((a) => (typeof a === 'string' ? maskPhones(a) : a)) as Parameters<typeof method>,
            );
          },
        },
  };
  if (destination) return pino(options, destination);
  if (pretty) return pino(options, pinoPrettyStream());
  return pino(options, pino.destination({ fd: 2, sync: true }));
}

/** pino-pretty as a synchronous stream on stderr (no worker thread to flush at exit). */
function pinoPrettyStream(): pino.DestinationStream {
  // Loaded lazily: JSON logging must not depend on it.
  const require = createRequire(import.meta.url);
  const pretty = require('pino-pretty') as (opts: Record<string, unknown>) => pino.DestinationStream;
  return pretty({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss' });
}
