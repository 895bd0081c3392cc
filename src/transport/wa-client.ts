/**
 * The parts of whatsapp-web.js the adapter uses, as types: the real Client satisfies
 * them, and the test fake (test/helpers/fake-wwebjs.ts) implements them.
 */
import type { EventEmitter } from 'node:events';

/** The puppeteer Browser behind a client: `disconnected` is the only sign that Chromium died. */
export interface WaBrowser {
  on(event: 'disconnected', listener: () => void): unknown;
  process(): { pid?: number } | null;
}

/** The puppeteer Page running WhatsApp Web: `error` when its renderer crashed, `close` when it closed. */
export interface WaPage {
  on(event: 'error' | 'close', listener: () => void): unknown;
}

export interface WaClient extends EventEmitter {
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  /** Resolves once the message is added locally (its fate comes later, as acks); nothing when no chat was found. */
  sendMessage(chatId: string, content: unknown, options?: Record<string, unknown>): Promise<WaSentMessage | null | undefined>;
  getContactLidAndPhone?(ids: string[]): Promise<Array<{ lid?: string; pn?: string }>>;
  getChats?(): Promise<WaChat[]>;
  getChatById?(chatId: string): Promise<{ name?: string }>;
  sendSeen?(chatId: string): Promise<boolean>;
  /** WhatsApp Web's connection state (`CONNECTED`, …); throws when the page is gone. */
  getState?(): Promise<string | null>;
  /** Set by the library before `ready`: the linked account (`wid._serialized` is `<phone>@c.us`, or a LID). */
  info?: { wid?: { _serialized?: string } };
  /** Set inside `initialize()`, once Chromium runs. */
  pupBrowser?: WaBrowser | null;
  /** Set inside `initialize()`, with the browser. */
  pupPage?: WaPage | null;
}

/** What `sendMessage` resolves with: the message as stored locally. */
export interface WaSentMessage {
  id?: { _serialized: string };
  ack?: number;
}

/** The fields of a whatsapp-web.js Chat the catch-up reads. */
export interface WaChat {
  id?: { _serialized: string };
  unreadCount?: number;
  fetchMessages(options: { limit: number; fromMe?: boolean }): Promise<WaMessage[]>;
}

/** The fields of a whatsapp-web.js Message we read. */
export interface WaMessage {
  id: { _serialized: string };
  from: string;
  author?: string;
  body?: string;
  /** `chat` for text; media, system notices and the rest have their own types. */
  type?: string;
  fromMe?: boolean;
  isStatus?: boolean;
  broadcast?: boolean;
  timestamp?: number;
}

/** whatsapp-web.js's MessageAck values we act on. */
export const ACK_ERROR = -1;
export const ACK_SERVER = 1;
