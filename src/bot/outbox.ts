/**
 * How the bot sends. This is the small send interface the durable outbox will
 * implement; `DirectOutbox` sends straight through the transport, one message at a
 * time per chat so replies keep their order.
 */
import type { OutgoingDocument, Transport } from '../transport/transport.js';

export interface Outbox {
  sendText(chatId: string, text: string): Promise<void>;
  sendDocument(chatId: string, document: OutgoingDocument): Promise<void>;
  /** Messages accepted but not yet handed to WhatsApp. */
  depth(): number;
}

export class DirectOutbox implements Outbox {
  private pending = 0;
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly transport: Transport) {}

  depth(): number {
    return this.pending;
  }

  sendText(chatId: string, text: string): Promise<void> {
    return this.enqueue(chatId, () => this.transport.sendText(chatId, text));
  }

  sendDocument(chatId: string, document: OutgoingDocument): Promise<void> {
    return this.enqueue(chatId, () => this.transport.sendDocument(chatId, document));
  }

  private enqueue(chatId: string, send: () => Promise<void>): Promise<void> {
    this.pending++;
    const previous = this.tails.get(chatId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(send);
    const tail: Promise<void> = next
      .finally(() => {
        this.pending--;
        if (this.tails.get(chatId) === tail) this.tails.delete(chatId);
      })
      .catch(() => {}); // the caller sees the failure through `next`
    this.tails.set(chatId, tail);
    return next;
  }
}
