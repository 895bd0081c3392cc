/**
 * Dashboard passwords as bcrypt hashes. The `bcrypt` package hashes and compares on
 * worker threads at the lowest CPU priority (./bcrypt-thread.ts), so a sign-in never
 * stalls the event loop nor takes the CPU the chat engine needs. A compare keeps a
 * core busy for a quarter of a second at cost 12, so at most one fewer than the
 * machine's cores run at once (at least one): a burst of sign-ins (or guesses) waits
 * its turn, and beyond `MAX_WAITING` waiting it is refused at once.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import bcrypt from 'bcrypt';
import { BcryptThread, BcryptThreadGone } from './bcrypt-thread.js';

const SLOTS = Math.max(1, availableParallelism() - 1);
const threads = Array.from({ length: SLOTS }, () => new BcryptThread());
/** The least busy thread (at most `SLOTS` calls run at once, so an idle one is always there). */
const thread = (): BcryptThread => threads.reduce((best, t) => (t.load() < best.load() ? t : best));

/** Where hashes and compares run; tests replace its methods to hold or count them. */
export const engine = {
  hash: (password: string, cost: number): Promise<string> => thread().hash(password, cost),
  compare: (password: string, hash: string): Promise<boolean> => thread().compare(password, hash),
  /** The nice value the bcrypt threads run at. */
  priority: (): Promise<number> => threads[0]!.priority(),
};
/**
 * At most this many hashes and compares wait for a slot; one more is refused at once
 * (`PasswordQueueFull`), so a flood of sign-ins cannot queue work (and replies) without bound.
 */
export const MAX_WAITING = 16;
let running = 0;
const waiting: Array<() => void> = [];

/** Thrown, before any work, when `MAX_WAITING` hashes or compares wait already. */
export class PasswordQueueFull extends Error {
  override name = 'PasswordQueueFull';
  constructor() {
    super('too many password checks waiting');
  }
}

/** How busy the bcrypt slots are (for tests and status). */
export function passwordQueue(): { slots: number; running: number; waiting: number } {
  return { slots: SLOTS, running, waiting: waiting.length };
}

/** Whether a hash or compare asked for now would be refused. */
export function passwordQueueFull(): boolean {
  return running >= SLOTS && waiting.length >= MAX_WAITING;
}

/**
 * Runs `work` when a bcrypt slot is free; throws `PasswordQueueFull` when the queue is
 * full. The slot is taken (or the place in the queue) synchronously, on the call.
 */
function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= SLOTS) {
    if (waiting.length >= MAX_WAITING) return Promise.reject(new PasswordQueueFull());
    return new Promise<void>((resolve) => waiting.push(resolve)).then(() => runSlot(work));
  }
  running++;
  return runSlot(work);
}

async function runSlot<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** bcrypt reads at most this many bytes of a password; longer ones are refused, not cut. */
export const PASSWORD_MAX_BYTES = 72;
export const PASSWORD_MIN_CHARS = 8;

/** Why a new password is not accepted (English: the command line asks for it), or null. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < PASSWORD_MIN_CHARS) return `the password must have at least ${PASSWORD_MIN_CHARS} characters`;
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return `the password must be at most ${PASSWORD_MAX_BYTES} bytes (bcrypt ignores the rest)`;
  }
  if (password.includes('\u0000')) return 'the password must not contain a NUL character';
  // A chat command's arguments are trimmed, so such a password could never sign in by chat.
  if (password.trim() !== password) return 'the password must not begin or end with a space';
  return null;
}

export function hashPassword(password: string, cost: number): Promise<string> {
  return inSlot(() => engine.hash(password, cost));
}

/**
 * False for a wrong password and for a stored value that is not a bcrypt hash; throws
 * `PasswordQueueFull` (before comparing) when too many checks wait already, and
 * `BcryptThreadGone` when the thread died before answering.
 */
export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return inSlot(async () => {
    try {
      return await engine.compare(password, hash);
    } catch (error) {
      // A thread that died computed nothing: not a wrong password.
      if (error instanceof BcryptThreadGone) throw error;
      return false;
    }
  });
}

/** Whether `hash` was made with a lower cost than `cost` (false for a value that is not a bcrypt hash). */
export function hashCostBelow(hash: string, cost: number): boolean {
  try {
    return bcrypt.getRounds(hash) < cost;
  } catch {
    return false;
  }
}

/**
 * A hash of a random password at `cost`, compared against when the username is
 * unknown, so an unknown username costs the same time as a wrong password.
 */
export function dummyHash(cost: number): Promise<string> {
  return inSlot(() => engine.hash(randomBytes(16).toString('hex'), cost));
}
