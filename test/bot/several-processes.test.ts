/**
 * Several processes on one database: two linked devices of one number (or a restart
 * overlap) handle each message once and send at the number's pace; two numbers never
 * send each other's replies. On PostgreSQL every "process" has its own connection pool.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_VARIABLES, createBot } from '../../src/app/create-bot.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/db.js';
import { Presence } from '../../src/db/presence.js';
import { PostgresDb } from '../../src/db/postgres.js';
import { MemoryTransport } from '../../src/transport/memory.js';
import { WhatsAppTransport } from '../../src/transport/whatsapp.js';
import { FakeWwebjs } from '../helpers/fake-wwebjs.js';
import { ADMIN, createTestBot, dm, MEMBER, OPERATOR, seedChatFixture, silentLog, STRANGER } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { createTestOutbox } from '../helpers/outbox.js';

describe(`several processes on one database (${backend})`, () => {
  const database = useTestDatabase();
  const extraPools: Db[] = [];
  /** A connection of another process: its own pool on PostgreSQL; PGlite serves one process, so the same handle. */
  const anotherProcess = async (): Promise<Db> => {
    const { db, url } = database();
    if (!url) return db;
    const pool = await PostgresDb.open(url, { max: 3 });
    extraPools.push(pool);
    return pool;
  };
  beforeAll(async () => seedChatFixture(database().db));
  afterAll(async () => {
    for (const pool of extraPools) await pool.close();
  });

  it('two processes on one number handle each message exactly once', async () => {
    const a = await createTestBot(await anotherProcess(), { transport: new MemoryTransport('whatsapp:6281100000090') });
    const b = await createTestBot(await anotherProcess(), { transport: new MemoryTransport('whatsapp:6281100000090') });
    a.clock.now = b.clock.now = new Date('2026-11-25T04:00:00Z'); // this test's audit rows, told apart by time
    const senders = [MEMBER, OPERATOR, STRANGER, ADMIN];
    const messages = Array.from({ length: 60 }, (_, i) => ({
      id: `twice-${i}`,
      senderId: dm(senders[i % senders.length]!),
      text: i % 3 === 0 ? 'help#whoami' : 'whoami', // one reply each (the full help may be split)
      timestamp: a.clock.now,
    }));
    // Both linked devices receive every message, in their own order, at the same time.
    await Promise.all([
      ...messages.map((m) => a.transport.receive(m)),
      ...[...messages].reverse().map((m) => b.transport.receive(m)),
    ]);
    await a.bot.outbox.drain();
    await b.bot.outbox.drain();
    const sent = [...a.transport.takeSent(), ...b.transport.takeSent()];
    expect(sent).toHaveLength(messages.length);
    const { rows } = await database().db.query<{ n: number; ids: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM inbound_message WHERE id LIKE 'twice-%' AND handled_at IS NOT NULL`,
    );
    expect(rows[0]).toEqual({ n: 60, ids: 60 });
    const audit = await database().db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM command_audit WHERE at = $1 AND command IN ('help', 'whoami')`,
      [a.clock.now],
    );
    expect(audit.rows[0]!.n).toBe(60);
  });

  it('a message claimed by a process that died is handled by the next; one claimed by a live process is left to it', async () => {
    const { db } = database();
    const t = await createTestBot(db);
    const claim = (id: string, worker: string) =>
      db.query(
        `INSERT INTO inbound_message (id, chat_id, sender_id, received_at, claimed_by, claimed_at) VALUES ($1, $2, $2, now(), $3, now())`,
        [id, dm(MEMBER), worker],
      );
    // Died mid-way: its heartbeat stopped a minute ago.
    await db.query(`INSERT INTO bot_worker (worker, pid, hostname, seen_at) VALUES ('crashed', 1, 'h', now() - interval '1 minute')`);
    await claim('cut-short', 'crashed');
    // Gone without a trace (its row was pruned).
    await claim('orphan', 'vanished');
    // Alive and still working on it.
    const other = new Presence(db);
    await other.beat();
    await claim('in-hand', other.worker);

    for (const id of ['cut-short', 'orphan', 'in-hand']) {
      await t.transport.receive({ id, senderId: dm(MEMBER), text: 'whoami', timestamp: t.clock.now });
    }
    await t.bot.outbox.drain();
    expect(t.transport.takeTexts()).toHaveLength(2);
    const { rows } = await db.query<{ id: string; handled: boolean }>(
      `SELECT id, handled_at IS NOT NULL AS handled FROM inbound_message WHERE id IN ('cut-short', 'orphan', 'in-hand') ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 'cut-short', handled: true },
      { id: 'in-hand', handled: false },
      { id: 'orphan', handled: true },
    ]);
    // The live process leaves: its claim passes on at once.
    await other.leave();
    await t.transport.receive({ id: 'in-hand', senderId: dm(MEMBER), text: 'whoami', timestamp: t.clock.now });
    await t.bot.outbox.drain();
    expect(t.transport.takeTexts()).toHaveLength(1);
  });

  it('one process at a time sends for a number, and a new sender keeps the pace of the previous one', async () => {
    const endpoint = 'whatsapp:6281100000091';
    const pacing = { globalMs: 30, chatMs: 0, jitterMs: 0, broadcastMs: 0 };
    const make = async () => {
      const db = await anotherProcess();
      const presence = new Presence(db);
      await presence.beat();
      const box = await createTestOutbox(db, { pacing, exclusive: true }, new MemoryTransport(endpoint), presence);
      return { ...box, presence };
    };
    const a = await make();
    const b = await make();
    b.clock.now = a.clock.now; // one clock for both
    for (let i = 0; i < 4; i++) await a.outbox.enqueue({ chatId: `chat${i}@c.us`, key: `lease-${i}`, text: `pesan ${i}` });

    expect(await a.outbox.step()).toBe(true); // takes the lease and sends
    expect(a.transport.sent).toHaveLength(1);
    expect(await b.outbox.step()).toBe(false); // the number is a's to send for
    expect(b.transport.sent).toHaveLength(0);
    const { rows } = await database().db.query('SELECT worker FROM outbox_lease WHERE endpoint = $1', [endpoint]);
    expect(rows).toEqual([{ worker: a.presence.worker }]);

    // a stops: b takes over, but waits out the gap after a's last send before sending.
    await a.outbox.stop();
    expect(await b.outbox.step()).toBe(true); // took the lease, found the gap not over, waited
    expect(b.transport.sent).toHaveLength(0);
    b.advance(30);
    a.advance(30);
    expect(await b.outbox.step()).toBe(true);
    expect(b.transport.sent).toHaveLength(1);

    // b dies without stopping (its heartbeat goes stale): a third process takes over, at the same pace.
    await database().db.query(`UPDATE bot_worker SET seen_at = now() - interval '1 minute' WHERE worker = $1`, [b.presence.worker]);
    const c = await make();
    c.clock.now = b.clock.now;
    expect(await c.outbox.step()).toBe(true); // the gap after b's send is not over yet
    expect(c.transport.sent).toHaveLength(0);
    for (let i = 0; i < 2; i++) {
      c.advance(30);
      expect(await c.outbox.step()).toBe(true);
    }
    expect((await c.outbox.stats()).depth).toBe(0);
    await c.outbox.stop();
    expect([...a.transport.sent, ...b.transport.sent, ...c.transport.sent].map((m) => (m.kind === 'text' ? m.text : ''))).toEqual([
      'pesan 0',
      'pesan 1',
      'pesan 2',
      'pesan 3',
    ]);
  });

  it('two numbers on one database each send their own replies, from the number that received the message', async () => {
    const one = await createTestBot(await anotherProcess(), { transport: new MemoryTransport('whatsapp:6281100000001') });
    const two = await createTestBot(await anotherProcess(), { transport: new MemoryTransport('whatsapp:6281100000002') });
    for (let i = 0; i < 10; i++) {
      await one.transport.receive({ senderId: dm(MEMBER), text: 'whoami', timestamp: one.clock.now });
      await two.transport.receive({ senderId: dm(OPERATOR), text: 'whoami', timestamp: two.clock.now });
    }
    // Each drains as often as it likes: it never takes the other's rows.
    for (let i = 0; i < 3; i++) {
      await two.bot.outbox.drain();
      await one.bot.outbox.drain();
    }
    expect(one.transport.sent.map((m) => m.chatId)).toEqual(Array(10).fill(dm(MEMBER)));
    expect(two.transport.sent.map((m) => m.chatId)).toEqual(Array(10).fill(dm(OPERATOR)));
  });

  it('rows queued under the old shared endpoint go out from the first number that connects', async () => {
    const { db } = database();
    await db.query(
      `INSERT INTO outbox (message_key, endpoint, chat_id, body) VALUES ('legacy-1', 'whatsapp', $1, 'dari antrean lama')`,
      [dm(MEMBER)],
    );
    const client = new FakeWwebjs({
      init: async (c) => {
        setImmediate(() => c.becomeReady());
      },
    });
    client.info = { wid: { _serialized: '6281100000055@c.us' } };
    const transport = new WhatsAppTransport({
      dataDir: mkdtempSync(path.join(os.tmpdir(), 'cicero-wa-legacy-')),
      chromePath: '/usr/bin/chromium',
      log: silentLog,
      initTimeoutMs: 5_000,
      readyTimeoutMs: 5_000,
      createClient: async () => client,
    });
    const config = loadConfig(BOT_VARIABLES, { ADMIN_WHATSAPP: ADMIN, CICERO_PACE_GLOBAL_MS: '0', CICERO_PACE_CHAT_MS: '0', CICERO_PACE_JITTER_MS: '0' });
    const bot = await createBot({ config, db, log: silentLog, transport, commands: [] });
    const adopted = new Promise<void>((resolve) => transport.onStateChange((state) => state === 'ready' && setImmediate(resolve)));
    await transport.start();
    await adopted;
    expect(transport.endpoint).toBe('whatsapp:6281100000055');
    await bot.outbox.flush(Date.now() + 10_000);
    expect(client.sent.map(({ chatId, content }) => ({ chatId, content }))).toEqual([{ chatId: dm(MEMBER), content: 'dari antrean lama' }]);
    const { rows } = await db.query(`SELECT endpoint, status FROM outbox WHERE message_key = 'legacy-1'`);
    expect(rows).toEqual([{ endpoint: 'whatsapp:6281100000055', status: 'sent' }]);
    await bot.stop(5_000);
  });
});
