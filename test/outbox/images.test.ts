/** Pictures through the durable outbox: stored in the document columns, sent as images. */
import { describe, expect, it } from 'vitest';
import { isImageRow } from '../../src/outbox/outbox.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { createTestOutbox } from '../helpers/outbox.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10]);

describe(`outbox images (${backend})`, () => {
  const database = useTestDatabase();

  it('stores an image as one row in the document columns with its image MIME', async () => {
    const t = await createTestOutbox(database().db);
    expect(t.outbox.rowsOf({ chatId: 'a@c.us', key: 'img-rows', image: { fileName: 'grafik.png', data: PNG, caption: 'Grafik' } })).toEqual([
      expect.objectContaining({ part: 1, parts: 1, body: 'Grafik', document: { data: PNG, name: 'grafik.png', mime: 'image/png' } }),
    ]);
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'img-rows', image: { fileName: 'grafik.png', data: PNG } });
    const { rows } = await database().db.query<{ document_name: string; document_mime: string; body: string | null }>(
      `SELECT document_name, document_mime, body FROM outbox WHERE message_key = 'img-rows'`,
    );
    expect(rows).toEqual([{ document_name: 'grafik.png', document_mime: 'image/png', body: null }]);
  });

  it('sends an enqueued image through sendImage with its caption and identical bytes, a document still as a document', async () => {
    const t = await createTestOutbox(database().db);
    const xlsx = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
    await t.outbox.enqueue({ chatId: 'g@g.us', key: 'img-send', image: { fileName: 'grafik.png', data: PNG, caption: 'Grafik likes' } });
    await t.outbox.enqueue({ chatId: 'g@g.us', key: 'doc-send', document: { fileName: 'rekap.xlsx', mimeType: 'application/vnd.ms-excel', data: xlsx } });
    await t.outbox.drain();
    const sent = t.transport.takeSent();
    expect(sent).toEqual([
      { chatId: 'g@g.us', kind: 'image', image: { fileName: 'grafik.png', mimeType: 'image/png', data: PNG, caption: 'Grafik likes' } },
      { chatId: 'g@g.us', kind: 'document', document: { fileName: 'rekap.xlsx', mimeType: 'application/vnd.ms-excel', data: xlsx } },
    ]);
    expect(sent[0]?.kind === 'image' && sent[0].image.data.equals(PNG)).toBe(true);
  });

  it('tells an image row from a document row by its MIME only', () => {
    expect(isImageRow({ document: new Uint8Array(PNG), document_mime: 'image/png' })).toBe(true);
    expect(isImageRow({ document: new Uint8Array(PNG), document_mime: 'application/pdf' })).toBe(false);
    expect(isImageRow({ document: new Uint8Array(PNG), document_mime: null })).toBe(false);
    expect(isImageRow({ document: null, document_mime: 'image/png' })).toBe(false);
  });

  it('retries a failed image send like any other row', async () => {
    const t = await createTestOutbox(database().db, { retryBaseMs: 1000 });
    t.transport.failSends = new Error('network down');
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'img-retry', image: { fileName: 'grafik.png', data: PNG } });
    await t.outbox.drain();
    expect(t.transport.takeSent()).toEqual([]);
    t.transport.failSends = null;
    t.advance(10_000);
    await t.outbox.drain();
    expect(t.transport.takeSent().map((m) => m.kind)).toEqual(['image']);
  });
});
