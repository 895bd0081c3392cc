/**
 * The small object a command handler gets: who wrote, where, the arguments, the
 * services it may use, and how to answer.
 */
import type { Db } from '../db/db.js';
import type { ClientRef, Sender } from '../identity/sender.js';
import type { SignIn } from '../identity/sign-in.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../outbox/outbox.js';
import type { RapidApis } from '../rapidapi/services.js';
import type { Scheduler } from '../schedule/scheduler.js';
import type { InboundMessage, OutgoingDocument, OutgoingImage } from '../transport/transport.js';
import type { AttachmentPart, JsonValue } from './attachments.js';
import type { CommandCatalog } from './catalog.js';
import type { CommandSpec } from './command.js';
import type { Flow } from './conversation.js';
import type { RuntimeStatus } from './runtime-status.js';

export interface BotServices {
  db: Db;
  log: Logger;
  now: () => Date;
  timezone: string;
  catalog: CommandCatalog;
  status: RuntimeStatus;
  /** Idle time after which a conversation ends. */
  conversationTimeoutMs: number;
  outbox: Outbox;
  /** Member lines above which a compliance report is summarised (full lists in Excel). */
  reportMaxLines: number;
  /** Longest text of one WhatsApp message; longer replies are split (reports split at their own seams). */
  messageMaxChars: number;
  /** NRP look-ups a number not bound to a member may make per hour (registration). */
  nrpLookupsPerHour: number;
  /** The Instagram and TikTok services (fetches, profile checks). */
  rapidapi: RapidApis;
  /** When member reminders go (`16.10 WIB`), or null when the server sends none. */
  reminderTime: string | null;
  /** The scheduled jobs of this process (`jadwal#run`). */
  scheduler: Scheduler;
  /** Operator and admin sign-in by chat (`login`, `logout`). */
  signIn: SignIn;
  /** A group's name as WhatsApp shows it, or null (the transport cannot say, or is not ready). */
  groupName(chatId: string): Promise<string | null>;
}

export interface ChatInfo {
  id: string;
  isGroup: boolean;
  /** The client a group is bound to (null in private chats and unbound groups). */
  client: ClientRef | null;
}

export interface BaseContext {
  message: InboundMessage;
  sender: Sender;
  chat: ChatInfo;
  services: BotServices;
  reply(text: string): Promise<void>;
  replyDocument(document: OutgoingDocument): Promise<void>;
  /** Replies with a picture (PNG unless its `mimeType` says otherwise), shown in the chat as an image. */
  replyImage(image: OutgoingImage): Promise<void>;
  /**
   * Sends a line now, while the handler is still running (a long fetch's progress),
   * rather than with the replies when it ends. Best effort: not part of the message's
   * outcome, so a message handled again may repeat it.
   */
  progress(text: string): Promise<void>;
  /** Names the client this message acts on (or was refused for), for the audit trail. */
  actOn(clientId: string): void;
  /**
   * Promises an attachment that follows the replies: it is recorded with them (durably)
   * and built after they are queued, so they go out without waiting for it. `build`, when
   * given, makes it from the handler's data in memory; otherwise, and for a rebuild after
   * a restart, the bot's builder named `builder` makes it from `args` (small, JSON: never
   * the data itself). A build that keeps failing is answered with a line saying so.
   */
  attachLater(builder: string, args: JsonValue, build?: () => Promise<AttachmentPart[]>): void;
}

export interface Context extends BaseContext {
  command: CommandSpec;
  args: string[];
  /** Starts a multi-step conversation in this private chat and asks its first question. */
  startConversation<D>(flow: Flow<D>, data: D): Promise<void>;
}
