/**
 * The recap workbook built on a thread of its own: a province's file is 0.5-0.7 s of
 * CPU, which on the bot's thread would hold up every other chat meanwhile. One worker,
 * started on first use and kept (its start costs more than a file), running one file at
 * a time; it does not keep the process alive. Should the thread fail to start, the file
 * is built here as before: slower for other chats, never missing.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { Recap } from '../compliance/recap.js';
import { recapWorkbook, type WorkbookMeta } from './excel.js';
import type { WorkbookMessage, WorkbookResult } from './excel-worker.js';

interface Waiting {
  resolve: (data: Buffer) => void;
  reject: (error: Error) => void;
}

let worker: Worker | null = null;
const waiting = new Map<number, Waiting>();
let nextId = 1;
/** About 3 ms of copying each. */
const MEMBERS_PER_MESSAGE = 1000;
/** Files built on the thread, and built here because the thread failed (tests and logs read them). */
export const workbookThreadStats = { onThread: 0, fallbacks: 0 };

/**
 * A young generation large enough for a province's file: with V8's default (16 MB
 * semi-spaces) the file's short-lived rows outlive a dozen scavenges each and a tenth of
 * the build was spent copying them (measured: 235 ms of collection per file, 45 ms with 64 MB).
 */
const LIMITS = { resourceLimits: { maxYoungGenerationSizeMb: 64 } };

/** The worker script: compiled JavaScript in production; the TypeScript source (through tsx) in tests and benchmarks. */
function spawn(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./excel-worker.js', here), LIMITS);
  const script = new URL('./excel-worker.ts', here).href;
  return new Worker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(script)}); })`, {
    eval: true,
    ...LIMITS,
  });
}

function thread(): Worker {
  if (worker) return worker;
  const started = spawn();
  started.unref();
  started.on('message', (result: WorkbookResult) => {
    const job = waiting.get(result.id);
    if (!job) return;
    waiting.delete(result.id);
    if (waiting.size === 0) started.unref();
    if ('error' in result) job.reject(new Error(result.error));
    else {
      workbookThreadStats.onThread++;
      job.resolve(Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength));
    }
  });
  const fail = (error: Error): void => {
    if (worker === started) worker = null;
    for (const job of waiting.values()) job.reject(error);
    waiting.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the workbook thread exited (${code})`)));
  worker = started;
  return started;
}

/** The recap's workbook, built off the bot's thread (on it, should no thread start). */
export async function recapWorkbookOffThread(recap: Recap, meta: WorkbookMeta): Promise<Buffer> {
  let w: Worker;
  try {
    w = thread();
  } catch {
    workbookThreadStats.fallbacks++;
    return recapWorkbook(recap, meta);
  }
  const id = nextId++;
  const done = new Promise<Buffer>((resolve, reject) => waiting.set(id, { resolve, reject }));
  // A thread that died (or never started) builds nothing: the file is built here instead.
  const file = done.catch(() => {
    workbookThreadStats.fallbacks++;
    return recapWorkbook(recap, meta);
  });
  w.ref(); // a file being built keeps the process up until it is done
  // Copying a message to a thread holds this one until it is copied: a province's members
  // go over in pieces, other chats answered in between, then the rest, which starts the build.
  try {
    for (let from = 0; from < recap.members.length; from += MEMBERS_PER_MESSAGE) {
      w.postMessage({ id, members: recap.members.slice(from, from + MEMBERS_PER_MESSAGE) } satisfies WorkbookMessage);
      await yieldToLoop();
    }
    // The day's raw members are not in the file (the recap's own members are).
    const rest: Recap = { ...recap, members: [], day: { ...recap.day, members: [] } };
    w.postMessage({ id, recap: rest, meta } satisfies WorkbookMessage);
  } catch (error) {
    // A piece that could not be sent: the thread forgets the job, and the file is built here.
    w.postMessage({ id, abandon: true } satisfies WorkbookMessage);
    const job = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) w.unref();
    job?.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return file;
}
