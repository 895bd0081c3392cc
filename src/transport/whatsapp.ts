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
  DEFAULT_IMAGE_MIME,
  type OutgoingDocument,
  type OutgoingImage,
  type Transport,
  TransportUnavailableError,
} from './transport.js';
import { AckWatcher } from './wa-acks.js';
import type { WaBrowser, WaClient, WaMessage, WaPage } from './wa-client.js';
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
/**
 * How many unread messages the catch-up reads per chat after a (re)connect: a private
 * chat's are all someone wrote to the bot; a group's are mostly chatter.
 */
const CATCH_UP_PRIVATE = 100;
const CATCH_UP_GROUP = 20;
/** States WhatsApp Web passes through when its connection drops (it reconnects by itself). */
const RECONNECTING_STATES = new Set(['TIMEOUT', 'OPENING', 'PAIRING']);
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
  /** Builds the library's MessageMedia for a document or an image (an image comes with its MIME filled in). */
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

type DeadlineStage = 'init' | 'ready' | 'reconnect';
/** How long the current client may take to answer whether its page still works. */
const PROBE_TIMEOUT_MS = 5_000;

/** Calls `seen` whenever `key` of `target` is assigned a value (and now, if it has one). */
function trapAssignment<T>(target: object, key: string, seen: (value: T) => void): void {
  let current = (target as Record<string, unknown>)[key] as T | null | undefined;
  Object.defineProperty(target, key, {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: T | null) => {
      current = value;
      if (value) seen(value);
    },
  });
  if (current) seen(current);
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
  /** What the deadline waits for: the first sign (init), `ready`, or WhatsApp Web's own reconnect. */
  private deadlineStage: DeadlineStage | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private failingSince: Date | null = null;
  private alerted = false;
  private relinkReported = false;
  /** Closing retired clients, one after another: the next launch waits for the profile to be free. */
  private retiring: Promise<void> = Promise.resolve();
  /** The attempt under way (`launch()`): a stop waits for it, so no browser appears after it. */
  private launching: Promise<void> = Promise.resolve();
  /** Between an attempt's start and its Chromium running (a stop then waits for the browser, to kill it). */
  private launchingBrowser = false;
  /** Each client's `initialize()`: closing a client waits for it, so its profile is free for the next. */
  private readonly initializing = new WeakMap<WaClient, Promise<unknown>>();
  /** Messages being handed in per chat, and chats with a message held: not to be marked seen. */
  private readonly inFlight = new Map<string, number>();
  private readonly unseenHeld = new Set<string>();
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
    // Resolved once a client shows a QR or pairing code or becomes ready; rejected when
    // the first attempt fails (its deadline included) or by a stop.
    const reached = new Promise<void>((resolve, reject) => {
      this.starting = { resolve, reject };
    });
    this.launching = this.launch();
    try {
      await reached;
    } catch (error) {
      await this.stop();
      throw error;
    } finally {
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
    this.launchingBrowser = true;
    try {
      await this.attempt();
    } finally {
      this.launchingBrowser = false;
    }
  }

  private async attempt(): Promise<void> {
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
    this.acks = new AckWatcher(client, (chatId) => {
      this.log.error({ chatId }, 'WhatsApp refused a message after it was counted as sent');
      this.tell(this.restricted({ kind: 'refused', chatId }));
    });
    this.listen(client);
    this.arm(client, this.options.initTimeoutMs, 'no QR code and no ready session', 'init');
    const initializing = client.initialize();
    this.initializing.set(client, initializing.catch(() => {}));
    try {
      await initializing;
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
      this.arm(client, this.options.readyTimeoutMs, 'authenticated but never ready', 'ready');
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
    client.on('loading_screen', (percent: unknown) => {
      // Syncing the messages that came while offline can take minutes: progress is a sign of life.
      if (ours() && this.deadline && this.deadlineStage === 'init') {
        this.log.debug({ percent }, 'WhatsApp is loading');
        this.arm(client, this.options.initTimeoutMs, 'no QR code and no ready session', 'init');
      }
    });
    client.on('change_state', (state: unknown) => {
      this.log.debug({ state }, 'WhatsApp state changed');
      if (ours()) this.stateChanged(client, String(state));
    });
    client.on('message', (message: WaMessage) => {
      if (!ours()) return;
      this.receive(client, message, true).catch((error) => this.log.error({ err: error }, 'could not take an incoming message'));
    });
  }

  /**
   * The library sets `pupBrowser` and `pupPage` inside `initialize()` and never reports
   * that Chromium or its page died; catching the assignments lets us watch both from
   * their first moment.
   */
  private watchBrowser(client: WaClient): void {
    const lost = (why: string) => (): void => {
      if (client === this.client && !this.stopping) this.failed(client, why);
    };
    trapAssignment(client, 'pupBrowser', (browser: WaBrowser) => {
      const pid = browser.process()?.pid;
      this.launchingBrowser = false;
      this.log.info({ browserPid: pid }, 'Chromium started');
      // Launched for a client already given up (a stop or a deadline during the launch).
      if (client !== this.client || this.stopping) {
        if (pid) killBrowser(pid);
        return;
      }
      if (pid) this.browsers.add(pid);
      browser.on('disconnected', () => {
        if (pid) this.browsers.delete(pid);
        lost('the browser closed (Chromium crashed or was killed)')();
      });
    });
    trapAssignment(client, 'pupPage', (page: WaPage) => {
      page.on('error', lost('the WhatsApp Web page crashed'));
      page.on('close', lost('the WhatsApp Web page closed'));
    });
  }

  /**
   * WhatsApp Web's own connection states once ready. A drop (TIMEOUT, OPENING, …) is
   * not ready: sends wait instead of piling up unconfirmed. It reconnects by itself;
   * if it is not back within CICERO_WA_INIT_TIMEOUT_S, the client is replaced.
   */
  private stateChanged(client: WaClient, state: string): void {
    if (HALTING_STATES.has(state)) {
      this.halt(client, state);
    } else if (RECONNECTING_STATES.has(state) && this.state() === 'ready') {
      this.log.warn({ state }, 'WhatsApp Web lost its connection; waiting for it to come back');
      this.setState('disconnected', state);
      this.arm(client, this.options.initTimeoutMs, `WhatsApp Web not connected again (${state})`, 'reconnect');
    } else if (state === 'CONNECTED' && this.deadlineStage === 'reconnect') {
      this.clearDeadline();
      this.log.info('WhatsApp Web is connected again');
      this.setState('ready');
    }
  }

  /** A QR or pairing code: waiting for a person, so no deadline. After a link it is a relink. */
  private paired(): void {
    this.clearDeadline();
    this.setState('pairing');
    if ((this.everReady || this.linkedBefore()) && !this.relinkReported) {
      this.relinkReported = true;
      this.log.error('WhatsApp asks to be linked again: the session was logged out or lost');
      this.tell(this.restricted({ kind: 'relink' }));
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
    this.tell(this.restricted({ kind: 'logout' }));
    this.arm(client, this.options.initTimeoutMs, 'no QR code after the logout', 'init');
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
    this.starting?.reject(new WhatsAppStartError(`WhatsApp did not start: WhatsApp reported ${state}`));
    this.tell(this.restricted({ kind: 'blocked', state }));
    void this.retire(client);
  }

  /** Listeners' failures are theirs to log; never an unhandled rejection of ours. */
  private tell(work: Promise<void>): void {
    work.catch((error: unknown) => this.log.error({ err: describeError(error) }, 'a transport listener failed'));
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
    // The first start fails with its attempt; a session stuck after `authenticated` gets one restart.
    if (this.starting && (!watchdog || this.failures > 0)) {
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
      this.tell(this.alert({ kind: 'unreachable', since: this.failingSince, attempts: this.failures, reason }));
    }
    void this.retire(client);
    this.scheduleReconnect();
  }

  private arm(client: WaClient, ms: number, what: string, stage: DeadlineStage): void {
    this.clearDeadline();
    this.deadlineStage = stage;
    this.deadline = setTimeout(() => {
      this.deadline = null;
      this.deadlineStage = null;
      this.failed(client, `${what} within ${Math.round(ms / 1000)} s`, stage === 'ready');
    }, ms);
    this.deadline.unref();
  }

  private clearDeadline(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = null;
    this.deadlineStage = null;
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
      // Sends still waiting for their ack never got out of this browser: they wait for the next.
      this.acks?.abandon();
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
    if (pid) this.browsers.delete(pid);
    // A browser still launching appears later and is killed then; wait for that, so the
    // next launch finds the profile free.
    if (!client.pupBrowser) await within(this.initializing.get(client) ?? Promise.resolve(), destroyMs);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.clearDeadline();
    this.clearReconnect();
    this.starting?.reject(new WhatsAppStartError('WhatsApp start interrupted: the bot is shutting down'));
    await this.retire(this.client);
    // A launch whose browser is not there yet ends once it appears (it is killed then) or fails.
    if (this.launchingBrowser) await within(this.launching, this.options.destroyTimeoutMs ?? 5_000);
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
    const client = this.client;
    if (!client || this.state() !== 'ready' || !isConnectionLost(reason)) return;
    // It may come from a client already replaced: ask the current one before blaming it.
    void this.probe(client, describeError(reason));
  }

  private async probe(client: WaClient, reason: string): Promise<void> {
    const answer = await within(
      (client.getState?.() ?? Promise.resolve('unknown')).catch((error: unknown) => error),
      PROBE_TIMEOUT_MS,
    );
    const broken = answer === LATE || (answer instanceof Error && isConnectionLost(answer));
    if (broken) this.failed(client, `the page is gone (${reason})`);
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

  /** The same media as a document, but without `sendMediaAsDocument`: WhatsApp shows it as a picture. */
  async sendImage(chatId: string, image: OutgoingImage): Promise<void> {
    const media = await (this.options.createMedia ?? createWwebjsMedia)({
      fileName: image.fileName,
      mimeType: image.mimeType ?? DEFAULT_IMAGE_MIME,
      data: image.data,
    });
    await this.send(chatId, media, image.caption ? { caption: image.caption } : {});
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
    // The library gives back nothing when the page found no chat for the id.
    if (!sent?.id) throw new Error(`WhatsApp could not open the chat ${chatId}`);
    const ackWaitMs = this.options.ackWaitMs ?? 10_000;
    const outcome = await acks.outcome(sent, ackWaitMs, chatId);
    if (outcome === 'refused') throw new SendRefusedError(chatId);
    if (outcome === 'abandoned') throw new TransportUnavailableError('WhatsApp connection lost before the message left');
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
        const chatId = chat.id?._serialized ?? '';
        const cap = chatId.endsWith('@g.us') ? CATCH_UP_GROUP : CATCH_UP_PRIVATE;
        if (unread > cap) this.log.warn({ chatId, unread, read: cap }, 'more unread messages than the catch-up reads; the oldest are skipped');
        const messages = await chat.fetchMessages({ limit: Math.min(unread, cap), fromMe: false });
        // A chat read again from the start is no longer held back from being seen.
        this.unseenHeld.delete(chatId);
        for (const message of messages) {
          await this.receive(client, message, false);
          count++;
        }
        if (chatId) await this.markSeen(client, chatId);
      }
      if (count > 0) this.log.info({ count }, 'caught up on messages received while offline');
    } catch (error) {
      this.log.warn({ err: describeError(error) }, 'catch-up of unread messages failed');
    }
  }

  async groupName(chatId: string): Promise<string | null> {
    if (!this.client || this.state() !== 'ready') return null;
    try {
      return (await this.client.getChatById?.(chatId))?.name || null;
    } catch (error) {
      this.log.debug({ err: describeError(error) }, 'group name lookup failed');
      return null;
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
    const { chatId } = inbound;
    this.inFlight.set(chatId, (this.inFlight.get(chatId) ?? 0) + 1);
    let disposition: Disposition = 'held';
    try {
      disposition = await this.deliver(inbound);
    } finally {
      const left = (this.inFlight.get(chatId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(chatId, left);
      else this.inFlight.delete(chatId);
      if (disposition === 'held') this.unseenHeld.add(chatId);
    }
    if (live && disposition === 'handled') await this.markSeen(client, chatId);
    return disposition;
  }

  /**
   * "Seen" covers the whole chat: never while another of its messages is being handled
   * or was held (it must stay unread for the next catch-up).
   */
  private async markSeen(client: WaClient, chatId: string): Promise<void> {
    if (client !== this.client || this.state() !== 'ready') return;
    if (this.inFlight.has(chatId) || this.unseenHeld.has(chatId)) return;
    await client.sendSeen?.(chatId).catch((error: unknown) => this.log.debug({ err: describeError(error), chatId }, 'could not mark the chat seen'));
  }
}
