/**
 * The router: from an inbound message to the replies. Dedup, sender identity and
 * role, flood limit, then an active conversation or a parsed command; group chats
 * only handle commands, and only in groups bound to a client or from an admin.
 * Errors end here: a UserError becomes its reply, anything else a logged apology.
 */
import type { Db } from '../db/db.js';
import { type Sender, SenderDirectory } from '../identity/sender.js';
import type { WaIdentity } from '../identity/wa-id.js';
import type { Logger } from '../log.js';
import type { InboundMessage, OutgoingDocument, Transport } from '../transport/transport.js';
import { type AuditOutcome, CommandAudit } from './audit.js';
import type { CommandCatalog } from './catalog.js';
import type { CommandSpec } from './command.js';
import type { BaseContext, BotServices, ChatInfo, Context } from './context.js';
import { ConversationRunner } from './conversation-runner.js';
import { ConversationStore } from './conversation.js';
import { SeenMessages } from './dedup.js';
import { UsageError, UserError } from './errors.js';
import { FloodLimiter } from './flood.js';
import { DirectOutbox, type Outbox } from './outbox.js';
import { parseCommand, splitArgs } from './parse.js';
import type { RuntimeStatus } from './runtime-status.js';
import {
  APOLOGY,
  conversationExpired,
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
  /** Defaults to a {@link DirectOutbox} over the transport. */
  outbox?: Outbox;
  now?: () => Date;
  conversationTimeoutMs?: number;
  flood?: { max: number; windowMs: number };
  auditRetentionDays?: number;
}

const SWEEP_INTERVAL_MS = 30_000;
const AUDIT_PRUNE_INTERVAL_MS = 6 * 60 * 60 * 1000;

export class Bot {
  readonly services: BotServices;
  readonly outbox: Outbox;
  private readonly directory: SenderDirectory;
  private readonly conversations: ConversationStore;
  private readonly runner: ConversationRunner;
  private readonly audit: CommandAudit;
  private readonly seen = new SeenMessages();
  private readonly flood: FloodLimiter;
  private readonly status: RuntimeStatus;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: BotOptions) {
    const now = options.now ?? (() => new Date());
    this.outbox = options.outbox ?? new DirectOutbox(options.transport);
    this.directory = new SenderDirectory(options.db, options.admins);
    this.conversations = new ConversationStore(options.db);
    const timeoutMs = options.conversationTimeoutMs ?? 5 * 60_000;
    this.runner = new ConversationRunner(this.conversations, timeoutMs);
    this.audit = new CommandAudit(options.db);
    this.flood = new FloodLimiter(options.flood?.max ?? 20, options.flood?.windowMs ?? 60_000);
    const transport = options.transport;
    this.status = {
      startedAt: now(),
      lastMessageAt: null,
      transport: () => ({ name: transport.name, state: transport.state() }),
      queueDepth: () => this.outbox.depth(),
    };
    this.services = {
      db: options.db,
      log: options.log,
      now,
      timezone: options.timezone,
      catalog: options.catalog,
      status: this.status,
      conversationTimeoutMs: timeoutMs,
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
    every(AUDIT_PRUNE_INTERVAL_MS, () => this.pruneAudit());
  }

  detach(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Ends idle conversations and tells their senders. Also run at start-up: a restart announces what expired meanwhile. */
  async sweepConversations(): Promise<number> {
    // Announcements need a working connection; expired rows wait until there is one.
    if (this.options.transport.state() !== 'ready') return 0;
    const expired = await this.conversations.takeExpired(this.services.now());
    for (const state of expired) {
      await this.outbox.sendText(state.chatId, conversationExpired(this.services.conversationTimeoutMs));
    }
    return expired.length;
  }

  async pruneAudit(): Promise<number> {
    const days = this.options.auditRetentionDays ?? 90;
    return this.audit.prune(new Date(this.services.now().getTime() - days * 86_400_000));
  }

  /** Handles one inbound message completely (all replies sent) and never throws. */
  async handle(message: InboundMessage): Promise<void> {
    const log = this.options.log;
    try {
      if (this.seen.checkAndAdd(message.id, Date.now())) {
        log.debug({ id: message.id }, 'duplicate message ignored');
        return;
      }
      this.status.lastMessageAt = message.timestamp;
      const sender = await this.directory.resolve(message.senderId, message.senderPhone);
      if (message.isGroup) await this.handleGroup(message, sender);
      else await this.handlePrivate(message, sender);
    } catch (error) {
      log.error({ err: error, chatId: message.chatId, senderId: message.senderId }, 'message handling failed');
      await this.outbox.sendText(message.chatId, APOLOGY).catch((sendError) => {
        log.error({ err: sendError, chatId: message.chatId }, 'could not send the apology');
      });
    }
  }

  private baseContext(message: InboundMessage, sender: Sender, chat: ChatInfo): BaseContext {
    return {
      message,
      sender,
      chat,
      services: this.services,
      reply: (text: string) => this.outbox.sendText(chat.id, text),
      replyDocument: (document: OutgoingDocument) => this.outbox.sendDocument(chat.id, document),
    };
  }

  /** False (and maybe one notice) when the sender is over the flood limit. */
  private async withinFloodLimit(message: InboundMessage, sender: Sender): Promise<boolean> {
    if (sender.role === 'admin') return true;
    const verdict = this.flood.check(sender.key, this.services.now().getTime());
    if (verdict === 'allow') return true;
    this.options.log.warn({ sender: sender.key, verdict }, 'flood limit reached');
    if (verdict === 'notify' && !message.isGroup) await this.outbox.sendText(message.chatId, FLOOD_NOTICE);
    return false;
  }

  private async handlePrivate(message: InboundMessage, sender: Sender): Promise<void> {
    if (!(await this.withinFloodLimit(message, sender))) return;
    const chat: ChatInfo = { id: message.chatId, isGroup: false, client: null };
    const base = this.baseContext(message, sender, chat);

    const state = await this.conversations.get(chat.id, sender.key);
    if (state) {
      const flow = this.options.catalog.flow(state.flow);
      if (state.expiresAt <= this.services.now() || !flow) {
        await this.conversations.delete(chat.id, sender.key);
        await base.reply(conversationExpired(this.services.conversationTimeoutMs));
      } else {
        await this.guard(base, () => this.runner.continue(base, state, flow as never));
        return;
      }
    }

    const parsed = parseCommand(message.text);
    const command = parsed && this.options.catalog.find(parsed.name);
    if (!parsed || !command) {
      await base.reply(unknownTextHint(sender.role));
      return;
    }
    if (!command.roles.includes(sender.role)) {
      // Unknown senders learn nothing about which commands exist.
      await base.reply(sender.role === 'unknown' ? unknownTextHint('unknown') : refusal(command));
      await this.record(base, command, 'refused', 'role');
      return;
    }
    await this.run(base, command, parsed.rest);
  }

  private async handleGroup(message: InboundMessage, sender: Sender): Promise<void> {
    const parsed = parseCommand(message.text);
    const command = parsed && this.options.catalog.find(parsed.name);
    if (!parsed || !command) return; // ordinary group chatter
    const client = await this.directory.clientOfGroup(message.chatId);
    if (!client && sender.role !== 'admin') return; // a group Cicero does not serve
    if (!(await this.withinFloodLimit(message, sender))) return;
    const base = this.baseContext(message, sender, { id: message.chatId, isGroup: true, client });
    if (!command.roles.includes(sender.role)) {
      await base.reply(GROUP_REFUSAL);
      await this.record(base, command, 'refused', 'role');
      return;
    }
    await this.run(base, command, parsed.rest);
  }

  private async run(base: BaseContext, command: CommandSpec, rest: string | null): Promise<void> {
    const spec = command.args ?? { min: 0, max: 0 };
    const args = splitArgs(rest, spec.max, spec.keepHashInLast ?? false);
    if (args.length < spec.min || args.length > spec.max) {
      await base.reply(usage(command));
      await this.record(base, command, 'refused', 'usage');
      return;
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
    await this.record(base, command, outcome.outcome, outcome.detail);
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

  private async record(ctx: BaseContext, command: CommandSpec, outcome: AuditOutcome, detail?: string): Promise<void> {
    await this.audit.record({
      senderId: ctx.sender.key,
      role: ctx.sender.role,
      command: command.name,
      clientId: ctx.chat.client?.clientId ?? ctx.sender.client?.clientId ?? null,
      chatId: ctx.chat.id,
      outcome,
      ...(detail ? { detail } : {}),
    });
  }
}
