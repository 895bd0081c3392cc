/**
 * whatsapp-web.js behind our Transport interface.
 *
 * Every connection attempt has a deadline from `initialize()` on: a QR code, a pairing
 * code or `authenticated` within CICERO_WA_INIT_TIMEOUT_S, then `ready` within
 * CICERO_WA_READY_TIMEOUT_S. The first start fails with one line when its attempt
 * fails; later attempts (after a disconnect, a browser crash or a missed deadline)
 * retry with backoff, and the admins are alerted after a few failures in a row.
 * States after which reconnecting only repeats the failure (a block, an unlinked
 * device, a deprecated version) pause sending and wait for an admin instead.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalLid, canonicalPhone } from '../identity/wa-id.js';
import type { Logger } from '../log.js';
import { LATE, within } from '../time/within.js';
import {
  BaseTransport,
  type ConnectionState,
  type Disposition,
  type OutgoingDocument,
  type Transport,
  TransportUnavailableError,
} from './transport.js';
import { AckWatcher } from './wa-acks.js';
import type { WaBrowser, WaClient, WaMessage } from './wa-client.js';
import { describeError, isConnectionLost, isNoLid, SendRefusedError } from './wa-errors.js';
import { toInbound } from './wa-inbound.js';
import { createWwebjsClient, createWwebjsMedia, isAlive, killBrowser, profileBrowsers, type WaClientSettings } from './wwebjs.js';

export type { WaChat, WaClient, WaMessage } from './wa-client.js';
export { toInbound } from './wa-inbound.js';
export type { WaClientSettings } from './wwebjs.js';

/**
 * WhatsApp states after which a reconnect only repeats the failure: blocked, the
 * linked device removed, or a WhatsApp Web version WhatsApp no longer accepts.
 */
export const HALTING_STATES = new Set(['TOS_BLOCK', 'SMB_TOS_BLOCK', 'PROXYBLOCK', 'UNPAIRED', 'DEPRECATED_VERSION']);
/** How many unread messages per chat the catch-up reads after a (re)connect. */
const CATCH_UP_PER_CHAT = 20;
/** Written once the number has been linked: a QR code after that is a relink. */
const LINKED_MARKER = 'linked.json';

export interface WhatsAppOptions {
  dataDir: string;
  chromePath: string;
  log: Logger;
  /** Each attempt must reach a QR code, a pairing code or `authenticated` within this. */
  initTimeoutMs: number;
  /** After `authenticated`, `ready` must follow within this. */
  readyTimeoutMs: number;
  /** Pair by a code typed on the phone instead of a QR. */
  pairingPhone?: string;
  extraChromiumArgs?: readonly string[];
  webVersion?: { version: string; url: string };
  onQr?(qr: string): void;
  onPairingCode?(code: string): void;
  createClient?(settings: WaClientSettings): Promise<WaClient>;
  createMedia?(document: OutgoingDocument): Promise<unknown>;
  /** Reconnect backoff. */
  backoff?: { initialMs: number; maxMs: number };
  /** Failed attempts in a row after which the admins are alerted. */
  alertAfter?: number;
  /** How long a send waits for WhatsApp's verdict (an ack) before counting it sent unconfirmed. */
  ackWaitMs?: number;
  /** How long `destroy()` may take before Chromium is killed. */
  destroyTimeoutMs?: number;
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
  private acks: AckWatcher | null = null;
  private everReady = false;
  private stopping = false;
  /** The state that stopped reconnecting, until an admin resumes. */
  private halted: string | null = null;
  private deadline: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private failingSince: Date | null = null;
  private alerted = false;
  private relinkReported = false;
  /** Closing retired clients, one after another: the next launch waits for the profile to be free. */
  private retiring: Promise<void> = Promise.resolve();
  /** The attempt under way (`launch()`): a stop waits for it, so no browser appears after it. */
  private launching: Promise<void> = Promise.resolve();
  /** Every browser this transport launched: none may outlive `stop()`. */
  private readonly browsers = new Set<number>();
  private starting: { resolve(): void; reject(error: Error): void } | null = null;

  constructor(private readonly options: WhatsAppOptions) {
    super();
  }

  get endpoint(): string {
    return this.account ?? LEGACY_ENDPOINT;
  }

  private get authDir(): string {
    return path.join(this.options.dataDir, 'wwebjs');
  }

  private get clientSettings(): WaClientSettings {
    const { chromePath, pairingPhone, extraChromiumArgs, webVersion } = this.options;
    return {
      authDir: this.authDir,
      chromePath,
      ...(pairingPhone ? { pairingPhone } : {}),
      ...(extraChromiumArgs ? { extraArgs: extraChromiumArgs } : {}),
      ...(webVersion ? { webVersion } : {}),
    };
  }

  private get log(): Logger {
    return this.options.log;
  }

  async start(): Promise<void> {
    this.prepareProfile();
    this.stopping = false;
    this.halted = null;
    this.setState('starting');
    let timer: NodeJS.Timeout | undefined;
    // Resolved once a client shows a QR or pairing code or becomes ready; rejected by the
    // first attempt's failure, the overall timeout, or a stop.
    const reached = new Promise<void>((resolve, reject) => {
      this.starting = { resolve, reject };
      timer = setTimeout(() => {
        const seconds = Math.round(this.options.initTimeoutMs / 1000);
        const how = this.state() === 'authenticated' ? 'the session was restored but never became ready' : 'no QR code and no ready session';
        reject(new WhatsAppStartError(`WhatsApp did not start: ${how} within ${seconds} s`));
      }, this.options.initTimeoutMs);
    });
    this.launching = this.launch();
    try {
      await reached;
    } catch (error) {
      await this.stop();
      throw error;
    } finally {
      clearTimeout(timer);
      this.starting = null;
    }
  }

  /** Frees the profile: browsers an earlier process left running on it, then stale locks. */
  private prepareProfile(): void {
    for (const pid of profileBrowsers(this.authDir)) {
      killBrowser(pid);
      this.log.warn({ browserPid: pid }, 'killed a Chromium that an earlier process left running on the WhatsApp profile');
    }
    // The library's local page cache (before it was turned off) only ever grew.
    const oldCache = path.join(this.options.dataDir, 'wwebjs-cache');
    if (existsSync(oldCache)) {
      rmSync(oldCache, { recursive: true, force: true });
      this.log.info({ dir: oldCache }, 'removed the unused WhatsApp Web page cache');
    }
    const removed = clearStaleProfileLocks(this.authDir);
    if (removed.length > 0) this.log.warn({ removed }, 'removed stale Chromium profile locks');
  }

  protected override setState(state: ConnectionState, detail?: string): void {
    super.setState(state, detail);
    if (state === 'pairing' || state === 'ready') this.starting?.resolve();
  }

  /** One connection attempt: a new client, its events, its deadline, `initialize()`. */
  private async launch(): Promise<void> {
    if (this.stopping || this.halted) return;
    let client: WaClient;
    try {
      client = await (this.options.createClient ?? createWwebjsClient)(this.clientSettings);
    } catch (error) {
      this.failed(null, describeError(error));
      return;
    }
    if (this.stopping || this.halted) {
      void this.close(client);
      return;
    }
    this.client = client;
    this.acks = new AckWatcher(client);
    this.listen(client);
    this.arm(client, this.options.initTimeoutMs, 'no QR code and no ready session');
    try {
      await client.initialize();
    } catch (error) {
      this.failed(client, describeError(error));
    }
  }

  /** Subscribes to a client's events; each handler ignores a client that is no longer ours. */
  private listen(client: WaClient): void {
    const ours = (): boolean => client === this.client && !this.stopping;
    this.watchBrowser(client);
    client.on('qr', (qr: string) => {
      if (!ours()) return;
      this.paired();
      this.options.onQr?.(qr);
    });
    client.on('code', (code: string) => {
      if (!ours()) return;
      this.paired();
      this.options.onPairingCode?.(code);
    });
    client.on('authenticated', () => {
      if (!ours()) return;
      this.setState('authenticated');
      this.arm(client, this.options.readyTimeoutMs, 'authenticated but never ready', true);
    });
    client.on('auth_failure', (message: string) => {
      if (ours()) this.log.error({ reason: message }, 'WhatsApp could not restore the session');
    });
    client.on('ready', () => {
      if (ours()) this.ready(client);
    });
    client.on('disconnected', (reason: unknown) => {
      if (!ours()) return;
      const why = String(reason);
      if (why === 'LOGOUT') this.loggedOut(client);
      else if (HALTING_STATES.has(why)) this.halt(client, why);
      else this.failed(client, `disconnected (${why})`);
    });
    client.on('change_state', (state: unknown) => {
      this.log.debug({ state }, 'WhatsApp state changed');
      if (ours() && HALTING_STATES.has(String(state))) this.halt(client, String(state));
    });
    client.on('message', (message: WaMessage) => {
      if (!ours()) return;
      this.receive(client, message, true).catch((error) => this.log.error({ err: error }, 'could not take an incoming message'));
    });
  }

  /**
   * The library sets `pupBrowser` inside `initialize()` and never reports that Chromium
   * died; catching the assignment lets us watch the browser from its first moment.
   */
  private watchBrowser(client: WaClient): void {
    let browser: WaBrowser | null | undefined = client.pupBrowser;
    const seen = (value: WaBrowser): void => {
      const pid = value.process()?.pid;
      if (pid) this.browsers.add(pid);
      this.log.info({ browserPid: pid }, 'Chromium started');
      // Launched for a client already given up (a stop or a deadline during the launch).
      if (client !== this.client || this.stopping) {
        if (pid) killBrowser(pid);
        return;
      }
      value.on('disconnected', () => {
        if (client === this.client && !this.stopping) this.failed(client, 'the browser closed (Chromium crashed or was killed)');
      });
    };
    Object.defineProperty(client, 'pupBrowser', {
      configurable: true,
      enumerable: true,
      get: () => browser,
      set: (value: WaBrowser | null) => {
        browser = value;
        if (value) seen(value);
      },
    });
    if (browser) seen(browser);
  }

  /** A QR or pairing code: waiting for a person, so no deadline. After a link it is a relink. */
  private paired(): void {
    this.clearDeadline();
    this.setState('pairing');
    if ((this.everReady || this.linkedBefore()) && !this.relinkReported) {
      this.relinkReported = true;
      this.log.error('WhatsApp asks to be linked again: the session was logged out or lost');
      void this.restricted({ kind: 'relink' });
    }
  }

  private ready(client: WaClient): void {
    this.clearDeadline();
    if (this.failures > 0) this.log.info({ failures: this.failures }, 'WhatsApp reconnected');
    this.everReady = true;
    this.relinkReported = false;
    this.failures = 0;
    this.failingSince = null;
    this.alerted = false;
    const wid = client.info?.wid?._serialized ?? '';
    const account = endpointOf(wid);
    if (account) this.account = account;
    else this.log.warn('WhatsApp did not say which number is linked; replies use the shared endpoint');
    this.rememberLink(wid);
    this.setState('ready');
    this.log.info('WhatsApp is ready');
    // Messages that arrived while we were down or not ready: handled once (the bot deduplicates).
    void this.catchUp(client);
  }

  /**
   * WhatsApp logged the session out. The library re-injects the page and shows a QR code
   * on the same client: keep it (destroying it mid-reinject loses that QR) and wait.
   */
  private loggedOut(client: WaClient): void {
    this.log.error('WhatsApp logged the session out; waiting for the QR code to link it again');
    this.setState('disconnected', 'LOGOUT');
    void this.restricted({ kind: 'logout' });
    this.arm(client, this.options.initTimeoutMs, 'no QR code after the logout');
  }

  /** A state where reconnecting only repeats the failure: pause, alert, wait for an admin. */
  private halt(client: WaClient, state: string): void {
    if (this.halted) return;
    this.halted = state;
    this.clearDeadline();
    this.clearReconnect();
    this.log.error(
      { state },
      `WhatsApp reported ${state}: not reconnecting until an admin resumes (outbox#resume) or cicero restarts`,
    );
    this.setState('disconnected', state);
    void this.restricted({ kind: 'blocked', state });
    void this.retire(client);
  }

  /** An admin resumed sending: a halted connection tries again. */
  resume(): void {
    if (!this.halted || this.stopping) return;
    this.log.warn({ state: this.halted }, 'an admin resumed; connecting to WhatsApp again');
    this.halted = null;
    this.failures = 0;
    this.failingSince = null;
    this.setState('starting');
    this.launching = this.retiring.then(() => this.launch());
  }

  /**
   * An attempt failed or a working connection was lost. During the first start that is
   * the start's failure; later the client is closed and another tries after a backoff.
   */
  private failed(client: WaClient | null, reason: string, watchdog = false): void {
    if (client !== this.client || this.stopping || this.halted) return;
    this.clearDeadline();
    if (this.starting && !watchdog) {
      this.starting.reject(new WhatsAppStartError(`WhatsApp did not start: ${reason}`));
      return;
    }
    this.failures++;
    this.failingSince ??= new Date();
    this.log.error({ reason, failures: this.failures }, 'WhatsApp connection failed');
    this.setState('disconnected', reason);
    const alertAfter = this.options.alertAfter ?? 3;
    if (this.failures >= alertAfter && !this.alerted) {
      this.alerted = true;
      this.log.error({ since: this.failingSince, failures: this.failures }, 'WhatsApp keeps failing to connect; alerting the admins');
      void this.alert({ kind: 'unreachable', since: this.failingSince, attempts: this.failures, reason });
    }
    void this.retire(client);
    this.scheduleReconnect();
  }

  private arm(client: WaClient, ms: number, what: string, watchdog = false): void {
    this.clearDeadline();
    this.deadline = setTimeout(() => {
      this.deadline = null;
      this.failed(client, `${what} within ${Math.round(ms / 1000)} s`, watchdog);
    }, ms);
    this.deadline.unref();
  }

  private clearDeadline(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = null;
  }

  private clearReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private scheduleReconnect(): void {
    if (this.stopping || this.halted || this.reconnectTimer) return;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 5_000, maxMs: 300_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** Math.max(0, this.failures - 1));
    this.log.info({ delayMs: delay, failures: this.failures }, 'reconnecting to WhatsApp');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.setState('starting');
      this.launching = this.retiring.then(() => this.launch());
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Lets go of a client: it stops being ours at once, and is closed in the background. */
  private retire(client: WaClient | null): Promise<void> {
    if (client && client === this.client) {
      this.client = null;
      this.acks = null;
    }
    if (client) this.retiring = this.retiring.then(() => this.close(client));
    return this.retiring;
  }

  /**
   * `destroy()` within a time limit, then the browser killed if it still runs: a wedged
   * destroy must not hold a shutdown, and a live Chromium keeps the profile locked.
   */
  private async close(client: WaClient): Promise<void> {
    const destroyMs = this.options.destroyTimeoutMs ?? 5_000;
    const destroyed = await within(
      client.destroy().then(
        () => true,
        (error: unknown) => {
          this.log.debug({ err: describeError(error) }, 'WhatsApp client destroy failed');
          return false;
        },
      ),
      destroyMs,
    );
    if (destroyed === LATE) this.log.warn({ afterMs: destroyMs }, 'the WhatsApp client did not close in time; killing Chromium');
    const pid = client.pupBrowser?.process()?.pid;
    if (pid && isAlive(pid)) killBrowser(pid);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.clearDeadline();
    this.clearReconnect();
    this.starting?.reject(new WhatsAppStartError('WhatsApp start interrupted: the bot is shutting down'));
    await this.retire(this.client);
    // A launch still under way ends once its browser appears (it is killed then) or fails.
    await within(this.launching, this.options.destroyTimeoutMs ?? 5_000);
    for (const pid of this.browsers) if (isAlive(pid)) killBrowser(pid);
    this.browsers.clear();
    this.setState('stopped');
  }

  /**
   * A promise rejection nobody handled (the library leaves some: re-injection after a
   * navigation, pairing-code requests, destroy after a disconnect, LocalAuth's EBUSY).
   * When it says the page is gone, the connection is treated as lost.
   */
  noticeUnhandled(reason: unknown): void {
    if (this.client && isConnectionLost(reason)) this.failed(this.client, `the page is gone (${describeError(reason)})`);
  }

  private linkedBefore(): boolean {
    return existsSync(path.join(this.authDir, LINKED_MARKER));
  }

  private rememberLink(wid: string): void {
    try {
      mkdirSync(this.authDir, { recursive: true });
      writeFileSync(path.join(this.authDir, LINKED_MARKER), JSON.stringify({ account: wid, at: new Date().toISOString() }));
    } catch (error) {
      this.log.warn({ err: describeError(error) }, 'could not record that the number is linked');
    }
  }

  private requireClient(): { client: WaClient; acks: AckWatcher } {
    if (!this.client || !this.acks || this.state() !== 'ready') {
      throw new TransportUnavailableError(`WhatsApp is not ready (${this.state()})`);
    }
    return { client: this.client, acks: this.acks };
  }

  async sendText(chatId: string, text: string): Promise<void> {
    await this.send(chatId, text, {});
  }

  async sendDocument(chatId: string, document: OutgoingDocument): Promise<void> {
    const media = await (this.options.createMedia ?? createWwebjsMedia)(document);
    await this.send(chatId, media, { sendMediaAsDocument: true, ...(document.caption ? { caption: document.caption } : {}) });
  }

  /**
   * Sends and follows the message until WhatsApp's server takes or refuses it. No link
   * previews (a fetch per message, and it shows the bot to the linked sites), and no
   * "seen" as a side effect: the chat is marked seen when its message was handled.
   */
  private async send(chatId: string, content: unknown, options: Record<string, unknown>, viaLid = false): Promise<void> {
    const { client, acks } = this.requireClient();
    let sent: Awaited<ReturnType<WaClient['sendMessage']>>;
    try {
      sent = await client.sendMessage(chatId, content, { ...options, linkPreview: false, sendSeen: false });
    } catch (error) {
      if (isConnectionLost(error)) {
        this.failed(client, `the page is gone (${describeError(error)})`);
        throw new TransportUnavailableError(`WhatsApp connection lost: ${describeError(error)}`);
      }
      if (isNoLid(error) && !viaLid && chatId.endsWith('@c.us')) {
        const lid = await this.lidOf(client, chatId);
        if (!lid) throw new Error(`No LID for user: WhatsApp knows no account behind ${chatId}`);
        this.log.info({ chatId, lid }, 'sending to the LID WhatsApp uses for this number');
        return this.send(lid, content, options, true);
      }
      throw error;
    }
    if (sent === null) throw new Error(`WhatsApp could not open the chat ${chatId}`);
    if (!sent?.id) {
      this.log.warn({ chatId }, 'WhatsApp gave back no message to follow; counted as sent');
      return;
    }
    const ackWaitMs = this.options.ackWaitMs ?? 10_000;
    const outcome = await acks.outcome(sent, ackWaitMs);
    if (outcome === 'refused') throw new SendRefusedError(chatId);
    if (outcome === 'unconfirmed') {
      // Still queued in WhatsApp Web, which sends it when it can; sending again would duplicate it.
      this.log.warn({ chatId, afterMs: ackWaitMs }, 'message not yet confirmed by WhatsApp; counted as sent');
    }
  }

  private async lidOf(client: WaClient, phoneChat: string): Promise<string | null> {
    try {
      const pairs = (await client.getContactLidAndPhone?.([phoneChat])) ?? [];
      return pairs.find((p) => p.lid)?.lid ?? null;
    } catch (error) {
      this.log.warn({ err: describeError(error), chatId: phoneChat }, 'LID lookup failed');
      return null;
    }
  }

  /**
   * Reads each chat's unread messages once after `ready` (others' messages only: the
   * library's limit counts the bot's own) and hands them in like new ones; a chat whose
   * messages were all taken is marked seen, so the next `ready` does not read them again.
   */
  private async catchUp(client: WaClient): Promise<void> {
    if (!client.getChats) return;
    try {
      const chats = await client.getChats();
      let count = 0;
      for (const chat of chats) {
        const unread = chat.unreadCount ?? 0;
        if (unread <= 0 || client !== this.client) continue;
        const messages = await chat.fetchMessages({ limit: Math.min(unread, CATCH_UP_PER_CHAT), fromMe: false });
        let held = false;
        for (const message of messages) {
          if ((await this.receive(client, message, false)) === 'held') held = true;
          count++;
        }
        if (!held && chat.id) await this.markSeen(client, chat.id._serialized);
      }
      if (count > 0) this.log.info({ count }, 'caught up on messages received while offline');
    } catch (error) {
      this.log.warn({ err: describeError(error) }, 'catch-up of unread messages failed');
    }
  }

  async phoneOfLid(lid: string): Promise<string | null> {
    if (!this.client || this.state() !== 'ready') return null;
    try {
      const pairs = (await this.client.getContactLidAndPhone?.([lid])) ?? [];
      return pairs.find((p) => p.lid === lid)?.pn || null;
    } catch (error) {
      this.log.debug({ err: describeError(error) }, 'LID lookup failed');
      return null;
    }
  }

  /** Hands a message in; a live message the bot handled marks its chat seen. */
  private async receive(client: WaClient, message: WaMessage, live: boolean): Promise<Disposition> {
    const inbound = toInbound(message);
    if (!inbound) return 'ignored';
    const disposition = await this.deliver(inbound);
    if (live && disposition === 'handled') await this.markSeen(client, inbound.chatId);
    return disposition;
  }

  private async markSeen(client: WaClient, chatId: string): Promise<void> {
    if (client !== this.client || this.state() !== 'ready') return;
    await client.sendSeen?.(chatId).catch((error: unknown) => this.log.debug({ err: describeError(error), chatId }, 'could not mark the chat seen'));
  }
}
