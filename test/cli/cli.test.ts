import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { acquireDataDirLock, LOCK_FILE } from '../../src/db/data-dir-lock.js';
import { migrationsDir, packageRoot } from '../../src/paths.js';
import { formatStamp } from '../../src/time/format.js';
import { runCli, startChat } from '../helpers/cli.js';
import { backend, createTestDatabase } from '../helpers/db.js';

const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'cicero-cli-'));

/** When the lock in `dir` was taken, as the refusal shows it in `zone`. */
const lockedSince = (dir: string, zone: string): string =>
  formatStamp(new Date(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).startedAt), zone);

const ADMIN = '0811-0000-0001';

describe('cicero CLI', () => {
  it.each([[[]], [['start']], [['migrate']], [['seed']], [['seed', 'demo']], [['chat']], [['send']]])('answers --help for %j', (args) => {
    const result = runCli([...args, '--help'], {});
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: cicero/);
  });

  it('lists the subcommands in the top-level help', () => {
    const { stdout } = runCli(['--help'], {});
    for (const name of ['start', 'migrate', 'seed', 'chat', 'send']) expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('prints the version of package.json for --version and -V', () => {
    const { version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      expect(runCli([flag], {})).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  // Each: arguments, the error line, the usage line of the help printed after it.
  const usageErrors: Array<[string, string[], RegExp, string]> = [
    ['send without --from', ['send', 'hi'], /^cicero: error: required option '--from <number>' not specified\n/, 'cicero send'],
    ['chat without --from', ['chat'], /^cicero: error: required option '--from <number>' not specified\n/, 'cicero chat'],
    ['send without a text', ['send', '--from', ADMIN], /^cicero: error: missing required argument 'text'\n/, 'cicero send'],
    ['send with an empty text', ['send', '--from', ADMIN, ''], /^cicero: error: .*argument 'text'\. The message is empty\.\n/, 'cicero send'],
    ['send with a blank text', ['send', '--from', ADMIN, ' \t '], /^cicero: error: .*argument 'text'\. The message is empty\.\n/, 'cicero send'],
    ['send with two texts', ['send', '--from', ADMIN, 'help', 'whoami'], /^cicero: error: too many arguments for 'send'\. Expected 1 argument but got 2\.\n/, 'cicero send'],
    ['chat with an argument', ['chat', '--from', ADMIN, 'help'], /^cicero: error: too many arguments for 'chat'\. Expected 0 arguments but got 1\.\n/, 'cicero chat'],
    ['an unknown subcommand', ['migrat'], /^cicero: error: unknown command 'migrat'\n\(Did you mean migrate\?\)\n/, 'cicero [options] [command]'],
    ['an unknown seed', ['seed', 'dmo'], /^cicero: error: unknown command 'dmo'\n\(Did you mean demo\?\)\n/, 'cicero seed'],
    ['an unknown flag', ['send', '--from', ADMIN, '--frm', 'x', 'hi'], /^cicero: error: unknown option '--frm'\n\(Did you mean --from\?\)\n/, 'cicero send'],
    ['send --from notanumber', ['send', '--from', 'notanumber', 'hi'], /^cicero: error: option '--from <number>' argument 'notanumber' is invalid\. Not a phone number or a LID \(…@lid\)\.\n/, 'cicero send'],
    ['chat --from notanumber', ['chat', '--from', 'notanumber'], /^cicero: error: option '--from <number>' argument 'notanumber' is invalid\./, 'cicero chat'],
    ['send --group bad', ['send', '--from', ADMIN, '--group', 'not a group', 'hi'], /^cicero: error: option '--group <groupId>' argument 'not a group' is invalid\. Not a WhatsApp group id \(…@g\.us\)\.\n/, 'cicero send'],
    ['chat --group bad', ['chat', '--from', ADMIN, '--group', 'x@c.us'], /^cicero: error: option '--group <groupId>' argument 'x@c\.us' is invalid\./, 'cicero chat'],
    ['no subcommand', [], /^Usage: cicero /, 'cicero [options] [command]'],
  ];

  it.each(usageErrors)('exits 2 with the error and the help, before any database work, for %s', (_, args, error, usage) => {
    const dir = path.join(tempDir(), 'data');
    // An unreachable server: reaching the database would fail with exit 1 instead.
    const result = runCli(args, { CICERO_DATA_DIR: dir, DATABASE_URL: 'postgres://cicero@127.0.0.1:1/cicero' });
    expect(result.stderr).toMatch(error);
    expect(result.stderr).toContain(`Usage: ${usage}`);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });

  it('reports a usage error even when the data directory is in use, and the lock only without one', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir, { command: 'cicero start' });
    try {
      const bad = runCli(['send', '--from', 'notanumber', 'hi'], { CICERO_DATA_DIR: dir });
      expect(bad.stderr).toMatch(/^cicero: error: option '--from <number>' argument 'notanumber' is invalid\./);
      expect(bad.status).toBe(2);
      const good = runCli(['send', '--from', ADMIN, 'hi'], { CICERO_DATA_DIR: dir });
      expect(good.stderr).toBe(
        `cicero: data directory ${dir} is in use by process ${process.pid} (cicero start) on host ${os.hostname()}, since ${lockedSince(dir, 'Asia/Jakarta')}\n`,
      );
      expect(good.status).toBe(1);
    } finally {
      lock.release();
    }
  });

  it('shows when the data directory was locked in CICERO_TIMEZONE, or in Jakarta time when that is invalid', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir, { command: 'cicero start' });
    try {
      const holder = `process ${process.pid} (cicero start) on host ${os.hostname()}`;
      const papua = runCli(['migrate'], { CICERO_DATA_DIR: dir, CICERO_TIMEZONE: 'Asia/Jayapura' });
      expect(papua.stderr).toBe(`cicero: data directory ${dir} is in use by ${holder}, since ${lockedSince(dir, 'Asia/Jayapura')}\n`);
      expect(papua.stderr).toMatch(/, since \S+, \d{1,2}\/\d{1,2}\/\d{4} \d\d\.\d\d\.\d\d WIT\n$/);
      expect(papua.status).toBe(1);
      // migrate does not need the zone, so an invalid one does not stop it: the time is in WIB.
      const mars = runCli(['migrate'], { CICERO_DATA_DIR: dir, CICERO_TIMEZONE: 'Mars/Olympus' });
      expect(mars.stderr).toMatch(/, since \S+, \d{1,2}\/\d{1,2}\/\d{4} \d\d\.\d\d\.\d\d WIB\n$/);
      expect(mars.status).toBe(1);
    } finally {
      lock.release();
    }
  });

  it('names an invalid variable in one line and exits non-zero', () => {
    const result = runCli(['migrate'], { CICERO_DATA_DIR: tempDir(), CICERO_TIMEZONE: 'Mars/Olympus', LOG_LEVEL: 'chatty' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'cicero: LOG_LEVEL is invalid: expected one of fatal, error, warn, info, debug, trace, silent (got "chatty")\n',
    );
  });

  it('validates a variable only for the subcommands that use it', () => {
    const dir = tempDir();
    const env = { CICERO_DATA_DIR: dir, ADMIN_WHATSAPP: 'not a number', CICERO_TIMEZONE: 'Mars/Olympus' };
    expect(runCli(['migrate'], env).status).toBe(0);
    const seeded = runCli(['seed', 'demo'], env);
    expect(seeded.status).toBe(2);
    expect(seeded.stderr).toMatch(/^cicero: CICERO_TIMEZONE is invalid: expected an IANA time zone/);
    const started = runCli(['start'], env);
    expect(started.status).toBe(2);
    expect(started.stderr).toMatch(/^cicero: ADMIN_WHATSAPP is invalid: .*"not a number" is neither \(got "not a number"\)\n$/);
  });

  it('says in one line, without a stack or the password, that PostgreSQL cannot be reached', () => {
    const env = { CICERO_DATA_DIR: tempDir(), DATABASE_URL: 'postgres://cicero:s3cret@127.0.0.1:1/cicero' };
    const result = runCli(['migrate'], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('cicero: cannot connect to PostgreSQL at 127.0.0.1:1/cicero: connect ECONNREFUSED 127.0.0.1:1\n');

    const verbose = runCli(['migrate'], { ...env, LOG_LEVEL: 'debug' });
    expect(verbose.stderr).toMatch(/ECONNREFUSED[\s\S]*\n\s+at /);
    expect(verbose.stderr).not.toMatch(/s3cret/);
  });

  it('creates a missing data directory, migrates the embedded database, then reports it current', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const first = runCli(['migrate'], { CICERO_DATA_DIR: dir });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort();
    const version = Number.parseInt(files.at(-1)!, 10);
    expect(first.stdout).toBe(`embedded database in ${dir}: applied ${files.join(', ')} (schema version ${version})\n`);
    const second = runCli(['migrate'], { CICERO_DATA_DIR: dir });
    expect(second.stdout).toBe(`embedded database in ${dir}: already up to date (schema version ${version})\n`);
  });

  it('refuses a data directory held by a live process and names it', async () => {
    const dir = tempDir();
    const running = await startChat(dir, {});
    try {
      const result = runCli(['migrate'], { CICERO_DATA_DIR: dir });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        `cicero: data directory ${dir} is in use by process ${running.pid} (cicero chat) on host ${os.hostname()}, since ${lockedSince(
          dir,
          'Asia/Jakarta',
        )}\n`,
      );
    } finally {
      expect(await running.stop()).toBe(0);
    }
    // Once stopped, the directory is free again.
    expect(runCli(['migrate'], { CICERO_DATA_DIR: dir }).status).toBe(0);
  });

  it('warns at start when there is no admin', () => {
    // /bin/false as the browser: start gets as far as launching it, then reports the failure.
    const result = runCli(['start'], { CICERO_DATA_DIR: tempDir(), CHROME_PATH: '/bin/false' });
    expect(result.stderr).toMatch(/"msg":"ADMIN_WHATSAPP is empty: nobody can run admin commands"/);
    expect(result.stderr).toMatch(/\ncicero: WhatsApp did not start: Failed to launch the browser process/);
    expect(result.status).toBe(1);
  });

  it(`seeds the demo into the ${backend} database`, async () => {
    const target = backend === 'postgres' ? await createTestDatabase({ migrated: false }) : undefined;
    try {
      const env = { CICERO_DATA_DIR: tempDir(), DATABASE_URL: target?.url };
      const result = runCli(['seed', 'demo'], env);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Demo client POLRESDEMO \(POLRES DEMO\) seeded into /);
      expect(result.stdout).toMatch(/members: \d{3} active \(\d+ exception\), \d+ inactive, in \d+ divisions/);
      expect(result.stdout).toMatch(/posts today: 4 Instagram, 3 TikTok \(first at \d{4}-\d\d-\d\d 00:00:30 GMT\+7\)/);
      expect(result.stdout).toMatch(/^ {4}ADMIN_WHATSAPP=0811-0000-0001$/m);
      expect(result.stdout).toMatch(/^ {2}operator of POLRESDEMO: 0899-1000-0001$/m);
      expect(result.stdout).toMatch(/^ {2}bound member: 0899-0000-\d{4}, NRP \d{8,18} \([A-Z ]+\)$/m);
      expect(result.stdout).toMatch(/^ {2}unbound member: NRP \d{8,18} \([A-Z ]+\), no WhatsApp bound yet$/m);
      expect(result.stdout).toMatch(/^ {2}unused number: 0899-2000-0001, nobody's, for trying registration later$/m);
    } finally {
      await target?.drop();
    }
  });
});
