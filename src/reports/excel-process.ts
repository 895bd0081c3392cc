/**
 * The recap workbook built in a process of its own: a province's file is 0.4-0.7 s of
 * CPU, which on the bot's thread would hold up every other chat meanwhile. A worker
 * thread took it off the bot's thread, but not off its process: V8's collector threads
 * and libuv's pool (zlib's deflate, about 0.1 s of CPU per file) ran beside the bot at its
 * priority, and on two cores other chats' replies still waited behind them. A process of
 * its own runs all of that at a lower priority (excel-child.ts). One process, started on
 * first use and kept (its start costs more than a file), running one file at a time; it
 * does not keep the bot alive, and it ends when the bot does. It keeps the members it was last
 * sent whole, so that a report of the same members sends only what each did (member-columns.ts).
 * Should it fail to start or die (a piece it cannot read, or a job naming members it does not
 * know, ends it too), the file is built here: slower for other chats, never missing. A file it
 * could not build fails (WorkbookBuildError): it would fail here alike.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { deserialize, serialize } from 'node:v8';
import type { Recap, RecapMember } from '../compliance/recap.js';
import { isAnswering, onAnswering } from '../concurrency/foreground.js';
import type { WorkbookMessage, WorkbookResult } from './excel-child.js';
import { recapWorkbook, type WorkbookMeta } from './excel.js';
import { type FixedMember, fixedOf, joinMembers, reportColumns, sameFixed } from './member-columns.js';

interface Waiting {
  /** The process building it: when that one fails, only its own jobs do. */
  builder: ChildProcess;
  resolve: (data: Buffer) => void;
  reject: (error: Error) => void;
}

/** The file could not be built (in the process): the same recap would fail here too, so there is no fallback. */
export class WorkbookBuildError extends Error {}

let child: ChildProcess | null = null;
const waiting = new Map<number, Waiting>();
let nextId = 1;
/** About 3 ms of serialising each. */
const MEMBERS_PER_MESSAGE = 1000;
/** The workbook process's nice value: lower priority than the bot's (0). */
export const WORKBOOK_NICE = 10;
/**
 * Files built in the process, built here because it failed, how often the process gave way to
 * the bot answering a chat, and jobs whose members were sent whole (the others sent only what
 * each member did). Tests and logs read them.
 */
export const workbookProcessStats = { inProcess: 0, fallbacks: 0, gaveWay: 0, membersSent: 0 };

/**
 * The members the process was last sent whole (their fixed fields), under a number: a later
 * recap of the same members sends only what they did (member-columns.ts). Another process
 * knows none.
 */
let known: { builder: ChildProcess; table: number; fixed: FixedMember[] } | null = null;
let nextTable = 1;

/**
 * A young generation large enough for a province's file: with V8's default (16 MB
 * semi-spaces) the file's short-lived rows outlive a dozen scavenges each and a tenth of
 * the build was spent copying them (measured on the worker thread this process replaced:
 * 235 ms of collection per file, 45 ms with a 64 MB young generation, which is about what
 * 32 MB semi-spaces give: two of them and the new large-object space).
 */
const NODE_FLAGS = ['--max-semi-space-size=32'];

/** The child's script: compiled JavaScript in production; the TypeScript source (through tsx) in tests and benchmarks. */
function spawn(): ChildProcess {
  const here = import.meta.url;
  const typescript = here.endsWith('.ts');
  const script = new URL(typescript ? './excel-child.ts' : './excel-child.js', here);
  return fork(script, [String(WORKBOOK_NICE)], {
    execArgv: typescript ? [...NODE_FLAGS, '--import', 'tsx'] : NODE_FLAGS,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Idle, the process and its channel do not keep the bot alive; a file being built does, until it is done. */
function hold(builder: ChildProcess, busy: boolean): void {
  if (busy) {
    builder.ref();
    builder.channel?.ref();
  } else {
    builder.unref();
    builder.channel?.unref();
  }
}

/** Takes a job off the list; its process is let go (unref'd) when it has no other. */
function settle(id: number): Waiting | undefined {
  const job = waiting.get(id);
  if (!job) return undefined;
  waiting.delete(id);
  if (!building(job.builder)) hold(job.builder, false);
  return job;
}

function started(): ChildProcess {
  if (child) return child;
  const spawned = spawn();
  hold(spawned, false);
  spawned.on('message', (result: WorkbookResult) => {
    const job = settle(result.id);
    if (!job) return;
    if ('error' in result) job.reject(new WorkbookBuildError(result.error));
    else {
      workbookProcessStats.inProcess++;
      workbookProcessStats.gaveWay += result.gaveWay;
      job.resolve(Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength));
    }
  });
  // An error and then the exit may both come: the second finds nothing left of this process's.
  const fail = (error: Error): void => {
    if (child === spawned) child = null;
    if (known?.builder === spawned) known = null; // a new process knows no members
    for (const [id, job] of [...waiting]) if (job.builder === spawned) settle(id)?.reject(error);
  };
  spawned.on('error', fail);
  spawned.on('exit', (code, signal) => fail(new Error(`the workbook process exited (${signal ?? code})`)));
  child = spawned;
  return spawned;
}

/** Whether the process has a file to build: only then is it told about the chats the bot answers. */
function building(builder: ChildProcess): boolean {
  for (const job of waiting.values()) if (job.builder === builder) return true;
  return false;
}

/**
 * The process waits while the bot answers a chat (excel-child.ts): niced, it still slowed
 * every reply on two shared cores (others' p50 a millisecond over idle, their p99 about twice).
 */
function tellHold(builder: ChildProcess, hold: boolean): void {
  try {
    if (builder.connected) builder.send({ hold } satisfies WorkbookMessage);
  } catch {
    // Gone: its jobs fail over to this process (see started).
  }
}
onAnswering((busy) => {
  if (child && building(child)) tellHold(child, busy);
});

/** The process id of the workbook process, while it runs (for tests and diagnostics). */
export function workbookProcessId(): number | undefined {
  return child?.pid;
}

/** Sends one message; throws when the process can no longer be reached. */
function post(builder: ChildProcess, message: WorkbookMessage): void {
  if (!builder.connected) throw new Error('the workbook process is not connected');
  builder.send(message);
}

/**
 * The recap's workbook, built in the workbook process (here, should it fail).
 *
 * Not an async function on purpose: nothing waiting for the file holds the recap. A
 * province's 10,000 members, kept alive for the half second of a build, were copied out of
 * the young generation by the bot's next scavenge (4-7 MB, 5-13 ms in which no chat is
 * answered); taken now and released once they are sent, they die young. What a fallback
 * builds from lives apart from them: the serialised pieces (outside V8's heap), or the
 * members' fixed fields kept since they were last sent whole and this report's columns.
 */
export function recapWorkbookOffThread(recap: Recap, meta: WorkbookMeta): Promise<Buffer> {
  let builder: ChildProcess;
  try {
    builder = started();
  } catch {
    workbookProcessStats.fallbacks++;
    return recapWorkbook(recap, meta);
  }
  const id = nextId++;
  const done = new Promise<Buffer>((resolve, reject) => waiting.set(id, { builder, resolve, reject }));
  hold(builder, true);
  tellHold(builder, isAnswering()); // it may still think the bot busy from the last file
  // The day's raw members are not in the file (the recap's own members are).
  const rest: Recap = { ...recap, members: [], day: { ...recap.day, members: [] } };
  const same = known !== null && known.builder === builder && sameFixed(known.fixed, recap.members) ? known : null;
  const members = same ? sendColumns(builder, id, same, recap.members, rest, meta) : sendWhole(builder, id, recap.members, rest, meta);
  // A process that died (or never started) builds nothing: the file is built here instead.
  return done.catch(async (error: unknown) => {
    const all = await members;
    if (error instanceof WorkbookBuildError || all === null) throw error;
    workbookProcessStats.fallbacks++;
    return recapWorkbook({ ...rest, members: all() }, meta);
  });
}

/** The members rebuilt for a fallback; null when no file can be built from them, anywhere. */
type Rebuild = (() => RecapMember[]) | null;

/** The same members as last sent whole: only what they did goes over, in one message that starts the build. */
function sendColumns(
  builder: ChildProcess,
  id: number,
  same: NonNullable<typeof known>,
  members: readonly RecapMember[],
  rest: Recap,
  meta: WorkbookMeta,
): Promise<Rebuild> {
  const columns = reportColumns(members);
  try {
    post(builder, { id, table: same.table, columns, recap: rest, meta });
  } catch (error) {
    abandon(builder, id, error);
  }
  return Promise.resolve(() => joinMembers(same.fixed, columns));
}

/** Members sent whole, in pieces (sendJob); once all are sent, the process knows them under a new number. */
async function sendWhole(builder: ChildProcess, id: number, members: readonly RecapMember[], rest: Recap, meta: WorkbookMeta): Promise<Rebuild> {
  const table = nextTable++;
  const fixed = members.map(fixedOf);
  workbookProcessStats.membersSent++;
  // Known from the moment the last message is sent: any job sent after it may name them.
  const pieces = await sendJob(builder, id, members, rest, meta, table, () => {
    known = { builder, table, fixed };
  });
  return pieces && (() => pieces.flatMap((piece) => deserialize(piece) as RecapMember[]));
}

/**
 * Serialising holds this thread until it is done: a province's members go over in pieces,
 * other chats answered in between, then the rest, which starts the build. Every piece is
 * serialised even when the process is gone (a fallback needs them all). Calls `sent` once
 * everything reached the channel. Returns the pieces; null when the members could not be
 * serialised (no file can be built from them, anywhere).
 * Never rejects: every failure ends the job.
 */
async function sendJob(
  builder: ChildProcess,
  id: number,
  members: readonly RecapMember[],
  rest: Recap,
  meta: WorkbookMeta,
  table: number,
  sent: () => void,
): Promise<Buffer[] | null> {
  const pieces: Buffer[] = [];
  let failure: unknown = null;
  const send = (message: WorkbookMessage): void => {
    if (failure !== null) return;
    try {
      post(builder, message);
    } catch (error) {
      failure = error;
    }
  };
  try {
    for (let from = 0; from < members.length; from += MEMBERS_PER_MESSAGE) {
      const piece = serialize(members.slice(from, from + MEMBERS_PER_MESSAGE));
      pieces.push(piece);
      send({ id, piece });
      await yieldToLoop();
    }
  } catch (error) {
    abandon(builder, id, error);
    return null;
  }
  send({ id, table, recap: rest, meta });
  if (failure !== null) abandon(builder, id, failure);
  else sent();
  return pieces;
}

/** A job that could not be sent: the process forgets it, and its file fails (or is built here). */
function abandon(builder: ChildProcess, id: number, error: unknown): void {
  try {
    if (builder.connected) builder.send({ id, abandon: true } satisfies WorkbookMessage);
  } catch {
    // The process is going: it forgets everything.
  }
  settle(id)?.reject(error instanceof Error ? error : new Error(String(error)));
}
