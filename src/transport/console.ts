/**
 * The terminal as a chat: `play()` feeds a line in as a message and resolves once
 * every reply to it has been printed. Outgoing messages are printed as
 * `→ <chatId>`, the text, then a blank line; documents are saved to disk.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { BaseTransport, type OutgoingDocument, type Transport } from './transport.js';

export class ConsoleTransport extends BaseTransport implements Transport {
  readonly name = 'console' as const;
  readonly endpoint = `console:${randomUUID()}`;

  constructor(
    private readonly output: Writable,
    private readonly documentsDir: string,
  ) {
    super();
  }

  async start(): Promise<void> {
    this.setState('ready');
  }

  async stop(): Promise<void> {
    this.setState('stopped');
  }

  async sendText(chatId: string, text: string): Promise<void> {
    this.output.write(`→ ${chatId}\n${text}\n\n`);
  }

  async sendDocument(chatId: string, document: OutgoingDocument): Promise<void> {
    mkdirSync(this.documentsDir, { recursive: true });
    const safeName = document.fileName.replace(/[^\w.\- ]+/g, '_');
    const file = path.resolve(this.documentsDir, `${Date.now()}-${safeName}`);
    writeFileSync(file, document.data);
    const caption = document.caption ? `\n${document.caption}` : '';
    this.output.write(`→ ${chatId}\n[dokumen] ${document.fileName} (${document.data.length} B) ${file}${caption}\n\n`);
  }

  /** One message from `senderId`, in `groupId` when given, else in the private chat. */
  async play(senderId: string, text: string, groupId?: string): Promise<void> {
    await this.deliver({
      id: `console-${randomUUID()}`,
      chatId: groupId ?? senderId,
      senderId,
      isGroup: groupId !== undefined,
      text,
      timestamp: new Date(),
    });
  }
}
