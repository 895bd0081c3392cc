/**
 * An in-memory transport for tests and benchmarks: `receive()` plays a message in
 * and resolves once the bot has finished with it (to its disposition); what the bot
 * sent is in `sent`.
 */
import { randomUUID } from 'node:crypto';
import {
  BaseTransport,
  type Disposition,
  type InboundMessage,
  type OutgoingDocument,
  type OutgoingImage,
  type RestrictionSignal,
  type Transport,
} from './transport.js';

export type SentMessage =
  | { chatId: string; kind: 'text'; text: string }
  | { chatId: string; kind: 'document'; document: OutgoingDocument }
  | { chatId: string; kind: 'image'; image: OutgoingImage };

export class MemoryTransport extends BaseTransport implements Transport {
  readonly name = 'memory' as const;

  /** A unique endpoint by default; tests of several processes give one they share. */
  constructor(readonly endpoint = `memory:${randomUUID()}`) {
    super();
  }
  readonly sent: SentMessage[] = [];
  /** When set, the next sends throw it (to test failures). */
  failSends: Error | null = null;
  /** The LID↔phone pairs "WhatsApp" knows, and the LIDs it was asked about. */
  readonly lidPhones = new Map<string, string>();
  readonly lidQuestions: string[] = [];

  async start(): Promise<void> {
    this.setState('ready');
  }

  async stop(): Promise<void> {
    this.setState('stopped');
  }

  /** Simulates a connection change (e.g. a disconnect). */
  simulateState(state: Parameters<BaseTransport['setState']>[0], detail?: string): void {
    this.setState(state, detail);
  }

  /** Simulates WhatsApp restricting the number; resolves once the bot has acted on it. */
  simulateRestriction(signal: RestrictionSignal): Promise<void> {
    return this.restricted(signal);
  }

  /** Group names this "WhatsApp" knows (tests set them). */
  readonly groupNames = new Map<string, string>();

  async groupName(chatId: string): Promise<string | null> {
    return this.groupNames.get(chatId) ?? null;
  }

  async phoneOfLid(lid: string): Promise<string | null> {
    this.lidQuestions.push(lid);
    return this.lidPhones.get(lid) ?? null;
  }

  async sendText(chatId: string, text: string): Promise<void> {
    if (this.failSends) throw this.failSends;
    this.sent.push({ chatId, kind: 'text', text });
  }

  async sendDocument(chatId: string, document: OutgoingDocument): Promise<void> {
    if (this.failSends) throw this.failSends;
    this.sent.push({ chatId, kind: 'document', document });
  }

  /** Keeps the image as given, bytes included. */
  async sendImage(chatId: string, image: OutgoingImage): Promise<void> {
    if (this.failSends) throw this.failSends;
    this.sent.push({ chatId, kind: 'image', image });
  }

  /**
   * Delivers a message as if it arrived from WhatsApp; fills in id and time when omitted.
   * Resolves to what the listeners made of it.
   */
  async receive(message: Partial<InboundMessage> & Pick<InboundMessage, 'senderId' | 'text'>): Promise<Disposition> {
    const isGroup = message.isGroup ?? message.chatId?.endsWith('@g.us') ?? false;
    return this.deliver({
      id: randomUUID(),
      chatId: message.senderId,
      timestamp: new Date(),
      ...message,
      isGroup,
    });
  }

  /** Everything sent since the last take, and forgets it. */
  takeSent(): SentMessage[] {
    return this.sent.splice(0, this.sent.length);
  }

  /** Texts sent since the last take (documents and images are dropped), and forgets them. */
  takeTexts(): Array<{ chatId: string; text: string }> {
    return this.takeSent().flatMap((m) => (m.kind === 'text' ? [{ chatId: m.chatId, text: m.text }] : []));
  }
}
