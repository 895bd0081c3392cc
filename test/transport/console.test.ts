import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Presence } from '../../src/db/presence.js';
import { ConsoleTransport } from '../../src/transport/console.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { createTestOutbox } from '../helpers/outbox.js';

/** A pipe whose reader is slow: each write completes only when the test says so. */
class SlowPipe extends Writable {
  readonly written: string[] = [];
  private readonly pending: Array<() => void> = [];
  private arrived: () => void = () => {};
  /** Resolves when the next write reaches the pipe. */
  readonly firstWrite = new Promise<void>((resolve) => {
    this.arrived = resolve;
  });
  override _write(chunk: Buffer, _encoding: string, done: (error?: Error | null) => void): void {
    this.pending.push(() => {
      this.written.push(chunk.toString());
      done();
    });
    this.arrived();
  }
  completeOne(): void {
    this.pending.shift()?.();
  }
}

describe(`console transport (${backend})`, () => {
  const database = useTestDatabase();

  it('resolves a send only once the bytes were written, so the outbox marks a row sent only after it was printed', async () => {
    const pipe = new SlowPipe();
    const transport = new ConsoleTransport(pipe, mkdtempSync(path.join(os.tmpdir(), 'cicero-console-')), 'console:test');
    const presence = new Presence(database().db);
    const { outbox } = await createTestOutbox(database().db, {}, transport as never, presence);
    await outbox.enqueue({ chatId: '6281300000003@c.us', key: 'slow-1', text: 'halo' });
    const sending = outbox.step();
    // The write is in flight: the row is claimed, not sent.
    await pipe.firstWrite;
    const before = await database().db.query(`SELECT status FROM outbox WHERE message_key = 'slow-1'`);
    expect(before.rows).toEqual([{ status: 'sending' }]);
    pipe.completeOne();
    await sending;
    const after = await database().db.query(`SELECT status FROM outbox WHERE message_key = 'slow-1'`);
    expect(after.rows).toEqual([{ status: 'sent' }]);
    expect(pipe.written).toEqual(['→ 6281300000003@c.us\nhalo\n\n']);
  });

  it('a write that fails is a failed send, retried later', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error('EPIPE: broken pipe'));
      },
    });
    broken.on('error', () => {});
    const transport = new ConsoleTransport(broken, mkdtempSync(path.join(os.tmpdir(), 'cicero-console-')), 'console:broken');
    await expect(transport.sendText('a@c.us', 'x')).rejects.toThrow('EPIPE');
  });
});
