/**
 * Attachments built after their reply. A handler whose reply promises an attachment
 * (a report's Excel file, a chart) records a recipe with `ctx.attachLater(builder,
 * args, build?)` instead of building it in the handler. The recipe is written as a
 * `pending_attachment` row in the statement that marks the message handled and queues
 * its text, so the text goes out without waiting for the attachment. Once that
 * statement is done, the attachment is built in the background (the handler's own
 * `build` when it gave one, else the registry's builder with `args`) and, in one
 * transaction, its parts are queued to the outbox and the row deleted (a large file's
 * pieces are stored just before, see OutboxStore.stageFiles).
 *
 * A process that dies in between leaves the row: a process of the same endpoint
 * builds it again from the registry (at its start and every minute). Queuing is
 * idempotent (outbox keys derive from the row's key), so a rebuild queues at most
 * once. A builder that keeps failing, or one nobody knows, ends in one line to the
 * chat saying the attachment could not be made: a promise is never dropped silently.
 *
 * The bot layer knows nothing of what is built: builders are registered by name.
 */
import type { Db } from '../db/db.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import { STALE_S, workerAlive } from '../db/presence.js';
import { deleteCounting } from '../db/delete-counting.js';
import { Lanes } from '../concurrency/lanes.js';
import type { Logger } from '../log.js';
import type { Outbox, OutgoingMessage } from '../outbox/outbox.js';
import { type NewRow, OutboxStore } from '../outbox/store.js';
import type { OutgoingDocument, OutgoingImage } from '../transport/transport.js';
import type { BotServices } from './context.js';
import { UserError } from './errors.js';
import { ATTACHMENT_ERROR, ATTACHMENT_UNKNOWN, attachmentFailed } from './texts.js';

/** What `args` may hold: it is stored as jsonb and given back to the builder as it was. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One message an attachment becomes: a line of text, a document or a picture. */
export type AttachmentPart = { text: string } | { document: OutgoingDocument } | { image: OutgoingImage };

/** Builds an attachment from its stored `args` (a rebuild has nothing else: it reloads what it needs). */
export type AttachmentBuilder = (args: unknown, services: BotServices) => Promise<AttachmentPart[]>;

/** The builders a bot knows, by the name handlers give to `attachLater`. */
export type AttachmentBuilders = Readonly<Record<string, AttachmentBuilder>>;

/** An attachment a handler promised, as recorded with its message's outcome. */
export interface AttachmentRecipe {
  /** `<inbound message id>:att<n>`; the outbox keys of its parts are `<messageKey>:<i>`. */
  messageKey: string;
  chatId: string;
  builder: string;
  args: JsonValue;
  /**
   * The handler's own build, over the data it has in memory; a rebuild uses the registry
   * instead. Called at most once: the worker lets go of it when it starts it. What it holds
   * is then let go too only if it takes what it needs at once: an async function (or one
   * whose callbacks keep its variables) keeps them until it is done (see absensiFiles).
   */
  build?: (() => Promise<AttachmentPart[]>) | undefined;
}

/** Failed builds after which the chat is told instead. */
export const ATTACHMENT_MAX_ATTEMPTS = 3;
/** The wait before the next try: one minute, then two. */
const RETRY_BASE_MS = 60_000;
/** Builds running at once (they are heavy: Excel workbooks, charts). */
const CONCURRENCY = 2;
/** Rows one recovery pass takes. */
const RESUME_BATCH = 50;

interface PendingRow {
  message_key: string;
  chat_id: string;
  builder: string;
  args: JsonValue;
  attempts: number;
}

/** A build to run: a recipe, with how often it failed before. */
type Job = AttachmentRecipe & { attempts: number };

/** The `pending_attachment` table. */
export class PendingAttachmentStore {
  constructor(private readonly db: Db) {}

  /**
   * The INSERT of `recipes` (claimed by `worker`, due at once) with parameters numbered
   * from `first`, created at the parameter `at` (e.g. `$4`); usable as a CTE.
   */
  static insertStatement(
    recipes: readonly AttachmentRecipe[],
    endpoint: string,
    worker: string,
    first: number,
    at: string,
  ): { sql: string; params: unknown[] } {
    const WIDTH = 6;
    const values = recipes.map((_, i) => {
      const p = (k: number): string => `$${first + i * WIDTH + k}`;
      return `(${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}::jsonb, ${p(5)}, ${at}, ${at})`;
    });
    const params = recipes.flatMap((r) => [r.messageKey, endpoint, r.chatId, r.builder, JSON.stringify(r.args ?? null), worker]);
    const sql = `INSERT INTO pending_attachment (message_key, endpoint, chat_id, builder, args, claimed_by, created_at, next_attempt_at)
       VALUES ${values.join(',\n              ')}
       ON CONFLICT (message_key) DO NOTHING`;
    return { sql, params };
  }

  /**
   * Claims for `worker` up to `limit` rows of `endpoint` that are due, not in `skip`
   * (being built here), and claimed by nobody, by `worker` itself, or by a process that died.
   */
  async claimDue(endpoint: string, worker: string, now: Date, skip: readonly string[], limit: number): Promise<PendingRow[]> {
    const { rows } = await this.db.query<PendingRow & { created_at: Date }>(
      `WITH due AS (
         SELECT message_key FROM pending_attachment
          WHERE endpoint = $1 AND next_attempt_at <= $2 AND message_key <> ALL ($3::text[])
            AND (claimed_by IS NULL OR claimed_by = $4 OR NOT ${workerAlive('pending_attachment.claimed_by', '$5')})
          ORDER BY created_at, message_key
          LIMIT $6
          FOR UPDATE SKIP LOCKED)
       UPDATE pending_attachment p SET claimed_by = $4 FROM due WHERE p.message_key = due.message_key
       RETURNING p.message_key, p.chat_id, p.builder, p.args, p.attempts, p.created_at`,
      [endpoint, now, [...skip], worker, STALE_S, limit],
    );
    return rows
      .sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.message_key.localeCompare(b.message_key))
      .map(({ created_at: _, ...row }) => row);
  }

  /**
   * In one transaction: deletes the pending row and, only when this deleted it, queues `rows`
   * to the outbox (an existing key adds nothing). A process that built a row another had
   * already finished (it lost its claim while building) queues nothing: the chat never gets
   * both a file and the line saying it failed, nor the parts of two builds.
   */
  async complete(messageKey: string, rows: readonly NewRow[], now: Date): Promise<boolean> {
    // Large files first, in pieces outside the transaction (a province workbook in one
    // statement held PGlite, and every other chat, for up to a tenth of a second).
    const staged = await new OutboxStore(this.db).stageFiles(rows, now);
    return this.db.tx(async (t) => {
      const { rows: gone } = await t.query('DELETE FROM pending_attachment WHERE message_key = $1 RETURNING 1', [messageKey]);
      if (gone.length === 0) return false;
      if (staged.length > 0) {
        const insert = OutboxStore.insertStatement(staged, 2, '$1');
        await t.query(insert.sql, [now, ...insert.params]);
      }
      return true;
    });
  }

  /** Records a failed build: tried again at `retryAt`, by any process. */
  async failed(messageKey: string, attempts: number, retryAt: Date): Promise<void> {
    await this.db.query(
      'UPDATE pending_attachment SET attempts = $2, next_attempt_at = $3, claimed_by = NULL WHERE message_key = $1',
      [messageKey, attempts, retryAt],
    );
  }

  /** Rows created before `before`, whatever their state (housekeeping: too old to still be right). */
  prune(before: Date): Promise<number> {
    return deleteCounting(this.db, 'DELETE FROM pending_attachment WHERE created_at < $1', [before]);
  }
}

export interface AttachmentWorkerOptions {
  db: Db;
  outbox: Outbox;
  log: Logger;
  builders: AttachmentBuilders;
  services: BotServices;
  /** This process in `bot_worker`: the claims on the rows it builds. */
  worker: string;
  now: () => Date;
}

/** The short reason told to the chat for a build that failed. */
function reasonOf(error: unknown): string {
  if (!(error instanceof UserError)) return ATTACHMENT_ERROR;
  const line = error.message.split('\n')[0]?.trim() ?? '';
  return line ? line.slice(0, 120) : ATTACHMENT_ERROR;
}

/**
 * Builds pending attachments in the background: each chat's in order, a few at once
 * across chats, never holding the handling of messages.
 */
export class AttachmentWorker {
  private readonly store: PendingAttachmentStore;
  private readonly lanes = new Lanes();
  /** Keys being built (or waiting to be) in this process. */
  private readonly building = new Set<string>();
  private readonly tracked = new Set<Promise<void>>();
  private running = 0;
  private readonly waiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: AttachmentWorkerOptions) {
    this.store = new PendingAttachmentStore(options.db);
  }

  /** Starts building recipes whose rows were just written; returns at once. */
  begin(recipes: readonly AttachmentRecipe[]): void {
    for (const recipe of recipes) this.schedule({ ...recipe, attempts: 0 });
  }

  /**
   * One recovery pass: claims this endpoint's due rows not being built here and starts
   * rebuilding them from the registry. Resolves to how many it started (not when they are built).
   */
  async resume(): Promise<number> {
    if (this.closed) return 0;
    const { outbox, worker, now } = this.options;
    const rows = await this.store.claimDue(outbox.endpoint, worker, now(), [...this.building], RESUME_BATCH);
    let started = 0;
    for (const row of rows) {
      const job: Job = { messageKey: row.message_key, chatId: row.chat_id, builder: row.builder, args: row.args, attempts: row.attempts };
      if (this.schedule(job)) started++;
    }
    if (started > 0) this.options.log.info({ started }, 'rebuilding attachments left pending');
    return started;
  }

  /** Resolves once every build started so far (and any started meanwhile) is done. */
  async settled(): Promise<void> {
    while (this.tracked.size > 0) await Promise.all(this.tracked);
  }

  /** Builds started and not done. */
  size(): number {
    return this.building.size;
  }

  /** No more recovery passes (a shutdown); builds under way go on. */
  close(): void {
    this.closed = true;
  }

  /** False when the key is being built here already. */
  private schedule(job: Job): boolean {
    if (this.building.has(job.messageKey)) return false;
    this.building.add(job.messageKey);
    // A macrotask later: the message that recorded it finishes first, and its text gets its turn to go.
    const deferred = new Promise<void>((resolve) => setImmediate(resolve));
    const done: Promise<void> = deferred
      .then(() => this.lanes.run(job.chatId, () => this.slot(() => this.run(job))))
      .catch((error: unknown) => this.options.log.error({ err: error, key: job.messageKey }, 'attachment build failed unexpectedly'))
      .finally(() => {
        this.building.delete(job.messageKey);
        this.tracked.delete(done);
      });
    this.tracked.add(done);
    return true;
  }

  /** Runs `work` when fewer than {@link CONCURRENCY} builds run. */
  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < CONCURRENCY) this.running++;
    else await new Promise<void>((resolve) => this.waiters.push(resolve)); // the slot is handed over
    try {
      return await work();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.running--;
    }
  }

  /**
   * Starts the job's build: the handler's own (taken off the job, so that once started
   * nothing here keeps it, nor what it holds: a report's 10,000 members stay alive no longer
   * than the build itself needs them), else the registry's. Not async, and called before
   * `run` awaits anything of the build, so no suspended frame holds the handler's function.
   * Null when no builder has that name.
   */
  private start(job: Job): Promise<AttachmentPart[]> | null {
    const own = job.build;
    job.build = undefined;
    const { builders, services } = this.options;
    const registered = Object.hasOwn(builders, job.builder) ? builders[job.builder] : undefined;
    try {
      if (own) return own();
      return registered ? registered(job.args, services) : null;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private async run(job: Job): Promise<void> {
    const { log } = this.options;
    const started = Date.now();
    const building = this.start(job);
    if (!building) {
      log.error({ key: job.messageKey, builder: job.builder }, 'no builder of that name for a pending attachment');
      await this.giveUp(job, ATTACHMENT_UNKNOWN);
      return;
    }
    let parts: AttachmentPart[];
    try {
      parts = await building;
    } catch (error) {
      await this.failed(job, error);
      return;
    }
    const messages = parts.map((part, i): OutgoingMessage => ({ chatId: job.chatId, key: `${job.messageKey}:${i + 1}`, ...part }));
    try {
      await this.queue(job, messages, { parts: parts.length, ms: Date.now() - started });
    } catch (error) {
      // Not the database being away (that leaves the row as it is): what was built cannot be
      // stored. It counts as a failed attempt, so it ends in the line to the chat, not in a
      // rebuild every minute for days.
      await this.failed(job, error);
    }
  }

  /**
   * Queues the messages and deletes the row in one transaction. The database being away
   * leaves the row for the next pass; any other error is thrown (the caller counts it).
   */
  private async queue(job: Job, messages: readonly OutgoingMessage[], detail: Record<string, unknown>): Promise<boolean> {
    const { outbox, log, now } = this.options;
    let deleted: boolean;
    try {
      deleted = await this.store.complete(job.messageKey, messages.flatMap((m) => outbox.rowsOf(m)), now());
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      log.warn({ err: error, key: job.messageKey, builder: job.builder }, 'could not queue an attachment; it is built again later');
      return false;
    }
    if (!deleted) {
      log.info({ key: job.messageKey, builder: job.builder }, 'attachment already finished by another process; nothing queued');
      return false;
    }
    if (messages.length > 0) outbox.wake();
    log.info({ key: job.messageKey, builder: job.builder, ...detail }, 'attachment queued');
    return true;
  }

  private async failed(job: Job, error: unknown): Promise<void> {
    const { log, now } = this.options;
    if (isDatabaseUnavailable(error)) {
      // Not the builder's fault: the row stays as it is, for the next pass.
      log.warn({ err: error, key: job.messageKey, builder: job.builder }, 'attachment not built: the database is away');
      return;
    }
    const attempts = job.attempts + 1;
    if (attempts >= ATTACHMENT_MAX_ATTEMPTS) {
      log.error({ err: error, key: job.messageKey, builder: job.builder, attempts }, 'attachment could not be built; the chat is told');
      await this.giveUp(job, reasonOf(error));
      return;
    }
    const retryAt = new Date(now().getTime() + RETRY_BASE_MS * 2 ** (attempts - 1));
    log.warn({ err: error, key: job.messageKey, builder: job.builder, attempts, retryAt }, 'attachment build failed; will retry');
    await this.store.failed(job.messageKey, attempts, retryAt).catch((e: unknown) => {
      log.warn({ err: e, key: job.messageKey }, 'could not record a failed attachment build');
    });
  }

  /** One line to the chat instead of the attachment, and the row gone (in one transaction). */
  private async giveUp(job: Job, reason: string): Promise<void> {
    const message: OutgoingMessage = { chatId: job.chatId, key: `${job.messageKey}:failed`, text: attachmentFailed(reason) };
    await this.queue(job, [message], { failed: true }).catch((error: unknown) => {
      this.options.log.error({ err: error, key: job.messageKey }, 'could not queue the line saying an attachment failed');
    });
  }
}
