/**
 * A Node child process that the kernel kills when its parent dies, and so may be stopped
 * (SIGSTOP) for a while: a stopped process ignores everything but SIGKILL and SIGCONT, and a
 * parent killed (`kill -9`) before it continued it would have left it stopped for good. It is
 * started through util-linux's `setpriv --pdeathsig KILL`, which sets the parent-death signal
 * and then runs Node in its place (same process, same IPC channel). Where there is no setpriv
 * (not Linux), it is a plain fork that is never stopped.
 */
import { type ChildProcess, fork, type StdioOptions, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SETPRIV = process.platform === 'linux' ? (['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) ?? null) : null;

export interface ChildOptions {
  execArgv: string[];
  serialization: 'json' | 'advanced';
  stdio: StdioOptions;
}

/** The process, and whether it may be stopped (it dies with this one). */
export function forkTiedToParent(script: URL, args: string[], options: ChildOptions): { child: ChildProcess; stoppable: boolean } {
  if (!SETPRIV) return { child: fork(script, args, options), stoppable: false };
  const { execArgv, ...rest } = options;
  const command = ['--pdeathsig', 'KILL', process.execPath, ...execArgv, fileURLToPath(script), ...args];
  return { child: spawn(SETPRIV, command, rest), stoppable: true };
}

/**
 * Stops a process and continues it: each stop lasts until {@link resume}, or `maxMs` at the
 * longest (work that can wait is delayed, never held for good, whatever keeps the caller busy).
 */
export class ChildPause {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly child: ChildProcess,
    private readonly maxMs: number,
  ) {}

  get stopped(): boolean {
    return this.timer !== null;
  }

  stop(): void {
    if (this.timer || !this.signal('SIGSTOP')) return;
    this.timer = setTimeout(() => this.resume(), this.maxMs);
    this.timer.unref();
  }

  resume(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.signal('SIGCONT');
  }

  private signal(signal: NodeJS.Signals): boolean {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return false;
    try {
      return this.child.kill(signal);
    } catch {
      return false; // gone meanwhile: its exit is handled where it was started
    }
  }
}
