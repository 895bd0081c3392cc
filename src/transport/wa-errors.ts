/** What whatsapp-web.js and puppeteer throw, read as our own few cases. */
import { inspect } from 'node:util';

/**
 * One line saying what went wrong, whatever was thrown: the library throws strings
 * ('auth timeout'), puppeteer Errors, and sometimes plain objects (an ErrorEvent from a
 * closed connection) that `String()` would print as `[object Object]`.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return firstLine(error.message) || error.name;
  if (typeof error === 'string') return firstLine(error) || 'unknown error';
  if (error && typeof error === 'object') {
    const { message, type, reason } = error as { message?: unknown; type?: unknown; reason?: unknown };
    for (const candidate of [message, reason]) {
      if (typeof candidate === 'string' && candidate.trim()) return firstLine(candidate);
    }
    if (typeof type === 'string' && type) return `${type} event`;
    return firstLine(inspect(error, { depth: 1, breakLength: Number.POSITIVE_INFINITY }));
  }
  return String(error);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim().slice(0, 500);
}

/**
 * Errors that mean the browser page is gone (Chromium crashed or WhatsApp Web reloaded;
 * "reading 'getChat'" is the library's helpers missing from a reloaded page): the library
 * does not notice, so every later call fails the same way until we reconnect.
 */
const CONNECTION_LOST =
  /detached Frame|Target closed|Target crashed|Page crashed|Session closed|Execution context was destroyed|Connection closed|Protocol error.*(?:closed|detached)|Navigating frame was detached|browser has disconnected|reading 'getChat'|WWebJS is not defined/i;

export function isConnectionLost(error: unknown): boolean {
  return CONNECTION_LOST.test(describeError(error));
}

/** `sendMessage` to a `…@c.us` id WhatsApp only knows by its LID. */
export function isNoLid(error: unknown): boolean {
  return /No LID for user/i.test(describeError(error));
}

/**
 * WhatsApp refused a message after accepting it locally (its ack turned to -1). Error
 * 463, WhatsApp's sign that it restricts the number, arrives this way, so the outbox
 * treats a refusal as a restriction (see `isRestriction`).
 */
export class SendRefusedError extends Error {
  override name = 'SendRefusedError';
  constructor(chatId: string) {
    super(`WhatsApp refused the message to ${chatId} (ack -1, the way error 463 arrives)`);
  }
}
