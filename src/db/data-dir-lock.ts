/**
 * One process per data directory. PGlite does no cross-process locking (two
 * processes on one data directory corrupt it), and the WhatsApp browser profile
 * under the same directory has the same rule, so Cicero takes its own lock file.
 *
 * The lock holds the owner's pid, host and a heartbeat. A lock whose process is
 * gone (same host), or whose heartbeat stopped (another host, e.g. a restarted
 * container sharing the volume), is stale and is taken over with a warning.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../log.js';
import { formatStamp } from '../time/format.js';

export const LOCK_FILE = 'cicero.lock';
const HEARTBEAT_MS = 30_000;
/** A foreign host's lock is stale after this long without a heartbeat. */
export const FOREIGN_STALE_MS = 4 * HEARTBEAT_MS;

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

interface LockInfo {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
  heartbeatAt: string;
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock if it is still ours. Safe to call twice. */
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): { raw: string; info: LockInfo | null } | null {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return { raw, info: JSON.parse(raw) as LockInfo };
  } catch {
    return { raw, info: null }; // torn or foreign content: treat as stale
  }
}

/** Why the lock is stale, or null when its holder is alive. */
function staleness(info: LockInfo | null, now: number): string | null {
  if (!info || typeof info.pid !== 'number') return 'the lock file is unreadable';
  if (info.hostname === os.hostname()) {
    return isAlive(info.pid) ? null : `process ${info.pid} is no longer running`;
  }
  const age = now - Date.parse(info.heartbeatAt);
  return age > FOREIGN_STALE_MS
    ? `process ${info.pid} on host ${info.hostname} stopped its heartbeat ${Math.round(age / 1000)} s ago`
    : null;
}

/** The holder, with the time it took the lock in `timezone` (like every time Cicero shows). */
function describe(info: LockInfo, timezone: string): string {
  const startedAt = new Date(info.startedAt);
  const since = Number.isNaN(startedAt.getTime()) ? info.startedAt : formatStamp(startedAt, timezone);
  return `process ${info.pid} (${info.command}) on host ${info.hostname}, since ${since}`;
}

/**
 * Takes the lock on `dir` (which must exist) or throws {@link DataDirLockedError}
 * naming the process that holds it.
 */
export function acquireDataDirLock(
  dir: string,
  options: {
    command: string;
    log?: Logger;
    /** Zone of the holder's start time in the refusal; default Asia/Jakarta. */
    timezone?: string;
  },
): DataDirLock {
  const file = path.join(dir, LOCK_FILE);
  const timezone = options.timezone ?? 'Asia/Jakarta';
  const startedAt = new Date().toISOString();
  const content = (): string =>
    JSON.stringify({
      pid: process.pid,
      hostname: os.hostname(),
      command: options.command,
      startedAt,
      heartbeatAt: new Date().toISOString(),
    } satisfies LockInfo);
  const mine = `"pid":${process.pid},"hostname":${JSON.stringify(os.hostname())},`;

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, content());
      closeSync(fd);
      return holdLock(file, content, mine);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = readLock(file);
    if (!current) continue; // released between our two calls: try again
    const stale = staleness(current.info, Date.now());
    if (!stale) throw new DataDirLockedError(`data directory ${dir} is in use by ${describe(current.info!, timezone)}`);
    // Move the stale lock aside atomically, then check we moved the one we judged:
    // if another process took it over in between, put theirs back and give up.
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = readFileSync(aside, 'utf8');
    if (moved !== current.raw) {
      renameSync(aside, file);
      continue;
    }
    rmSync(aside, { force: true });
    options.log?.warn({ dir, reason: stale }, 'took over a stale data-directory lock');
  }
  const holder = readLock(file)?.info;
  throw new DataDirLockedError(
    `data directory ${dir} is in use${holder ? ` by ${describe(holder, timezone)}` : ''}`,
  );
}

function holdLock(file: string, content: () => string, mine: string): DataDirLock {
  const ours = (): boolean => readLock(file)?.raw.includes(mine) === true;
  const heartbeat = setInterval(() => {
    try {
      if (ours()) writeFileSync(file, content(), { mode: 0o600 });
    } catch {
      // A missed heartbeat only matters to other hosts after several minutes.
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    process.off('exit', release);
    try {
      if (ours()) rmSync(file, { force: true });
    } catch {
      // Leaving a lock behind is safe: the next process sees our pid is gone.
    }
  };
  process.on('exit', release);
  return { file, release };
}
