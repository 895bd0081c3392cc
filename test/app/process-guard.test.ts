import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { guardRejections } from '../../src/app/process-guard.js';
import { createLogger } from '../../src/log.js';
import { packageRoot } from '../../src/paths.js';

/** A logger whose JSON lines are kept for the test. */
function capturingLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ level: 'info', pretty: false, destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
  return { log, lines };
}

/**
 * Runs `fn` with no other 'unhandledRejection' listener: vitest's own would report an
 * emitted rejection as a failure of the run. The listeners come back afterwards, and
 * whatever `fn` left installed is removed.
 */
function alone(fn: () => void): void {
  const others = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  try {
    fn();
  } finally {
    process.removeAllListeners('unhandledRejection');
    for (const listener of others) process.on('unhandledRejection', listener);
  }
}

/** What Node does with a rejection nobody handled (the promise is a stand-in, never rejected). */
const emitRejection = (reason: unknown): boolean => process.emit('unhandledRejection', reason, new Promise(() => {}));

describe('guardRejections', () => {
  it('logs an unhandled rejection with what it says, hands it to notice, and uninstalls', () => {
    const before = process.listenerCount('unhandledRejection');
    const { log, lines } = capturingLog();
    const noticed: unknown[] = [];
    const reason = new Error('EBUSY: resource busy or locked, unlink /data/wwebjs/session/first_party_sets.db');
    alone(() => {
      const unguard = guardRejections(log, (r) => noticed.push(r));
      expect(process.listenerCount('unhandledRejection')).toBe(1);
      emitRejection(reason);
      expect(noticed).toEqual([reason]);
      expect(lines).toEqual([
        expect.objectContaining({
          level: 'error',
          msg: 'unhandled promise rejection (carrying on)',
          reason: 'EBUSY: resource busy or locked, unlink /data/wwebjs/session/first_party_sets.db',
          stack: expect.arrayContaining([expect.stringMatching(/^at /)]),
        }),
      ]);

      unguard();
      expect(process.listenerCount('unhandledRejection')).toBe(0);
      emitRejection(new Error('after'));
      expect(noticed).toEqual([reason]);
      expect(lines).toHaveLength(1);
    });
    expect(process.listenerCount('unhandledRejection')).toBe(before);
  });

  it('describes what is not an Error (never "[object Object]"), and survives a notice that throws', () => {
    const { log, lines } = capturingLog();
    alone(() => {
      guardRejections(log, () => {
        throw new Error('notice broke');
      });
      emitRejection({ type: 'error', target: {} }); // an ErrorEvent-like object from a closed connection
      emitRejection('auth timeout');
    });
    expect(lines.map((l) => [l.msg, l.reason ?? (l.err as { message?: string } | undefined)?.message])).toEqual([
      ['unhandled promise rejection (carrying on)', 'error event'],
      ['could not act on an unhandled rejection', 'notice broke'],
      ['unhandled promise rejection (carrying on)', 'auth timeout'],
      ['could not act on an unhandled rejection', 'notice broke'],
    ]);
    expect(JSON.stringify(lines)).not.toContain('[object Object]');
  });

  describe('in a real process (the built guard)', () => {
    let script = '';
    beforeAll(() => {
      const dist = (file: string) => pathToFileURL(path.join(packageRoot, 'dist/src', file)).href;
      script = path.join(mkdtempSync(path.join(os.tmpdir(), 'cicero-guard-')), 'reject.mjs');
      writeFileSync(
        script,
        [
          `import { guardRejections } from ${JSON.stringify(dist('app/process-guard.js'))};`,
          `import { createLogger } from ${JSON.stringify(dist('log.js'))};`,
          `const log = createLogger({ level: 'info', pretty: false });`,
          `if (process.argv[2] === 'guarded') guardRejections(log, (reason) => log.info({ noticed: reason.message }, 'noticed'));`,
          `Promise.reject(new Error('EBUSY: resource busy or locked, unlink /data/wwebjs/session/first_party_sets.db'));`,
          // Runs after Node has dealt with the rejection: the process carried on past it.
          `setImmediate(() => log.info('carried on'));`,
          '',
        ].join('\n'),
      );
    });
    const run = (mode: string) =>
      spawnSync(process.execPath, [script, mode], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH } });
    const messages = (stderr: string) =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);

    it('with the guard: the process logs the rejection, carries on and exits 0', () => {
      const result = run('guarded');
      expect(result.status, result.stderr).toBe(0);
      expect(messages(result.stderr)).toEqual([
        expect.objectContaining({
          level: 'error',
          msg: 'unhandled promise rejection (carrying on)',
          reason: 'EBUSY: resource busy or locked, unlink /data/wwebjs/session/first_party_sets.db',
        }),
        expect.objectContaining({ msg: 'noticed', noticed: expect.stringMatching(/^EBUSY/) }),
        expect.objectContaining({ msg: 'carried on' }),
      ]);
    });

    it('without it the same rejection ends the process (what the guard prevents)', () => {
      const result = run('bare');
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/EBUSY: resource busy or locked/);
      expect(result.stderr).not.toMatch(/carried on/);
    });
  });
});
