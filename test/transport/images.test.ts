/** Pictures through the memory and console transports. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleTransport } from '../../src/transport/console.js';
import { MemoryTransport } from '../../src/transport/memory.js';

/** The PNG signature and a few bytes, enough to compare byte for byte. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10]);

class Collect extends Writable {
  readonly written: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: (error?: Error | null) => void): void {
    this.written.push(chunk.toString());
    done();
  }
}

describe('images on the memory transport', () => {
  it('keeps the image with its bytes, and takeTexts drops it', async () => {
    const transport = new MemoryTransport();
    await transport.sendImage('6281@c.us', { fileName: 'grafik.png', data: PNG, caption: 'Grafik' });
    await transport.sendText('6281@c.us', 'halo');
    expect(transport.sent[0]).toEqual({ chatId: '6281@c.us', kind: 'image', image: { fileName: 'grafik.png', data: PNG, caption: 'Grafik' } });
    const first = transport.sent[0];
    expect(first?.kind === 'image' && first.image.data.equals(PNG)).toBe(true);
    expect(transport.takeTexts()).toEqual([{ chatId: '6281@c.us', text: 'halo' }]);
  });

  it('fails an image send while failSends is set', async () => {
    const transport = new MemoryTransport();
    transport.failSends = new Error('boom');
    await expect(transport.sendImage('6281@c.us', { fileName: 'grafik.png', data: PNG })).rejects.toThrow('boom');
    expect(transport.sent).toEqual([]);
  });
});

describe('images on the console transport', () => {
  it('saves the picture and prints `[gambar] <absolute path>` on its own line, then the caption', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cicero-console-img-'));
    const out = new Collect();
    const transport = new ConsoleTransport(out, dir, 'console:img');
    await transport.sendImage('6281@c.us', { fileName: 'grafik/likes?.png', data: PNG, caption: 'Grafik likes' });
    const printed = out.written.join('');
    const match = /^→ 6281@c\.us\n\[gambar\] (.+)\nGrafik likes\n\n$/.exec(printed);
    expect(match, printed).not.toBeNull();
    const file = match![1]!;
    expect(path.isAbsolute(file)).toBe(true);
    expect(path.dirname(file)).toBe(path.resolve(dir));
    expect(path.basename(file)).toMatch(/^\d+-grafik_likes_\.png$/);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).equals(PNG)).toBe(true);
  });

  it('prints no caption line for an image without one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cicero-console-img-'));
    const out = new Collect();
    const transport = new ConsoleTransport(out, dir, 'console:img');
    await transport.sendImage('6281@c.us', { fileName: 'grafik.png', data: PNG });
    expect(out.written.join('')).toMatch(/^→ 6281@c\.us\n\[gambar\] \/.+grafik\.png\n\n$/);
  });
});
