/** Builds the bot the same way for `start`, `chat`, `send`, the tests and the benchmarks. */
import { Bot } from '../bot/bot.js';
import { CommandCatalog, loadCommands } from '../bot/catalog.js';
import type { CommandSpec } from '../bot/command.js';
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../log.js';
import type { Transport } from '../transport/transport.js';

export const BOT_VARIABLES = [
  'ADMIN_WHATSAPP',
  'CICERO_TIMEZONE',
  'CICERO_CONVERSATION_TIMEOUT_S',
  'CICERO_FLOOD_MAX',
  'CICERO_FLOOD_WINDOW_S',
  'CICERO_AUDIT_RETENTION_DAYS',
] as const;
export type BotConfig = Config<(typeof BOT_VARIABLES)[number]>;

export interface CreateBotOptions {
  config: BotConfig;
  db: Db;
  log: Logger;
  transport: Transport;
  /** Defaults to every command in `commands/`. */
  commands?: readonly CommandSpec[];
  now?: () => Date;
}

export async function createBot(options: CreateBotOptions): Promise<Bot> {
  const { config } = options;
  const commands = options.commands ?? (await loadCommands());
  return new Bot({
    db: options.db,
    log: options.log,
    transport: options.transport,
    catalog: new CommandCatalog(commands),
    admins: config.ADMIN_WHATSAPP,
    timezone: config.CICERO_TIMEZONE,
    conversationTimeoutMs: config.CICERO_CONVERSATION_TIMEOUT_S * 1000,
    flood: { max: config.CICERO_FLOOD_MAX, windowMs: config.CICERO_FLOOD_WINDOW_S * 1000 },
    auditRetentionDays: config.CICERO_AUDIT_RETENTION_DAYS,
    ...(options.now ? { now: options.now } : {}),
  });
}
