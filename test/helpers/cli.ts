/** Runs the built `cicero` bin as a user would, with a controlled environment. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/db/db.js';
import { PgliteDb } from '../../src/db/pglite.js';
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

/** `input` is piped to stdin (a pipe, not a terminal); without it stdin is the test runner's. */
export function runCli(args: string[], env: Record<string, string | undefined>, cwd?: string, input?: string): CliResult {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    env: cliEnv(env),
    cwd: cwd ?? packageRoot,
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Like {@link runCli}, without blocking this process: for runs that talk to a server
 * the test itself serves (the stand-in RapidAPI).
 */
export function runCliAsync(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const child = spawn(process.execPath, [cliPath, ...args], { env: cliEnv(env), cwd: packageRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill(), 120_000);
  return new Promise((resolve) => {
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * Starts `cicero chat` in the background with its stdin left open, so it holds the
 * data directory; resolves once its lock file names it. `stop()` closes stdin.
 */
export function startChat(
  dataDir: string,
  env: Record<string, string | undefined>,
): Promise<{ pid: number; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [cliPath, 'chat', '--from', '6281100000001'], {
    env: cliEnv({ ...env, CICERO_DATA_DIR: dataDir }),
    cwd: packageRoot,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lockFile = path.join(dataDir, 'cicero.lock');
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (existsSync(lockFile) && readFileSync(lockFile, 'utf8').includes(`"pid":${child.pid},`)) {
        clearInterval(poll);
        resolve({
          pid: child.pid!,
          stop: () =>
            new Promise((done) => {
              child.once('exit', (code) => done(code));
              child.stdin.end();
            }),
        });
      } else if (Date.now() - started > 30_000 || child.exitCode !== null) {
        clearInterval(poll);
        child.kill();
        reject(new Error(`cicero chat did not take the lock: ${stderr}`));
      }
    }, 50);
  });
}

/**
 * Reads the database a CLI run wrote, after it exited: the test server's database, or
 * the PGlite data directory opened for the query (PGlite is single-process).
 */
export async function queryCliDatabase<T>(
  target: { db: Db } | undefined,
  dataDir: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (target) return (await target.db.query<T>(sql, params)).rows;
  const db = await PgliteDb.open({ dataDir: path.join(dataDir, 'pglite') });
  try {
    return (await db.query<T>(sql, params)).rows;
  } finally {
    await db.close();
  }
}
