/**
 * Where messages wait while the database is away.
 *
 * - Arrival order is kept, and while anything waits every newer message queues behind
 *   it, so a sender's later message is never answered before an earlier one.
 * - The database is probed every second, whatever happened before: once it answers,
 *   the waiting messages go first, in order, within about a second.
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

  constructor(private readonly options: WaitingRoomOptions) {}

  /** True while messages wait: newer ones must queue behind them. */
  holding(): boolean {
    return this.queue.length > 0;
  }

  size(): number {
    return this.queue.length;
  }

  /** Puts a message at the back of the queue (or refuses it when the room is full). */
  hold(message: InboundMessage): void {
    const { max, log } = this.options;
    if (this.queue.length >= max) {
      log.error({ chatId: message.chatId }, 'database unavailable and the waiting room is full; message refused');
      this.options.tell(message.chatId, 'overload');
      return;
    }
    if (this.queue.length === 0) log.error('database unavailable; holding incoming messages until it is back');
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
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      try {
        await this.options.handle(head.message);
      } catch (error) {
        if (isDatabaseUnavailable(error)) {
          this.notify();
          return; // away again: the next round tries from here
        }
        // `handle` answers its own failures; this is a bug, and the message must not block the rest.
        log.error({ err: error, chatId: head.message.chatId }, 'held message failed');
      }
      this.queue.shift();
      handled++;
    }
    this.pause();
    this.told.clear();
    log.info({ handled }, 'database is back; held messages handled');
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
