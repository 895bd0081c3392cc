/**
 * whatsapp-web.js behind our Transport interface. Readiness is driven by the
 * library's events only; the first initialisation either reaches a QR code (or
 * pairing code) or a ready session within a timeout, or fails with one reason.
 * After a session has been ready, a disconnect reconnects with backoff; a session
 * stuck between `authenticated` and `ready` is restarted by a watchdog.
 */
import type { EventEmitter } from 'node:events';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { canonicalLid, canonicalPhone } from '../identity/wa-id.js';
import type { Logger } from '../log.js';
import { BaseTransport, type ConnectionState, type InboundMessage, type OutgoingDocument, type Transport } from './transport.js';

/** The part of whatsapp-web.js's Client we use (a fake implements it in tests). */
export interface WaClient extends EventEmitter {
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: unknown, options?: Record<string, unknown>): Promise<unknown>;
  getContactLidAndPhone?(ids: string[]): Promise<Array<{ lid: string; pn: string }>>;
  getChats?(): Promise<WaChat[]>;
  /** Set by the library before `ready`: the linked account (`wid._serialized` is `<phone>@c.us`, or a LID). */
  info?: { wid?: { _serialized?: string } };
}

/** The fields of a whatsapp-web.js Chat the catch-up reads. */
export interface WaChat {
  unreadCount?: number;
  fetchMessages(options: { limit: number }): Promise<WaMessage[]>;
}

/** WhatsApp states that mean the number is being restricted or blocked. */
const RESTRICTED_STATES = new Set(['TOS_BLOCK', 'SMB_TOS_BLOCK', 'PROXYBLOCK']);
/** How many unread messages per chat the catch-up reads after a (re)connect. */
const CATCH_UP_PER_CHAT = 20;

/** The fields of a whatsapp-web.js Message we read. */
export interface WaMessage {
  id: { _serialized: string };
  from: string;
  author?: string;
  body?: string;
  fromMe?: boolean;
  isStatus?: boolean;
  broadcast?: boolean;
  timestamp?: number;
}

export interface WaClientSettings {
  authDir: string;
  cacheDir: string;
  chromePath: string;
  pairingPhone?: string;
}

export interface WhatsAppOptions {
  dataDir: string;
  chromePath: string;
  log: Logger;
  /** First initialisation must reach a QR or ready within this. */
  initTimeoutMs: number;
  /** After `authenticated`, `ready` must follow within this. */
  readyTimeoutMs: number;
  /** Pair by a code typed on the phone instead of a QR. */
  pairingPhone?: string;
  onQr?(qr: string): void;
  onPairingCode?(code: string): void;
  createClient?(settings: WaClientSettings): Promise<WaClient>;
  createMedia?(document: OutgoingDocument): Promise<unknown>;
  /** Reconnect backoff. */
  backoff?: { initialMs: number; maxMs: number };
}

/** The first initialisation failed; `message` is the one line `start` prints. */
export class WhatsAppStartError extends Error {
  override name = 'WhatsAppStartError';
}

/** A stale `Singleton*` lock (e.g. from another container's hostname) makes Chromium refuse the profile. */
export function clearStaleProfileLocks(authDir: string): string[] {
  const removed: string[] = [];
  let sessions: string[];
  try {
    sessions = readdirSync(authDir).filter((d) => d === 'session' || d.startsWith('session-'));
  } catch {
    return removed;
  }
  for (const session of sessions) {
    const dir = path.join(authDir, session);
    for (const file of readdirSync(dir)) {
      if (file.startsWith('Singleton')) {
        rmSync(path.join(dir, file), { force: true });
        removed.push(path.join(dir, file));
      }
    }
  }
  return removed;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The real client. Imported lazily: tests and the console never load Chromium's library. */
async function createWwebjsClient(settings: WaClientSettings): Promise<WaClient> {
  // whatsapp-web.js is CommonJS: named ESM imports type-check but fail at run time.
  const { default: wweb } = await import('whatsapp-web.js');
  const client = new wweb.Client({
    authStrategy: new wweb.LocalAuth({ dataPath: settings.authDir }),
    webVersionCache: { type: 'local', path: settings.cacheDir },
    puppeteer: { executablePath: settings.chromePath, headless: true, args: CHROMIUM_ARGS } as never,
    ...(settings.pairingPhone ? { pairWithPhoneNumber: { phoneNumber: settings.pairingPhone } } : {}),
  });
  return client as unknown as WaClient;
}

async function createWwebjsMedia(document: OutgoingDocument): Promise<unknown> {
  const { default: wweb } = await import('whatsapp-web.js');
  return new wweb.MessageMedia(document.mimeType, document.data.toString('base64'), document.fileName, document.data.length);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** Rows queued before endpoints named the number; the first number that connects sends them. */
export const LEGACY_ENDPOINT = 'whatsapp';

/** `whatsapp:<canonical number>` (or `whatsapp:<lid>` when WhatsApp names the account only by LID). */
export function endpointOf(wid: string): string | null {
  const id = canonicalPhone(wid) ?? canonicalLid(wid);
  return id ? `${LEGACY_ENDPOINT}:${id}` : null;
}

export class WhatsAppTransport extends BaseTransport implements Transport {
  readonly name = 'whatsapp' as const;
  /** The linked number's endpoint once WhatsApp is ready; before that no message can arrive. */
  private account: string | null = null;
  private client: WaClient | null = null;
  private everReady = false;
  private stopping = false;
  private watchdog: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private startWaiter: (() => void) | null = null;

  constructor(private readonly options: WhatsAppOptions) {
    super();
  }

  get endpoint(): string {
    return this.account ?? LEGACY_ENDPOINT;
  }

  private get settings(): WaClientSettings {
    return {
      authDir: path.join(this.options.dataDir, 'wwebjs'),
      cacheDir: path.join(this.options.dataDir, 'wwebjs-cache'),
      chromePath: this.options.chromePath,
      ...(this.options.pairingPhone ? { pairingPhone: this.options.pairingPhone } : {}),
    };
  }

  async start(): Promise<void> {
    const removed = clearStaleProfileLocks(this.settings.authDir);
    if (removed.length > 0) this.options.log.warn({ removed }, 'removed stale Chromium profile locks');
    this.stopping = false;
    this.setState('starting');
    // Resolved once any client (the watchdog may replace the first) shows a QR or pairing
    // code or becomes ready; rejected by the first initialisation error or the timeout.
    let timer: NodeJS.Timeout | undefined;
    const reached = new Promise<void>((resolve, reject) => {
      this.startWaiter = resolve;
      timer = setTimeout(() => {
        const seconds = Math.round(this.options.initTimeoutMs / 1000);
        const how = this.state() === 'authenticated' ? 'the session was restored but never became ready' : 'no QR code and no ready session';
        reject(new WhatsAppStartError(`WhatsApp did not start: ${how} within ${seconds} s`));
      }, this.options.initTimeoutMs);
      this.connect()
        .then((client) => client.initialize())
        .catch((error: unknown) => reject(new WhatsAppStartError(`WhatsApp did not start: ${describeError(error)}`)));
    });
    try {
      await reached;
    } catch (error) {
      await this.stop();
      throw error;
    } finally {
      clearTimeout(timer);
      this.startWaiter = null;
    }
  }

  protected override setState(state: ConnectionState, detail?: string): void {
    super.setState(state, detail);
    if (state === 'pairing' || state === 'ready') this.startWaiter?.();
  }

  /** Creates a client and subscribes to its events (only ours, on our own client). */
  private async connect(): Promise<WaClient> {
    const client = await (this.options.createClient ?? createWwebjsClient)(this.settings);
    this.client = client;
    const log = this.options.log;
    client.on('qr', (qr: string) => {
      if (client !== this.client) return;
      this.setState('pairing');
      if (this.everReady) {
        log.error('WhatsApp asks to be linked again: the session was logged out or lost');
        void this.restricted({ kind: 'relink' });
      }
      this.options.onQr?.(qr);
    });
    client.on('code', (code: string) => {
      if (client !== this.client) return;
      this.setState('pairing');
      this.options.onPairingCode?.(code);
    });
    client.on('authenticated', () => {
      if (client !== this.client) return;
      this.setState('authenticated');
      this.armWatchdog();
    });
    client.on('auth_failure', (message: string) => {
      if (client !== this.client) return;
      log.error({ reason: message }, 'WhatsApp could not restore the session');
    });
    client.on('ready', () => {
      if (client !== this.client) return;
      this.clearWatchdog();
      this.everReady = true;
      this.attempt = 0;
      const account = endpointOf(client.info?.wid?._serialized ?? '');
      if (account) this.account = account;
      else log.warn('WhatsApp did not say which number is linked; replies use the shared endpoint');
      this.setState('ready');
      log.info('WhatsApp is ready');
      // Messages that arrived while we were down or not ready: handled once (the bot deduplicates).
      void this.catchUp(client);
    });
    client.on('disconnected', (reason: string) => {
      if (client !== this.client || this.stopping) return;
      this.clearWatchdog();
      this.setState('disconnected', String(reason));
      log.warn({ reason }, 'WhatsApp disconnected');
      if (String(reason) === 'LOGOUT') void this.restricted({ kind: 'logout' });
      if (this.everReady) this.scheduleReconnect();
    });
    client.on('change_state', (state: string) => {
      log.debug({ state }, 'WhatsApp state changed');
      if (client === this.client && RESTRICTED_STATES.has(String(state))) {
        void this.restricted({ kind: 'blocked', state: String(state) });
      }
    });
    client.on('message', (message: WaMessage) => {
      if (client !== this.client) return;
      this.receive(message).catch((error) => log.error({ err: error }, 'could not take an incoming message'));
    });
    return client;
  }

  private armWatchdog(): void {
    this.clearWatchdog();
    this.watchdog = setTimeout(() => {
      this.options.log.error(
        { afterS: Math.round(this.options.readyTimeoutMs / 1000) },
        'WhatsApp authenticated but never became ready; restarting the client',
      );
      void this.restart();
    }, this.options.readyTimeoutMs);
    this.watchdog.unref();
  }

  private clearWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  private scheduleReconnect(): void {
    if (this.stopping || this.reconnectTimer) return;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 5_000, maxMs: 300_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** this.attempt);
    this.attempt++;
    this.options.log.info({ delayMs: delay, attempt: this.attempt }, 'reconnecting to WhatsApp');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.restart();
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Replaces the client with a fresh one; on failure, tries again later. */
  private async restart(): Promise<void> {
    if (this.stopping) return;
    const old = this.client;
    this.client = null;
    await old?.destroy().catch(() => {});
    if (this.stopping) return;
    this.setState('starting');
    try {
      const client = await this.connect();
      await client.initialize();
    } catch (error) {
      this.options.log.error({ err: describeError(error) }, 'WhatsApp reconnect failed');
      this.setState('disconnected', describeError(error));
      this.scheduleReconnect();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.clearWatchdog();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    if (client) {
      // destroy() closes Chromium; never let a wedged browser hold up shutdown.
      await Promise.race([client.destroy().catch(() => {}), new Promise((r) => setTimeout(r, 10_000).unref())]);
    }
    this.setState('stopped');
  }

  private requireClient(): WaClient {
    if (!this.client || this.state() !== 'ready') throw new Error(`WhatsApp is not ready (${this.state()})`);
    return this.client;
  }

  async sendText(chatId: string, text: string): Promise<void> {
    await this.requireClient().sendMessage(chatId, text);
  }

  async sendDocument(chatId: string, document: OutgoingDocument): Promise<void> {
    const client = this.requireClient();
    const media = await (this.options.createMedia ?? createWwebjsMedia)(document);
    await client.sendMessage(chatId, media, {
      sendMediaAsDocument: true,
      ...(document.caption ? { caption: document.caption } : {}),
    });
  }

  /** Reads unread messages of every chat once after `ready` and hands them in like new ones. */
  private async catchUp(client: WaClient): Promise<void> {
    if (!client.getChats) return;
    try {
      const chats = await client.getChats();
      let count = 0;
      for (const chat of chats) {
        const unread = chat.unreadCount ?? 0;
        if (unread <= 0 || client !== this.client) continue;
        const messages = await chat.fetchMessages({ limit: Math.min(unread, CATCH_UP_PER_CHAT) });
        for (const message of messages) {
          await this.receive(message);
          count++;
        }
      }
      if (count > 0) this.options.log.info({ count }, 'caught up on messages received while offline');
    } catch (error) {
      this.options.log.warn({ err: describeError(error) }, 'catch-up of unread messages failed');
    }
  }

  async phoneOfLid(lid: string): Promise<string | null> {
    if (!this.client || this.state() !== 'ready') return null;
    try {
      const pairs = (await this.client.getContactLidAndPhone?.([lid])) ?? [];
      return pairs.find((p) => p.lid === lid)?.pn || null;
    } catch (error) {
      this.options.log.debug({ err: describeError(error) }, 'LID lookup failed');
      return null;
    }
  }

  private async receive(message: WaMessage): Promise<void> {
    const inbound = toInbound(message);
    if (inbound) await this.deliver(inbound);
  }
}

/** A library message as ours, or null for what the bot ignores (status updates, its own messages). */
export function toInbound(message: WaMessage): InboundMessage | null {
  if (message.isStatus || message.broadcast || message.from === 'status@broadcast' || message.fromMe) return null;
  const isGroup = message.from.endsWith('@g.us');
  const senderId = isGroup ? message.author : message.from;
  if (!senderId) return null;
  return {
    id: message.id._serialized,
    chatId: message.from,
    senderId,
    isGroup,
    text: message.body ?? '',
    timestamp: new Date((message.timestamp ?? Date.now() / 1000) * 1000),
  };
}

