/**
 * The router: from an inbound message to the replies. Dedup, sender identity and
 * role, flood limit, then an active conversation or a parsed command; group chats
 * only handle commands, and only in groups bound to a client or from an admin.
 * Errors end here: a UserError becomes its reply, anything else a logged apology.
 * Every reply goes through the durable outbox under an idempotency key derived
 * from the inbound message, so handling a message again never sends twice.
 */
import type { Db } from '../db/db.js';
import { type Sender, SenderDirectory, senderKeyHint } from '../identity/sender.js';
import type { WaIdentity } from '../identity/wa-id.js';
import type { Logger } from '../log.js';
import type { InboundMessage, OutgoingDocument, Transport } from '../transport/transport.js';
import type { AuditEntry, AuditOutcome } from './audit.js';
import type { CommandCatalog } from './catalog.js';
import type { CommandSpec } from './command.js';
import type { BaseContext, BotServices, ChatInfo, Context } from './context.js';
import { ConversationRunner } from './conversation-runner.js';
import { type ConversationState, ConversationStore } from './conversation.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { Outbox, OutgoingMessage } from '../outbox/outbox.js';
import { UsageError, UserError } from './errors.js';
import { FloodLimiter } from './flood.js';
import { InboundLog } from './inbound-log.js';
import { parseCommand, splitArgs } from './parse.js';
import type { RuntimeStatus } from './runtime-status.js';
import {
  APOLOGY,
  conversationExpired,
  DATABASE_DELAY_NOTICE,
  DATABASE_OVERLOAD_NOTICE,
  offlineNote,
  FLOOD_NOTICE,
  GROUP_CONVERSATION_REFUSED,
  GROUP_REFUSAL,
  refusal,
  unknownTextHint,
  usage,
} from './texts.js';

export interface BotOptions {
  db: Db;
  log: Logger;
  transport: Transport;
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
}

const SWEEP_INTERVAL_MS = 30_000;

interface HeldMessage {
  message: InboundMessage;
  since: number;
  told: boolean;
}

export class Bot {
  readonly services: BotServices;
  readonly outbox: Outbox;
  private readonly directory: SenderDirectory;
  private readonly conversations: ConversationStore;
  private readonly runner: ConversationRunner;
  private readonly inbound: InboundLog;
  private readonly inFlight = new Set<string>();
  private readonly held: HeldMessage[] = [];
  private holdTimer: NodeJS.Timeout | null = null;
  private holdDelayMs = 1000;
  private readonly flood: FloodLimiter;
  private readonly status: RuntimeStatus;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: BotOptions) {
    const now = options.now;
    this.outbox = options.outbox;
    this.inbound = new InboundLog(options.db);
    this.directory = new SenderDirectory(options.db, options.admins);
    this.conversations = new ConversationStore(options.db);
    const timeoutMs = options.conversationTimeoutMs;
    this.runner = new ConversationRunner(this.conversations, timeoutMs);
    this.flood = new FloodLimiter(options.flood.max, options.flood.windowMs);
    const transport = options.transport;
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
    };
  }

  /** Subscribes to the transport and starts the background sweeps. */
  attach(): void {
    this.options.transport.onMessage((message) => this.handle(message));
    const every = (ms: number, task: () => Promise<unknown>): void => {
      const timer = setInterval(() => {
        task().catch((error) => this.options.log.error({ err: error }, 'background task failed'));
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(SWEEP_INTERVAL_MS, () => this.sweepConversations());
    every(SWEEP_INTERVAL_MS, async () => this.flood.sweep(this.services.now().getTime()));
  }

  detach(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
  }

  /** Messages waiting in memory for the database to come back. */
  heldCount(): number {
    return this.held.length;
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
   * Never throws; while the database is away the message waits in memory.
   */
  async handle(message: InboundMessage): Promise<void> {
    if (this.inFlight.has(message.id)) return; // the same message delivered twice at once
    this.inFlight.add(message.id);
    try {
      await this.process(message);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        this.holdForDatabase(message);
        return;
      }
      const log = this.options.log;
      log.error({ err: error, chatId: message.chatId, senderId: message.senderId }, 'message handling failed');
      try {
        await this.outbox.enqueue({ chatId: message.chatId, key: `${message.id}:apology`, text: APOLOGY });
        await this.inbound.finish(message, this.services.now());
      } catch (sendError) {
        log.error({ err: sendError, chatId: message.chatId }, 'could not queue the apology');
      }
    } finally {
      this.inFlight.delete(message.id);
    }
  }

  private async process(message: InboundMessage): Promise<void> {
    // Most of what a group says is chatter, not for the bot: it costs no database work.
    const groupCommand = message.isGroup ? this.commandIn(message.text) : null;
    if (message.isGroup && !groupCommand) {
      this.status.lastMessageAt = message.timestamp;
      return;
    }
    // Independent reads in one round trip: dedup, who is writing, and (in a private
    // chat, when the sender's key is known without the database) their conversation.
    const keyHint = message.isGroup ? null : senderKeyHint(message.senderId);
    const [seen, sender, preloaded] = await Promise.all([
      this.inbound.status(message.id),
      this.directory.resolve(message.senderId, message.senderPhone),
      keyHint ? this.conversations.get(message.chatId, keyHint) : Promise.resolve(undefined),
    ]);
    if (seen === 'handled') {
      this.options.log.debug({ id: message.id }, 'duplicate message ignored');
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
        await this.outbox.enqueue({
          chatId: message.chatId,
          key: `offline:${message.chatId}:${slot}`,
          text: offlineNote(message.timestamp, this.services.timezone),
        });
      }
    } else if (groupCommand) {
      audit = await this.handleGroup(message, sender, groupCommand);
    } else {
      const state = keyHint === sender.key ? preloaded : await this.conversations.get(message.chatId, sender.key);
      audit = await this.handlePrivate(message, sender, state ?? null);
    }
    await this.inbound.finish(message, this.services.now(), audit);
  }

  /** Keeps a message in memory (bounded) and retries it until the database answers again. */
  private holdForDatabase(message: InboundMessage): void {
    const hold = this.options.hold;
    if (this.held.length >= hold.max) {
      this.options.log.error({ chatId: message.chatId }, 'database unavailable and the waiting room is full; message refused');
      this.tellDirectly(message.chatId, DATABASE_OVERLOAD_NOTICE);
      return;
    }
    if (this.held.length === 0) this.options.log.error('database unavailable; holding incoming messages until it is back');
    this.held.push({ message, since: Date.now(), told: false });
    this.scheduleHeldRetry();
  }

  private scheduleHeldRetry(): void {
    if (this.holdTimer) return;
    this.holdTimer = setTimeout(() => {
      this.holdTimer = null;
      void this.retryHeld();
    }, this.holdDelayMs);
    this.holdTimer.unref();
  }

  /** Retries held messages in arrival order; stops at the first that still finds the database away. */
  async retryHeld(): Promise<void> {
    const hold = this.options.hold;
    while (this.held.length > 0) {
      const entry = this.held[0]!;
      try {
        await this.process(entry.message);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) {
          this.held.shift();
          this.options.log.error({ err: error, chatId: entry.message.chatId }, 'held message failed');
          continue;
        }
        for (const e of this.held) {
          if (!e.told && Date.now() - e.since >= hold.noticeAfterMs) {
            e.told = true;
            this.tellDirectly(e.message.chatId, DATABASE_DELAY_NOTICE);
          }
        }
        this.holdDelayMs = Math.min(30_000, this.holdDelayMs * 2);
        this.scheduleHeldRetry();
        return;
      }
      this.held.shift();
    }
    this.holdDelayMs = 1000;
    this.options.log.info('database is back; held messages handled');
  }

  /** Sends without the outbox (which needs the database): best effort, for database trouble only. */
  private tellDirectly(chatId: string, text: string): void {
    if (this.options.transport.state() !== 'ready') return;
    this.options.transport.sendText(chatId, text).catch((error) => {
      this.options.log.warn({ err: error, chatId }, 'could not tell the sender about the delay');
    });
  }

  private baseContext(message: InboundMessage, sender: Sender, chat: ChatInfo): BaseContext {
    let replies = 0;
    const send = (content: Omit<OutgoingMessage, 'chatId' | 'key'>): Promise<void> =>
      this.outbox.enqueue({ chatId: chat.id, key: `${message.id}:${++replies}`, ...content });
    return {
      message,
      sender,
      chat,
      services: this.services,
      reply: (text: string) => send({ text }),
      replyDocument: (document: OutgoingDocument) => send({ document }),
    };
  }

  /** False (and maybe one notice) when the sender is over the flood limit. */
  private async withinFloodLimit(message: InboundMessage, sender: Sender): Promise<boolean> {
    if (sender.role === 'admin') return true;
    const verdict = this.flood.check(sender.key, this.services.now().getTime());
    if (verdict === 'allow') return true;
    this.options.log.warn({ sender: sender.key, verdict }, 'flood limit reached');
    if (verdict === 'notify' && !message.isGroup) {
      await this.outbox.enqueue({ chatId: message.chatId, key: `${message.id}:flood`, text: FLOOD_NOTICE });
    }
    return false;
  }

  private async handlePrivate(
    message: InboundMessage,
    sender: Sender,
    state: ConversationState | null,
  ): Promise<AuditEntry | null> {
    if (!(await this.withinFloodLimit(message, sender))) return null;
    const chat: ChatInfo = { id: message.chatId, isGroup: false, client: null };
    const base = this.baseContext(message, sender, chat);

    if (state) {
      const flow = this.options.catalog.flow(state.flow);
      if (state.expiresAt <= this.services.now() || !flow) {
        await this.conversations.delete(chat.id, sender.key);
        await base.reply(conversationExpired(this.services.conversationTimeoutMs));
      } else {
        await this.guard(base, () => this.runner.continue(base, state, flow as never));
        return null;
      }
    }

    const parsed = parseCommand(message.text);
    const command = parsed && this.options.catalog.find(parsed.name);
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

  /** The command a text invokes, with its unsplit arguments; null for anything else. */
  private commandIn(text: string): { command: CommandSpec; rest: string | null } | null {
    const parsed = parseCommand(text);
    const command = parsed && this.options.catalog.find(parsed.name);
    return parsed && command ? { command, rest: parsed.rest } : null;
  }

  private async handleGroup(
    message: InboundMessage,
    sender: Sender,
    { command, rest }: { command: CommandSpec; rest: string | null },
  ): Promise<AuditEntry | null> {
    const client = await this.directory.clientOfGroup(message.chatId);
    if (!client && sender.role !== 'admin') return null; // a group Cicero does not serve
    if (!(await this.withinFloodLimit(message, sender))) return null;
    const base = this.baseContext(message, sender, { id: message.chatId, isGroup: true, client });
    if (!command.roles.includes(sender.role)) {
      await base.reply(GROUP_REFUSAL);
      return this.auditEntry(base, command, 'refused', 'role');
    }
    return this.run(base, command, rest);
  }

  private async run(base: BaseContext, command: CommandSpec, rest: string | null): Promise<AuditEntry> {
    const spec = command.args ?? { min: 0, max: 0 };
    const args = splitArgs(rest, spec.max, spec.keepHashInLast ?? false);
    if (args.length < spec.min || args.length > spec.max) {
      await base.reply(usage(command));
      return this.auditEntry(base, command, 'refused', 'usage');
    }
    const ctx: Context = {
      ...base,
      command,
      args,
      startConversation: async (flow, data) => {
        if (base.chat.isGroup) throw new UserError(GROUP_CONVERSATION_REFUSED);
        await this.runner.start(base, flow, data);
      },
    };
    const outcome = await this.guard(base, () => command.handler(ctx), command);
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
      clientId: ctx.chat.client?.clientId ?? ctx.sender.client?.clientId ?? null,
      chatId: ctx.chat.id,
      outcome,
      ...(detail ? { detail } : {}),
    };
  }
}
