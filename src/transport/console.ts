/**
 * The terminal as a chat: `play()` feeds a line in as a message. Outgoing messages
 * are printed as `→ <chatId>`, the text, then a blank line; documents and images are
 * saved to disk (an image prints as `[gambar] <absolute path>` on a line of its own,
 * then its caption). A send resolves only once its bytes were handed to the operating
 * system, so the outbox never marks a row sent that a killed process did not print.
 *
 * Endpoints: the console bot of `cicero start` uses one stable endpoint (`console`),
 * so a restart prints what the previous process queued; `cicero chat` and `cicero
 * send` use one of their own per process, so they never print a running bot's rows.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { BaseTransport, type Disposition, type OutgoingDocument, type OutgoingImage, type Transport } from './transport.js';

/** The endpoint of `cicero start` on the console. */
export const CONSOLE_ENDPOINT = 'console';

/** An endpoint no other process uses (`cicero chat`, `cicero send`). */
export function privateConsoleEndpoint(): string {
  return `${CONSOLE_ENDPOINT}:${randomUUID()}`;
}

export class ConsoleTransport extends BaseTransport implements Transport {
  readonly name = 'console' as const;

  constructor(
    private readonly output: Writable,
    private readonly documentsDir: string,
    readonly endpoint: string,
  ) {
    super();
  }

  /** Resolves once the text was written out (flushed to the pipe or file), rejects when it could not be. */
  private print(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.output.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }

  async start(): Promise<void> {
    this.setState('ready');
  }

  async stop(): Promise<void> {
    this.setState('stopped');
  }

  async sendText(chatId: string, text: string): Promise<void> {
    await this.print(`→ ${chatId}\n${text}\n\n`);
  }

  /** Writes the bytes under documentsDir (a safe name, prefixed with the time); resolves to the absolute path. */
  private async save(fileName: string, data: Buffer): Promise<string> {
    mkdirSync(this.documentsDir, { recursive: true });
    const safeName = fileName.replace(/[^\w.\- ]+/g, '_');
    const file = path.resolve(this.documentsDir, `${Date.now()}-${safeName}`);
    await writeFile(file, data);
    return file;
  }

  async sendDocument(chatId: string, document: OutgoingDocument): Promise<void> {
    const file = await this.save(document.fileName, document.data);
    const caption = document.caption ? `\n${document.caption}` : '';
    await this.print(`→ ${chatId}\n[dokumen] ${document.fileName} (${document.data.length} B) ${file}${caption}\n\n`);
  }

  async sendImage(chatId: string, image: OutgoingImage): Promise<void> {
    const file = await this.save(image.fileName, image.data);
    const caption = image.caption ? `${image.caption}\n` : '';
    await this.print(`→ ${chatId}\n[gambar] ${file}\n${caption}\n`);
  }

  /** One message from `senderId`, in `groupId` when given, else in the private chat; resolves to its disposition. */
  async play(senderId: string, text: string, groupId?: string): Promise<Disposition> {
    return this.deliver({
      id: `console-${randomUUID()}`,
      chatId: groupId ?? senderId,
      senderId,
      isGroup: groupId !== undefined,
      text,
      timestamp: new Date(),
    });
  }
}
