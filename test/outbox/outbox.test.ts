import { describe, expect, it, vi } from 'vitest';
import { FILE_PIECE_BYTES } from '../../src/outbox/store.js';
import { MemoryTransport } from '../../src/transport/memory.js';
import { TransportUnavailableError } from '../../src/transport/transport.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { createTestOutbox } from '../helpers/outbox.js';

describe(`outbox (${backend})`, () => {
  const database = useTestDatabase();
  const rows = async (endpoint: string) =>
    (
      await database().db.query<{ id: number; status: string; attempts: number; next_attempt_at: Date; last_error: string | null }>(
        'SELECT id, status, attempts, next_attempt_at, last_error FROM outbox WHERE endpoint = $1 ORDER BY id',
        [endpoint],
      )
    ).rows;

  it('stores a message before sending it and sends it once', async () => {
    const t = await createTestOutbox(database().db);
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'k1', text: 'halo' });
    expect((await rows(t.outbox.endpoint)).map((r) => r.status)).toEqual(['pending']);
    await t.outbox.drain();
    expect(t.transport.takeTexts()).toEqual([{ chatId: 'a@c.us', text: 'halo' }]);
    expect((await rows(t.outbox.endpoint)).map((r) => r.status)).toEqual(['sent']);
    await t.outbox.drain();
    expect(t.transport.takeTexts()).toEqual([]);
  });

  it('enqueues a logical message once, however often it is enqueued', async () => {
    const t = await createTestOutbox(database().db);
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'same', text: 'satu' });
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'same', text: 'satu' });
    await t.outbox.drain();
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'same', text: 'satu' }); // even after it was sent
    await t.outbox.drain();
    expect(t.transport.takeTexts()).toEqual([{ chatId: 'a@c.us', text: 'satu' }]);
  });

  it('splits a long text at line boundaries and sends the parts in order', async () => {
    const t = await createTestOutbox(database().db, { maxChars: 100 });
    const text = Array.from({ length: 20 }, (_, i) => `baris ke-${i}`).join('\n');
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'long', text });
    await t.outbox.drain();
    const sent = t.transport.takeTexts().map((m) => m.text);
    expect(sent.length).toBeGreaterThan(1);
    for (const part of sent) expect(part.length).toBeLessThanOrEqual(100);
    expect(sent.join('\n')).toBe(text);
  });

  it('keeps documents with the row and sends them as documents', async () => {
    const t = await createTestOutbox(database().db);
    const data = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]);
    await t.outbox.enqueue({
      chatId: 'g@g.us',
      key: 'doc',
      document: { fileName: 'rekap.xlsx', mimeType: 'application/vnd.ms-excel', data, caption: 'Rekap' },
    });
    await t.outbox.drain();
    expect(t.transport.sent).toEqual([
      { chatId: 'g@g.us', kind: 'document', document: { fileName: 'rekap.xlsx', mimeType: 'application/vnd.ms-excel', data, caption: 'Rekap' } },
    ]);
  });

  it('stores a large file in pieces and sends back the same bytes (odd sizes included)', async () => {
    const t = await createTestOutbox(database().db);
    // Just over one piece, several pieces with a short last one, and exactly two pieces.
    const sizes = [FILE_PIECE_BYTES + 1, 5 * FILE_PIECE_BYTES + 12_345, 2 * FILE_PIECE_BYTES];
    const files = sizes.map((size, i) => Buffer.from(Array.from({ length: size }, (_, k) => (k * 31 + i * 7 + (k >> 9)) & 0xff)));
    for (const [i, data] of files.entries()) {
      await t.outbox.enqueue({ chatId: 'g@g.us', key: `big${i}`, document: { fileName: `f${i}.xlsx`, mimeType: 'application/x', data } });
    }
    const stored = await database().db.query<{ message_key: string; inline: boolean; pieces: number }>(
      `SELECT o.message_key, o.document IS NOT NULL AS inline, (SELECT count(*)::int FROM outbox_file f WHERE f.file_id = o.document_file) AS pieces
         FROM outbox o WHERE o.message_key LIKE 'big%' ORDER BY o.id`,
    );
    expect(stored.rows).toEqual([
      { message_key: 'big0', inline: false, pieces: 2 },
      { message_key: 'big1', inline: false, pieces: 6 },
      { message_key: 'big2', inline: false, pieces: 2 },
    ]);
    await t.outbox.drain();
    const sent = t.transport.sent.map((m) => (m.kind === 'document' ? m.document.data : null));
    expect(sent.map((d) => d?.length)).toEqual(sizes);
    expect(sent.map((d, i) => d?.equals(files[i]!))).toEqual([true, true, true]);
  });

  it('stores a file given to several rows once; a row whose pieces are gone fails instead of sending its caption', async () => {
    const t = await createTestOutbox(database().db, { maxAttempts: 1 });
    const data = Buffer.alloc(2 * FILE_PIECE_BYTES + 5, 9);
    const document = { data, name: 'rekap.xlsx', mime: 'application/x' };
    const base = { part: 1, parts: 1, endpoint: t.outbox.endpoint, origin: 'broadcast' as const, body: 'Rekap' };
    await t.outbox.store.insert(
      [{ ...base, messageKey: 'shared-a', chatId: 'a@g.us', document }, { ...base, messageKey: 'shared-b', chatId: 'b@g.us', document }],
      t.clock.now,
    );
    const { rows: files } = await database().db.query<{ file: string; pieces: number }>(
      `SELECT o.document_file::text AS file, (SELECT count(*)::int FROM outbox_file f WHERE f.file_id = o.document_file) AS pieces
         FROM outbox o WHERE o.message_key LIKE 'shared-%' ORDER BY o.message_key`,
    );
    expect(files[0]!.file).toBe(files[1]!.file);
    expect(files.map((f) => f.pieces)).toEqual([3, 3]);

    await database().db.query('DELETE FROM outbox_file WHERE file_id = $1', [files[0]!.file]);
    await t.outbox.drain();
    expect(t.transport.sent).toEqual([]);
    const { rows: after } = await database().db.query<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM outbox WHERE message_key LIKE 'shared-%' ORDER BY message_key`,
    );
    expect(after).toEqual([
      { status: 'dead', last_error: `the pieces of file ${files[0]!.file} are missing` },
      { status: 'dead', last_error: `the pieces of file ${files[0]!.file} are missing` },
    ]);
  });

  it('keeps a file of one piece or less in the row itself', async () => {
    const t = await createTestOutbox(database().db);
    const data = Buffer.alloc(FILE_PIECE_BYTES, 7);
    await t.outbox.enqueue({ chatId: 'g@g.us', key: 'small', document: { fileName: 'f.xlsx', mimeType: 'application/x', data } });
    const { rows: stored } = await database().db.query<{ n: number; file: string | null }>(
      `SELECT (SELECT count(*)::int FROM outbox_file f WHERE f.file_id = o.document_file) AS n, document_file::text AS file
         FROM outbox o WHERE message_key = 'small'`,
    );
    expect(stored).toEqual([{ n: 0, file: null }]);
    await t.outbox.drain();
    expect(t.transport.sent[0]?.kind === 'document' && t.transport.sent[0].document.data.equals(data)).toBe(true);
  });

  it('holds rows while the transport is not ready and sends them once it is', async () => {
    const t = await createTestOutbox(database().db);
    t.transport.simulateState('disconnected');
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'wait', text: 'tunggu' });
    await t.outbox.drain();
    expect(t.transport.sent).toEqual([]);
    t.transport.simulateState('ready');
    await t.outbox.drain();
    expect(t.transport.takeTexts()).toEqual([{ chatId: 'a@c.us', text: 'tunggu' }]);
  });

  it('retries with growing backoff, then moves the row to the dead letters; an admin can re-queue it', async () => {
    const t = await createTestOutbox(database().db, { maxAttempts: 3, retryBaseMs: 1000 });
    t.transport.failSends = new Error('Evaluation failed: detached Frame');
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'flaky', text: 'coba' });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await t.outbox.drain();
      const [row] = await rows(t.outbox.endpoint);
      expect(row!.attempts).toBe(attempt);
      if (attempt < 3) {
        expect(row!.status).toBe('pending');
        delays.push(row!.next_attempt_at.getTime() - t.clock.now.getTime());
        await t.outbox.drain(); // not due yet: nothing happens
        expect((await rows(t.outbox.endpoint))[0]!.attempts).toBe(attempt);
        t.clock.now = row!.next_attempt_at;
      } else {
        expect(row!.status).toBe('dead');
        expect(row!.last_error).toBe('Evaluation failed: detached Frame');
      }
    }
    expect(delays[0]).toBeGreaterThanOrEqual(800);
    expect(delays[0]).toBeLessThanOrEqual(1200);
    expect(delays[1]).toBeGreaterThanOrEqual(1600); // doubled
    expect((await t.outbox.stats()).deadLetters).toBe(1);

    t.transport.failSends = null;
    const [dead] = await rows(t.outbox.endpoint);
    expect(await t.outbox.retryDead(dead!.id)).toBe(true);
    expect(await t.outbox.retryDead(dead!.id)).toBe(false);
    await t.outbox.drain();
    expect(t.transport.takeTexts()).toEqual([{ chatId: 'a@c.us', text: 'coba' }]);
  });

  it('keeps each chat’s order while paced, letting other chats go while one cools down', async () => {
    const t = await createTestOutbox(database().db, { pacing: { globalMs: 0, chatMs: 150, jitterMs: 0, broadcastMs: 0 } });
    for (const [chat, n] of [['a@c.us', 1], ['a@c.us', 2], ['a@c.us', 3], ['b@c.us', 1], ['b@c.us', 2]] as const) {
      await t.outbox.enqueue({ chatId: chat, key: `${chat}-${n}`, text: `${chat[0]}${n}` });
    }
    const texts = () => t.transport.takeTexts().map((m) => m.text);
    // The pace is read on the outbox's clock: each step is one decision, no waiting on real time.
    expect(await t.outbox.step()).toBe(true);
    expect(await t.outbox.step()).toBe(true);
    expect(texts()).toEqual(['a1', 'b1']); // b does not wait for a
    expect(await t.outbox.step()).toBe(false); // both chats cool down
    t.advance(149);
    expect(await t.outbox.step()).toBe(false);
    t.advance(1);
    expect(await t.outbox.step()).toBe(true);
    expect(await t.outbox.step()).toBe(true);
    expect(texts()).toEqual(['a2', 'b2']);
    t.advance(150);
    await t.outbox.drain();
    expect(texts()).toEqual(['a3']);
  });

  it('spends the hourly budget on broadcasts only; the rest waits for the next hour', async () => {
    const t = await createTestOutbox(database().db, { budgetPerHour: 2 });
    for (const g of ['g1', 'g2', 'g3']) {
      await t.outbox.enqueue({ chatId: `${g}@g.us`, key: `recap-${g}`, text: `rekap ${g}`, origin: 'broadcast' });
    }
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'reply-1', text: 'balasan' });
    await t.outbox.drain();
    expect(t.transport.takeTexts().map((m) => m.text).sort()).toEqual(['balasan', 'rekap g1', 'rekap g2']);
    t.advance(60 * 60_000);
    await t.outbox.drain();
    expect(t.transport.takeTexts().map((m) => m.text)).toEqual(['rekap g3']);
  });

  it('a row claimed by a worker that died is released after the claim timeout and sent exactly once', async () => {
    const t = await createTestOutbox(database().db, { claimTimeoutMs: 60_000 });
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'orphan', text: 'yatim' });
    // Another process claimed it, then was killed before sending.
    const [claimed] = await t.outbox.store.claimMany({
      endpoint: t.outbox.endpoint,
      worker: 'dead-worker',
      now: t.clock.now,
      broadcasts: true,
      coolingChats: [],
    });
    expect(claimed?.status).toBe('sending');
    await t.outbox.drain();
    expect(t.transport.sent).toEqual([]); // still within the claim timeout
    t.advance(61_000);
    await t.outbox.drain();
    await t.outbox.drain();
    expect(t.transport.takeTexts()).toEqual([{ chatId: 'a@c.us', text: 'yatim' }]);
    expect((await rows(t.outbox.endpoint)).map((r) => r.status)).toEqual(['sent']);
  });

  it('a pause tripped mid-batch holds the rest of the batch back (and drain returns)', async () => {
    const t = await createTestOutbox(database().db, { adminChats: ['admin@c.us'] });
    await database().db.query('DELETE FROM bot_state');
    for (const chat of ['a', 'b', 'c']) await t.outbox.enqueue({ chatId: `${chat}@c.us`, key: `batch-${chat}`, text: chat });
    await t.outbox.enqueue({ chatId: 'admin@c.us', key: 'batch-admin', text: 'admin' });
    t.transport.failSends = new Error('ack error 463');
    await t.outbox.drain();
    expect(t.outbox.paused()?.cause).toMatchObject({ kind: 'send-refused', error: expect.stringMatching(/463/) });
    expect((await rows(t.outbox.endpoint)).map((r) => r.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    t.transport.failSends = null;
    t.advance(10_000); // the admin's message, refused once while paused, waits out its backoff
    await t.outbox.drain(); // paused: only the admin's message goes
    expect(t.transport.takeTexts()).toEqual([{ chatId: 'admin@c.us', text: 'admin' }]);
    await t.outbox.resume();
    await t.outbox.drain();
    expect(t.transport.takeTexts().map((m) => m.text)).toEqual(['a', 'b', 'c']);
  });

  it('a send the connection could not make (TransportUnavailableError) gives the row back untouched, spends no attempt, and goes out once it can', async () => {
    await database().db.query('DELETE FROM bot_state');
    // Two tries allowed: after one counted failure, another would move the row to the dead letters.
    const t = await createTestOutbox(database().db, { maxAttempts: 2, retryBaseMs: 1000 });
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'unavailable', text: 'nanti' });
    t.transport.failSends = new Error('Evaluation failed: boom');
    await t.outbox.drain();
    const [failed] = await rows(t.outbox.endpoint);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Evaluation failed: boom' });
    t.clock.now = failed!.next_attempt_at;

    t.transport.failSends = new TransportUnavailableError('WhatsApp connection lost: Target closed');
    const sends = vi.spyOn(t.transport, 'sendText');
    await t.outbox.drain(); // returns: a row given back is no progress
    expect(sends).toHaveBeenCalledTimes(1);
    expect(await t.outbox.step()).toBe(false); // the worker sleeps instead of spinning on it
    expect(await rows(t.outbox.endpoint)).toEqual([{ ...failed, status: 'pending', attempts: 1, last_error: 'Evaluation failed: boom' }]);
    expect(await t.outbox.deadLetters()).toEqual([]);
    expect(t.transport.sent).toEqual([]);

    t.transport.failSends = null;
    expect(await t.outbox.step()).toBe(true);
    expect(t.transport.takeTexts()).toEqual([{ chatId: 'a@c.us', text: 'nanti' }]);
    expect((await rows(t.outbox.endpoint)).map((r) => [r.status, r.attempts])).toEqual([['sent', 2]]);
  });

  it('flush returns at once, with the open row count, while the transport is not ready', async () => {
    await database().db.query('DELETE FROM bot_state');
    const t = await createTestOutbox(database().db);
    await t.outbox.enqueue({ chatId: 'a@c.us', key: 'flush-1', text: 'satu' });
    await t.outbox.enqueue({ chatId: 'b@c.us', key: 'flush-2', text: 'dua' });
    t.transport.simulateState('disconnected');
    // An hour away: waiting for it would outlast the test's timeout.
    expect(await t.outbox.flush(Date.now() + 3_600_000)).toBe(2);
    expect(t.transport.sent).toEqual([]);
    t.transport.simulateState('ready');
    expect(await t.outbox.flush(Date.now() + 3_600_000)).toBe(0);
    expect(t.transport.takeTexts().map((m) => m.text)).toEqual(['satu', 'dua']);
  });

  it('never drains another endpoint’s rows', async () => {
    const bot = await createTestOutbox(database().db);
    const other = await createTestOutbox(database().db, {}, new MemoryTransport());
    await bot.outbox.enqueue({ chatId: 'a@c.us', key: 'mine', text: 'punya bot' });
    await other.outbox.drain();
    expect(other.transport.sent).toEqual([]);
    await bot.outbox.drain();
    expect(bot.transport.takeTexts()).toHaveLength(1);
  });
});
