/** Runs the built `cicero` bin as a user would, with a controlled environment. */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../../src/paths.js';

export const cliPath = path.join(packageRoot, 'dist/src/cli/main.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Only what the test passes, plus PATH: the developer's own variables must not leak in. */
export function cliEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env };
}

export function runCli(args: string[], env: Record<string, string | undefined>, cwd?: string): CliResult {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    env: cliEnv(env),
    cwd: cwd ?? packageRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI in the background; resolves once `ready` matches its stderr. */
export function startCli(
  args: string[],
  env: Record<string, string | undefined>,
  ready: RegExp,
): Promise<{ pid: number; stop(): Promise<number | null>; stderr(): string }> {
  const child = spawn(process.execPath, [cliPath, ...args], { env: cliEnv(env), cwd: packageRoot });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI not ready: ${stderr}`)), 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (ready.test(stderr)) {
        clearTimeout(timer);
        resolve({
          pid: child.pid!,
          stderr: () => stderr,
          stop: () =>
            new Promise((done) => {
              child.once('exit', (code) => done(code));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code}: ${stderr}`));
    });
  });
}
