/** A bot on a test database, driven through the memory transport exactly as production drives it. */
import pino from 'pino';
import { BOT_VARIABLES, createBot } from '../../src/app/create-bot.js';
import type { AttachmentBuilders } from '../../src/bot/attachments.js';
import type { Bot } from '../../src/bot/bot.js';
import { loadCommands } from '../../src/bot/catalog.js';
import type { CommandSpec } from '../../src/bot/command.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/db.js';
import type { Logger } from '../../src/log.js';
import type { RapidApiOverrides } from '../../src/rapidapi/services.js';
import { MemoryTransport, type SentMessage } from '../../src/transport/memory.js';
import type { Disposition, InboundMessage } from '../../src/transport/transport.js';

export const ADMIN = '6281100000001';
export const ADMIN_LID = '111111111111111@lid';
export const OPERATOR = '6281200000002';
export const MEMBER = '6281300000003';
export const STRANGER = '6281900000009';
export const CLIENT = 'POLRESABC';
export const GROUP = '120363111111111111@g.us';
export const UNBOUND_GROUP = '120363999999999999@g.us';

export const dm = (phone: string): string => `${phone}@c.us`;

/** A client with an operator (written as 0812…, as operators type it), a bound group and one member. */
export async function seedChatFixture(db: Db): Promise<void> {
  await db.query(
    `INSERT INTO clients (client_id, nama, client_operator, client_group)
     VALUES ($1, 'POLRES ABC', '0812-0000-0002', $2 || ', 120363222222222222@g.us')
     ON CONFLICT (client_id) DO NOTHING`,
    [CLIENT, GROUP],
  );
  await db.query(
    `INSERT INTO "user" (user_id, nama, title, divisi, client_id, whatsapp)
     VALUES ('75070206', 'BUDI SANTOSO', 'AIPTU', 'BAG OPS', $1, $2) ON CONFLICT (user_id) DO NOTHING`,
    [CLIENT, MEMBER],
  );
}

/** How a test message differs from a plain private text: its group, revealed phone, id, kind. */
export interface SayOptions {
  group?: string;
  senderPhone?: string;
  /** A fixed message id (e.g. to deliver the same message twice); random when omitted. */
  id?: string;
  kind?: InboundMessage['kind'];
}

export interface TestBot {
  bot: Bot;
  transport: MemoryTransport;
  clock: { now: Date };
  /** Sends `text` from `from` (phone digits or a LID) and returns the texts the bot sent. */
  say(from: string, text: string, options?: SayOptions): Promise<Array<{ chatId: string; text: string }>>;
  /** Like `say`, but everything sent, documents included. */
  exchange(from: string, text: string, options?: SayOptions): Promise<SentMessage[]>;
  /** Only the reply texts, for the common private-chat case. */
  replies(from: string, text: string, options?: SayOptions): Promise<string[]>;
  /** Like `say`, with what the bot made of the message. */
  deliver(from: string, text: string, options?: SayOptions): Promise<{ disposition: Disposition; texts: Array<{ chatId: string; text: string }> }>;
}

export const silentLog = pino({ level: 'silent' });

export async function createTestBot(
  db: Db,
  options: {
    env?: Record<string, string>;
    commands?: CommandSpec[];
    extraCommands?: CommandSpec[];
    /** Replaces the memory transport (e.g. one with a shared endpoint). */
    transport?: MemoryTransport;
    log?: Logger;
    /** RapidAPI test hooks; by default retries wait for nothing (no real time). */
    rapidapi?: RapidApiOverrides;
    /** Attachment builders (`attachLater`); by default the production registry. */
    attachmentBuilders?: AttachmentBuilders;
    /** Whether an exchange waits for the files its reply promised (default); tests of those builds wait themselves. */
    awaitAttachments?: boolean;
  } = {},
): Promise<TestBot> {
  const config = loadConfig(BOT_VARIABLES, { ADMIN_WHATSAPP: `${ADMIN},${ADMIN_LID}`, ...options.env });
  const clock = { now: new Date('2026-11-25T03:00:00Z') };
  const transport = options.transport ?? new MemoryTransport();
  const commands = options.commands ?? [...(await loadCommands()), ...(options.extraCommands ?? [])];
  const bot = await createBot({ config, db, log: options.log ?? silentLog, transport, commands, now: () => clock.now,
    rapidapi: options.rapidapi ?? { sleep: async () => {} },
    ...(options.attachmentBuilders ? { attachmentBuilders: options.attachmentBuilders } : {}),
  });
  transport.onMessage((m) => bot.handle(m));
  await transport.start();
  const play = async (from: string, text: string, opts: SayOptions = {}): Promise<{ disposition: Disposition; sent: SentMessage[] }> => {
    const senderId = from.includes('@') ? from : dm(from);
    const disposition = await transport.receive({
      senderId,
      chatId: opts.group ?? senderId,
      text,
      ...(opts.senderPhone ? { senderPhone: opts.senderPhone } : {}),
      ...(opts.id ? { id: opts.id } : {}),
      ...(opts.kind ? { kind: opts.kind } : {}),
      timestamp: clock.now,
    });
    // The files a reply promised are built after it: wait for them, so an exchange holds the whole answer.
    if (options.awaitAttachments !== false) await bot.attachmentsSettled();
    await bot.outbox.drain();
    return { disposition, sent: transport.takeSent() };
  };
  const texts = (sent: SentMessage[]) => sent.flatMap((m) => (m.kind === 'text' ? [{ chatId: m.chatId, text: m.text }] : []));
  const exchange: TestBot['exchange'] = async (from, text, opts) => (await play(from, text, opts)).sent;
  const say: TestBot['say'] = async (from, text, opts) => texts(await exchange(from, text, opts));
  return {
    bot,
    transport,
    clock,
    say,
    exchange,
    replies: async (from, text, opts) => (await say(from, text, opts)).map((m) => m.text),
    deliver: async (from, text, opts) => {
      const { disposition, sent } = await play(from, text, opts);
      return { disposition, texts: texts(sent) };
    },
  };
}
