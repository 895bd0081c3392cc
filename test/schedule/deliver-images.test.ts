/** A scheduled job's image parts queued like its documents (`…:img<n>`), and superseded with their message. */
import { describe, expect, it } from 'vitest';
import { FILE_PIECE_BYTES } from '../../src/outbox/store.js';
import { deliver } from '../../src/schedule/deliver.js';
import type { JobMessage } from '../../src/schedule/run-job.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { createTestOutbox } from '../helpers/outbox.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x01]);

describe(`scheduled images (${backend})`, () => {
  const database = useTestDatabase();
  const keys = async () =>
    (await database().db.query<{ message_key: string; status: string }>('SELECT message_key, status FROM outbox ORDER BY id')).rows;

  it('queues an image part as a broadcast row of its own and sends it as an image', async () => {
    const { db } = database();
    const t = await createTestOutbox(db);
    const at = new Date('2026-11-25T02:00:00Z');
    const messages: JobMessage[] = [
      { chatId: 'g@g.us', part: { text: 'Rekap likes' } },
      { chatId: 'g@g.us', part: { image: { fileName: 'likes.png', data: PNG, caption: 'Grafik' } } },
    ];
    // Queued at the outbox's own clock, so its rows are due for the drain below.
    const delivery = await deliver(db, t.outbox, { clientId: 'c1', job: 'likes', at }, messages, t.clock.now);
    expect(delivery).toEqual({ queued: 2, superseded: 0, skipped: null });
    const own = `jadwal:c1:likes:${at.toISOString()}:g@g.us`;
    expect((await keys()).map((r) => r.message_key)).toEqual([own, `${own}:img1`]);
    const { rows } = await db.query<{ origin: string; document_mime: string }>(
      `SELECT origin, document_mime FROM outbox WHERE message_key = $1`,
      [`${own}:img1`],
    );
    expect(rows).toEqual([{ origin: 'broadcast', document_mime: 'image/png' }]);
    await t.outbox.drain();
    const sent = t.transport.takeSent();
    expect(sent.map((m) => m.kind)).toEqual(['text', 'image']);
    expect(sent[1]).toEqual({ chatId: 'g@g.us', kind: 'image', image: { fileName: 'likes.png', mimeType: 'image/png', data: PNG, caption: 'Grafik' } });
  });

  it('stores a large recap file once for all its recipients, in pieces, and each gets the same bytes', async () => {
    const { db } = database();
    const t = await createTestOutbox(db);
    await db.query('DELETE FROM outbox');
    const at = new Date('2026-11-27T02:00:00Z');
    const data = Buffer.from(Array.from({ length: 2 * FILE_PIECE_BYTES + 77 }, (_, i) => (i * 13 + (i >> 8)) & 0xff));
    const document = { fileName: 'rekap.xlsx', mimeType: 'application/vnd.ms-excel', data };
    const messages: JobMessage[] = ['g@g.us', 'a@c.us'].flatMap((chatId): JobMessage[] => [
      { chatId, part: { text: 'Rekap likes' } },
      { chatId, part: { document } },
    ]);
    expect(await deliver(db, t.outbox, { clientId: 'c1', job: 'likes', at }, messages, t.clock.now)).toEqual({
      queued: 4,
      superseded: 0,
      skipped: null,
    });
    const { rows } = await db.query<{ files: number; pieces: number }>(
      `SELECT count(DISTINCT document_file)::int AS files, (SELECT count(*)::int FROM outbox_file) AS pieces FROM outbox`,
    );
    expect(rows).toEqual([{ files: 1, pieces: 3 }]);
    await t.outbox.drain();
    const files = t.transport.takeSent().flatMap((m) => (m.kind === 'document' ? [[m.chatId, m.document.data.equals(data)]] : []));
    expect(files).toEqual([['g@g.us', true], ['a@c.us', true]]);
  });

  it('a newer occurrence removes an older waiting image with its text, but not one whose text already left', async () => {
    const { db } = database();
    const t = await createTestOutbox(db);
    await db.query('DELETE FROM outbox');
    const first = new Date('2026-11-26T08:00:00Z');
    const second = new Date('2026-11-26T09:00:00Z');
    const image = (chatId: string): JobMessage => ({ chatId, part: { image: { fileName: 'likes.png', data: PNG } } });
    const older: JobMessage[] = [
      { chatId: 'a@c.us', part: { text: 'lama a' } },
      image('a@c.us'),
      { chatId: 'b@c.us', part: { text: 'lama b' } },
      image('b@c.us'),
    ];
    await deliver(db, t.outbox, { clientId: 'c1', job: 'likes', at: first }, older, first);
    // b's text already left: its image belongs to a message begun, which is never cut.
    const ownB = `jadwal:c1:likes:${first.toISOString()}:b@c.us`;
    await db.query(`UPDATE outbox SET status = 'sent' WHERE message_key = $1`, [ownB]);
    const newer: JobMessage[] = [{ chatId: 'a@c.us', part: { text: 'baru a' } }];
    const delivery = await deliver(db, t.outbox, { clientId: 'c1', job: 'likes', at: second }, newer, second);
    expect(delivery).toEqual({ queued: 1, superseded: 1, skipped: null });
    expect((await keys()).map((r) => r.message_key)).toEqual([ownB, `${ownB}:img1`, `jadwal:c1:likes:${second.toISOString()}:a@c.us`]);
  });
});
