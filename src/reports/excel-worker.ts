/**
 * The thread that builds recap workbooks (see excel-thread.ts): a message with an id, a
 * recap (its members in pieces, then the rest) and its meta in, the file's bytes (or the
 * error's message) out.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { Recap, RecapMember } from '../compliance/recap.js';
import { recapWorkbook, type WorkbookMeta } from './excel.js';

/** A piece of a job's members, the rest of the job (which starts the build), or word that the job was given up. */
export type WorkbookMessage =
  | { id: number; members: RecapMember[] }
  | { id: number; recap: Recap; meta: WorkbookMeta }
  | { id: number; abandon: true };

export type WorkbookResult = { id: number; data: Uint8Array } | { id: number; error: string };

/** The thread's nice value: lower priority than the bot's thread (0). */
const WORKBOOK_NICE = 10;

/** Members received so far, by job. */
const received = new Map<number, RecapMember[]>();

// Chats come first: this thread only builds files, so it yields the CPU to the bot's
// thread and the database whenever they want it. (On Linux a nice value is per thread.)
try {
  setPriority(WORKBOOK_NICE);
} catch {
  // Not allowed here: the file is built at the usual priority.
}

// A piece that could not be read: every job waiting for pieces fails (its file is built on the bot's thread).
parentPort?.on('messageerror', () => {
  for (const id of received.keys()) parentPort?.postMessage({ id, error: 'a piece of the job could not be read' } satisfies WorkbookResult);
  received.clear();
});

parentPort?.on('message', async (message: WorkbookMessage) => {
  if ('abandon' in message) {
    received.delete(message.id);
    return;
  }
  if ('members' in message) {
    const members = received.get(message.id);
    if (members) for (const m of message.members) members.push(m);
    else received.set(message.id, message.members);
    return;
  }
  const recap: Recap = { ...message.recap, members: received.get(message.id) ?? [] };
  received.delete(message.id);
  let result: WorkbookResult;
  try {
    const file = await recapWorkbook(recap, message.meta);
    result = { id: message.id, data: new Uint8Array(file.buffer, file.byteOffset, file.byteLength) };
  } catch (error) {
    result = { id: message.id, error: error instanceof Error ? error.message : String(error) };
  }
  // The bytes are handed over, not copied, when the file owns its memory.
  const own = 'data' in result && result.data.byteOffset === 0 && result.data.byteLength === result.data.buffer.byteLength;
  parentPort?.postMessage(result, own && 'data' in result ? [result.data.buffer as ArrayBuffer] : []);
});
