import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unknownTextHint } from '../../src/bot/texts.js';
import { findBrowser } from '../../src/transport/browser.js';
import { cliEnv, cliPath, runCli } from '../helpers/cli.js';
import { backend, createTestDatabase, type TestDatabase } from '../helpers/db.js';

const ADMIN = '6281100000001';

/** Runs `cicero chat` with `input` on stdin. */
function chat(args: string[], input: string, env: Record<string, string | undefined>) {
  const result = spawnSync(process.execPath, [cliPath, 'chat', ...args], {
    env: cliEnv(env),
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe(`cicero chat and send (${backend})`, () => {
  let env: Record<string, string | undefined>;
  let target: TestDatabase | undefined;

  beforeAll(async () => {
    target = backend === 'postgres' ? await createTestDatabase({ migrated: false }) : undefined;
    env = {
      CICERO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cicero-chat-')),
      DATABASE_URL: target?.url,
      ADMIN_WHATSAPP: '0811-0000-0001',
    };
    expect(runCli(['seed', 'demo'], env).status).toBe(0);
  });
  afterAll(async () => target?.drop());

  it('lists the admin commands to an ADMIN_WHATSAPP number', () => {
    const result = chat(['--from', '+62 811 0000 0001'], 'help\n', env);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^→ 6281100000001@c\.us\n📋 \*Daftar Perintah Cicero\*\n\nAnda terdaftar sebagai \*admin\*/);
    expect(result.stdout).toMatch(/^\*status\*$/m);
    expect(result.stdout.endsWith('\n\n')).toBe(true);
  });

  it('gives an unknown number the unknown-sender hint, and help without admin commands', () => {
    const result = chat(['--from', '0812 9999 0000'], 'halo\nhelp\n', env);
    expect(result.status).toBe(0);
    const blocks = result.stdout.split('\n\n→ ');
    expect(blocks[0]).toBe(
      `→ 6281299990000@c.us\n${unknownTextHint('unknown')}`,
    );
    expect(result.stdout).not.toMatch(/^\*status\*$/m);
  });

  it('switches sender with /from, enters a group with /group and leaves it with /dm; stdout is only the transcript', () => {
    const script = [
      'whoami',
      '/from 0899-1000-0001', // the demo operator
      'whoami',
      '/group 120363000000000001@g.us', // the demo group
      'whoami',
      'selamat pagi',
      '/dm',
      'status',
      '/from nobody',
      '',
    ].join('\n');
    const result = chat(['--from', ADMIN], script, { ...env, LOG_LEVEL: 'info' });
    expect(result.status).toBe(0);
    const targets = [...result.stdout.matchAll(/^→ (.+)$/gm)].map((m) => m[1]);
    expect(targets).toEqual([
      '6281100000001@c.us',
      '6289910000001@c.us',
      '120363000000000001@g.us', // "selamat pagi" in the group gets no answer
      '6289910000001@c.us',
    ]);
    expect(result.stdout).toMatch(
      /Peran: \*operator\*\nClient: \*POLRESDEMO\* \(POLRES DEMO\)\nDikenali sebagai: operator dari nomor ini \(nomor operator client\)\.\nGrup ini terhubung ke client \*POLRESDEMO\*/,
    );
    expect(result.stdout).toMatch(/❌ Perintah \*status\* hanya dapat digunakan oleh admin\./);
    expect(result.stderr).toMatch(/\/from: "nobody" is not a phone number or a LID/);
    // Logs go to stderr: every stdout line belongs to a reply.
    expect(result.stdout).not.toMatch(/"level"/);
  });

  it('send handles one message, prints its replies and exits', () => {
    const result = runCli(['send', '--from', ADMIN, 'status'], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^→ 6281100000001@c\.us\n🖥️ \*Status Cicero\*\nWhatsApp: \*siap\* \(console\)\n/);
    const group = runCli(['send', '--from', ADMIN, '--group', '120363000000000001', 'whoami'], env);
    expect(group.stdout).toMatch(/^→ 120363000000000001@g\.us\n/);
    const slash = runCli(['send', '--from', ADMIN, '/from 62811'], env);
    expect(slash.stdout).toMatch(/^→ 6281100000001@c\.us\n🤖 Perintah tidak dikenali/);
  });

  it('refuses a --from that is not a number, naming it', () => {
    const result = runCli(['send', '--from', 'budi', 'help'], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^cicero: error: option '--from <number>' argument 'budi' is invalid\. Not a phone number or a LID \(…@lid\)\.\n\nUsage: cicero send /,
    );
    expect(runCli(['chat'], env).stderr).toMatch(/required option '--from <number>' not specified/);
  });
});

describe('cicero start', () => {
  const bare = (): Record<string, string> => ({
    CICERO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cicero-start-')),
    PATH: mkdtempSync(path.join(os.tmpdir(), 'cicero-empty-path-')),
    HOME: mkdtempSync(path.join(os.tmpdir(), 'cicero-home-')),
  });

  it('without a browser says how to get one and exits 1', () => {
    const result = runCli(['start'], bare());
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'cicero: no Chromium or Chrome found for WhatsApp: install one with `apt-get install chromium` ' +
        '(or `npx puppeteer browsers install chrome`), or set CHROME_PATH to its executable\n',
    );
  });

  it('names a CHROME_PATH that is not a browser', () => {
    const result = runCli(['start'], { ...bare(), CHROME_PATH: '/nonexistent/chrome' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('cicero: CHROME_PATH /nonexistent/chrome is not an executable file\n');
  });

  const browser = findBrowser(undefined);
  it.runIf('found' in browser)('with a browser and no network fails within the timeout with a clear message', () => {
    const started = Date.now();
    const result = runCli(['start'], {
      CICERO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cicero-start-')),
      CHROME_PATH: 'found' in browser ? browser.found : '',
      CICERO_WA_INIT_TIMEOUT_S: '30',
      ADMIN_WHATSAPP: ADMIN,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^cicero: WhatsApp did not start: .+\n$/);
    expect(result.stderr).not.toContain('[object Object]'); // a real reason, whatever the library threw
    expect(Date.now() - started).toBeLessThan(45_000);
  });
});
