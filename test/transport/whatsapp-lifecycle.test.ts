/** The WhatsApp adapter's connection lifecycle, against a fake that behaves like whatsapp-web.js 1.34.7. */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAlive } from '../../src/transport/wwebjs.js';
import { clearStaleProfileLocks, HALTING_STATES, WhatsAppStartError, type WhatsAppTransport } from '../../src/transport/whatsapp.js';
import { browserProcess, emitSoon, type FakeWwebjs, fakeWhatsApp, hang } from '../helpers/fake-wwebjs.js';

const started: WhatsAppTransport[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const t of started.splice(0)) await t.stop();
});

/** Lets queued events and promise chains run (setImmediate is never faked here). */
async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

function setup(...args: Parameters<typeof fakeWhatsApp>) {
  const fake = fakeWhatsApp(...args);
  started.push(fake.transport);
  return fake;
}

const fakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });

describe('first start', () => {
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

  it('fails with one line when initialisation rejects (e.g. no network), and closes the client', async () => {
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

  it.each([
    ['a string', 'auth timeout', 'auth timeout'],
    ['an event object', { type: 'error', target: {} }, 'error event'],
    ['an object with a message', { message: 'Target closed' }, 'Target closed'],
  ])('names the reason when the library rejects with %s, never [object Object]', async (_, thrown, reason) => {
    const { transport } = setup([
      async () => {
        throw thrown;
      },
    ]);
    await expect(transport.start()).rejects.toThrow(`WhatsApp did not start: ${reason}`);
  });

  it('fails when neither a QR nor ready comes within the timeout', async () => {
    fakeClock();
    const { transport, clients } = setup([hang], { initTimeoutMs: 50 });
    const start = transport.start();
    const failed = expect(start).rejects.toThrow('WhatsApp did not start: no QR code and no ready session within 0 s');
    await vi.advanceTimersByTimeAsync(60);
    // The stop that follows waits (up to destroyTimeoutMs) for the hanging initialize().
    await vi.advanceTimersByTimeAsync(1_000);
    await failed;
    expect(clients[0]!.destroyed).toBe(1);
  });

  it('restarts a client that authenticated but never became ready', async () => {
    fakeClock();
    const { transport, clients } = setup([emitSoon('authenticated'), emitSoon('ready')], { readyTimeoutMs: 30, initTimeoutMs: 10_000 });
    const starting = transport.start();
    await settle();
    expect(transport.state()).toBe('authenticated');
    await vi.advanceTimersByTimeAsync(30 + 100);
    await settle();
    await starting;
    expect(clients).toHaveLength(2);
    expect(clients[0]!.destroyed).toBe(1);
    expect(transport.state()).toBe('ready');
  });

  it('a blocking state during the first start fails it, naming the state', async () => {
    const { transport } = setup([emitSoon('change_state', 'TOS_BLOCK')]);
    await expect(transport.start()).rejects.toThrow('WhatsApp did not start: WhatsApp reported TOS_BLOCK');
  });

  it('a session stuck after authenticated gets one restart during the first start, then the start fails', async () => {
    fakeClock();
    const { transport, clients } = setup([emitSoon('authenticated')], { readyTimeoutMs: 30, initTimeoutMs: 10_000 });
    const start = transport.start();
    const failed = expect(start).rejects.toThrow('WhatsApp did not start: authenticated but never ready within 0 s');
    await settle();
    await vi.advanceTimersByTimeAsync(30 + 100);
    await settle();
    expect(clients).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(30);
    await settle();
    await failed;
  });

  it('a stop during the start ends it at once: the start rejects and the client is closed', async () => {
    const { transport, clients } = setup([hang], { initTimeoutMs: 60_000 });
    const start = transport.start();
    await settle();
    await transport.stop();
    await expect(start).rejects.toThrow('WhatsApp start interrupted');
    expect(clients[0]!.destroyed).toBe(1);
    expect(transport.state()).toBe('stopped');
  });

  it('names its endpoint after the linked number once ready', async () => {
    const { transport, clients } = setup([emitSoon('qr', 'x')]);
    await transport.start();
    expect(transport.endpoint).toBe('whatsapp');
    clients[0]!.info = { wid: { _serialized: '6281100000077:12@c.us' } };
    clients[0]!.becomeReady();
    expect(transport.endpoint).toBe('whatsapp:6281100000077');
  });

  it('removes the page cache the library used to grow', async () => {
    const { transport, dataDir } = setup([emitSoon('qr', 'x')]);
    mkdirSync(path.join(dataDir, 'wwebjs-cache'));
    writeFileSync(path.join(dataDir, 'wwebjs-cache', '2.3000.1.html'), '<html>');
    await transport.start();
    expect(existsSync(path.join(dataDir, 'wwebjs-cache'))).toBe(false);
  });
});

describe('losing the connection', () => {
  it('reconnects with growing backoff after a ready session disconnects, listening only to the new client', async () => {
    fakeClock();
    const { transport, clients, inbound } = setup([emitSoon('ready'), hang, hang, emitSoon('ready')], {
      backoff: { initialMs: 100, maxMs: 10_000 },
      initTimeoutMs: 1_000,
    });
    await transport.start();
    clients[0]!.disconnect('CONFLICT');
    expect(transport.state()).toBe('disconnected');
    await vi.advanceTimersByTimeAsync(99);
    expect(clients).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(clients).toHaveLength(2); // first retry after 100 ms; it hangs
    await vi.advanceTimersByTimeAsync(1_000); // its deadline
    await settle();
    expect(clients[1]!.destroyed).toBe(1);
    await vi.advanceTimersByTimeAsync(199);
    expect(clients).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(clients).toHaveLength(3); // second retry after 200 ms
    await vi.advanceTimersByTimeAsync(1_000 + 400);
    await settle();
    expect(clients).toHaveLength(4);
    expect(transport.state()).toBe('ready');
    clients[0]!.emit('message', { id: { _serialized: 'old' }, from: '6281234567890@c.us', body: 'old', type: 'chat' });
    clients[3]!.emit('message', { id: { _serialized: 'new' }, from: '6281234567890@c.us', body: 'new', type: 'chat' });
    await settle();
    expect(inbound.map((m) => m.text)).toEqual(['new']);
  });

  it('notices a browser crash (the library does not) and reconnects; the dead browser is not left behind', async () => {
    fakeClock();
    const { transport, clients, states } = setup([emitSoon('ready')], { realBrowser: true });
    await transport.start();
    const browser = clients[0]!.browser;
    clients[0]!.crash();
    expect(transport.state()).toBe('disconnected');
    expect(states.at(-1)).toBe('disconnected:the browser closed (Chromium crashed or was killed)');
    expect(await browser.exited()).toBe('SIGKILL');
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(clients).toHaveLength(2);
    expect(transport.state()).toBe('ready');
  });

  it('an unhandled rejection saying the page is gone fails the client only when its page really is gone', async () => {
    fakeClock();
    const { transport, clients } = setup([emitSoon('ready')]);
    await transport.start();
    const gone = new Error('Execution context was destroyed, most likely because of a navigation.');
    transport.noticeUnhandled(new Error("EBUSY: resource busy or locked, unlink '…/session/Default/Cookies'"));
    transport.noticeUnhandled(gone); // from a client already replaced, say: the current one answers
    await settle();
    expect(transport.state()).toBe('ready');
    clients[0]!.crash({ browserEvent: false });
    transport.noticeUnhandled(gone);
    await settle();
    expect(transport.state()).toBe('disconnected');
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(clients).toHaveLength(2);
    expect(transport.state()).toBe('ready');
  });

  it('a crashed page (the browser lives on) is a lost connection', async () => {
    fakeClock();
    const { transport, clients } = setup([emitSoon('ready')]);
    await transport.start();
    clients[0]!.pupPage!.emit('error', new Error('Page crashed!'));
    expect(transport.state()).toBe('disconnected');
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(clients).toHaveLength(2);
  });

  it('while WhatsApp Web reconnects by itself (TIMEOUT, OPENING) it is not ready; back at CONNECTED, or replaced when it does not come back', async () => {
    fakeClock();
    const { transport, clients } = setup([emitSoon('ready')], { initTimeoutMs: 1_000 });
    await transport.start();
    clients[0]!.emit('change_state', 'TIMEOUT');
    expect(transport.state()).toBe('disconnected');
    clients[0]!.emit('change_state', 'CONNECTED');
    expect(transport.state()).toBe('ready');
    clients[0]!.emit('change_state', 'OPENING');
    await vi.advanceTimersByTimeAsync(999);
    expect(clients).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1 + 100);
    await settle();
    expect(clients[0]!.destroyed).toBe(1);
    expect(clients).toHaveLength(2);
    expect(transport.state()).toBe('ready');
  });

  it('loading progress (syncing a long offline backlog) keeps an attempt alive past its deadline', async () => {
    fakeClock();
    const { transport, clients } = setup([hang], { initTimeoutMs: 1_000 });
    const start = transport.start();
    await settle();
    for (let percent = 10; percent <= 90; percent += 20) {
      await vi.advanceTimersByTimeAsync(900);
      clients[0]!.emit('loading_screen', percent, 'WhatsApp');
    }
    expect(clients[0]!.destroyed).toBe(0);
    clients[0]!.becomeReady();
    await start;
    expect(transport.state()).toBe('ready');
  });

  it('alerts the admins once after three failed attempts in a row, and again only after a recovery', async () => {
    fakeClock();
    const { transport, clients, alerts } = setup([emitSoon('ready'), hang, hang, hang, emitSoon('ready')], {
      backoff: { initialMs: 100, maxMs: 100 },
      initTimeoutMs: 1_000,
    });
    await transport.start();
    clients[0]!.disconnect('TIMEOUT'); // failure 1
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(100);
      await settle();
      await vi.advanceTimersByTimeAsync(1_000);
      await settle();
    }
    expect(alerts).toEqual([
      { kind: 'unreachable', since: expect.any(Date), attempts: 3, reason: 'no QR code and no ready session within 1 s' },
    ]);
    expect(clients).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(transport.state()).toBe('ready');
    expect(alerts).toHaveLength(1);
  });

  it('a stuck destroy() does not hold a stop: after its time the browser is killed', async () => {
    const { transport, clients } = setup([emitSoon('ready')], { realBrowser: true, destroyTimeoutMs: 20 });
    await transport.start();
    clients[0]!.destroyHangs = true;
    await transport.stop();
    expect(await clients[0]!.browser.exited()).toBe('SIGKILL');
    expect(transport.state()).toBe('stopped');
  });

  it('kills a browser that appears after the client was given up (a stop during the launch)', async () => {
    let launched: () => void = () => {};
    const { transport, clients } = setup(
      [
        (c: FakeWwebjs) =>
          new Promise<void>((resolve) => {
            launched = resolve;
            void c;
          }),
      ],
      { initTimeoutMs: 60_000 },
    );
    // The fake sets pupBrowser at the start of initialize; replace it with a late one.
    const start = transport.start().catch(() => {});
    await settle();
    await transport.stop();
    const late = browserProcess();
    const { FakeBrowser } = await import('../helpers/fake-wwebjs.js');
    clients[0]!.pupBrowser = new FakeBrowser(late);
    launched();
    await start;
    await new Promise((resolve) => late.once('exit', resolve));
    expect(late.signalCode).toBe('SIGKILL');
  });

  it('at start, kills a browser an earlier process left running on the profile', async () => {
    const { spawn } = await import('node:child_process');
    const { transport, dataDir } = setup([emitSoon('qr', 'x')]);
    const profile = path.join(dataDir, 'wwebjs', 'session');
    mkdirSync(profile, { recursive: true });
    const orphan = spawn('bash', ['-c', 'sleep 600; :', `--user-data-dir=${profile}`], { detached: true, stdio: 'ignore' });
    await new Promise((resolve) => orphan.once('spawn', resolve));
    const exited = new Promise((resolve) => orphan.once('exit', (_code, signal) => resolve(signal)));
    await transport.start();
    expect(await exited).toBe('SIGKILL');
    expect(isAlive(orphan.pid!)).toBe(false);
  });
});

describe('states that must not reconnect', () => {
  it.each([...HALTING_STATES])('%s: pauses, closes the client, and waits for an admin instead of reconnecting', async (state) => {
    fakeClock();
    const { transport, clients, restrictions } = setup([emitSoon('ready')]);
    await transport.start();
    clients[0]!.disconnect(state);
    await settle();
    expect(restrictions).toEqual([{ kind: 'blocked', state }]);
    expect(transport.state()).toBe('disconnected');
    expect(clients[0]!.destroyed).toBe(1);
    await vi.advanceTimersByTimeAsync(3_600_000);
    await settle();
    expect(clients).toHaveLength(1);
    transport.resume();
    await settle();
    expect(clients).toHaveLength(2);
    expect(transport.state()).toBe('ready');
  });

  it('resume() does nothing while the connection is not halted', async () => {
    const { transport, clients } = setup([emitSoon('ready')]);
    await transport.start();
    transport.resume();
    await settle();
    expect(clients).toHaveLength(1);
  });

  it('LOGOUT: keeps the same client and shows its QR code to link again (a relink: paused)', async () => {
    fakeClock();
    const { transport, clients, qrs, restrictions } = setup([emitSoon('ready')]);
    await transport.start();
    clients[0]!.logout('QR-AGAIN');
    expect(transport.state()).toBe('disconnected');
    await settle();
    expect(qrs).toEqual(['QR-AGAIN']);
    expect(transport.state()).toBe('pairing');
    expect(restrictions).toEqual([{ kind: 'logout' }, { kind: 'relink' }]);
    await vi.advanceTimersByTimeAsync(3_600_000);
    await settle();
    expect(clients).toHaveLength(1);
    expect(clients[0]!.destroyed).toBe(0);
    clients[0]!.becomeReady();
    expect(transport.state()).toBe('ready');
  });

  it('LOGOUT without a QR code after it: a fresh client after the attempt deadline', async () => {
    fakeClock();
    const { transport, clients } = setup([emitSoon('ready'), emitSoon('qr', 'fresh')], { initTimeoutMs: 1_000 });
    await transport.start();
    clients[0]!.emit('disconnected', 'LOGOUT'); // the re-injection failed: no QR follows
    await vi.advanceTimersByTimeAsync(1_000 + 100);
    await settle();
    expect(clients).toHaveLength(2);
    expect(transport.state()).toBe('pairing');
  });

  it('a QR code while a linked session exists, or a pairing code after linking, is a relink', async () => {
    const first = setup([emitSoon('ready')]);
    await first.transport.start();
    await first.transport.stop();
    // Same data directory, the session lost meanwhile: the first thing WhatsApp shows is a QR.
    const again = setup([emitSoon('qr', 'x')], { dataDir: first.dataDir });
    await again.transport.start();
    expect(again.restrictions).toEqual([{ kind: 'relink' }]);

    const pairing = setup([emitSoon('ready')]);
    await pairing.transport.start();
    pairing.clients[0]!.emit('code', 'ABCD-EFGH');
    expect(pairing.codes).toEqual(['ABCD-EFGH']);
    expect(pairing.restrictions).toEqual([{ kind: 'relink' }]);
  });

  it('a first QR code (never linked) is no restriction', async () => {
    const { transport, restrictions } = setup([emitSoon('qr', 'first')]);
    await transport.start();
    expect(restrictions).toEqual([]);
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
