/**
 * README's "Trying the bot in a terminal" must work as written on a fresh clone:
 * the block runs line by line in one bash, as if pasted into a terminal.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { cliEnv, cliPath } from '../helpers/cli.js';
import { backend, createTestDatabase, type TestDatabase } from '../helpers/db.js';

const made: string[] = [];
const tempDir = (name: string): string => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cicero-readme-${name}-`));
  made.push(dir);
  return dir;
};

/** The command lines of the first ```sh block after `heading` (trailing comments kept). */
function readmeBlock(heading: string): string[] {
  const readme = readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
  const after = readme.slice(readme.indexOf(`\n${heading}\n`));
  const block = /\n```sh\n([\s\S]*?)\n```\n/.exec(after);
  if (!block) throw new Error(`no sh block under ${heading}`);
  return block[1]!.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

/**
 * A directory holding a `cicero` command that runs the built bin (package.json's
 * `bin`, what `npx cicero` runs here). The script defines `npx` to run that command:
 * npm's own npx would link this package into its cache and run `prepare` (rebuild
 * dist/, under the other test files' feet) on a first run.
 */
function binDir(): string {
  const dir = tempDir('bin');
  const bin = path.join(dir, 'cicero');
  writeFileSync(bin, `#!/bin/sh\nexec '${process.execPath}' '${cliPath}' "$@"\n`);
  chmodSync(bin, 0o755);
  return dir;
}

interface Step {
  line: string;
  status: number;
  stdout: string;
}

/** Runs the lines in one bash with stdin closed; each line's exit status and stdout. */
function runLines(lines: string[], env: Record<string, string | undefined>): { steps: Step[]; stderr: string } {
  const marker = '@@cicero-readme-step';
  const script = [
    'npx() { "$@"; }',
    ...lines.flatMap((line, i) => [line, `printf '\\n${marker} %d %d\\n' ${i} "$?"`]),
  ].join('\n');
  const result = spawnSync('bash', ['-c', script], {
    cwd: tempDir('cwd'),
    env: cliEnv({ ...env, PATH: `${binDir()}:${path.join(packageRoot, 'node_modules/.bin')}:${process.env.PATH}` }),
    input: '',
    encoding: 'utf8',
    timeout: 240_000,
  });
  expect(result.status, result.stderr).toBe(0);
  const steps: Step[] = [];
  let rest = result.stdout;
  for (const [i, line] of lines.entries()) {
    const end = new RegExp(`\\n${marker} ${i} (\\d+)\\n`).exec(rest);
    if (!end) throw new Error(`no end of step ${i} (${line}):\n${rest}\n${result.stderr}`);
    steps.push({ line, status: Number(end[1]), stdout: rest.slice(0, end.index) });
    rest = rest.slice(end.index + end[0].length);
  }
  return { steps, stderr: result.stderr };
}

describe(`README: trying the bot in a terminal (${backend})`, () => {
  let target: TestDatabase | undefined;
  beforeAll(async () => {
    target = backend === 'postgres' ? await createTestDatabase({ migrated: false }) : undefined;
  });
  afterAll(async () => {
    await target?.drop();
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('runs as written, without ADMIN_WHATSAPP set beforehand, and the admin is answered as admin', { timeout: 300_000 }, () => {
    const lines = readmeBlock('### Trying the bot in a terminal');
    const { steps, stderr } = runLines(lines, {
      CICERO_DATA_DIR: tempDir('data'),
      DATABASE_URL: target?.url,
    });
    for (const step of steps) expect(step.status, `${step.line}\n${stderr}`).toBe(0);

    // The block uses the numbers `seed demo` prints, and sets the admin it suggests.
    const seed = steps.find((s) => /npx cicero seed demo/.test(s.line))!;
    const printed = (pattern: RegExp): string => pattern.exec(seed.stdout)?.[1] ?? `(${pattern} not printed)`;
    const admin = printed(/^ {4}ADMIN_WHATSAPP=(\S+)$/m);
    const operator = printed(/^ {2}operator of POLRESDEMO: (\S+)$/m);
    const member = printed(/^ {2}bound member: ([^,]+),/m);
    const nrp = printed(/^ {2}bound member: [^,]+, NRP (\d+)/m);
    const unused = printed(/^ {2}unused number: ([^,]+),/m);
    const block = lines.join('\n');
    expect(block).toMatch(new RegExp(`^export ADMIN_WHATSAPP=${admin}(\\s|$)`, 'm'));
    for (const number of [admin, operator, member, unused]) expect(block).toContain(`--from ${number} `);

    const as = (number: string): Step[] => steps.filter((s) => s.line.includes(`--from ${number} `));
    const adminSteps = as(admin);
    expect(adminSteps.length).toBeGreaterThanOrEqual(3);
    for (const step of adminSteps) {
      expect(step.stdout, step.line).toMatch(/^→ 6281100000001@c\.us\n/);
      expect(step.stdout, step.line).not.toMatch(/belum terdaftar|hanya dapat digunakan/);
    }
    expect(adminSteps[0]!.stdout).toMatch(/Anda terdaftar sebagai \*admin\*[\s\S]*\nPeran: \*admin\*\n/);
    expect(adminSteps[1]!.stdout).toMatch(/\*Rekap Akumulasi Likes Instagram\*\n\*Polres\*: \*POLRES DEMO\*/);
    // The interactive operator line, given no input, ends at once; the operator needs no client id.
    const [interactive, ownClient] = as(operator);
    expect(interactive).toEqual(expect.objectContaining({ status: 0, stdout: '' }));
    expect(ownClient!.stdout).toMatch(/\*Rekap Akumulasi Likes Instagram\*\n\*Polres\*: \*POLRES DEMO\*/);
    expect(as(member)[0]!.stdout).toMatch(new RegExp(`Peran: \\*anggota\\*\\nClient: \\*POLRESDEMO\\* \\(POLRES DEMO\\)\\nNRP/NIP: ${nrp} `));
    expect(as(unused)[0]!.stdout).toMatch(/Peran: \*belum terdaftar\*\nNomor ini belum terhubung/);
    // Registration: the unused number binds itself to the unbound member's NRP, and is then that member.
    const unbound = printed(/^ {2}unbound member: NRP (\d+)/m);
    expect(block).toContain(`daftar#${unbound}`);
    const registration = as(unused)[1]!.stdout;
    expect(registration).toMatch(new RegExp(`NRP/NIP \\*${unbound}\\* ditemukan`));
    expect(registration).toMatch(new RegExp(`✅ Nomor WhatsApp ini telah terhubung dengan NRP/NIP \\*${unbound}\\*`));
    expect(registration).toMatch(/Peran: \*anggota\*/);
  });
});
