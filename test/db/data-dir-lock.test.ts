import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireDataDirLock,
  DataDirLockedError,
  FOREIGN_STALE_MS,
  LOCK_FILE,
  type DataDirLock,
} from '../../src/db/data-dir-lock.js';

const held: DataDirLock[] = [];
afterEach(() => {
  for (const lock of held.splice(0)) lock.release();
});

function freshDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'cicero-lock-'));
}

function capturingLogger(): { log: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      out.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines: () => out.map((l) => JSON.parse(l)) };
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeLock(dir: string, fields: Record<string, unknown>): void {
  writeFileSync(
    path.join(dir, LOCK_FILE),
    JSON.stringify({ pid: 1, hostname: os.hostname(), command: 'cicero start', startedAt: 'then', heartbeatAt: new Date().toISOString(), ...fields }),
  );
}

describe('data-directory lock', () => {
  it('is taken, refused to a second holder while alive, and released', () => {
    const dir = freshDir();
    const lock = acquireDataDirLock(dir, { command: 'cicero start' });
    held.push(lock);
    const info = JSON.parse(readFileSync(lock.file, 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, hostname: os.hostname(), command: 'cicero start' });

    const second = (): unknown => acquireDataDirLock(dir, { command: 'cicero migrate' });
    expect(second).toThrow(DataDirLockedError);
    expect(second).toThrow(`data directory ${dir} is in use by process ${process.pid} (cicero start) on host ${os.hostname()}`);

    lock.release();
    expect(existsSync(lock.file)).toBe(false);
    held.push(acquireDataDirLock(dir, { command: 'cicero migrate' }));
  });

  it('names the time the holder took the lock in the given zone, Jakarta by default', () => {
    const dir = freshDir();
    writeLock(dir, { pid: process.pid, startedAt: '2026-11-25T06:05:12.000Z' });
    const holder = `data directory ${dir} is in use by process ${process.pid} (cicero start) on host ${os.hostname()}`;
    expect(() => acquireDataDirLock(dir, { command: 'cicero migrate', timezone: 'Asia/Jayapura' })).toThrow(
      `${holder}, since Rabu, 25/11/2026 15.05.12 WIT`,
    );
    expect(() => acquireDataDirLock(dir, { command: 'cicero migrate' })).toThrow(`${holder}, since Rabu, 25/11/2026 13.05.12 WIB`);
    // A start time that is not a time is shown as written.
    writeLock(dir, { pid: process.pid, startedAt: 'then' });
    expect(() => acquireDataDirLock(dir, { command: 'cicero migrate' })).toThrow(`${holder}, since then`);
  });

  it('takes over a lock left by a dead process, with a warning', () => {
    const dir = freshDir();
    const pid = deadPid();
    writeLock(dir, { pid });
    const { log, lines } = capturingLogger();
    const lock = acquireDataDirLock(dir, { command: 'cicero start', log });
    held.push(lock);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    expect(lines()).toEqual([
      expect.objectContaining({ level: 40, msg: 'took over a stale data-directory lock', reason: `process ${pid} is no longer running` }),
    ]);
  });

  it('takes over an unreadable lock file', () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, LOCK_FILE), '{"pid": 12');
    held.push(acquireDataDirLock(dir, { command: 'cicero start' }));
  });

  it('respects another host’s lock while its heartbeat is fresh, and takes it over once it stops', () => {
    const dir = freshDir();
    writeLock(dir, { pid: process.pid, hostname: 'other-host' });
    expect(() => acquireDataDirLock(dir, { command: 'cicero start' })).toThrow(/in use by process \d+ \(cicero start\) on host other-host/);

    writeLock(dir, { pid: process.pid, hostname: 'other-host', heartbeatAt: new Date(Date.now() - FOREIGN_STALE_MS - 1000).toISOString() });
    const lock = acquireDataDirLock(dir, { command: 'cicero start' });
    held.push(lock);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).hostname).toBe(os.hostname());
  });

  it('does not remove a lock that another process has taken over since', () => {
    const dir = freshDir();
    const lock = acquireDataDirLock(dir, { command: 'cicero start' });
    writeLock(dir, { pid: 424242, hostname: 'other-host' });
    lock.release();
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(424242);
  });
});
