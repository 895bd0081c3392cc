/**
 * The durable outbox. Every reply and broadcast is a row before it is sent; a
 * worker claims rows, paces them per chat and globally, sends them through the
 * transport, retries transient failures with bounded exponential backoff, and
 * moves a row to the dead letters after its last try. Idempotency keys make a
 * logical message enqueue once however often the code that produces it runs.
 *
 * Exactly-once has one window no outbox can close: a process that dies after
 * WhatsApp accepted a message and before the row is marked sent. The row is sent
 * again after the claim expires; that window is kept to two statements.
 *
 * Several processes on one database: each sends only its own endpoint's rows, and
 * an exclusive endpoint (a WhatsApp number) is sent by one process at a time, the
 * holder of its lease, so pacing and the hourly budget hold per number.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/db.js';
import { type Presence, STALE_S } from '../db/presence.js';
import type { Logger } from '../log.js';
import {
  DEFAULT_IMAGE_MIME,
  type OutgoingDocument,
  type OutgoingImage,
  type Transport,
  TransportUnavailableError,
} from '../transport/transport.js';
import type { KillSwitch, PauseCause, PauseState } from './kill-switch.js';
import { LATE, within } from '../time/within.js';
import { splitText } from './split.js';
import { type NewRow, type Origin, type OutboxRow, type OutboxStats, OutboxStore } from './store.js';

export interface OutgoingMessage {
  chatId: string;
  /** Identifies the logical message: enqueueing the same key again adds nothing. */
  key: string;
  /** `broadcast` for messages the bot starts itself (counted against the hourly budget). */
  origin?: Origin;
  text?: string;
  document?: OutgoingDocument;
  /** A picture; stored in the document columns with its image MIME (see {@link isImageRow}). */
  image?: OutgoingImage;
}

export interface Pacing {
  /** Least time between any two sends. */
  globalMs: number;
  /** Least time between two sends to one chat. */
  chatMs: number;
  /** Random extra wait, up to this, so timing is never mechanical. */
  jitterMs: number;
  /**
   * Least time between two different broadcast messages (from the last part of one to the
   * first of the next); the further parts of a message being sent are not held by it.
   */
  broadcastMs: number;
}

export const NO_PACING: Pacing = { globalMs: 0, chatMs: 0, jitterMs: 0, broadcastMs: 0 };

export interface OutboxSettings {
  maxChars: number;
  pacing: Pacing;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** A claim older than this belongs to a dead worker and is released. */
  claimTimeoutMs: number;
  sendTimeoutMs: number;
  pollMs: number;
  /** Broadcast messages per clock hour; replies are not counted. */
  budgetPerHour: number;
  /** Admin chats: while the outbox is paused, replies to them still go out. */
  adminChats: string[];
  /** Whether a pause (WhatsApp restricting the number) holds this endpoint's rows; a terminal is never restricted. */
  pausable: boolean;
  /** One process at a time sends this endpoint's rows (needs a Presence): pacing and budget per number. */
  exclusive: boolean;
}

export const DEFAULT_SETTINGS: OutboxSettings = {
  maxChars: 4000,
  pacing: { globalMs: 1000, chatMs: 3000, jitterMs: 2000, broadcastMs: 30_000 },
  maxAttempts: 5,
  retryBaseMs: 2000,
  retryMaxMs: 300_000,
  claimTimeoutMs: 120_000,
  sendTimeoutMs: 60_000,
  pollMs: 500,
  budgetPerHour: 60,
  adminChats: [],
  pausable: true,
  exclusive: false,
};

/** How long a held lease is trusted before it is confirmed again. */
const LEASE_CHECK_MS = 2_000;

/** Send errors that mean WhatsApp is restricting the number. */
export function isRestriction(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /\b463\b|reach.?out.?time.?lock|account.*(banned|restricted)/i.test(text);
}

class Pacer {
  private lastAny = 0;
  private jitter = 0;
  private readonly lastChat = new Map<string, number>();
  private lastBroadcast: number | null = null;
  /** The message the last broadcast row belonged to (unknown, null, for sends learnt from the database). */
  private lastBroadcastKey: string | null = null;

  constructor(private readonly pacing: Pacing) {}

  globalWait(now: number): number {
    return Math.max(0, this.lastAny + this.pacing.globalMs + this.jitter - now);
  }

  coolingChats(now: number): string[] {
    const cooling: string[] = [];
    for (const [chat, at] of this.lastChat) {
      if (now - at < this.pacing.chatMs) cooling.push(chat);
      else this.lastChat.delete(chat);
    }
    return cooling;
  }

  /** When the next cooling chat is free again, for the worker's sleep. */
  nextCoolingEnds(now: number): number | null {
    let soonest: number | null = null;
    for (const at of this.lastChat.values()) {
      const ends = at + this.pacing.chatMs - now;
      if (ends > 0 && (soonest === null || ends < soonest)) soonest = ends;
    }
    return soonest;
  }

  broadcastGapOver(now: number): boolean {
    return this.lastBroadcast === null || now - this.lastBroadcast >= this.pacing.broadcastMs;
  }

  /**
   * The broadcast message the last broadcast row sent belonged to: its further parts need not
   * wait for the broadcast gap, which is between different messages.
   */
  continuing(): string | null {
    return this.lastBroadcastKey;
  }

  record(row: Pick<OutboxRow, 'chat_id' | 'origin'> & { message_key?: string }, now: number): void {
    this.lastAny = Math.max(this.lastAny, now);
    this.jitter = Math.random() * this.pacing.jitterMs;
    if (this.pacing.chatMs > 0) this.lastChat.set(row.chat_id, Math.max(this.lastChat.get(row.chat_id) ?? 0, now));
    if (row.origin === 'broadcast' && now >= (this.lastBroadcast ?? 0)) {
      this.lastBroadcast = now;
      this.lastBroadcastKey = row.message_key ?? null;
    }
  }

  /** How far back sends still matter to pacing. */
  memoryMs(): number {
    return Math.max(this.pacing.globalMs + this.pacing.jitterMs, this.pacing.chatMs, this.pacing.broadcastMs);
  }
}

/**
 * Whether a row is an image. Images reuse the document columns (no column of their own):
 * bytes in `document`, name in `document_name`, and `document_mime` an `image/…` type.
 * That MIME is the only thing telling an image row from a document row, so a document
 * queued with an image MIME would go out as a picture (the bot queues none).
 */
export function isImageRow(row: Pick<OutboxRow, 'document' | 'document_mime'>): boolean {
  return row.document !== null && (row.document_mime ?? '').startsWith('image/');
}

/** The rows `message` becomes on `endpoint`: one per part of at most `maxChars` (a document or an image is one). */
export function outboxRows(endpoint: string, maxChars: number, message: OutgoingMessage): NewRow[] {
  const base = { endpoint, chatId: message.chatId, origin: message.origin ?? 'reply', messageKey: message.key } as const;
  if (message.image) {
    const m = message.image;
    const document = { data: m.data, name: m.fileName, mime: m.mimeType ?? DEFAULT_IMAGE_MIME };
    return [{ ...base, part: 1, parts: 1, body: m.caption ?? null, document }];
  }
  if (message.document) {
    const d = message.document;
    return [{ ...base, part: 1, parts: 1, body: d.caption ?? null, document: { data: d.data, name: d.fileName, mime: d.mimeType } }];
  }
  const texts = splitText(message.text ?? '', maxChars);
  return texts.map((body, i) => ({ ...base, part: i + 1, parts: texts.length, body }));
}

export class Outbox {
  readonly store: OutboxStore;
  readonly worker: string;
  private readonly pacer: Pacer;
  /** Whether this process holds the endpoint's send lease (exclusive endpoints), and since when it knows. */
  private lease = { endpoint: '', held: false, checkedAt: 0 };
  /** A move of old rows to this endpoint, which sending waits for. */
  private adoption: Promise<unknown> = Promise.resolve();
  private stopping = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private busy: Promise<unknown> = Promise.resolve();
  private lastStaleCheck = 0;
  private lastRefresh = 0;
  private lastLoopError = 0;
  /** Broadcasts sent in the current clock hour: counted in the database now and then, kept up locally in between. */
  private budget = { hour: -1, sent: 0, checkedAt: 0 };

  constructor(
    db: Queryable,
    private readonly transport: Transport,
    private readonly killSwitch: KillSwitch,
    private readonly log: Logger,
    private readonly settings: OutboxSettings = DEFAULT_SETTINGS,
    private readonly now: () => Date = () => new Date(),
    /** This process on the database; required for an exclusive endpoint (the lease is judged by it). */
    presence?: Presence,
  ) {
    if (settings.exclusive && !presence) throw new Error('an exclusive outbox needs the process presence');
    this.store = new OutboxStore(db);
    this.pacer = new Pacer(settings.pacing);
    this.worker = presence?.worker ?? `${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  get endpoint(): string {
    return this.transport.endpoint;
  }

  /** The rows a message becomes: one per part under the size limit (a document or an image is one). */
  rowsOf(message: OutgoingMessage): NewRow[] {
    return outboxRows(this.endpoint, this.settings.maxChars, message);
  }

  /**
   * The rows of `messages` for a caller that writes them in a statement of its own, a large
   * file already stored in pieces (see OutboxStore.stageFiles).
   */
  stagedRowsOf(messages: readonly OutgoingMessage[]): Promise<NewRow[]> {
    return this.store.stageFiles(messages.flatMap((m) => this.rowsOf(m)), this.now());
  }

  /** Stores the message (split into parts under the size limit); the worker sends it. */
  async enqueue(message: OutgoingMessage): Promise<void> {
    await this.store.insert(this.rowsOf(message), this.now());
    this.wake();
  }

  /** Tells the worker that rows were written (by `enqueue`, or by a caller's own statement). */
  wake(): void {
    this.wakeUp?.();
  }

  stats(): Promise<OutboxStats> {
    return this.store.stats(this.endpoint, this.now());
  }

  paused(): PauseState | null {
    return this.killSwitch.paused();
  }

  /** Paused, for this endpoint (a terminal's rows are never held). */
  private holding(): boolean {
    return this.settings.pausable && this.killSwitch.paused() !== null;
  }

  /**
   * Takes over the rows queued under another endpoint (rows of the old shared
   * `whatsapp` endpoint). The worker waits for it, so they keep their place in line.
   */
  adopt(from: string): Promise<number> {
    if (from === this.endpoint) return Promise.resolve(0);
    const to = this.endpoint;
    const adoption = this.store.moveEndpoint(from, to).then((moved) => {
      if (moved > 0) this.log.info({ from, to, rows: moved }, 'outbox rows moved to this number');
      this.wake();
      return moved;
    });
    this.adoption = adoption.catch(() => {});
    return adoption;
  }

  /** Trips the kill-switch (a restriction signal from the transport). */
  async pause(cause: PauseCause): Promise<void> {
    await this.killSwitch.trip(cause, this.now());
  }

  /** Clears the pause; returns what it was, or null when the outbox was running. */
  async resume(): Promise<PauseState | null> {
    const previous = await this.killSwitch.resume();
    this.wakeUp?.();
    return previous;
  }

  deadLetters(limit = 10): Promise<OutboxRow[]> {
    return this.store.deadLetters(this.endpoint, limit);
  }

  async retryDead(id: number): Promise<boolean> {
    const ok = await this.store.retryDead(id, this.now());
    this.wakeUp?.();
    return ok;
  }

  /** Sends everything that is due now, then resolves (console and tests, where nothing is paced). */
  async drain(): Promise<void> {
    while (await this.step()) {
      // keep going
    }
  }

  /**
   * Sends until nothing is left to send or `deadline` (epoch ms) passes, whether or not
   * the background worker runs. Returns how many of this endpoint's rows are still open
   * (they wait, durable, for this endpoint's next process).
   */
  async flush(deadline: number): Promise<number> {
    for (;;) {
      const worked = await this.step();
      if (worked && Date.now() < deadline) continue;
      const { depth } = await this.stats();
      // Nothing left, out of time, held by a pause (only an admin's resume frees those), or
      // no connection to send through (a shutdown during the start, or while reconnecting).
      if (depth === 0 || Date.now() >= deadline || this.holding() || this.transport.state() !== 'ready') return depth;
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, deadline - Date.now())));
    }
  }

  /** Starts the background worker. */
  start(): void {
    if (this.loopDone) return;
    this.stopping = false;
    this.loopDone = this.loop();
  }

  /** Stops claiming; the send in flight finishes (or its row is released); resolves when the worker is idle. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.loopDone;
    this.loopDone = null;
    await this.busy.catch(() => {});
    await this.giveUpLease().catch((error) => this.log.warn({ err: error }, 'could not release the send lease'));
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let worked = false;
      try {
        worked = await this.step();
      } catch (error) {
        // The database may be away; keep trying without flooding the log.
        const at = Date.now();
        if (at - this.lastLoopError > 30_000) this.log.error({ err: error }, 'outbox worker failed; retrying');
        this.lastLoopError = at;
        await this.sleep(1000);
        continue;
      }
      if (!worked && !this.stopping) {
        const cooling = this.pacer.nextCoolingEnds(this.now().getTime());
        await this.sleep(Math.min(this.settings.pollMs, cooling ?? Number.POSITIVE_INFINITY));
        // Unpaced, let a burst of replies gather for a moment so one claim takes them together.
        if (this.settings.pacing.globalMs === 0) await new Promise((r) => setTimeout(r, 10));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** One unit of work, never two at once: claim, pace and send one row. False when nothing was due. */
  step(): Promise<boolean> {
    const run = this.busy.then(() => this.stepNow());
    this.busy = run.catch(() => {});
    return run;
  }

  private async stepNow(): Promise<boolean> {
    await this.adoption;
    const now = this.now();
    const at = now.getTime();
    if (at - this.lastRefresh > 5_000) {
      this.lastRefresh = at;
      await this.killSwitch.refresh();
    }
    const paused = this.holding();
    if (this.transport.state() !== 'ready' || this.stopping) {
      // A process that cannot send must not keep another from sending for the number.
      await this.giveUpLease();
      return false;
    }
    if (paused && this.settings.adminChats.length === 0) return false;
    if (!(await this.holdsLease(now))) return false;
    if (at - this.lastStaleCheck > this.settings.claimTimeoutMs / 4) {
      this.lastStaleCheck = at;
      const released = await this.store.releaseStale(new Date(at - this.settings.claimTimeoutMs));
      if (released.length > 0) this.log.warn({ ids: released }, 'released outbox rows claimed by a worker that stopped');
    }
    const wait = this.pacer.globalWait(at);
    if (wait > 0) {
      await this.sleep(wait);
      return true;
    }
    // Paced transports take one row at a time; unpaced ones (console, tests) a batch.
    const unpaced = this.settings.pacing.globalMs === 0 && this.settings.pacing.chatMs === 0;
    const budget = paused ? 0 : await this.budgetLeft(now);
    const broadcasts = budget > 0 && this.pacer.broadcastGapOver(at);
    // The further parts of the broadcast message being sent follow without the gap, while the budget lasts.
    const continuing = budget > 0 ? this.pacer.continuing() : null;
    // A batch never holds more broadcasts than the budget has room for.
    const limit = unpaced ? Math.min(50, broadcasts ? budget : 50) : 1;
    const rows = await this.store.claimMany({
      endpoint: this.endpoint,
      worker: this.worker,
      now,
      broadcasts,
      continuing,
      coolingChats: this.pacer.coolingChats(at),
      ...(paused ? { onlyChats: this.settings.adminChats } : {}),
      limit,
    });
    if (rows.length === 0) return false;
    // Each row is marked sent right after its own send, before the next send, so a crash can send
    // again at most the one row whose mark was in flight.
    let progressed = false;
    for (const row of rows) {
      // A pause tripped mid-batch (e.g. by error 463 on an earlier row) holds the rest back.
      const held =
        this.stopping ||
        this.transport.state() !== 'ready' || // the connection went away under an earlier row
        (this.holding() && !this.settings.adminChats.includes(row.chat_id));
      if (held) {
        await this.store.release(row.id, this.worker);
        continue;
      }
      const outcome = await this.send(row);
      if (outcome === 'sent') await this.store.markSent(row.id, this.worker, this.now());
      // A row given back because WhatsApp refused it (restriction) is no progress: don't spin on it.
      if (outcome !== 'held') progressed = true;
    }
    return progressed;
  }

  /**
   * For an exclusive endpoint: whether this process holds its lease, taking it when
   * its holder died or let go. A new holder learns the recent sends from the database,
   * so the gaps and the budget carry over from the previous holder.
   */
  private async holdsLease(now: Date): Promise<boolean> {
    if (!this.settings.exclusive) return true;
    const endpoint = this.endpoint;
    const at = Date.now();
    const known = this.lease.endpoint === endpoint && this.lease.held;
    if (known && at - this.lease.checkedAt < LEASE_CHECK_MS) return true;
    const held = await this.store.takeLease(endpoint, this.worker, STALE_S);
    if (held && !known) {
      const since = new Date(now.getTime() - this.pacer.memoryMs());
      for (const send of await this.store.recentSends(endpoint, since)) this.pacer.record(send, send.sent_at.getTime());
      this.budget.hour = -1; // recount
      this.log.info({ endpoint }, 'this process now sends for the endpoint');
    }
    this.lease = { endpoint, held, checkedAt: at };
    return held;
  }

  private async giveUpLease(): Promise<void> {
    if (!this.lease.held) return;
    const { endpoint } = this.lease;
    this.lease = { endpoint: '', held: false, checkedAt: 0 };
    await this.store.releaseLease(endpoint, this.worker);
  }

  /** Broadcasts the hourly budget still allows. */
  private async budgetLeft(now: Date): Promise<number> {
    const hour = Math.floor(now.getTime() / 3_600_000);
    // Recount at each new hour and every 30 s (another process may share the endpoint).
    if (hour !== this.budget.hour || now.getTime() - this.budget.checkedAt > 30_000) {
      const sent = await this.store.broadcastsSentSince(this.endpoint, new Date(hour * 3_600_000));
      this.budget = { hour, sent, checkedAt: now.getTime() };
    }
    return Math.max(0, this.settings.budgetPerHour - this.budget.sent);
  }

  /** Sends one row: `sent` (the caller marks it), `failed` (retry or dead letter), `held` (given back, paused). */
  private async send(row: OutboxRow): Promise<'sent' | 'failed' | 'held'> {
    try {
      const sending = this.transmit(row);
      if ((await within(sending, this.settings.sendTimeoutMs)) === LATE) {
        throw new Error(`send timed out after ${this.settings.sendTimeoutMs} ms`);
      }
    } catch (error) {
      return this.failed(row, error);
    }
    this.pacer.record(row, this.now().getTime());
    if (row.origin === 'broadcast') this.budget.sent++;
    return 'sent';
  }

  /** Hands one row to the transport: text, an image (a document row with an image MIME, see isImageRow) or a document. */
  private transmit(row: OutboxRow): Promise<void> {
    // Never the caption alone in place of a file whose pieces are gone: the row fails, and ends a dead letter.
    if (!row.document && row.document_file) return Promise.reject(new Error(`the pieces of file ${row.document_file} are missing`));
    if (!row.document) return this.transport.sendText(row.chat_id, row.body ?? '');
    const caption = row.body ? { caption: row.body } : {};
    if (isImageRow(row)) {
      return this.transport.sendImage(row.chat_id, {
        fileName: row.document_name ?? 'gambar.png',
        mimeType: row.document_mime ?? DEFAULT_IMAGE_MIME,
        data: Buffer.from(row.document),
        ...caption,
      });
    }
    return this.transport.sendDocument(row.chat_id, {
      fileName: row.document_name ?? 'dokumen',
      mimeType: row.document_mime ?? 'application/octet-stream',
      data: Buffer.from(row.document),
      ...caption,
    });
  }

  private async failed(row: OutboxRow, error: unknown): Promise<'failed' | 'held'> {
    const message = error instanceof Error ? error.message : String(error);
    // The connection went away under the send (a browser crash): no attempt was spent, the
    // row waits untouched for the reconnect.
    if (error instanceof TransportUnavailableError) {
      await this.store.release(row.id, this.worker);
      this.log.warn({ id: row.id, chatId: row.chat_id, err: message }, 'send not made: the connection is gone; the message waits');
      return 'held';
    }
    // The first refusal pauses everything and gives the row back untouched; once paused, a refused
    // message (to an admin) is retried with backoff like any failure rather than hammered.
    if (isRestriction(error) && this.settings.pausable && !this.killSwitch.paused()) {
      await this.store.release(row.id, this.worker);
      await this.killSwitch.trip({ kind: 'send-refused', chatId: row.chat_id, error: message }, this.now());
      return 'held';
    }
    const last = row.attempts >= this.settings.maxAttempts;
    const delay = Math.min(this.settings.retryMaxMs, this.settings.retryBaseMs * 2 ** (row.attempts - 1));
    const retryAt = last ? null : new Date(this.now().getTime() + delay * (0.8 + Math.random() * 0.4));
    await this.store.markFailed(row.id, this.worker, message, retryAt);
    if (last) this.log.error({ id: row.id, chatId: row.chat_id, err: message }, 'outbox row moved to dead letters');
    else this.log.warn({ id: row.id, chatId: row.chat_id, attempt: row.attempts, err: message }, 'send failed; will retry');
    return 'failed';
  }
}
