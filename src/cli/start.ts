import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import qrcode from 'qrcode-terminal';
import { adminChats, BOT_VARIABLES, createBot } from '../app/create-bot.js';
import { startHttp } from '../app/health.js';
import { giveHeapRoom } from '../app/heap-room.js';
import { HOUSEKEEPING_VARIABLES, scheduleHousekeeping } from '../app/housekeeping.js';
import { scheduleOperatorNotices } from '../app/operator-notices.js';
import { REMINDER_VARIABLES, scheduleReminders } from '../app/reminders.js';
import { startScheduler } from '../schedule/scheduler.js';
import type { StopReport } from '../bot/bot.js';
import type { Logger } from '../log.js';
import { guardRejections } from '../app/process-guard.js';
import { findBrowser } from '../transport/browser.js';
import { CONSOLE_ENDPOINT, ConsoleTransport } from '../transport/console.js';
import type { Transport } from '../transport/transport.js';
import { WhatsAppStartError, WhatsAppTransport } from '../transport/whatsapp.js';
import { consoleDocumentsDir, feedLines } from './console-session.js';
import { type CommandContext, withDatabase } from './context.js';
import { CliError } from './errors.js';

const START_VARIABLES = [
  ...BOT_VARIABLES,
  ...HOUSEKEEPING_VARIABLES,
  ...REMINDER_VARIABLES,
  'CICERO_TRANSPORT',
  'CICERO_HTTP_PORT',
  'CICERO_HTTP_HOST',
  'CHROME_PATH',
  'CICERO_WA_INIT_TIMEOUT_S',
  'CICERO_WA_READY_TIMEOUT_S',
  'CICERO_WA_PAIRING_PHONE',
  'CICERO_WA_ACK_WAIT_S',
  'CICERO_CHROMIUM_ARGS',
  'CICERO_WA_WEB_VERSION',
  'CICERO_WA_WEB_VERSION_URL',
] as const;
type StartContext = CommandContext<(typeof START_VARIABLES)[number]>;

function whatsapp({ config, log }: StartContext, chromePath: string, pairing: { qr: string | null }): WhatsAppTransport {
  return new WhatsAppTransport({
    dataDir: config.CICERO_DATA_DIR,
    chromePath,
    log,
    initTimeoutMs: config.CICERO_WA_INIT_TIMEOUT_S * 1000,
    readyTimeoutMs: config.CICERO_WA_READY_TIMEOUT_S * 1000,
    ackWaitMs: config.CICERO_WA_ACK_WAIT_S * 1000,
    extraChromiumArgs: config.CICERO_CHROMIUM_ARGS,
    ...(config.CICERO_WA_WEB_VERSION
      ? { webVersion: { version: config.CICERO_WA_WEB_VERSION, url: config.CICERO_WA_WEB_VERSION_URL } }
      : {}),
    ...(config.CICERO_WA_PAIRING_PHONE ? { pairingPhone: config.CICERO_WA_PAIRING_PHONE } : {}),
    onQr: (qr) => {
      pairing.qr = qr;
      process.stdout.write('Scan this QR code in WhatsApp › Linked devices › Link a device:\n');
      qrcode.generate(qr, { small: true }, (art) => process.stdout.write(`${art}\n`));
    },
    onPairingCode: (code) => {
      process.stdout.write(`Enter this pairing code in WhatsApp › Linked devices › Link with phone number: ${code}\n`);
    },
  });
}

/**
 * Resolves with why the bot must stop: SIGINT, SIGTERM or SIGHUP (puppeteer's own
 * handlers are off, so these are ours at any moment, the start included), or on the
 * console the end of its input. A second signal does not cut the shutdown short: the
 * CICERO_SHUTDOWN_TIMEOUT_S deadline bounds it.
 */
function stopRequest(): StopRequest {
  let requested: string | null = null;
  let resolve: (why: string) => void = () => {};
  const reason = new Promise<string>((done) => {
    resolve = done;
  });
  const stop: StopRequest = {
    reason,
    requested: () => requested,
    onRepeat: () => {},
    request(why) {
      if (requested) return stop.onRepeat(why, requested);
      requested = why;
      resolve(why);
    },
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop.request(signal));
  return stop;
}

interface StopRequest {
  reason: Promise<string>;
  requested(): string | null;
  request(why: string): void;
  /** Told of a second request while the first is being carried out. */
  onRepeat(why: string, first: string): void;
}

/** What shutdown left unanswered, as one log line; "stopped cleanly" only when nothing was. */
function logStop(log: Logger, { unanswered, unsent }: StopReport): void {
  const { turnedAway, held, unfinished } = unanswered;
  if (unsent !== 0) {
    log.warn({ unsent }, 'replies not sent yet wait in the outbox for the next start of this number');
  }
  const left = turnedAway + held + unfinished;
  if (left === 0) {
    log.info('stopped cleanly');
    return;
  }
  const why = [
    turnedAway ? `${turnedAway} arrived during shutdown (still unread in WhatsApp, answered after the next start)` : '',
    held ? `${held} waited for the database, which did not come back in time` : '',
    unfinished ? `${unfinished} were still being handled when CICERO_SHUTDOWN_TIMEOUT_S ran out` : '',
  ].filter(Boolean);
  log.warn({ turnedAway, held, unfinished }, `stopped with ${left} message(s) unanswered: ${why.join('; ')}`);
}

async function run(ctx: StartContext, chromePath: string, stop: StopRequest): Promise<void> {
  const { config, log, database } = ctx;
  stop.onRepeat = (why, first) => log.warn({ signal: why, shuttingDownFor: first }, 'already shutting down');
  if (config.ADMIN_WHATSAPP.length === 0) log.warn('ADMIN_WHATSAPP is empty: nobody can run admin commands');
  const pairing = { qr: null as string | null };
  const onConsole = config.CICERO_TRANSPORT === 'console';
  const transport: Transport = onConsole
    ? new ConsoleTransport(process.stdout, consoleDocumentsDir(config.CICERO_DATA_DIR), CONSOLE_ENDPOINT)
    : whatsapp(ctx, chromePath, pairing);
  // Installed until the process ends: a killed browser's pending calls reject late.
  guardRejections(log, (reason) => transport.noticeUnhandled?.(reason));
  giveHeapRoom();
  const bot = await createBot({ config, db: database.db, log, transport });
  bot.attach();
  transport.onStateChange((state) => {
    if (state !== 'pairing') pairing.qr = null;
    if (state === 'ready') void bot.sweepConversations().catch(() => {});
  });
  const http = config.CICERO_HTTP_PORT
    ? await startHttp(bot, () => pairing.qr, { port: config.CICERO_HTTP_PORT, host: config.CICERO_HTTP_HOST })
    : null;
  if (http) log.info({ port: config.CICERO_HTTP_PORT, host: config.CICERO_HTTP_HOST }, 'serving /healthz');
  const housekeeping = scheduleHousekeeping(database.db, config, log);
  const notices = scheduleOperatorNotices(database.db, bot.outbox, config.CICERO_TIMEZONE, log);
  // Sending jobs are claimed only while WhatsApp is ready (src/schedule/scheduler.ts); fetches run regardless.
  const scheduler = startScheduler(bot.services.scheduler, config.CICERO_TIMEZONE, log);
  const reminders = scheduleReminders(database.db, bot.outbox, config, log);
  log.info({ database: database.location, transport: transport.name }, 'cicero starting');
  const started = await Promise.race([
    // A signal during the database's opening stops the bot before WhatsApp starts at all.
    stop.requested() ? stop.reason.then((reason) => ({ reason })) : transport.start().then(
      () => ({ started: true }) as const,
      (error: unknown) => ({ error }),
    ),
    stop.reason.then((reason) => ({ reason })),
  ]);
  if ('error' in started) {
    bot.detach();
    housekeeping.stop();
    notices.stop();
    scheduler.stop();
    reminders.stop();
    http?.close();
    await bot.presence.leave().catch(() => {});
    if (started.error instanceof WhatsAppStartError) throw new CliError(started.error.message, 1);
    throw started.error;
  }

  const reading = new AbortController();
  let closeInput = (): void => {};
  if ('started' in started) {
    bot.outbox.start();
    log.info({ transport: transport.state() }, 'cicero started');
    if (transport instanceof ConsoleTransport) {
      // The console as the chat: stdin lines are messages (first from the first admin), replies go through the outbox.
      const first = adminChats(config)[0] ?? null;
      const reader = createInterface({ input: process.stdin, terminal: false });
      feedLines(transport, { sender: first, group: undefined }, reader, { signal: reading.signal })
        .catch((error) => log.error({ err: error }, 'console input failed'))
        .finally(() => stop.request('end of input'));
      closeInput = () => {
        reader.close();
        process.stdin.destroy(); // an open stdin would keep the process alive after shutdown
      };
    }
  }

  const reason = await stop.reason;
  log.info({ reason, during: 'started' in started ? undefined : 'start' }, 'shutting down');
  const timeoutS = config.CICERO_SHUTDOWN_TIMEOUT_S;
  // The last resort: whatever hangs (a wedged browser, the database), the process ends.
  // Puppeteer kills the browsers it launched when the process exits.
  const deadline = setTimeout(() => {
    log.error({ timeoutS }, 'shutdown took too long; exiting');
    process.exit(1);
  }, timeoutS * 1000);
  deadline.unref();
  // Intake first, then what is in hand, then the outbox and the transport; the database closes last (withDatabase).
  reading.abort();
  closeInput();
  housekeeping.stop();
  notices.stop();
  scheduler.stop();
  reminders.stop();
  const report = await bot.stop(timeoutS * 1000 * 0.9);
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  logStop(log, report);
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'run the bot: open and migrate the database, connect to WhatsApp (or the console with ' +
        'CICERO_TRANSPORT=console), answer messages until SIGINT/SIGTERM',
    )
    .action(() => {
      let chromePath = '';
      // Before anything else: a signal at any later moment runs the bot's own shutdown.
      const stop = stopRequest();
      return withDatabase('cicero start', START_VARIABLES, (ctx) => run(ctx, chromePath, stop), {
        preflight: (config) => {
          if (config.CICERO_TRANSPORT === 'console') return;
          const browser = findBrowser(config.CHROME_PATH);
          if ('problem' in browser) throw new CliError(browser.problem, 1);
          chromePath = browser.found;
        },
        // The WhatsApp session in the data directory allows one process, whatever the database.
        lockDataDir: true,
      });
    });
}
