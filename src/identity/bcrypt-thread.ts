/**
 * bcrypt on its own worker threads, at the lowest CPU priority. A compare at cost 12
 * keeps a core busy for a quarter of a second; on libuv's pool it competes with the
 * event loop and the database on equal terms, and on a 2-core machine the chat engine
 * loses a fifth of its pace while sign-ins run. Here the thread is niced to 19 (on
 * Linux, `setPriority` from a thread sets that thread's nice value only), so it runs on
 * the CPU nothing else wants: chat keeps its pace and sign-ins take the spare time.
 * The work is the `bcrypt` package's own (`hashSync`/`compareSync`, run on the thread).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The thread's code (CommonJS, evaluated): loads bcrypt by its resolved path, answers requests in order. */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const os = require('node:os');
const bcrypt = require(workerData.bcrypt);
try { os.setPriority(19); } catch {}
parentPort.on('message', ({ id, op, a, b }) => {
  try {
    const value = op === 'hash' ? bcrypt.hashSync(a, b) : op === 'compare' ? bcrypt.compareSync(a, b) : os.getPriority();
    parentPort.postMessage({ id, value });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

/** The thread died (or was closed) with the request in flight: nothing was computed. */
export class BcryptThreadGone extends Error {
  override name = 'BcryptThreadGone';
}

type Op = 'hash' | 'compare' | 'priority';
interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** One worker thread; requests run one after another. Restarted after a crash. */
export class BcryptThread {
  /** The running thread and its requests in flight (a dead thread fails only its own). */
  private current: { worker: Worker; pending: Map<number, Pending> } | undefined;
  private next = 0;

  private start(): { worker: Worker; pending: Map<number, Pending> } {
    const worker = new Worker(SOURCE, {
      eval: true,
      workerData: { bcrypt: createRequire(import.meta.url).resolve('bcrypt') },
    });
    const pending = new Map<number, Pending>();
    // An idle thread never keeps the process alive; one with requests in flight does.
    worker.unref();
    worker.on('message', ({ id, value, error }: { id: number; value?: unknown; error?: string }) => {
      const request = pending.get(id);
      if (!request) return;
      pending.delete(id);
      if (pending.size === 0) worker.unref();
      if (error === undefined) request.resolve(value);
      else request.reject(new Error(error));
    });
    const fail = (error: Error): void => {
      if (this.current?.worker === worker) this.current = undefined;
      for (const request of pending.values()) request.reject(error);
      pending.clear();
    };
    worker.on('error', (error) => fail(new BcryptThreadGone(`bcrypt thread failed: ${error.message}`)));
    worker.on('exit', (code) => fail(new BcryptThreadGone(`bcrypt thread exited with code ${code}`)));
    return { worker, pending };
  }

  private call<T>(op: Op, a?: unknown, b?: unknown): Promise<T> {
    this.current ??= this.start();
    const { worker, pending } = this.current;
    const id = ++this.next;
    worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, op, a, b });
    });
  }

  /** Requests in flight. */
  load(): number {
    return this.current?.pending.size ?? 0;
  }

  hash(password: string, cost: number): Promise<string> {
    return this.call('hash', password, cost);
  }

  compare(password: string, hash: string): Promise<boolean> {
    return this.call('compare', password, hash);
  }

  /** The thread's nice value (19 where the system lets a thread lower its priority). */
  priority(): Promise<number> {
    return this.call('priority');
  }

  /** Ends the thread; its requests in flight fail. */
  async close(): Promise<void> {
    const running = this.current;
    this.current = undefined;
    await running?.worker.terminate();
  }
}
