/**
 * The boundary between WhatsApp (or a stand-in) and the bot. Everything above it
 * sees only these shapes; nothing above it imports whatsapp-web.js.
 */

/** One incoming message, already stripped of the library's objects. */
export interface InboundMessage {
  /** Unique per message (WhatsApp's serialized id); the dedup key. */
  id: string;
  /** Where a reply goes: the private chat (`…@c.us` / `…@lid`) or the group (`…@g.us`). */
  chatId: string;
  /** Who wrote it: the same as chatId in a private chat, the author inside a group. */
  senderId: string;
  /** The sender's phone digits when the transport knows them for a `…@lid` sender. */
  senderPhone?: string;
  isGroup: boolean;
  text: string;
  timestamp: Date;
  /**
   * `text` (the default): a text message, or media with a caption (the caption is the text).
   * `unreadable`: something the bot cannot read (a voice note, a sticker, media without a
   * caption); `text` is empty. A private chat gets one line saying only text is read.
   */
  kind?: 'text' | 'unreadable';
}

/**
 * What became of a delivered message, for the transport's "seen" marks: `handled`
 * (answered or recorded for good), `ignored` (group chatter, on purpose), `held` (waiting
 * in memory, or turned away by a shutdown: it must stay unread so the next start reads it).
 */
export type Disposition = 'handled' | 'ignored' | 'held';

export interface OutgoingDocument {
  fileName: string;
  mimeType: string;
  data: Buffer;
  caption?: string;
}

/** The MIME type of an {@link OutgoingImage} that names none. */
export const DEFAULT_IMAGE_MIME = 'image/png';

/** A picture, shown in the chat as an image (not a file to download); PNG unless `mimeType` says otherwise. */
export interface OutgoingImage {
  fileName: string;
  data: Buffer;
  caption?: string;
  /** `image/png` when omitted. */
  mimeType?: string;
}

export type ConnectionState =
  | 'stopped'
  | 'starting'
  /** Waiting for the phone to scan a QR code or enter a pairing code. */
  | 'pairing'
  | 'authenticated'
  | 'ready'
  | 'disconnected';

/** A sign that WhatsApp is restricting the number; the bot's texts say it to admins. */
export type RestrictionSignal =
  /** WhatsApp logged the session out. */
  | { kind: 'logout' }
  /** A new QR code after the number had been linked: the session was lost. */
  | { kind: 'relink' }
  /** WhatsApp reported a blocking state (TOS_BLOCK, SMB_TOS_BLOCK, PROXYBLOCK, UNPAIRED, DEPRECATED_VERSION). */
  | { kind: 'blocked'; state: string }
  /** WhatsApp refused a message (ack -1, error 463) after its send was counted. */
  | { kind: 'refused'; chatId: string };

/** Trouble the admins must hear of that is not a restriction (sending is not paused). */
export type TransportAlert =
  /** Connection attempts keep failing (a crash, a hang, no network): `attempts` in a row since `since`. */
  { kind: 'unreachable'; since: Date; attempts: number; reason: string };

/** Resolves with a {@link Disposition}; anything else (a listener that only watches) counts as handled. */
export type MessageHandler = (message: InboundMessage) => Promise<unknown>;
export type StateHandler = (state: ConnectionState, detail?: string) => void;

export interface Transport {
  readonly name: 'whatsapp' | 'console' | 'memory';
  /**
   * Which outbox rows this transport sends: `whatsapp` for the bot's session, a
   * unique value per console or memory instance so no other process takes its rows.
   */
  readonly endpoint: string;
  /**
   * Connects. Resolves once the transport is usable or waiting to be paired; rejects
   * when the first initialisation fails (the caller reports it and exits).
   */
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): ConnectionState;
  onMessage(handler: MessageHandler): void;
  onStateChange(handler: StateHandler): void;
  sendText(chatId: string, text: string): Promise<void>;
  sendDocument(chatId: string, document: OutgoingDocument): Promise<void>;
  /** Sends a picture (with its caption, if any) as an image in the chat. */
  sendImage(chatId: string, image: OutgoingImage): Promise<void>;
  /** Signs that WhatsApp is restricting the number (logout, re-link, blocked state). */
  onRestriction(handler: (signal: RestrictionSignal) => Promise<void>): void;
  /**
   * Asks WhatsApp for the phone number behind a LID; null when it does not say. Each
   * question is a request to WhatsApp (heavy use raises ban risk): the bot asks only
   * when its own records (`wa_lid_map`) do not know the LID.
   */
  phoneOfLid?(lid: string): Promise<string | null>;
  /** A group's name as WhatsApp shows it; null when it does not say (or the transport cannot ask). */
  groupName?(chatId: string): Promise<string | null>;
  /** Trouble for the admins (the bot queues it to them). */
  onAlert(handler: (alert: TransportAlert) => Promise<void>): void;
  /** An admin resumed sending: a transport that stopped reconnecting on a blocking state tries again. */
  resume?(): void;
  /** A promise rejection nobody handled reached the process boundary; the transport may recover from it. */
  noticeUnhandled?(reason: unknown): void;
}

/** Shared plumbing for transports: state and the two listener lists. */
export abstract class BaseTransport {
  private current: ConnectionState = 'stopped';
  private readonly messageHandlers: MessageHandler[] = [];
  private readonly stateHandlers: StateHandler[] = [];
  private readonly restrictionHandlers: Array<(signal: RestrictionSignal) => Promise<void>> = [];
  private readonly alertHandlers: Array<(alert: TransportAlert) => Promise<void>> = [];

  state(): ConnectionState {
    return this.current;
  }

  onMessage(handler: MessageHandler): void {
    this.messageHandlers.push(handler);
  }

  onStateChange(handler: StateHandler): void {
    this.stateHandlers.push(handler);
  }

  onRestriction(handler: (signal: RestrictionSignal) => Promise<void>): void {
    this.restrictionHandlers.push(handler);
  }

  onAlert(handler: (alert: TransportAlert) => Promise<void>): void {
    this.alertHandlers.push(handler);
  }

  protected async alert(alert: TransportAlert): Promise<void> {
    await Promise.all(this.alertHandlers.map((handler) => handler(alert)));
  }

  /** Tells every listener; resolves when they have acted (the pause is stored). */
  protected async restricted(signal: RestrictionSignal): Promise<void> {
    await Promise.all(this.restrictionHandlers.map((handler) => handler(signal)));
  }

  protected setState(state: ConnectionState, detail?: string): void {
    this.current = state;
    for (const handler of this.stateHandlers) handler(state, detail);
  }

  /**
   * Hands a message to every listener and waits until all have finished with it. `held`
   * when any listener holds it, `ignored` when all ignored it, else `handled`.
   */
  protected async deliver(message: InboundMessage): Promise<Disposition> {
    const outcomes = await Promise.all(this.messageHandlers.map((h) => h(message)));
    if (outcomes.includes('held')) return 'held';
    return outcomes.length > 0 && outcomes.every((o) => o === 'ignored') ? 'ignored' : 'handled';
  }
}

/**
 * A send that could not be made because the connection is gone (not ready, or the
 * browser behind it died): no attempt was spent, the message waits for the reconnect.
 */
export class TransportUnavailableError extends Error {
  override name = 'TransportUnavailableError';
}
