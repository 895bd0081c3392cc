/**
 * `cicero start` on WhatsApp stopped by a signal while WhatsApp Web is still loading:
 * the bot's own shutdown runs, the process exits 0, and no Chromium outlives it.
 *
 * WhatsApp Web is kept pending by a proxy that accepts connections and never answers,
 * so the page load hangs (without one it fails at once here, racing the signal).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { findBrowser } from '../../src/transport/browser.js';
import { killBrowser, profileBrowsers } from '../../src/transport/wwebjs.js';
import { cliEnv, cliPath, runCli } from '../helpers/cli.js';

const ADMIN = '6281100000001';
const browser = findBrowser(undefined);
const chromePath = 'found' in browser ? browser.found : '';

interface LogLine {
  msg?: string;
  level?: string;
  [field: string]: unknown;
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  stderr(): string;
  /** Resolves with the first log line whose message is `msg` (now or later); rejects if the process exits first. */
  line(msg: string): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `cicero start` in the background; its JSON log lines are read as they arrive. */
function start(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [cliPath, 'start'], {
    env: cliEnv({ LOG_LEVEL: 'info', ...env }),
    cwd: packageRoot,
  });
  let stderr = '';
  let partial = '';
  const lines: LogLine[] = [];
  const waiters: Array<{ msg: string; resolve(line: LogLine): void }> = [];
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop()!;
    for (const text of complete) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue; // not a log line (e.g. the one-line `cicero: …` failure)
      }
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.msg === line.msg) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stdout.resume(); // a QR code would go there; never read, never allowed to fill the pipe
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stderr: () => stderr,
    exited,
    line: (msg) =>
      new Promise<LogLine>((resolve, reject) => {
        const seen = lines.find((l) => l.msg === msg);
        if (seen) return resolve(seen);
        waiters.push({ msg, resolve });
        void exited.then(({ code, signal }) =>
          reject(new Error(`cicero start exited (${code ?? signal}) before logging "${msg}":\n${stderr}`)),
        );
      }),
  };
}

/** Gone, or a zombie waiting to be reaped (it holds nothing any more). */
function dead(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true;
  }
  // `pid (comm) S …`: the state follows the last ')' (comm may hold spaces and parentheses).
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

/** Live processes whose command line names `dir` (the bot's Chromium and its helpers run on a profile inside it). */
function processesNaming(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir) && !dead(pid)) pids.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Nothing of the bot's is left running: a killed process may take a moment to be reaped, hence the retry. */
async function expectNothingLeft(dataDir: string, browserPid?: number): Promise<void> {
  await vi.waitFor(
    () => {
      if (browserPid !== undefined) expect(dead(browserPid), `Chromium ${browserPid} still runs`).toBe(true);
      expect(profileBrowsers(path.join(dataDir, 'wwebjs')).filter((pid) => !dead(pid))).toEqual([]);
      expect(processesNaming(dataDir)).toEqual([]);
    },
    { timeout: 5_000, interval: 100 },
  );
}

describe('cicero start on WhatsApp, stopped by a signal', () => {
  /** Accepts connections and never answers: the page load through it stays pending. */
  let silentProxy: net.Server;
  const sockets = new Set<net.Socket>();
  let proxyPort = 0;
  const started: Array<{ bot: Running; dataDir: string }> = [];

  beforeAll(async () => {
    silentProxy = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silentProxy.listen(0, '127.0.0.1', resolve));
    proxyPort = (silentProxy.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    // A test that failed half-way must not leave its bot (and its Chromium) running.
    for (const { bot, dataDir } of started) {
      if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
      for (const pid of processesNaming(dataDir)) killBrowser(pid);
    }
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silentProxy.close(resolve));
  });

  function startPending(): { bot: Running; dataDir: string } {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cicero-wa-signal-'));
    const bot = start({
      CICERO_DATA_DIR: dataDir,
      CHROME_PATH: chromePath,
      ADMIN_WHATSAPP: ADMIN,
      CICERO_WA_INIT_TIMEOUT_S: '120',
      CICERO_SHUTDOWN_TIMEOUT_S: '20',
      CICERO_CHROMIUM_ARGS: `--proxy-server=http://127.0.0.1:${proxyPort}`,
    });
    started.push({ bot, dataDir });
    return { bot, dataDir };
  }

  it.runIf('found' in browser).each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s while WhatsApp Web loads: shuts down, exits 0, leaves no Chromium',
    async (signal) => {
      const { bot, dataDir } = startPending();
      const chromium = await bot.line('Chromium started');
      const browserPid = chromium.browserPid;
      expect(browserPid).toEqual(expect.any(Number));
      expect(dead(browserPid as number)).toBe(false);

      bot.child.kill(signal);
      const { code, signal: killedBy } = await bot.exited;
      expect({ code, killedBy }, bot.stderr()).toEqual({ code: 0, killedBy: null });
      const shuttingDown = await bot.line('shutting down');
      expect(shuttingDown).toMatchObject({ reason: signal, during: 'start' });
      await bot.line('stopped cleanly');
      expect(bot.stderr()).not.toMatch(/"level":"(error|fatal)"/);
      await expectNothingLeft(dataDir, browserPid as number);
    },
  );

  it.runIf('found' in browser)('a signal right after "cicero starting" (Chromium may not run yet): exits 0, leaves no Chromium', async () => {
    const { bot, dataDir } = startPending();
    await bot.line('cicero starting');
    bot.child.kill('SIGTERM');
    const { code, signal } = await bot.exited;
    expect({ code, signal }, bot.stderr()).toEqual({ code: 0, signal: null });
    expect(await bot.line('shutting down')).toMatchObject({ reason: 'SIGTERM' });
    await bot.line('stopped cleanly');
    await expectNothingLeft(dataDir);
  });
});

describe('cicero start on WhatsApp that fails to start', () => {
  const failing = (env: Record<string, string>) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cicero-wa-fail-'));
    const result = runCli(['start'], { CICERO_DATA_DIR: dataDir, ADMIN_WHATSAPP: ADMIN, CICERO_WA_INIT_TIMEOUT_S: '30', ...env });
    return { ...result, dataDir };
  };

  // An executable that is no browser passes the CHROME_PATH check and fails at the launch.
  it('names why the browser did not launch (never "[object Object]")', async () => {
    const result = failing({ CHROME_PATH: '/bin/false' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^cicero: WhatsApp did not start: Failed to launch the browser process\b.*\n$/);
    expect(result.stderr).not.toContain('[object Object]');
    await expectNothingLeft(result.dataDir);
  });

  it.runIf('found' in browser)('names the proxy that refused the connection (never "[object Object]"), leaving no Chromium', async () => {
    // A port nobody listens on: taken, then freed.
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = failing({ CHROME_PATH: chromePath, CICERO_CHROMIUM_ARGS: `--proxy-server=http://127.0.0.1:${port}` });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^cicero: WhatsApp did not start: .*ERR_PROXY_CONNECTION_FAILED.*\n$/);
    expect(result.stderr).not.toContain('[object Object]');
    await expectNothingLeft(result.dataDir);
  });
});
