import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startHttp } from '../../src/app/health.js';
import { createTestBot, dm, MEMBER, seedChatFixture } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { cuttableDatabase } from '../helpers/outage.js';

describe(`/healthz and the pairing page (${backend})`, () => {
  const database = useTestDatabase();

  it('answers 200 when healthy and 503 when not ready, paused, or the oldest message waits too long', async () => {
    await seedChatFixture(database().db);
    const t = await createTestBot(database().db);
    let qr: string | null = null;
    const server = await startHttp(t.bot, () => qr, { port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`);
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
    };
    try {
      await t.say(MEMBER, 'whoami');
      let res = await get('/healthz');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({
        whatsapp: 'ready',
        database: 'ok',
        outboxDepth: 0,
        oldestPendingS: null,
        deadLetters: 0,
        paused: false,
        lastMessageAt: t.clock.now.toISOString(),
      });

      t.transport.simulateState('disconnected');
      res = await get('/healthz');
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body).whatsapp).toBe('disconnected');
      t.transport.simulateState('ready');

      await t.bot.outbox.enqueue({ chatId: dm(MEMBER), key: 'stuck', text: 'x' });
      t.clock.now = new Date(t.clock.now.getTime() + 301_000);
      res = await get('/healthz');
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body)).toMatchObject({ outboxDepth: 1, oldestPendingS: 301 });
      await t.bot.outbox.drain();
      expect((await get('/healthz')).status).toBe(200);

      await t.bot.outbox.pause({ kind: 'blocked', state: 'UJI' });
      res = await get('/healthz');
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body).paused).toBe(true);
      await t.bot.outbox.resume();

      res = await get('/');
      expect(res.status).toBe(200);
      expect(res.body).toMatch(/Tidak ada QR yang menunggu dipindai/);
      qr = '2@abcdefghijklmnop,qrstuvwxyz,1234567890';
      res = await get('/');
      expect(res.type).toMatch(/text\/html/);
      expect(res.body).toMatch(/<h1>Tautkan WhatsApp Cicero<\/h1>[\s\S]*<svg/);
      expect((await get('/nope')).status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('answers 503 with the documented JSON while the database is away, naming no address', async () => {
    const link = await cuttableDatabase(database());
    const t = await createTestBot(link.db);
    const server = await startHttp(t.bot, () => null, { port: 0, host: '127.0.0.1' });
    try {
      link.cut();
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/json');
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({
        whatsapp: 'ready',
        database: 'unavailable',
        outboxDepth: null,
        oldestPendingS: null,
        deadLetters: null,
        paused: false,
        lastMessageAt: null,
      });
      expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|5432|Error/);
      link.restore();
      expect((await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`)).status).toBe(200);
    } finally {
      await new Promise((r) => server.close(r));
      await link.close();
    }
  });
});
