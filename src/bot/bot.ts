/**
 * The router: from an inbound message to the replies. Dedup (an atomic claim, so
 * one process handles a message), sender identity and role, flood limit, then an
 * active conversation or a parsed command; group chats only handle commands, and
 * only in groups bound to a client or from an admin. What the bot cannot read (a
 * voice note, a sticker) gets one line in a private chat and nothing in a group,
 * and never answers a menu. Messages of one chat are handled one at a time, in
 * order. Errors end here: a UserError becomes its reply, anything else a logged
 * apology. Every reply goes through the durable outbox under an idempotency key
 * derived from the inbound message, so handling a message again never sends twice.
 */
import type { Db } from '../db/db.js';
import type { Presence } from '../db/presence.js';
import { type Sender, SenderDirectory, senderKeyHint } from '../identity/sender.js';
import { SignIn, type SignInSettings } from '../identity/sign-in.js';
import type { WaIdentity } from '../identity/wa-id.js';
import type { Logger } from '../log.js';
import type { Disposition, InboundMessage, OutgoingDocument, Transport } from '../transport/transport.js';
import type { AuditEntry, AuditOutcome } from './audit.js';
import { type AttachmentBuilders, type AttachmentRecipe, AttachmentWorker } from './attachments.js';
import type { CommandCatalog } from './catalog.js';
import { type CommandSpec, runsIn } from './command.js';
import type { BaseContext, BotServices, ChatInfo, Context } from './context.js';
import { ConversationRunner } from './conversation-runner.js';
import { type ConversationChange, type ConversationState, ConversationStore } from './conversation.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { Outbox, OutgoingMessage } from '../outbox/outbox.js';
import { UsageError, UserError } from './errors.js';
import { FloodLimiter } from './flood.js';
import { InboundLog } from './inbound-log.js';
import { answering } from '../concurrency/foreground.js';
import { Lanes } from '../concurrency/lanes.js';
import { parseCommand, splitArgs } from './parse.js';
import type { RuntimeStatus } from './runtime-status.js';
import type { RapidApis } from '../rapidapi/services.js';
import type { Scheduler } from '../schedule/scheduler.js';
import { within } from '../time/within.js';
import { WaitingRoom } from './waiting-room.js';
import {
  APOLOGY,
  CANCEL_WORDS,
  conversationExpired,
  DATABASE_DELAY_NOTICE,
  DATABASE_OVERLOAD_NOTICE,
  offlineNote,
  floodNotice,
  GROUP_CONVERSATION_REFUSED,
  GROUP_REFUSAL,
  NOTHING_TO_CANCEL,
  privateOnlyRefusal,
  refusal,
  SECRET_IN_GROUP,
  UNREADABLE_HINT,
  unknownTextHint,
  usage,
} from './texts.js';

export interface BotOptions {
  db: Db;
  log: Logger;
  transport: Transport;
  /** This process in `bot_worker`: whose claims are whose. */
  presence: Presence;
  catalog: CommandCatalog;
  admins: readonly WaIdentity[];
  timezone: string;
  outbox: Outbox;
  now: () => Date;
  conversationTimeoutMs: number;
  flood: { max: number; windowMs: number };
  /** Messages older than this when they reach the bot get a short note instead of a stale answer. */
  catchUpWindowMs: number;
  /** While the database is away: how many messages wait in memory, and when senders are told. */
  hold: { max: number; noticeAfterMs: number };
  /** Member lines above which a compliance report is summarised. */
  reportMaxLines: number;
  /** Longest text of one message. */
  messageMaxChars: number;
  /** NRP look-ups a number not bound to a member may make per hour. */
  nrpLookupsPerHour: number;
  /** Operator and admin sign-in by chat. */
  signIn: SignInSettings;
  rapidapi: RapidApis;
  scheduler: Scheduler;
  /** When member reminders go (`16.10 WIB`), or null. */
  reminderTime: string | null;
  /** Builders of attachments promised with `attachLater`, by name (none by default). */
  attachmentBuilders?: AttachmentBuilders;
}

/** `text`, ended with the command's `secretReminder` (when it has one and `text` does not end with it yet). */
function withReminder(text: string, command: CommandSpec | null | undefined): string {
  const reminder = command?.secretArgs ? command.secretReminder : undefined;
  return reminder && !text.endsWith(reminder) ? `${text}\n${reminder}` : text;
}

const SWEEP_INTERVAL_MS = 30_000;
/** While messages wait for the database, it is probed this often. */
const PROBE_EVERY_MS = 1_000;
/** Chats whose held messages are handled side by side when the database is back (within the default pool of 10). */
const HELD_CONCURRENCY = 8;
/** Pending attachments left by a process that died (or by a failed build) are looked for this often. */
const ATTACHMENT_RESUME_MS = 60_000;
/** A shutdown waits at most this long for attachments being built. */
const ATTACHMENT_SHUTDOWN_MS = 10_000;

/** What a shutdown left unanswered, by reason. */
export interface Unanswered {
  /** Arrived after intake stopped: still unread in WhatsApp, for the next catch-up. */
  turnedAway: number;
  /** Waiting for a database that did not come back in time. */
  held: number;
  /** Still being handled when the time ran out. */
  unfinished: number;
}

/** What a stop left behind. */
export interface StopReport {
  unanswered: Unanswered;
  /** Replies still in the outbox (durable: this endpoint's next process sends them); null when the database could not say. */
  unsent: number | null;
}

type GroupCommand = { command: CommandSpec; rest: string | null };

/** PostgreSQL text cannot hold NUL; a user's text must never reach SQL with one. */
const NUL = '\u0000';

export class Bot {
  readonly services: BotServices;
  readonly outbox: Outbox;
  private readonly directory: SenderDirectory;
  private readonly conversations: ConversationStore;
  private readonly runner: ConversationRunner;
  private readonly inbound: InboundLog;
  private readonly lanes = new Lanes();
  /** The client each message's command acted on, for its audit row. */
  private readonly actedOn = new WeakMap<BaseContext, string>();
  /** Each context's message outcome (its replies), and the conversation change recorded against it. */
  private readonly outOf = new WeakMap<BaseContext, OutgoingMessage[]>();
  private readonly conversationChange = new WeakMap<readonly OutgoingMessage[], ConversationChange>();
  /** The attachments a message's replies promised, written with them. */
  private readonly recipesOf = new WeakMap<readonly OutgoingMessage[], AttachmentRecipe[]>();
  private readonly attachments: AttachmentWorker;
  private readonly waiting: WaitingRoom;
  private closing = false;
  /** False once shutdown stopped waiting for the messages in hand (the database closes next). */
  private lanesOpen = true;
  private turnedAway = 0;
  private readonly flood: FloodLimiter;
  private readonly status: RuntimeStatus;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: BotOptions) {
    const now = options.now;
    this.outbox = options.outbox;
    this.inbound = new InboundLog(options.db);
    const transport = options.transport;
    this.directory = new SenderDirectory(options.db, options.admins, transport.phoneOfLid?.bind(transport), now);
    this.conversations = new ConversationStore(options.db);
    const timeoutMs = options.conversationTimeoutMs;
    this.runner = new ConversationRunner((ctx, change) => this.recordConversation(ctx, change), timeoutMs);
    this.flood = new FloodLimiter(options.flood.max, options.flood.windowMs);
    this.waiting = new WaitingRoom({
      max: options.hold.max,
      noticeAfterMs: options.hold.noticeAfterMs,
      probeEveryMs: PROBE_EVERY_MS,
      probe: () => options.db.query('SELECT 1'),
      handle: async (message) => {
        await this.processOrApologise(message, this.commandIn(message));
      },
      concurrency: HELD_CONCURRENCY,
      tell: (chatId, notice) =>
        this.tellDirectly(chatId, notice === 'delay' ? DATABASE_DELAY_NOTICE : DATABASE_OVERLOAD_NOTICE),
      now: () => now().getTime(),
      log: options.log,
    });
    this.status = {
      startedAt: now(),
      lastMessageAt: null,
      transport: () => ({ name: transport.name, state: transport.state() }),
    };
    this.services = {
      db: options.db,
      log: options.log,
      now,
      timezone: options.timezone,
      catalog: options.catalog,
      status: this.status,
      conversationTimeoutMs: timeoutMs,
      outbox: this.outbox,
      reportMaxLines: options.reportMaxLines,
      messageMaxChars: options.messageMaxChars,
      nrpLookupsPerHour: options.nrpLookupsPerHour,
      rapidapi: options.rapidapi,
      scheduler: options.scheduler,
      reminderTime: options.reminderTime,
      signIn: new SignIn(options.db, options.signIn, now),
      groupName: async (chatId) => (await transport.groupName?.(chatId)) ?? null,
    };
    this.attachments = new AttachmentWorker({
      db: options.db,
      outbox: this.outbox,
      log: options.log,
      builders: options.attachmentBuilders ?? {},
      services: this.services,
      worker: options.presence.worker,
      now,
    });
  }

  get presence(): Presence {
    return this.options.presence;
  }

  /** Subscribes to the transport and starts the background sweeps and the heartbeat. */
  attach(): void {
    this.options.transport.onMessage((message) => this.handle(message));
    this.services.signIn.prepare();
    this.options.presence.start((error) => this.options.log.warn({ err: error }, 'heartbeat failed'));
    const every = (ms: number, task: () => Promise<unknown>): void => {
      const timer = setInterval(() => {
        task().catch((error) => this.options.log.error({ err: error }, 'background task failed'));
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(SWEEP_INTERVAL_MS, () => this.sweepConversations());
    every(SWEEP_INTERVAL_MS, async () => this.flood.sweep(this.services.now().getTime()));
    // Attachments a previous process promised and never queued, and failed builds due again.
    const resume = (): Promise<number> => this.resumeAttachments();
    resume().catch((error) => this.options.log.error({ err: error }, 'could not resume pending attachments'));
    every(ATTACHMENT_RESUME_MS, resume);
  }

  detach(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.waiting.pause();
  }

  /** Messages waiting in memory for the database to come back. */
  heldCount(): number {
    return this.waiting.size();
  }

  /** One round of the waiting room (a timer runs it every second; tests call it directly). */
  retryHeld(): Promise<void> {
    return this.waiting.tick();
  }

  /**
   * One recovery pass over this endpoint's pending attachments (run at `attach` and every
   * minute; tests call it directly): starts rebuilding those due and not being built here.
   * Resolves to how many it started; {@link attachmentsSettled} waits for them.
   */
  resumeAttachments(): Promise<number> {
    return this.attachments.resume();
  }

  /** Resolves once the attachment builds started so far (and any started meanwhile) are done. */
  attachmentsSettled(): Promise<void> {
    return this.attachments.settled();
  }

  /**
   * Shutdown, first half: stops taking messages, then waits until `deadline` for the
   * messages in hand (one more try for those waiting on the database). Returns what
   * stayed unanswered; the caller then flushes the outbox and closes the database.
   */
  async close(deadline: number): Promise<Unanswered> {
    this.closing = true;
    this.detach();
    await within(this.lanes.idle(), deadline - Date.now());
    if (this.waiting.holding()) await within(this.waiting.tick(), deadline - Date.now());
    this.lanesOpen = false;
    // The attachments of the messages just finished, so they reach the outbox flush; what is
    // still being built then stays pending in the database for this endpoint's next start.
    this.attachments.close();
    await within(this.attachments.settled(), Math.min(ATTACHMENT_SHUTDOWN_MS, deadline - Date.now()));
    const building = this.attachments.size();
    if (building > 0) this.options.log.warn({ building }, 'attachments still being built are left for the next start');
    return { turnedAway: this.turnedAway, held: this.waiting.close(), unfinished: this.lanes.size() };
  }

  /**
   * The whole stop, in order: stop taking messages, finish those in hand (half of
   * `timeoutMs`), send what can be sent (until three quarters), stop the transport,
   * leave the presence. The database stays open: the caller closes it last.
   */
  async stop(timeoutMs: number): Promise<StopReport> {
    const { log, transport, presence } = this.options;
    const started = Date.now();
    const unanswered = await this.close(started + timeoutMs / 2);
    const unsent = await this.outbox.flush(started + (timeoutMs * 3) / 4).catch((error: unknown) => {
      log.warn({ err: error }, 'could not flush the outbox');
      return null;
    });
    await this.outbox.stop();
    await transport.stop();
    await presence.leave().catch((error: unknown) => log.warn({ err: error }, 'could not remove this process from bot_worker'));
    return { unanswered, unsent };
  }

  /** Ends idle conversations and tells their senders. Also run at start-up: a restart announces what expired meanwhile. */
  async sweepConversations(): Promise<number> {
    // Announcements need a working connection; expired rows wait until there is one.
    if (this.options.transport.state() !== 'ready') return 0;
    const expired = await this.conversations.takeExpired(this.services.now());
    for (const state of expired) {
      await this.outbox.enqueue({
        chatId: state.chatId,
        key: `expired:${state.chatId}:${state.senderId}:${state.expiresAt.toISOString()}`,
        text: conversationExpired(this.services.conversationTimeoutMs),
      });
    }
    return expired.length;
  }

  /**
   * Handles one inbound message: its replies are in the outbox when this resolves.
   * Never throws; while the database is away the message waits in memory. Resolves to
   * what became of it: `ignored` (group chatter), `held` (waiting for the database, or
   * turned away or cut short by a shutdown: nothing recorded, it must stay unread for
   * the next start), else `handled` (recorded for good, here or by another process).
   */
  async handle(received: InboundMessage): Promise<Disposition> {
    const message = received.text.includes(NUL) ? { ...received, text: received.text.replaceAll(NUL, '') } : received;
    // Most of what a group says is chatter, not for the bot: it costs no database work.
    // So does anything the bot cannot read there (a sticker, a voice note).
    const groupCommand = this.commandIn(message);
    if (message.isGroup && !groupCommand) {
      this.status.lastMessageAt = message.timestamp;
      return 'ignored';
    }
    if (this.closing) {
      this.turnedAway++; // still unread in WhatsApp: the next start's catch-up takes it
      return 'held';
    }
    // Counted as answering a chat until it is done: background work gives way (see foreground.ts).
    return answering(() => this.lanes.run(message.chatId, async (): Promise<Disposition> => {
      // Behind messages that wait for the database, so nobody's later message overtakes.
      if (this.waiting.holding()) {
        this.waiting.hold(message);
        return 'held';
      }
      try {
        return await this.processOrApologise(message, groupCommand);
      } catch (error) {
        if (isDatabaseUnavailable(error)) {
          this.waiting.hold(message);
          return 'held';
        }
        // Not even the apology could be recorded: left unread, for the next start to try again.
        this.options.log.error({ err: error, chatId: message.chatId }, 'could not answer a message');
        return 'held';
      }
    }));
  }

  /** Handles a message; throws only when the database is away (the message must wait). */
  private async processOrApologise(message: InboundMessage, groupCommand: GroupCommand | null): Promise<Disposition> {
    try {
      await this.process(message, groupCommand, []);
      return 'handled';
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      if (this.closing && !this.lanesOpen) {
        // Cut short by a shutdown that ran out of time (counted as unfinished): no apology to queue.
        this.options.log.warn({ chatId: message.chatId }, 'message handling cut short by the shutdown');
        return 'held';
      }
      this.options.log.error(
        { err: error, chatId: message.chatId, senderId: message.senderId },
        'message handling failed',
      );
      await this.finish(message, null, [{ chatId: message.chatId, key: `${message.id}:apology`, text: APOLOGY }]);
      return 'handled';
    }
  }

  /**
   * Writes the message's outcome in one statement: handled, its replies queued, its
   * audit row. Replies are gathered in `out` while the message is handled, so a crash
   * or an outage half-way leaves nothing half-written (the message is handled again).
   */
  private async finish(message: InboundMessage, audit: AuditEntry | null, out: readonly OutgoingMessage[]): Promise<void> {
    // A large file goes in pieces first; pieces of an outcome never written are pruned.
    const rows = await this.outbox.stagedRowsOf(out);
    const recipes = this.recipesOf.get(out) ?? [];
    const attachments = { recipes, endpoint: this.outbox.endpoint, worker: this.options.presence.worker };
    await this.inbound.finish(message, this.services.now(), audit, rows, this.conversationChange.get(out) ?? null, attachments);
    if (out.length > 0) this.outbox.wake();
    // The message is done and its text queued: its attachments are built in the background,
    // and the worker alone holds their builds (see AttachmentWorker.start).
    this.recipesOf.delete(out);
    if (recipes.length > 0) this.attachments.begin(recipes);
  }

  /** A conversation's change of state waits, like the replies, for the message's outcome statement; the last one counts. */
  private recordConversation(ctx: BaseContext, change: ConversationChange): void {
    const out = this.outOf.get(ctx);
    if (!out) throw new Error('a conversation change outside a message being handled');
    this.conversationChange.set(out, change);
  }

  /** `out` gathers the replies; they are written with the handled mark. */
  private async process(message: InboundMessage, groupCommand: GroupCommand | null, out: OutgoingMessage[]): Promise<void> {
    // Independent work in one round trip: claim the message, find who is writing, and
    // (in a private chat, when the sender's key is known without the database) their
    // conversation. WhatsApp itself is asked about an unknown LID only once the claim
    // succeeded: a message handled before (a catch-up re-read) costs it no question.
    const unreadable = message.kind === 'unreadable';
    const keyHint = message.isGroup || unreadable ? null : senderKeyHint(message.senderId);
    const claim = this.inbound.claim(message, this.options.presence.worker, this.services.now());
    const [claimed, sender, preloaded] = await Promise.all([
      claim,
      this.directory.resolve(message.senderId, message.senderPhone, { mayAsk: claim }),
      keyHint ? this.conversations.get(message.chatId, keyHint) : Promise.resolve(undefined),
    ]);
    if (!claimed) {
      this.options.log.debug({ id: message.id }, 'message already handled, or being handled by another process');
      return;
    }
    this.status.lastMessageAt = message.timestamp;
    const now = this.services.now();
    const age = now.getTime() - message.timestamp.getTime();
    let audit: AuditEntry | null = null;
    if (age > this.options.catchUpWindowMs) {
      // Sent while the bot was offline, too long ago for its answer to still be right.
      if (!message.isGroup) {
        const slot = Math.floor(now.getTime() / 600_000);
        out.push({
          chatId: message.chatId,
          key: `offline:${message.chatId}:${slot}`,
          text: offlineNote(message.timestamp, this.services.timezone),
        });
      }
    } else if (groupCommand) {
      audit = await this.handleGroup(message, sender, groupCommand, out);
    } else if (unreadable) {
      // Never an answer to a menu: one line, and the menu (if any) stays as it was.
      audit = await this.handlePrivate(message, sender, null, out);
    } else {
      const state = keyHint === sender.key ? preloaded : await this.conversations.get(message.chatId, sender.key);
      audit = await this.handlePrivate(message, sender, state ?? null, out);
    }
    await this.finish(message, audit, out);
  }

  /** Sends without the outbox (which needs the database): best effort, for database trouble only. */
  private tellDirectly(chatId: string, text: string): void {
    if (this.options.transport.state() !== 'ready') return;
    this.options.transport.sendText(chatId, text).catch((error) => {
      this.options.log.warn({ err: error, chatId }, 'could not tell the sender about the delay');
    });
  }

  private baseContext(message: InboundMessage, sender: Sender, chat: ChatInfo, out: OutgoingMessage[]): BaseContext {
    let replies = 0;
    let progressLines = 0;
    const send = async (content: Omit<OutgoingMessage, 'chatId' | 'key'>): Promise<void> => {
      out.push({ chatId: chat.id, key: `${message.id}:${++replies}`, ...content });
    };
    const base: BaseContext = {
      message,
      sender,
      chat,
      services: this.services,
      reply: (text: string) => send({ text }),
      replyDocument: (document: OutgoingDocument) => send({ document }),
      replyImage: (image) => send({ image }),
      progress: (text: string) => this.outbox.enqueue({ chatId: chat.id, key: `${message.id}:progress:${++progressLines}`, text }),
      actOn: (clientId: string) => {
        this.actedOn.set(base, clientId);
      },
      attachLater: (builder, args, build) => {
        const recipes = this.recipesOf.get(out) ?? [];
        JSON.stringify(args); // what cannot be stored (a BigInt, a cycle) fails here, in the handler
        const messageKey = `${message.id}:att${recipes.length + 1}`;
        recipes.push({ messageKey, chatId: chat.id, builder, args: args ?? null, ...(build ? { build } : {}) });
        this.recipesOf.set(out, recipes);
      },
    };
    this.outOf.set(base, out);
    return base;
  }

  /** False (and maybe one notice) when the sender is over the flood limit. */
  private withinFloodLimit(message: InboundMessage, sender: Sender, out: OutgoingMessage[], command?: CommandSpec | null): boolean {
    if (sender.role === 'admin') return true;
    const check = this.flood.check(sender.key, this.services.now().getTime());
    if (check.verdict === 'allow') return true;
    this.options.log.warn({ sender: sender.key, verdict: check.verdict }, 'flood limit reached');
    if (check.verdict === 'notify' && !message.isGroup) {
      const text = withReminder(floodNotice(new Date(check.until), this.services.timezone), command);
      out.push({ chatId: message.chatId, key: `${message.id}:flood`, text });
    }
    return false;
  }

  private async handlePrivate(
    message: InboundMessage,
    sender: Sender,
    state: ConversationState | null,
    out: OutgoingMessage[],
  ): Promise<AuditEntry | null> {
    const parsed = message.kind === 'unreadable' ? null : parseCommand(message.text);
    const command = parsed && this.options.catalog.find(parsed.name);
    if (!this.withinFloodLimit(message, sender, out, command)) return null;
    const chat: ChatInfo = { id: message.chatId, isGroup: false, client: null };
    const base = this.baseContext(message, sender, chat, out);

    if (message.kind === 'unreadable') {
      // Like text that is not a command: one line, no audit row.
      await base.reply(UNREADABLE_HINT);
      return null;
    }
    // A command whose arguments hold a secret (`login#…`) is never an answer to a menu,
    // which could store it: it runs, and the menu stays at its question.
    if (state && !command?.secretArgs) {
      const flow = this.options.catalog.flow(state.flow);
      if (state.expiresAt <= this.services.now() || !flow) {
        this.recordConversation(base, { end: { chatId: chat.id, senderId: sender.key } });
        await base.reply(conversationExpired(this.services.conversationTimeoutMs));
      } else {
        await this.guard(base, () => this.runner.continue(base, state, flow as never));
        return null;
      }
    } else if (CANCEL_WORDS.has(message.text.trim().toLowerCase())) {
      await base.reply(NOTHING_TO_CANCEL);
      return null;
    }

    // A whole message a command accepts as it stands (a profile link) runs it, the text its argument.
    const whole = command ? undefined : this.options.catalog.matching(message.text);
    if (whole && (whole.matchRoles ?? whole.roles).includes(sender.role)) return this.run(base, whole, message.text.trim());
    if (!parsed || !command) {
      await base.reply(unknownTextHint(sender.role));
      return null;
    }
    if (!command.roles.includes(sender.role)) {
      // Unknown senders learn nothing about which commands exist.
      await base.reply(sender.role === 'unknown' ? unknownTextHint('unknown') : refusal(command));
      return this.auditEntry(base, command, 'refused', 'role');
    }
    return this.run(base, command, parsed.rest);
  }

  /** In a group, the command the text invokes with its unsplit arguments; null for anything else. */
  private commandIn(message: InboundMessage): GroupCommand | null {
    if (!message.isGroup || message.kind === 'unreadable') return null;
    const parsed = parseCommand(message.text);
    const command = parsed && this.options.catalog.find(parsed.name);
    return parsed && command ? { command, rest: parsed.rest } : null;
  }

  private async handleGroup(
    message: InboundMessage,
    sender: Sender,
    { command, rest }: GroupCommand,
    out: OutgoingMessage[],
  ): Promise<AuditEntry | null> {
    if (command.secretArgs) {
      // A password written in a group is exposed: never run it, in any group; one line asks to change it.
      if (!this.withinFloodLimit(message, sender, out)) return null;
      const base = this.baseContext(message, sender, { id: message.chatId, isGroup: true, client: null }, out);
      await base.reply(SECRET_IN_GROUP);
      return this.auditEntry(base, command, 'refused', 'secret-in-group');
    }
    const client = await this.directory.clientOfGroup(message.chatId);
    // A group Cicero does not serve answers admins, and commands that bind it.
    if (!client && sender.role !== 'admin' && !command.unboundGroups) return null;
    if (!this.withinFloodLimit(message, sender, out)) return null;
    const base = this.baseContext(message, sender, { id: message.chatId, isGroup: true, client }, out);
    if (!command.roles.includes(sender.role)) {
      await base.reply(GROUP_REFUSAL);
      return this.auditEntry(base, command, 'refused', 'role');
    }
    if (!runsIn(command, true)) {
      await base.reply(privateOnlyRefusal(command));
      return this.auditEntry(base, command, 'refused', 'private-only');
    }
    return this.run(base, command, rest);
  }

  private async run(base: BaseContext, command: CommandSpec, rest: string | null): Promise<AuditEntry> {
    // Every private reply to a command holding a secret ends with its reminder, usage errors
    // included. (The audit row is keyed by `base`, which `actOn` records against.)
    const replying: BaseContext = base.chat.isGroup
      ? base
      : { ...base, reply: (text: string) => base.reply(withReminder(text, command)) };
    const out = this.outOf.get(base);
    if (out) this.outOf.set(replying, out);
    const spec = command.args ?? { min: 0, max: 0 };
    const args = splitArgs(rest, spec.max, spec.keepHashInLast ?? false);
    if (args.length < spec.min || args.length > spec.max) {
      await replying.reply(usage(command));
      return this.auditEntry(base, command, 'refused', 'usage');
    }
    const ctx: Context = {
      ...replying,
      command,
      args,
      startConversation: async (flow, data) => {
        if (base.chat.isGroup) throw new UserError(GROUP_CONVERSATION_REFUSED);
        await this.runner.start(base, flow, data);
      },
    };
    const outcome = await this.guard(replying, () => command.handler(ctx), command);
    return this.auditEntry(base, command, outcome.outcome, outcome.detail);
  }

  /** The error boundary for handlers and conversation steps. */
  private async guard(
    ctx: BaseContext,
    work: () => Promise<void>,
    command?: CommandSpec,
  ): Promise<{ outcome: AuditOutcome; detail?: string }> {
    try {
      await work();
      return { outcome: 'done' };
    } catch (error) {
      // A refused or failed handler keeps no promise of files: none follows a refusal or the apology.
      const out = this.outOf.get(ctx);
      if (out) this.recipesOf.delete(out);
      if (error instanceof UserError) {
        await ctx.reply(error.message);
        return { outcome: 'refused', detail: error.message.slice(0, 200) };
      }
      if (error instanceof UsageError && command) {
        await ctx.reply(usage(command, error.detail));
        return { outcome: 'refused', detail: 'usage' };
      }
      this.options.log.error(
        { err: error, command: command?.name, chatId: ctx.chat.id, sender: ctx.sender.key, role: ctx.sender.role },
        'command failed',
      );
      await ctx.reply(APOLOGY);
      return { outcome: 'error', detail: error instanceof Error ? error.message.slice(0, 200) : String(error) };
    }
  }

  private auditEntry(ctx: BaseContext, command: CommandSpec, outcome: AuditOutcome, detail?: string): AuditEntry {
    return {
      senderId: ctx.sender.key,
      role: ctx.sender.role,
      command: command.name,
      clientId: this.actedOn.get(ctx) ?? ctx.sender.client?.clientId ?? ctx.chat.client?.clientId ?? null,
      chatId: ctx.chat.id,
      outcome,
      ...(detail ? { detail } : {}),
    };
  }
}
