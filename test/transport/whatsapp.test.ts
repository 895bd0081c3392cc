import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InboundMessage } from '../../src/transport/transport.js';
import {
  clearStaleProfileLocks,
  toInbound,
  type WaClient,
  type WaMessage,
  WhatsAppStartError,
  WhatsAppTransport,
} from '../../src/transport/whatsapp.js';
import { silentLog } from '../helpers/bot.js';

/** Stands in for whatsapp-web.js's Client: the test emits its events. */
class FakeClient extends EventEmitter implements WaClient {
  initialized = 0;
  destroyed = 0;
  sent: Array<{ chatId: string; content: unknown; options?: Record<string, unknown> }> = [];
  lids = new Map<string, string>();
  lidQuestions: string[][] = [];
  info = { wid: { _serialized: '6281100000099@c.us' } };
  initialize = vi.fn(async () => {
    this.initialized++;
    await this.initBehaviour(this);
  });
  constructor(private readonly initBehaviour: (c: FakeClient) => Promise<void> = async () => {}) {
    super();
  }
  async destroy(): Promise<void> {
    this.destroyed++;
  }
  async sendMessage(chatId: string, content: unknown, options?: Record<string, unknown>): Promise<unknown> {
    this.sent.push({ chatId, content, ...(options ? { options } : {}) });
    return {};
  }
  async getContactLidAndPhone(ids: string[]): Promise<Array<{ lid: string; pn: string }>> {
    this.lidQuestions.push(ids);
    return ids.flatMap((lid) => (this.lids.has(lid) ? [{ lid, pn: this.lids.get(lid)! }] : []));
  }
}

function message(fields: Partial<WaMessage> & { from: string }): WaMessage {
  return { id: { _serialized: `false_${fields.from}_${Math.random()}` }, body: 'help', timestamp: 1_795_000_000, ...fields };
}

const transports: WhatsAppTransport[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const t of transports.splice(0)) await t.stop();
});

function setup(behaviours: Array<(c: FakeClient) => Promise<void>>, extra: Partial<ConstructorParameters<typeof WhatsAppTransport>[0]> = {}) {
  const clients: FakeClient[] = [];
  const qrs: string[] = [];
  const transport = new WhatsAppTransport({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'cicero-wa-')),
    chromePath: '/usr/bin/chromium',
    log: silentLog,
    initTimeoutMs: 1_000,
    readyTimeoutMs: 5_000,
    backoff: { initialMs: 100, maxMs: 1_000 },
    onQr: (qr) => qrs.push(qr),
    createClient: async () => {
      const client = new FakeClient(behaviours[Math.min(clients.length, behaviours.length - 1)]);
      clients.push(client);
      return client;
    },
    createMedia: async (doc) => ({ media: doc.fileName }),
    ...extra,
  });
  transports.push(transport);
  const inbound: InboundMessage[] = [];
  transport.onMessage(async (m) => {
    inbound.push(m);
  });
  return { transport, clients, qrs, inbound };
}

const emitSoon = (event: string, ...args: unknown[]) => async (c: FakeClient) => {
  setImmediate(() => c.emit(event, ...args));
};

describe('WhatsApp transport', () => {
  it('starts once a QR code is shown and is ready when the phone links', async () => {
    const { transport, clients, qrs } = setup([emitSoon('qr', 'QR-DATA')]);
    await transport.start();
    expect(transport.state()).toBe('pairing');
    expect(qrs).toEqual(['QR-DATA']);
    clients[0]!.emit('authenticated');
    expect(transport.state()).toBe('authenticated');
    clients[0]!.emit('ready');
    expect(transport.state()).toBe('ready');
  });

  it('fails the first start with one line when initialisation rejects (e.g. no network)', async () => {
    const { transport, clients } = setup([
      async () => {
        throw new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/\n    at Frame.goto');
      },
    ]);
    const start = transport.start();
    await expect(start).rejects.toThrow(WhatsAppStartError);
    await expect(start).rejects.toThrow(/^WhatsApp did not start: net::ERR_NAME_NOT_RESOLVED at https:\/\/web\.whatsapp\.com\/$/);
    expect(clients[0]!.destroyed).toBe(1);
    expect(transport.state()).toBe('stopped');
  });

  it('fails the first start when neither a QR nor ready comes within the timeout', async () => {
    const { transport, clients } = setup([() => new Promise(() => {})], { initTimeoutMs: 50 });
    await expect(transport.start()).rejects.toThrow('WhatsApp did not start: no QR code and no ready session within 0 s');
    expect(clients[0]!.destroyed).toBe(1);
  });

  it('turns library messages into ours: private, group (author is the sender), LID; ignores status and own messages; asks WhatsApp nothing', async () => {
    const { transport, clients, inbound } = setup([emitSoon('ready')]);
    await transport.start();
    const c = clients[0]!;
    c.lids.set('444444444444444@lid', '6281300000003@c.us');
    c.emit('message', message({ from: '6281234567890@c.us', body: 'whoami' }));
    c.emit('message', message({ from: '120363111111111111@g.us', author: '6281300000003@c.us', body: 'help' }));
    c.emit('message', message({ from: '444444444444444@lid', body: 'status' }));
    c.emit('message', message({ from: '120363111111111111@g.us', author: '555555555555555@lid' }));
    c.emit('message', message({ from: 'status@broadcast', isStatus: true }));
    c.emit('message', message({ from: '6281234567890@c.us', fromMe: true }));
    await vi.waitFor(() => expect(inbound).toHaveLength(4));
    expect(inbound.map(({ id, ...m }) => m)).toEqual([
      { chatId: '6281234567890@c.us', senderId: '6281234567890@c.us', isGroup: false, text: 'whoami', timestamp: new Date(1_795_000_000_000) },
      { chatId: '120363111111111111@g.us', senderId: '6281300000003@c.us', isGroup: true, text: 'help', timestamp: new Date(1_795_000_000_000) },
      { chatId: '444444444444444@lid', senderId: '444444444444444@lid', isGroup: false, text: 'status', timestamp: new Date(1_795_000_000_000) },
      { chatId: '120363111111111111@g.us', senderId: '555555555555555@lid', isGroup: true, text: 'help', timestamp: new Date(1_795_000_000_000) },
    ]);
    // The phone behind a LID is the bot's question to ask (only on a wa_lid_map miss), not the transport's.
    expect(c.lidQuestions).toEqual([]);
    expect(await transport.phoneOfLid('444444444444444@lid')).toBe('6281300000003@c.us');
    expect(await transport.phoneOfLid('999999999999999@lid')).toBeNull();
    expect(c.lidQuestions).toEqual([['444444444444444@lid'], ['999999999999999@lid']]);
  });

  it('names its endpoint after the linked number once ready', async () => {
    const { transport, clients } = setup([emitSoon('qr', 'x')]);
    await transport.start();
    expect(transport.endpoint).toBe('whatsapp');
    clients[0]!.info = { wid: { _serialized: '6281100000077:12@c.us' } };
    clients[0]!.emit('ready');
    expect(transport.endpoint).toBe('whatsapp:6281100000077');
  });

  it('sends text and documents through the client, and refuses while not ready', async () => {
    const { transport, clients } = setup([emitSoon('qr', 'x')]);
    await transport.start();
    await expect(transport.sendText('6281@c.us', 'halo')).rejects.toThrow('WhatsApp is not ready (pairing)');
    clients[0]!.emit('ready');
    await transport.sendText('120363111111111111@g.us', 'halo');
    await transport.sendDocument('6281@c.us', { fileName: 'rekap.xlsx', mimeType: 'application/x', data: Buffer.from('x'), caption: 'Rekap' });
    expect(clients[0]!.sent).toEqual([
      { chatId: '120363111111111111@g.us', content: 'halo' },
      { chatId: '6281@c.us', content: { media: 'rekap.xlsx' }, options: { sendMediaAsDocument: true, caption: 'Rekap' } },
    ]);
  });

  it('restarts the client when authenticated is not followed by ready', async () => {
    const { transport, clients } = setup([emitSoon('authenticated'), emitSoon('ready')], { readyTimeoutMs: 30 });
    const starting = transport.start();
    await vi.waitFor(() => expect(clients).toHaveLength(2), { timeout: 2_000 });
    await starting;
    expect(clients[0]!.destroyed).toBe(1);
    await vi.waitFor(() => expect(transport.state()).toBe('ready'));
  });

  it('reconnects with backoff after a ready session disconnects, listening only to the new client', async () => {
    const { transport, clients, inbound } = setup([emitSoon('ready'), async () => {}, emitSoon('ready')], {
      backoff: { initialMs: 10, maxMs: 40 },
    });
    const states: string[] = [];
    transport.onStateChange((s) => states.push(s));
    await transport.start();
    clients[0]!.emit('disconnected', 'NAVIGATION');
    expect(transport.state()).toBe('disconnected');
    await vi.waitFor(() => expect(clients).toHaveLength(2));
    clients[1]!.emit('disconnected', 'CONFLICT'); // never ready yet: the transport keeps trying
    await vi.waitFor(() => expect(clients.length).toBeGreaterThanOrEqual(2));
    clients[1]!.emit('ready');
    expect(transport.state()).toBe('ready');
    clients[0]!.emit('message', message({ from: '6281234567890@c.us' })); // the old client is deaf to us
    clients[1]!.emit('message', message({ from: '6281234567890@c.us', body: 'new' }));
    await vi.waitFor(() => expect(inbound.map((m) => m.text)).toEqual(['new']));
    expect(states).toContain('disconnected');
  });

  it('does not reconnect a session that never became ready', async () => {
    const { transport, clients } = setup([emitSoon('qr', 'x')]);
    await transport.start();
    clients[0]!.emit('disconnected', 'UNPAIRED');
    await new Promise((r) => setTimeout(r, 150));
    expect(clients).toHaveLength(1);
  });

  it('destroys the client on stop', async () => {
    const { transport, clients } = setup([emitSoon('ready')]);
    await transport.start();
    await transport.stop();
    expect(clients[0]!.destroyed).toBe(1);
    expect(transport.state()).toBe('stopped');
  });
});

describe('toInbound', () => {
  it('ignores a group message without an author', () => {
    expect(toInbound(message({ from: '120363111111111111@g.us' }))).toBeNull();
  });
});

describe('clearStaleProfileLocks', () => {
  it('removes Chromium Singleton files from every session profile', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cicero-profile-'));
    for (const session of ['session', 'session-cicero']) {
      mkdirSync(path.join(dir, session));
      for (const f of ['SingletonLock', 'SingletonCookie', 'Preferences']) writeFileSync(path.join(dir, session, f), '');
    }
    expect(clearStaleProfileLocks(dir)).toHaveLength(4);
    expect(existsSync(path.join(dir, 'session', 'Preferences'))).toBe(true);
    expect(existsSync(path.join(dir, 'session', 'SingletonLock'))).toBe(false);
    expect(clearStaleProfileLocks(path.join(dir, 'missing'))).toEqual([]);
  });
});

describe('restriction signals and catch-up', () => {
  it('reports LOGOUT, a new QR after linking and blocked states as restrictions', async () => {
    const { transport, clients } = setup([emitSoon('ready')]);
    const reasons: unknown[] = [];
    transport.onRestriction(async (r) => {
      reasons.push(r);
    });
    await transport.start();
    const c = clients[0]!;
    c.emit('change_state', 'CONNECTED');
    c.emit('change_state', 'TOS_BLOCK');
    c.emit('qr', 'again');
    c.emit('disconnected', 'LOGOUT');
    expect(reasons).toEqual([{ kind: 'blocked', state: 'TOS_BLOCK' }, { kind: 'relink' }, { kind: 'logout' }]);
  });

  it('a first QR (not yet linked) is no restriction', async () => {
    const { transport } = setup([emitSoon('qr', 'first')]);
    const reasons: unknown[] = [];
    transport.onRestriction(async (r) => {
      reasons.push(r);
    });
    await transport.start();
    expect(reasons).toEqual([]);
  });

  it('on ready, hands in the unread messages that arrived while offline', async () => {
    const unread = [message({ from: '6281234567890@c.us', body: 'help' }), message({ from: '6281234567890@c.us', body: 'whoami' })];
    const { transport, clients, inbound } = setup([
      async (c) => {
        (c as unknown as { getChats: () => Promise<unknown[]> }).getChats = async () => [
          { unreadCount: 2, fetchMessages: async ({ limit }: { limit: number }) => unread.slice(-limit) },
          { unreadCount: 0, fetchMessages: async () => [message({ from: 'x@c.us' })] },
        ];
        setImmediate(() => c.emit('ready'));
      },
    ]);
    await transport.start();
    await vi.waitFor(() => expect(inbound.map((m) => m.text)).toEqual(['help', 'whoami']));
    expect(clients).toHaveLength(1);
  });
});
