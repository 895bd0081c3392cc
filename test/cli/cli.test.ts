import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { migrationsDir } from '../../src/paths.js';
import { runCli, startChat } from '../helpers/cli.js';
import { backend, createTestDatabase } from '../helpers/db.js';

const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'cicero-cli-'));

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

  it('refuses an unknown subcommand with a hint', () => {
    const result = runCli(['migrat'], {});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/unknown command 'migrat'/);
    expect(result.stderr).toMatch(/Did you mean migrate\?/);
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
        `cicero: data directory ${dir} is in use by process ${running.pid} (cicero chat) on host ${os.hostname()}, since ${
          /since (\S+)/.exec(result.stderr)?.[1]
        }\n`,
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
    } finally {
      await target?.drop();
    }
  });
});
