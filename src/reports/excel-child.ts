/**
 * The process that builds recap workbooks (see excel-process.ts): a message with an id, a
 * recap (its members in pieces, then the rest; or, for the members last sent whole, what each
 * did this time) and its meta in, the file's bytes (or the error's message) out, one file at a
 * time. From its first line on, the whole process runs at a lower priority than the bot,
 * threads included: the build itself, V8's collector threads and libuv's pool (zlib's
 * deflate), so that all of it gives way to the bot's thread and the database. (Node's own start and the tsx loader in tests, before that line, do not.)
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { deserialize } from 'node:v8';
import type { Recap, RecapMember } from '../compliance/recap.js';
import type { WorkbookMeta } from './excel.js';
import { joinMembers, type ReportColumns } from './member-columns.js';

/**
 * A piece of a job's members (a serialised array); the rest of the job, which starts the
 * build and from then on names those members `table`; a job of the members last sent under
 * `table`, with what each did this time (member-columns.ts); word that a job was given up;
 * or whether the bot is answering a chat.
 */
export type WorkbookMessage =
  | { id: number; piece: Uint8Array }
  | { id: number; table: number; recap: Recap; meta: WorkbookMeta }
  | { id: number; table: number; columns: ReportColumns; recap: Recap; meta: WorkbookMeta }
  | { id: number; abandon: true }
  | { hold: boolean };

/** The file, and how often its build gave way to the bot answering a chat. */
export type WorkbookResult = { id: number; data: Uint8Array; gaveWay: number } | { id: number; error: string };

/** The nice value the bot asks for (its first argument). */
const nice = Number(process.argv[2]);

/**
 * On Linux a nice value belongs to a thread, and a thread started later takes its
 * starter's: every thread running now is lowered, which covers V8's helper threads
 * (started before this runs) and, through the main thread, libuv's pool (started on first use).
 */
function lowerPriority(): void {
  let threads: string[] = [];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    // Not Linux: a process's nice value covers its threads.
  }
  for (const id of [0, ...threads.map(Number)]) {
    try {
      setPriority(id, nice);
    } catch {
      // Not allowed here: that thread keeps the usual priority.
    }
  }
}

/** Members received so far, by job. */
const received = new Map<number, RecapMember[]>();

function send(result: WorkbookResult): void {
  process.send?.(result);
}

/**
 * Work between two looks at whether the bot is answering a chat: none beyond the writer's own
 * step, so it looks every 32 rows (about half a millisecond). A look costs a turn of the event
 * loop, where the bot's word arrives: with a look every millisecond the file waited too late to
 * matter (others' p50 still 1.2 ms over idle); every 32 rows, 0.8 ms.
 */
const SLICE_MS = 0;
/**
 * The longest one wait for the bot lasts: a bot answering without pause (a flood) still lets
 * the file go on, a millisecond in every eleven.
 */
const HOLD_MAX_MS = 10;
/** The bot is answering a chat (it says so as it starts and ends); the build waits at its next look. */
let held = false;
let release: (() => void) | null = null;
let gaveWay = 0;

function waitWhileHeld(): Promise<void> | undefined {
  if (!held) return undefined;
  gaveWay++;
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      release = null;
      resolve();
    };
    const timer = setTimeout(done, HOLD_MAX_MS);
    release = done;
  });
}

if (Number.isInteger(nice)) lowerPriority();
// Loaded after the priority is lowered: ExcelJS takes a good part of the start.
const { giveWayEvery, recapWorkbook } = await import('./excel.js');
giveWayEvery(SLICE_MS, waitWhileHeld);

async function build(id: number, recap: Recap, meta: WorkbookMeta): Promise<void> {
  try {
    gaveWay = 0;
    const file = await recapWorkbook(recap, meta);
    send({ id, data: new Uint8Array(file.buffer, file.byteOffset, file.byteLength), gaveWay });
  } catch (error) {
    send({ id, error: error instanceof Error ? error.message : String(error) });
  }
}

/** The members last sent whole, under the bot's number for them. */
let table: { id: number; members: readonly RecapMember[] } | null = null;

/**
 * A job's members: those just received (now known under its table number), or the known ones
 * with what the job says each did. A job naming members this process does not know throws,
 * which ends the process: the bot then builds the file itself.
 */
function membersOf(message: Extract<WorkbookMessage, { table: number }>): RecapMember[] {
  if (!('columns' in message)) {
    const members = received.get(message.id) ?? [];
    received.delete(message.id);
    table = { id: message.table, members };
    return members;
  }
  if (table?.id !== message.table) throw new Error(`job ${message.id}: members ${message.table} unknown here`);
  return joinMembers(table.members, message.columns);
}

// A piece that cannot be read throws here and ends this process: the bot builds its jobs itself.
function receive(id: number, piece: Uint8Array): void {
  const members = deserialize(piece) as RecapMember[];
  const soFar = received.get(id);
  if (soFar) for (const m of members) soFar.push(m);
  else received.set(id, members);
}

/** Builds run one after another: two province files at once would only both be late, in twice the memory. */
let queue: Promise<void> = Promise.resolve();
process.on('message', (message: WorkbookMessage) => {
  if ('hold' in message) {
    held = message.hold;
    if (!held) release?.();
  } else if ('abandon' in message) received.delete(message.id);
  else if ('piece' in message) receive(message.id, message.piece);
  else {
    // Taken now, in the order the jobs came: a later job may name these members.
    const recap: Recap = { ...message.recap, members: membersOf(message) };
    queue = queue.then(() => build(message.id, recap, message.meta));
  }
});
// The bot is gone (or let this process go): nothing more will be asked.
process.on('disconnect', () => process.exit(0));
