/** Builds the bot the same way for `start`, `chat`, `send`, the tests and the benchmarks. */
import { createRapidApis, RAPIDAPI_VARIABLES, type RapidApiOverrides } from '../rapidapi/services.js';
import { Bot } from '../bot/bot.js';
import type { AttachmentBuilders } from '../bot/attachments.js';
import { ATTACHMENT_BUILDERS } from './attachment-builders.js';
import { pauseAlert, unreachableAlert } from '../bot/texts.js';
import { CommandCatalog, loadCommands } from '../bot/catalog.js';
import type { CommandSpec } from '../bot/command.js';
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import { Presence } from '../db/presence.js';
import type { Logger } from '../log.js';
import { chatIdOf } from '../identity/wa-id.js';
import { KillSwitch } from '../outbox/kill-switch.js';
import { DEFAULT_SETTINGS, NO_PACING, Outbox, type OutboxSettings } from '../outbox/outbox.js';
import type { Transport } from '../transport/transport.js';
import { LEGACY_ENDPOINT } from '../transport/whatsapp.js';
import { Scheduler } from '../schedule/scheduler.js';
import { formatClock } from '../time/format.js';

export const BOT_VARIABLES = [
  'ADMIN_WHATSAPP',
  'CICERO_TIMEZONE',
  'CICERO_CONVERSATION_TIMEOUT_S',
  'CICERO_FLOOD_MAX',
  'CICERO_FLOOD_WINDOW_S',
  'CICERO_NRP_LOOKUPS_PER_HOUR',
  'CICERO_MESSAGE_MAX_CHARS',
  'CICERO_PACE_GLOBAL_MS',
  'CICERO_PACE_CHAT_MS',
  'CICERO_PACE_JITTER_MS',
  'CICERO_PACE_BROADCAST_MS',
  'CICERO_SEND_BUDGET_PER_HOUR',
  'CICERO_SEND_MAX_ATTEMPTS',
  'CICERO_SEND_RETRY_BASE_MS',
  'CICERO_OUTBOX_CLAIM_TIMEOUT_S',
  'CICERO_CATCHUP_WINDOW_S',
  'CICERO_DB_WAIT_NOTICE_S',
  'CICERO_REPORT_MAX_LINES',
  'CICERO_SHUTDOWN_TIMEOUT_S',
  'CICERO_SESSION_HOURS',
  'CICERO_LOGIN_MAX_FAILURES',
  'CICERO_LOGIN_WINDOW_MIN',
  'CICERO_BCRYPT_COST',
  'CICERO_SCHEDULE_GRACE_MIN',
  'CICERO_RECAP_SEND_COMPLETE',
  'CICERO_RECAP_CHART',
  'CICERO_REMINDER_TIME',
  ...RAPIDAPI_VARIABLES,
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
  /** Test hooks for the RapidAPI clients (e.g. a sleep that returns at once). */
  rapidapi?: RapidApiOverrides;
  /** Builders of attachments promised with `attachLater`; defaults to {@link ATTACHMENT_BUILDERS}. */
  attachmentBuilders?: AttachmentBuilders;
}

export function outboxSettings(config: BotConfig, transport: Transport): OutboxSettings {
  // Pacing protects a WhatsApp number from looking like a spammer; a console needs none.
  const paced = transport.name === 'whatsapp';
  return {
    ...DEFAULT_SETTINGS, // what is not configurable
    // One process at a time sends for a number, so its pacing and budget hold whatever runs.
    exclusive: paced,
    // WhatsApp restricting the number holds its messages; a terminal is never restricted.
    pausable: transport.name !== 'console',
    maxChars: config.CICERO_MESSAGE_MAX_CHARS,
    pacing: paced
      ? {
          globalMs: config.CICERO_PACE_GLOBAL_MS,
          chatMs: config.CICERO_PACE_CHAT_MS,
          jitterMs: config.CICERO_PACE_JITTER_MS,
          broadcastMs: config.CICERO_PACE_BROADCAST_MS,
        }
      : NO_PACING,
    maxAttempts: config.CICERO_SEND_MAX_ATTEMPTS,
    retryBaseMs: config.CICERO_SEND_RETRY_BASE_MS,
    claimTimeoutMs: config.CICERO_OUTBOX_CLAIM_TIMEOUT_S * 1000,
    budgetPerHour: config.CICERO_SEND_BUDGET_PER_HOUR,
    adminChats: adminChats(config),
  };
}

/** Where admins are reached: `<phone>@c.us`, or the LID itself. */
export function adminChats(config: Pick<BotConfig, 'ADMIN_WHATSAPP'>): string[] {
  return config.ADMIN_WHATSAPP.map(chatIdOf);
}

export async function createBot(options: CreateBotOptions): Promise<Bot> {
  const { config, db, log, transport } = options;
  const now = options.now ?? (() => new Date());
  const commands = options.commands ?? (await loadCommands());
  const presence = new Presence(db);
  await presence.beat();
  const killSwitch = new KillSwitch(db, log);
  await killSwitch.refresh();
  const outbox = new Outbox(db, transport, killSwitch, log, outboxSettings(config, transport), now, presence);
  // Signs of a restriction pause the outbox; admins hear it directly, by whatever still works.
  transport.onRestriction((signal) =>
    outbox.pause(signal).catch((error) => log.error({ err: error, signal }, 'could not pause the outbox')),
  );
  // Rows queued when every number shared one endpoint go out from the first number that connects.
  transport.onStateChange((state) => {
    if (state !== 'ready' || transport.name !== 'whatsapp') return;
    outbox.adopt(LEGACY_ENDPOINT).catch((error) => log.error({ err: error }, 'could not move the old outbox rows'));
  });
  // Admins hear of a pause at once when WhatsApp works; otherwise (a blocked or lost
  // session) the alert waits in the outbox, which lets admin chats through a pause.
  killSwitch.onTrip(async (state) => {
    const text = pauseAlert(state, config.CICERO_TIMEZONE);
    for (const chatId of adminChats(config)) {
      const direct =
        transport.state() === 'ready' &&
        (await transport.sendText(chatId, text).then(
          () => true,
          (error: unknown) => {
            log.error({ err: error, chatId }, 'could not alert an admin about the pause; queueing the alert');
            return false;
          },
        ));
      if (!direct) await outbox.enqueue({ chatId, key: `pause:${state.since.toISOString()}:${chatId}`, text });
    }
  });
  // A connection halted on a blocking state (TOS_BLOCK, UNPAIRED, …) waits for an admin's resume.
  killSwitch.onClear(() => transport.resume?.());
  transport.onAlert(async (alert) => {
    const text = unreachableAlert(alert, config.CICERO_TIMEZONE);
    for (const chatId of adminChats(config)) {
      await outbox
        .enqueue({ chatId, key: `unreachable:${alert.since.toISOString()}:${chatId}`, text })
        .catch((error) => log.error({ err: error, chatId }, 'could not queue the alert for an admin'));
    }
  });
  const rapidapi = createRapidApis(config, options.rapidapi);
  const scheduler = new Scheduler({
    db,
    apis: rapidapi,
    now,
    timezone: config.CICERO_TIMEZONE,
    reportMaxLines: config.CICERO_REPORT_MAX_LINES,
    messageMaxChars: config.CICERO_MESSAGE_MAX_CHARS,
    sendComplete: config.CICERO_RECAP_SEND_COMPLETE,
    sendChart: config.CICERO_RECAP_CHART,
    outbox,
    log,
    worker: presence.worker,
    ready: () => transport.state() === 'ready',
    graceMin: config.CICERO_SCHEDULE_GRACE_MIN,
  });
  return new Bot({
    db,
    log,
    transport,
    presence,
    outbox,
    catalog: new CommandCatalog(commands),
    admins: config.ADMIN_WHATSAPP,
    timezone: config.CICERO_TIMEZONE,
    conversationTimeoutMs: config.CICERO_CONVERSATION_TIMEOUT_S * 1000,
    flood: { max: config.CICERO_FLOOD_MAX, windowMs: config.CICERO_FLOOD_WINDOW_S * 1000 },
    catchUpWindowMs: config.CICERO_CATCHUP_WINDOW_S * 1000,
    hold: { max: 1000, noticeAfterMs: config.CICERO_DB_WAIT_NOTICE_S * 1000 },
    reportMaxLines: config.CICERO_REPORT_MAX_LINES,
    messageMaxChars: config.CICERO_MESSAGE_MAX_CHARS,
    nrpLookupsPerHour: config.CICERO_NRP_LOOKUPS_PER_HOUR,
    rapidapi,
    scheduler,
    reminderTime: config.CICERO_REMINDER_TIME
      ? formatClock(config.CICERO_REMINDER_TIME.hour, config.CICERO_REMINDER_TIME.minute, config.CICERO_TIMEZONE)
      : null,
    attachmentBuilders: options.attachmentBuilders ?? ATTACHMENT_BUILDERS,
    signIn: {
      sessionMs: config.CICERO_SESSION_HOURS * 3_600_000,
      maxFailures: config.CICERO_LOGIN_MAX_FAILURES,
      windowMs: config.CICERO_LOGIN_WINDOW_MIN * 60_000,
      bcryptCost: config.CICERO_BCRYPT_COST,
    },
    now,
  });
}
