import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, variables, type VariableName } from '../src/config.js';
import { envExample, markdownTable } from '../src/cli/config.js';
import { packageRoot } from '../src/paths.js';

const ALL = Object.keys(variables) as VariableName[];

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(ALL, {});
    expect(Object.keys(config)).toEqual(ALL);
    expect(config).toMatchObject({
      DATABASE_URL: undefined,
      CICERO_DATA_DIR: './data',
      PG_POOL_MAX: 10,
      ADMIN_WHATSAPP: [],
      CICERO_TIMEZONE: 'Asia/Jakarta',
      CICERO_CONVERSATION_TIMEOUT_S: 300,
      CICERO_FLOOD_MAX: 20,
      CICERO_FLOOD_WINDOW_S: 60,
      CICERO_AUDIT_RETENTION_DAYS: 90,
      CHROME_PATH: undefined,
      CICERO_WA_INIT_TIMEOUT_S: 60,
      CICERO_WA_READY_TIMEOUT_S: 120,
      CICERO_WA_PAIRING_PHONE: undefined,
      CICERO_TRANSPORT: 'whatsapp',
      CICERO_HTTP_PORT: undefined,
      CICERO_HTTP_HOST: '127.0.0.1',
      CICERO_MESSAGE_MAX_CHARS: 4000,
      CICERO_PACE_GLOBAL_MS: 1000,
      CICERO_SEND_BUDGET_PER_HOUR: 60,
      CICERO_CATCHUP_WINDOW_S: 1800,
      LOG_LEVEL: 'info',
    });
  });

  it('parses admin numbers in any common form and LIDs', () => {
    const { ADMIN_WHATSAPP } = loadConfig(['ADMIN_WHATSAPP'], {
      ADMIN_WHATSAPP: '0812-3456-7890, +62 811 111 222, 6285600001111@c.us,123456789012345@lid,',
    });
    expect(ADMIN_WHATSAPP).toEqual([
      { kind: 'phone', phone: '6281234567890' },
      { kind: 'phone', phone: '62811111222' },
      { kind: 'phone', phone: '6285600001111' },
      { kind: 'lid', lid: '123456789012345@lid' },
    ]);
  });

  it.each([
    ['ADMIN_WHATSAPP', '0812345678901, budi', /ADMIN_WHATSAPP is invalid: expected phone numbers or LIDs \(…@lid\), but "budi" is neither/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL is invalid: expected one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/],
    ['CICERO_TIMEZONE', 'Asia/Atlantis', /CICERO_TIMEZONE is invalid: expected an IANA time zone/],
    ['PG_POOL_MAX', 'many', /PG_POOL_MAX is invalid: expected a whole number from 1 to 200/],
    ['CICERO_DATA_DIR', '  ', /CICERO_DATA_DIR is invalid: expected a directory path/],
    ['CICERO_HTTP_PORT', '80000', /CICERO_HTTP_PORT is invalid: expected a TCP port from 1 to 65535/],
    ['CICERO_TRANSPORT', 'telegram', /CICERO_TRANSPORT is invalid: expected whatsapp or console/],
    ['CICERO_PACE_CHAT_MS', '-1', /CICERO_PACE_CHAT_MS is invalid: expected a whole number from 0 to/],
  ] as const)('names an invalid %s and what it expects', (name, value, message) => {
    const attempt = (): unknown => loadConfig([name], { [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('takes the pairing phone in any common form', () => {
    expect(loadConfig(['CICERO_WA_PAIRING_PHONE'], { CICERO_WA_PAIRING_PHONE: '0812-3456-7890' })).toEqual({
      CICERO_WA_PAIRING_PHONE: '6281234567890',
    });
    expect(() => loadConfig(['CICERO_WA_PAIRING_PHONE'], { CICERO_WA_PAIRING_PHONE: 'bot' })).toThrow(
      /CICERO_WA_PAIRING_PHONE is invalid: expected the bot's phone number/,
    );
  });

  it('never echoes DATABASE_URL, which may hold a password', () => {
    const attempt = (): unknown => loadConfig(['DATABASE_URL'], { DATABASE_URL: 'mysql://root:hunter2@db/x' });
    expect(attempt).toThrow(/DATABASE_URL is invalid: expected a PostgreSQL URL/);
    expect(attempt).not.toThrow(/hunter2/);
  });

  it('validates only the variables a subcommand asks for', () => {
    const env = { ADMIN_WHATSAPP: 'not-a-number', LOG_LEVEL: 'debug' };
    expect(loadConfig(['LOG_LEVEL'], env)).toEqual({ LOG_LEVEL: 'debug' });
    expect(() => loadConfig(['LOG_LEVEL', 'ADMIN_WHATSAPP'], env)).toThrow(/ADMIN_WHATSAPP/);
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(loadConfig(['DATABASE_URL'], { DATABASE_URL: '  ' }).DATABASE_URL).toBeUndefined();
  });
});

describe('documentation of the variables', () => {
  const example = readFileSync(path.join(packageRoot, '.env.example'), 'utf8');
  const readme = readFileSync(path.join(packageRoot, 'README.md'), 'utf8');

  it('.env.example is exactly what `cicero config` prints', () => {
    expect(example).toBe(envExample());
  });

  it.each(ALL)('.env.example has %s with its default and an explanation', (name) => {
    const lines = example.split('\n');
    const index = lines.findIndex((l) => l.startsWith(`${name}=`));
    expect(index, `${name} missing from .env.example`).toBeGreaterThan(0);
    expect(lines[index]).toBe(`${name}=${variables[name].fallback}`);
    expect(lines[index - 1]).toMatch(/^# \S/);
  });

  it('the README configuration table is the generated one', () => {
    expect(readme).toContain(markdownTable());
  });
});
