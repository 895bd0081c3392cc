import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttachmentBuilders, type AttachmentPart, PendingAttachmentStore } from '../../src/bot/attachments.js';
import { isAnswering } from '../../src/concurrency/foreground.js';
import { defineCommand } from '../../src/bot/command.js';
import { UserError } from '../../src/bot/errors.js';
import { FILE_PIECE_BYTES } from '../../src/outbox/store.js';
import { MemoryTransport, type SentMessage } from '../../src/transport/memory.js';
import { ADMIN, createTestBot, dm, STRANGER, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { cuttableDatabase } from '../helpers/outage.js';

const CHAT = dm(ADMIN);
const PROMISE = '📊 Rekap siap. Lampiran menyusul.';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** A file of several pieces in the outbox (FILE_PIECE_BYTES each), its last one short. */
const BIG = Buffer.from(Array.from({ length: 3 * FILE_PIECE_BYTES + 1001 }, (_, i) => (i * 7 + (i >> 11)) & 0xff));

const xlsx = (name: string): AttachmentPart => ({
  document: { fileName: `${name}.xlsx`, mimeType: 'application/vnd.ms-excel', data: Buffer.from(name) },
});

setFlagsFromString('--expose-gc');

/** What `lampiran#lepas` hands its own build, watched; the build waits for `lepas.gate` once started. */
const lepas = { payload: null as WeakRef<object> | null, started: deferred(), gate: deferred() };

/** `lampiran#lepas`'s own build: takes what it needs (a count) at once, then waits. */
function countLater(rows: readonly string[]): Promise<AttachmentPart[]> {
  const n = rows.length;
  lepas.started.resolve();
  return lepas.gate.promise.then(() => [{ text: `${n} baris` }]);
}

/** Whether the bot counted itself answering a chat: in `lampiran#sibuk`'s handler, then in its build. */
const answeringSeen: boolean[] = [];

/** `lampiran#<mode>`: one reply promising an attachment, recorded as the mode says. */
const lampiran = defineCommand({
  name: 'lampiran',
  syntax: 'lampiran#<mode>',
  example: 'lampiran#registry',
  help: 'uji lampiran',
  roles: ['admin'],
  args: { min: 1, max: 1 },
  async handler(ctx) {
    const mode = ctx.args[0];
    if (mode === 'teks') {
      await ctx.reply('teks saja');
      return;
    }
    await ctx.reply(PROMISE);
    if (mode === 'registry') ctx.attachLater('uji', { label: 'dari-registry' });
    if (mode === 'own') ctx.attachLater('uji', { label: 'dari-registry' }, async () => [xlsx('dari-handler')]);
    if (mode === 'two') {
      ctx.attachLater('uji', { label: 'pertama' });
      ctx.attachLater('uji', { label: 'kedua' });
    }
    if (mode === 'lepas') {
      // Something large that only the handler's own build refers to (a report's members).
      const payload = { rows: Array.from({ length: 10_000 }, (_, i) => `baris ${i}`) };
      lepas.payload = new WeakRef(payload);
      ctx.attachLater('uji', { label: 'dari-registry' }, () => countLater(payload.rows));
    }
    if (mode === 'sibuk') {
      answeringSeen.push(isAnswering());
      ctx.attachLater('uji', { label: 'dari-registry' }, async () => {
        answeringSeen.push(isAnswering());
        return [xlsx('dari-handler')];
      });
    }
    if (mode === 'gagal') ctx.attachLater('gagal', { alasan: 'x' });
    if (mode === 'ditolak') ctx.attachLater('ditolak', null);
    if (mode === 'unknown') ctx.attachLater('tidakada', {});
    if (mode === 'nul') ctx.attachLater('nul', null);
    if (mode === 'besar') ctx.attachLater('besar', null);
    if (mode === 'langsung') await ctx.replyDocument({ fileName: 'langsung.xlsx', mimeType: 'application/vnd.ms-excel', data: BIG });
    if (mode === 'refused') {
      ctx.attachLater('uji', { label: 'tidak-boleh' });
      throw new UserError('❌ Ditolak setelah menjanjikan lampiran.');
    }
  },
});

describe(`attachments built after the reply (${backend})`, () => {
  const database = useTestDatabase();
  /** Builds of `uji` wait for this while it is set. */
  let hold: Promise<void> | null = null;
  /** Told when a `uji` build reaches `hold`. */
  let waiting = deferred();
  /** Each `uji` build: its args, and whether the reply's text was already in the outbox when it started. */
  let calls: Array<{ args: unknown; textQueued: boolean }> = [];
  let failures = 0;
  let messageId = '';

  const builders: AttachmentBuilders = {
    uji: async (args, services) => {
      const { rows } = await services.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE message_key = $1', [
        `${messageId}:1`,
      ]);
      calls.push({ args, textQueued: (rows[0]?.n ?? 0) > 0 });
      waiting.resolve();
      if (hold) await hold;
      return [xlsx((args as { label: string }).label), { text: 'keterangan lampiran' }];
    },
    gagal: async () => {
      failures++;
      throw new Error('boom: the spreadsheet library fell over');
    },
    ditolak: async () => {
      throw new UserError('Data absensi kosong.\nbaris kedua');
    },
    // Built, but not storable: PostgreSQL refuses a NUL in text.
    nul: async () => [{ text: 'a\u0000b' }],
    besar: async () => [{ document: { fileName: 'besar.xlsx', mimeType: 'application/vnd.ms-excel', data: BIG } }],
  };

  afterEach(() => {
    hold = null;
    waiting = deferred();
    calls = [];
    failures = 0;
  });

  const start = (transport?: MemoryTransport, db = database().db): Promise<TestBot> =>
    createTestBot(db, { commands: [lampiran], attachmentBuilders: builders, awaitAttachments: false, ...(transport ? { transport } : {}) });

  /** Says `text` as the admin under a fixed message id. */
  const run = (t: TestBot, text: string, id: string): Promise<SentMessage[]> => {
    messageId = id;
    return t.exchange(ADMIN, text, { id });
  };

  /** Says `text` and returns everything sent for it once its attachments are built (they may go out with the text). */
  const runAll = async (t: TestBot, text: string, id: string): Promise<SentMessage[]> => [
    ...(await run(t, text, id)),
    ...(await afterBuilds(t)),
  ];

  /** What the attachments queued: built, then sent. */
  const afterBuilds = async (t: TestBot): Promise<SentMessage[]> => {
    await t.bot.attachmentsSettled();
    await t.bot.outbox.drain();
    return t.transport.takeSent();
  };

  const pending = async (): Promise<Array<{ message_key: string; builder: string; args: unknown; attempts: number }>> =>
    (await database().db.query<{ message_key: string; builder: string; args: unknown; attempts: number }>(
      'SELECT message_key, builder, args, attempts FROM pending_attachment ORDER BY message_key',
    )).rows;

  const outboxCount = async (key: string): Promise<number> =>
    (await database().db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE message_key = $1', [key])).rows[0]!.n;

  it('queues and sends the text first; the attachment is built after, without holding other messages', async () => {
    const t = await start();
    const gate = deferred();
    hold = gate.promise;

    const first = await run(t, 'lampiran#registry', 'msg-a');
    expect(first).toEqual([{ chatId: CHAT, kind: 'text', text: PROMISE }]);
    expect(await pending()).toEqual([
      { message_key: 'msg-a:att1', builder: 'uji', args: { label: 'dari-registry' }, attempts: 0 },
    ]);

    // While the build waits: the same chat's next message and another sender are answered.
    expect(await t.replies(ADMIN, 'lampiran#teks')).toEqual(['teks saja']);
    expect(await t.replies(STRANGER, 'halo')).toHaveLength(1);

    gate.resolve();
    const later = await afterBuilds(t);
    expect(calls).toEqual([{ args: { label: 'dari-registry' }, textQueued: true }]);
    expect(later.map((m) => (m.kind === 'document' ? m.document.fileName : m.kind === 'text' ? m.text : m.kind))).toEqual([
      'dari-registry.xlsx',
      'keterangan lampiran',
    ]);
    expect(await pending()).toEqual([]);
    expect(await outboxCount('msg-a:att1:1')).toBe(1);
    expect(await outboxCount('msg-a:att1:2')).toBe(1);
  });

  it('uses the handler’s own build rather than the registry’s', async () => {
    const t = await start();
    const sent = await runAll(t, 'lampiran#own', 'msg-b');
    expect(calls).toEqual([]);
    expect(sent).toEqual([
      { chatId: CHAT, kind: 'text', text: PROMISE },
      expect.objectContaining({ kind: 'document', document: expect.objectContaining({ fileName: 'dari-handler.xlsx' }) }),
    ]);
    expect(await pending()).toEqual([]);
  });

  // A report's own build holds its 10,000 members: kept for the half second of the build, the
  // bot's next scavenge copied them (5-13 ms in which no chat was answered).
  it('lets go of the handler’s own build once it has started it: what only the build held is collected meanwhile', async () => {
    const collect = runInNewContext('gc') as () => void;
    Object.assign(lepas, { payload: null, started: deferred(), gate: deferred() });
    const t = await start();
    expect(await run(t, 'lampiran#lepas', 'msg-lepas')).toEqual([{ chatId: CHAT, kind: 'text', text: PROMISE }]);
    await lepas.started.promise;
    try {
      for (let turn = 0; turn < 3; turn++) await yieldToLoop();
      collect();
      expect(lepas.payload).not.toBeNull();
      expect(lepas.payload?.deref()).toBeUndefined();
    } finally {
      lepas.gate.resolve(); // the build ends either way: later tests find no row left pending
    }
    expect(await afterBuilds(t)).toEqual([{ chatId: CHAT, kind: 'text', text: '10000 baris' }]);
    expect(calls).toEqual([]);
    expect(await pending()).toEqual([]);
  });

  // Background work (the workbook process) gives way while the bot answers a chat: the
  // handler counts as answering, the attachment built after its message is done does not.
  it('counts a message as a chat being answered while it is handled, not while its attachment is built', async () => {
    answeringSeen.length = 0;
    const t = await start();
    await runAll(t, 'lampiran#sibuk', 'msg-sibuk');
    expect(answeringSeen).toEqual([true, false]);
    expect(isAnswering()).toBe(false);
  });

  it('sends several attachments of one message in the order they were promised', async () => {
    const t = await start();
    const sent = await runAll(t, 'lampiran#two', 'msg-two');
    expect(sent.flatMap((m) => (m.kind === 'document' ? [m.document.fileName] : []))).toEqual(['pertama.xlsx', 'kedua.xlsx']);
  });

  it('rebuilds, exactly once, an attachment whose process died before building it', async () => {
    const endpoint = `memory:shared-${backend}`;
    const first = await start(new MemoryTransport(endpoint));
    const never = deferred();
    hold = never.promise; // the first process's build never ends
    expect(await run(first, 'lampiran#registry', 'msg-c')).toEqual([{ chatId: CHAT, kind: 'text', text: PROMISE }]);
    await first.bot.presence.leave(); // … and the process is gone
    expect(await pending()).toHaveLength(1);

    hold = null;
    const second = await start(new MemoryTransport(endpoint));
    expect(await second.bot.resumeAttachments()).toBe(1);
    expect(await second.bot.resumeAttachments()).toBe(0); // being built here already
    const rebuilt = await afterBuilds(second);
    expect(rebuilt.filter((m) => m.kind === 'document')).toHaveLength(1);
    expect(await pending()).toEqual([]);
    expect(await second.bot.resumeAttachments()).toBe(0);

    // The dead process's build ending after all adds nothing: the outbox keys are taken.
    never.resolve();
    await first.bot.attachmentsSettled();
    await second.bot.outbox.drain();
    expect(second.transport.takeSent()).toEqual([]);
    expect(await outboxCount('msg-c:att1:1')).toBe(1);
  });

  it('tells the chat once when a builder fails three times, and leaves nothing behind', async () => {
    const t = await start();
    expect(await runAll(t, 'lampiran#gagal', 'msg-d')).toEqual([{ chatId: CHAT, kind: 'text', text: PROMISE }]);
    expect(await pending()).toEqual([expect.objectContaining({ message_key: 'msg-d:att1', attempts: 1 })]);
    expect(await t.bot.resumeAttachments()).toBe(0); // not due yet

    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    expect(await t.bot.resumeAttachments()).toBe(1);
    expect(await afterBuilds(t)).toEqual([]);
    expect(await pending()).toEqual([expect.objectContaining({ attempts: 2 })]);

    t.clock.now = new Date(t.clock.now.getTime() + 120_000);
    expect(await t.bot.resumeAttachments()).toBe(1);
    expect(await afterBuilds(t)).toEqual([
      {
        chatId: CHAT,
        kind: 'text',
        text: '⚠️ Lampiran tidak dapat dibuat (terjadi kesalahan saat membuatnya). Silakan ulangi perintahnya.',
      },
    ]);
    expect(failures).toBe(3);
    expect(await pending()).toEqual([]);

    t.clock.now = new Date(t.clock.now.getTime() + 3_600_000);
    expect(await t.bot.resumeAttachments()).toBe(0);
    expect(await afterBuilds(t)).toEqual([]);
  });

  it('keeps no promise of a handler that was refused after making it', async () => {
    const t = await start();
    expect(await runAll(t, 'lampiran#refused', 'msg-r')).toEqual([
      { chatId: CHAT, kind: 'text', text: PROMISE },
      { chatId: CHAT, kind: 'text', text: '❌ Ditolak setelah menjanjikan lampiran.' },
    ]);
    expect(calls).toEqual([]);
    expect(await pending()).toEqual([]);
  });

  it('counts a built attachment the outbox cannot store as a failed attempt, and ends in the line', async () => {
    const t = await start();
    expect(await runAll(t, 'lampiran#nul', 'msg-n')).toEqual([{ chatId: CHAT, kind: 'text', text: PROMISE }]);
    expect(await pending()).toEqual([expect.objectContaining({ message_key: 'msg-n:att1', attempts: 1 })]);
    for (const wait of [60_000, 120_000]) {
      t.clock.now = new Date(t.clock.now.getTime() + wait);
      expect(await t.bot.resumeAttachments()).toBe(1);
      await afterBuilds(t);
    }
    expect(await pending()).toEqual([]);
    expect(await outboxCount('msg-n:att1:failed')).toBe(1);
  });

  it('queues a large file in pieces and sends the same bytes', async () => {
    const t = await start();
    const sent = await runAll(t, 'lampiran#besar', 'msg-big');
    expect(sent.map((m) => m.kind)).toEqual(['text', 'document']);
    const doc = sent[1]?.kind === 'document' ? sent[1].document : null;
    expect(doc?.fileName).toBe('besar.xlsx');
    expect(doc?.data.equals(BIG)).toBe(true);
    const { rows } = await database().db.query<{ pieces: number }>(
      `SELECT (SELECT count(*)::int FROM outbox_file f WHERE f.file_id = o.document_file) AS pieces FROM outbox o WHERE o.message_key = 'msg-big:att1:1'`,
    );
    expect(rows).toEqual([{ pieces: 4 }]);
  });

  it('a large file a handler replies with directly also goes in pieces, with the message’s outcome', async () => {
    const t = await start();
    const sent = await runAll(t, 'lampiran#langsung', 'msg-direct');
    const doc = sent.find((m) => m.kind === 'document');
    expect(doc?.kind === 'document' && doc.document.fileName === 'langsung.xlsx' && doc.document.data.equals(BIG)).toBe(true);
    const { rows } = await database().db.query<{ pieces: number }>(
      `SELECT (SELECT count(*)::int FROM outbox_file f WHERE f.file_id = o.document_file) AS pieces FROM outbox o WHERE o.message_key = 'msg-direct:2'`,
    );
    expect(rows).toEqual([{ pieces: 4 }]);
  });

  it('queues nothing for a row another process already finished', async () => {
    const t = await start();
    await run(t, 'lampiran#gagal', 'msg-x'); // leaves a row, due in a minute
    const store = new PendingAttachmentStore(database().db);
    await database().db.query(`DELETE FROM pending_attachment WHERE message_key = 'msg-x:att1'`);
    const rows = t.bot.outbox.rowsOf({ chatId: CHAT, key: 'msg-x:att1:1', text: 'terlambat' });
    expect(await store.complete('msg-x:att1', rows, t.clock.now)).toBe(false);
    expect(await outboxCount('msg-x:att1:1')).toBe(0);
  });

  it('tells the chat at once about a builder nobody knows', async () => {
    const t = await start();
    expect(await runAll(t, 'lampiran#unknown', 'msg-e')).toEqual([
      { chatId: CHAT, kind: 'text', text: PROMISE },
      { chatId: CHAT, kind: 'text', text: '⚠️ Lampiran tidak dapat dibuat (jenis lampiran tidak dikenal). Silakan ulangi perintahnya.' },
    ]);
    expect(await pending()).toEqual([]);
  });

  it('gives a refusal’s own first line as the reason', async () => {
    const t = await start();
    await runAll(t, 'lampiran#ditolak', 'msg-f');
    for (const wait of [60_000, 120_000]) {
      await afterBuilds(t);
      t.clock.now = new Date(t.clock.now.getTime() + wait);
      await t.bot.resumeAttachments();
    }
    expect(await afterBuilds(t)).toEqual([
      { chatId: CHAT, kind: 'text', text: '⚠️ Lampiran tidak dapat dibuat (Data absensi kosong.). Silakan ulangi perintahnya.' },
    ]);
  });

  it('leaves the row when the database is away as the attachment is queued, and queues it on the next pass', async () => {
    const cuttable = await cuttableDatabase(database());
    try {
      const t = await start(undefined, cuttable.db);
      const gate = deferred();
      hold = gate.promise;
      expect(await run(t, 'lampiran#registry', 'msg-h')).toEqual([{ chatId: CHAT, kind: 'text', text: PROMISE }]);
      await waiting.promise; // built, about to be queued
      cuttable.cut();
      gate.resolve();
      await t.bot.attachmentsSettled();
      cuttable.restore();
      expect(await pending()).toEqual([expect.objectContaining({ message_key: 'msg-h:att1', attempts: 0 })]);

      expect(await t.bot.resumeAttachments()).toBe(1);
      const later = await afterBuilds(t);
      expect(later.filter((m) => m.kind === 'document')).toHaveLength(1);
      expect(calls).toHaveLength(2);
      expect(await pending()).toEqual([]);
    } finally {
      await cuttable.close();
    }
  });

  it('lets a shutdown wait for the attachments being built', async () => {
    const t = await start();
    const gate = deferred();
    hold = gate.promise;
    await run(t, 'lampiran#registry', 'msg-g');
    const closing = t.bot.close(Date.now() + 5_000);
    gate.resolve();
    expect(await closing).toEqual({ turnedAway: 0, held: 0, unfinished: 0 });
    expect(await outboxCount('msg-g:att1:1')).toBe(1);
    expect(await pending()).toEqual([]);
    expect(await t.bot.resumeAttachments()).toBe(0); // closed: no more passes
  });
});
