/**
 * A stand-in for whatsapp-web.js's Client that behaves like the library where the
 * adapter depends on it (read against whatsapp-web.js 1.34.7's src/Client.js):
 * - `pupBrowser` is set inside `initialize()`; Chromium dying is only the browser's
 *   `disconnected` event, after which every page call throws "detached Frame";
 * - `disconnected` and `change_state` are only emitted after `ready` (the listeners are
 *   attached then); a blocking state is `change_state` then `disconnected` with the
 *   state, and the library destroys the client itself;
 * - `LOGOUT` is `disconnected` then, after the re-injection, a `qr` on the same client;
 * - `sendMessage` resolves once the message is added locally (ack 0); the server's
 *   verdict comes later as `message_ack` (1, or -1 for a refusal);
 * - `getContactLidAndPhone` answers an unknown id with `{lid, pn: undefined}`;
 * - `destroy()` can hang.
 * It can back its browser with a real process, so killing is checked for real.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InboundMessage, RestrictionSignal, TransportAlert } from '../../src/transport/transport.js';
import type { WaBrowser, WaChat, WaClient, WaMessage, WaSentMessage } from '../../src/transport/wa-client.js';
import { type WhatsAppOptions, WhatsAppTransport } from '../../src/transport/whatsapp.js';
import { silentLog } from './bot.js';

export class FakeBrowser extends EventEmitter implements WaBrowser {
  constructor(readonly child: ChildProcess | null) {
    super();
  }

  process(): { pid?: number } | null {
    return this.child?.pid ? { pid: this.child.pid } : null;
  }

  /** Resolves when the backing process has ended (and was reaped). */
  async exited(): Promise<NodeJS.Signals | number | null> {
    if (!this.child) return null;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.signalCode ?? this.child.exitCode;
    const [code, signal] = (await once(this.child, 'exit')) as [number | null, NodeJS.Signals | null];
    return signal ?? code;
  }
}

/** A long-running process in its own process group, like the Chromium puppeteer launches. */
export function browserProcess(): ChildProcess {
  const child = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

/**
 * What the next `sendMessage` does: be acked, refused, left pending (a test may emit its
 * ack later from `messages`), find no chat (the library then gives back undefined), or throw.
 */
export type SendScript = 'ack' | 'ack-first' | 'refuse' | 'pending' | 'no-chat' | Error;

export interface FakeOptions {
  /** What `initialize()` does after setting `pupBrowser` (emit a QR, become ready, hang, throw). */
  init?: (client: FakeWwebjs) => Promise<void>;
  /** Back the browser with a real process. */
  realBrowser?: boolean;
}

/** The page: `error` when its renderer crashes. */
export class FakePage extends EventEmitter {}

export class FakeWwebjs extends EventEmitter implements WaClient {
  pupBrowser: WaBrowser | null = null;
  pupPage: FakePage | null = null;
  /** WhatsApp Web's socket state, as `getState()` reads it. */
  socketState = 'CONNECTED';
  info = { wid: { _serialized: '6281100000099@c.us' } };
  initialized = 0;
  destroyed = 0;
  destroyHangs = false;
  readonly sent: Array<{ chatId: string; content: unknown; options?: Record<string, unknown> }> = [];
  readonly sendScript: SendScript[] = [];
  readonly seen: string[] = [];
  /** Known LID ↔ phone pairs. */
  readonly lids = new Map<string, string>();
  readonly lidQuestions: string[][] = [];
  chats: WaChat[] = [];
  private everReady = false;
  private pageGone = false;
  private count = 0;

  constructor(private readonly options: FakeOptions = {}) {
    super();
  }

  get browser(): FakeBrowser {
    return this.pupBrowser as FakeBrowser;
  }

  async initialize(): Promise<void> {
    this.initialized++;
    this.pupBrowser = new FakeBrowser(this.options.realBrowser ? browserProcess() : null);
    this.pupPage = new FakePage();
    await this.options.init?.(this);
  }

  async destroy(): Promise<void> {
    this.destroyed++;
    if (this.destroyHangs) return new Promise(() => {});
    // browser.close(): the process ends; puppeteer then reports the disconnect.
    this.browser?.child?.kill('SIGTERM');
    this.browser?.emit('disconnected');
  }

  showQr(qr = 'QR-DATA'): void {
    this.emit('qr', qr);
  }

  becomeReady(): void {
    this.everReady = true;
    this.emit('authenticated');
    this.emit('ready');
  }

  /** A disconnect as the library reports it (only once ready); blocking states come as change_state first. */
  disconnect(reason: string): void {
    if (!this.everReady) throw new Error('whatsapp-web.js emits disconnected only after ready');
    if (reason !== 'LOGOUT') this.emit('change_state', reason);
    this.emit('disconnected', reason);
  }

  /** WhatsApp logged the session out: disconnected, then the re-injected page shows a QR on this client. */
  logout(qr = 'QR-AFTER-LOGOUT'): void {
    if (!this.everReady) throw new Error('whatsapp-web.js reports a logout only after ready');
    this.emit('disconnected', 'LOGOUT');
    setImmediate(() => this.emit('qr', qr));
  }

  /** Chromium died. The library notices nothing; only the browser says so, if it still can. */
  crash({ browserEvent = true } = {}): void {
    this.pageGone = true;
    this.browser?.child?.kill('SIGKILL');
    if (browserEvent) this.browser?.emit('disconnected');
  }

  /** The messages sent, for acks a test emits itself. */
  readonly messages: WaSentMessage[] = [];

  async sendMessage(chatId: string, content: unknown, options?: Record<string, unknown>): Promise<WaSentMessage | undefined> {
    if (this.pageGone) throw new Error('Protocol error (Runtime.callFunctionOn): Attempted to use detached Frame.');
    const script = this.sendScript.shift() ?? 'ack';
    if (script instanceof Error) throw script;
    if (script === 'no-chat') return undefined;
    this.sent.push({ chatId, content, ...(options ? { options } : {}) });
    const message = { id: { _serialized: `true_${chatId}_${++this.count}` }, ack: 0 };
    this.messages.push(message);
    if (script === 'ack-first') this.emit('message_ack', message, 1);
    if (script === 'ack') setImmediate(() => this.emit('message_ack', message, 1));
    if (script === 'refuse') setImmediate(() => this.emit('message_ack', message, -1));
    return message;
  }

  async getContactLidAndPhone(ids: string[]): Promise<Array<{ lid?: string; pn?: string }>> {
    this.lidQuestions.push(ids);
    return ids.map((id) => {
      if (id.endsWith('@lid')) return { lid: id, pn: this.lids.get(id) };
      const lid = [...this.lids].find(([, pn]) => pn === id)?.[0];
      return { lid, pn: id };
    });
  }

  async getState(): Promise<string | null> {
    if (this.pageGone) throw new Error('Protocol error (Runtime.callFunctionOn): Attempted to use detached Frame.');
    return this.socketState;
  }

  async getChats(): Promise<WaChat[]> {
    return this.chats;
  }

  /** Group names, as `Chat.name` gives them; an unknown chat throws, as the library does. */
  readonly chatNames = new Map<string, string>();

  async getChatById(chatId: string): Promise<{ name?: string }> {
    const name = this.chatNames.get(chatId);
    if (name === undefined) throw new Error(`chat ${chatId} not found`);
    return { name };
  }

  async sendSeen(chatId: string): Promise<boolean> {
    this.seen.push(chatId);
    return true;
  }
}

/** A chat for the catch-up: `fetchMessages` filters like the library (`fromMe`, the last `limit`). */
export function fakeChat(id: string, messages: WaMessage[], unreadCount = messages.length): WaChat & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    id: { _serialized: id },
    unreadCount,
    asked,
    async fetchMessages(options) {
      asked.push(options);
      const mine = messages.filter((m) => options.fromMe === undefined || Boolean(m.fromMe) === options.fromMe);
      return mine.slice(-options.limit);
    },
  };
}

let serial = 0;
export function waMessage(fields: Partial<WaMessage> & { from: string }): WaMessage {
  return { id: { _serialized: `false_${fields.from}_${++serial}` }, body: 'help', type: 'chat', timestamp: 1_795_000_000, ...fields };
}

/** Emits an event on the next turn, as the library does from inside `initialize()`. */
export const emitSoon =
  (event: string, ...args: unknown[]) =>
  async (c: FakeWwebjs): Promise<void> => {
    setImmediate(() => (event === 'ready' ? c.becomeReady() : c.emit(event, ...args)));
  };
export const hang = (): Promise<void> => new Promise(() => {});

/**
 * A WhatsAppTransport on fakes: client N runs `behaviours[N]` (the last one repeats).
 * Everything it tells its listeners is collected.
 */
export function fakeWhatsApp(
  behaviours: Array<(c: FakeWwebjs) => Promise<void>>,
  extra: Partial<WhatsAppOptions> & { realBrowser?: boolean } = {},
) {
  const clients: FakeWwebjs[] = [];
  const qrs: string[] = [];
  const codes: string[] = [];
  const { realBrowser, ...options } = extra;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cicero-wa-'));
  const transport = new WhatsAppTransport({
    dataDir,
    chromePath: '/usr/bin/chromium',
    log: silentLog,
    initTimeoutMs: 1_000,
    readyTimeoutMs: 5_000,
    backoff: { initialMs: 100, maxMs: 1_000 },
    ackWaitMs: 1_000,
    destroyTimeoutMs: 1_000,
    onQr: (qr) => qrs.push(qr),
    onPairingCode: (code) => codes.push(code),
    createClient: async () => {
      const client = new FakeWwebjs({ init: behaviours[Math.min(clients.length, behaviours.length - 1)]!, realBrowser: realBrowser ?? false });
      clients.push(client);
      return client;
    },
    createMedia: async (doc) => ({ media: doc.fileName }),
    ...options,
  });
  const inbound: InboundMessage[] = [];
  const restrictions: RestrictionSignal[] = [];
  const alerts: TransportAlert[] = [];
  const states: string[] = [];
  transport.onMessage(async (m) => {
    inbound.push(m);
    return m.isGroup && m.text !== 'help' ? 'ignored' : 'handled';
  });
  transport.onRestriction(async (r) => {
    restrictions.push(r);
  });
  transport.onAlert(async (a) => {
    alerts.push(a);
  });
  transport.onStateChange((s, detail) => states.push(detail ? `${s}:${detail}` : s));
  return { transport, clients, qrs, codes, inbound, restrictions, alerts, states, dataDir };
}
