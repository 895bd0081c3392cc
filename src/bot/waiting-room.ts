/**
 * Where messages wait while the database is away.
 *
 * - Arrival order is kept, and while anything waits every newer message queues behind
 *   it, so a sender's later message is never answered before an earlier one.
 * - The database is probed every second, whatever happened before: once it answers,
 *   the waiting messages go first, each chat's in order and several chats at once, so a
 *   15-second outage's backlog is answered within about a second.
 * - A chat whose oldest waiting message reaches `noticeAfterMs` is told once, directly
 *   (the outbox needs the database), that its message will be handled.
 * - Bounded: past `max` a message is refused with a plea to send it again.
 */
import { isDatabaseUnavailable } from '../db/errors.js';
import type { Logger } from '../log.js';
import type { InboundMessage } from '../transport/transport.js';

export interface WaitingRoomOptions {
  max: number;
  noticeAfterMs: number;
  /** How often the database is probed while messages wait. */
  probeEveryMs: number;
  /** Resolves when the database answers. */
  probe(): Promise<unknown>;
  /** Handles a message; throws a database-unavailable error when it must wait again. */
  handle(message: InboundMessage): Promise<void>;
  /** Chats handled side by side once the database is back (their messages in order). */
  concurrency: number;
  /** Tells a chat something directly, best effort. */
  tell(chatId: string, notice: 'delay' | 'overload'): void;
  now(): number;
  log: Logger;
}

interface Waiting {
  message: InboundMessage;
  since: number;
}

export class WaitingRoom {
  private readonly queue: Waiting[] = [];
  private readonly told = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private closed = false;
  /** Messages of the backlog being handled now: newer messages still queue behind them. */
  private inDrain = 0;

  constructor(private readonly options: WaitingRoomOptions) {}

  /** True while messages wait: newer ones must queue behind them. */
  holding(): boolean {
    return this.queue.length > 0 || this.inDrain > 0;
  }

  size(): number {
    return this.queue.length + this.inDrain;
  }

  /** Puts a message at the back of the queue (or refuses it when the room is full). */
  hold(message: InboundMessage): void {
    const { max, log } = this.options;
    if (this.queue.length >= max) {
      log.error({ chatId: message.chatId }, 'database unavailable and the waiting room is full; message refused');
      this.options.tell(message.chatId, 'overload');
      return;
    }
    // Messages arriving while the backlog is handled queue too, but the database is back.
    if (!this.holding()) log.error('database unavailable; holding incoming messages until it is back');
    this.queue.push({ message, since: this.options.now() });
    if (!this.timer && !this.closed) {
      this.timer = setInterval(() => void this.tick(), this.options.probeEveryMs);
      this.timer.unref();
    }
  }

  /**
   * One round: tell the chats that waited long enough, probe the database, and when it
   * answers handle the waiting messages in order. Never two rounds at once.
   */
  tick(): Promise<void> {
    this.ticking ??= this.round().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  /** Stops the probe timer (rounds still run when called). */
  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Shutdown: nothing is handled from now on; returns how many messages still wait. */
  close(): number {
    this.closed = true;
    this.pause();
    return this.queue.length;
  }

  private async round(): Promise<void> {
    const { log } = this.options;
    if (this.closed) return;
    this.notify();
    if (this.queue.length === 0) return;
    try {
      await this.options.probe();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) log.error({ err: error }, 'database probe failed');
      return;
    }
    let handled = 0;
    try {
      // Whatever arrives meanwhile queues behind: take the queue in rounds until it stays empty.
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        this.inDrain = batch.length;
        const left = await this.handleBatch(batch);
        handled += batch.length - left.length;
        this.inDrain = 0;
        if (left.length > 0) {
          this.queue.unshift(...left); // away again: the next round starts from here, order intact
          this.notify();
          return;
        }
      }
    } finally {
      this.inDrain = 0;
    }
    this.pause();
    this.told.clear();
    log.info({ handled }, 'database is back; held messages handled');
  }

  /**
   * Handles a batch, each chat's messages in order, several chats at once. Returns what
   * is left, in arrival order, when the database went away again.
   */
  private async handleBatch(batch: Waiting[]): Promise<Waiting[]> {
    const chats = new Map<string, Waiting[]>();
    for (const waiting of batch) {
      const chat = chats.get(waiting.message.chatId);
      if (chat) chat.push(waiting);
      else chats.set(waiting.message.chatId, [waiting]);
    }
    const lines = [...chats.values()];
    const left = new Set<Waiting>();
    let away = false;
    const worker = async (): Promise<void> => {
      for (let line = lines.shift(); line; line = lines.shift()) {
        for (const [i, waiting] of line.entries()) {
          if (away) {
            for (const rest of line.slice(i)) left.add(rest);
            break;
          }
          try {
            await this.options.handle(waiting.message);
          } catch (error) {
            if (isDatabaseUnavailable(error)) {
              away = true;
              for (const rest of line.slice(i)) left.add(rest);
              break;
            }
            // `handle` answers its own failures; this is a bug, and the message must not block the rest.
            this.options.log.error({ err: error, chatId: waiting.message.chatId }, 'held message failed');
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, lines.length) }, worker));
    for (const line of lines) for (const waiting of line) left.add(waiting); // never started
    return batch.filter((waiting) => left.has(waiting));
  }

  private notify(): void {
    const now = this.options.now();
    for (const { message, since } of this.queue) {
      if (now - since < this.options.noticeAfterMs) break; // the rest arrived later
      if (this.told.has(message.chatId)) continue;
      this.told.add(message.chatId);
      this.options.tell(message.chatId, 'delay');
    }
  }
}
