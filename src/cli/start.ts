import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import qrcode from 'qrcode-terminal';
import { adminChats, BOT_VARIABLES, createBot } from '../app/create-bot.js';
import { startHttp } from '../app/health.js';
import { HOUSEKEEPING_VARIABLES, scheduleHousekeeping } from '../app/housekeeping.js';
import type { Logger } from '../log.js';
import { findBrowser } from '../transport/browser.js';
import { ConsoleTransport } from '../transport/console.js';
import type { Transport } from '../transport/transport.js';
import { WhatsAppStartError, WhatsAppTransport } from '../transport/whatsapp.js';
import { consoleDocumentsDir, feedLines } from './console-session.js';
import { type CommandContext, withDatabase } from './context.js';
import { CliError } from './errors.js';

const START_VARIABLES = [
  ...BOT_VARIABLES,
  ...HOUSEKEEPING_VARIABLES,
  'CICERO_TRANSPORT',
  'CICERO_HTTP_PORT',
  'CICERO_HTTP_HOST',
  'CICERO_SHUTDOWN_TIMEOUT_S',
  'CHROME_PATH',
  'CICERO_WA_INIT_TIMEOUT_S',
  'CICERO_WA_READY_TIMEOUT_S',
  'CICERO_WA_PAIRING_PHONE',
] as const;
type StartContext = CommandContext<(typeof START_VARIABLES)[number]>;

function whatsapp({ config, log }: StartContext, chromePath: string, pairing: { qr: string | null }): WhatsAppTransport {
  return new WhatsAppTransport({
    dataDir: config.CICERO_DATA_DIR,
    chromePath,
    log,
    initTimeoutMs: config.CICERO_WA_INIT_TIMEOUT_S * 1000,
    readyTimeoutMs: config.CICERO_WA_READY_TIMEOUT_S * 1000,
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

function waitForShutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

/** Runs `steps` in order; past the deadline the process exits 1 rather than hang. */
async function shutdown(log: Logger, timeoutS: number, steps: Array<() => Promise<unknown>>): Promise<void> {
  const deadline = setTimeout(() => {
    log.error({ timeoutS }, 'shutdown took too long; exiting');
    process.exit(1);
  }, timeoutS * 1000);
  deadline.unref();
  for (const step of steps) await step().catch((error) => log.error({ err: error }, 'shutdown step failed'));
  clearTimeout(deadline);
}

async function run(ctx: StartContext, chromePath: string): Promise<void> {
  const { config, log, database } = ctx;
  if (config.ADMIN_WHATSAPP.length === 0) log.warn('ADMIN_WHATSAPP is empty: nobody can run admin commands');
  const pairing = { qr: null as string | null };
  const onConsole = config.CICERO_TRANSPORT === 'console';
  const transport: Transport = onConsole
    ? new ConsoleTransport(process.stdout, consoleDocumentsDir(config.CICERO_DATA_DIR))
    : whatsapp(ctx, chromePath, pairing);
  const bot = await createBot({ config, db: database.db, log, transport });
  bot.attach();
  transport.onStateChange((state) => {
    if (state !== 'pairing') pairing.qr = null;
    if (state === 'ready') void bot.sweepConversations().catch(() => {});
  });
  const stopped = waitForShutdownSignal();
  const http = config.CICERO_HTTP_PORT
    ? await startHttp(bot, () => pairing.qr, { port: config.CICERO_HTTP_PORT, host: config.CICERO_HTTP_HOST })
    : null;
  if (http) log.info({ port: config.CICERO_HTTP_PORT, host: config.CICERO_HTTP_HOST }, 'serving /healthz');
  const housekeeping = scheduleHousekeeping(database.db, config, log);
  log.info({ database: database.location, transport: transport.name }, 'cicero starting');
  try {
    await transport.start();
  } catch (error) {
    bot.detach();
    housekeeping.stop();
    http?.close();
    if (error instanceof WhatsAppStartError) throw new CliError(error.message, 1);
    throw error;
  }
  bot.outbox.start();
  log.info({ transport: transport.state() }, 'cicero started');

  let closeInput = (): void => {};
  if (transport instanceof ConsoleTransport) {
    // The console as the chat: stdin lines are messages (first from the first admin), replies go through the outbox.
    const first = adminChats(config)[0] ?? null;
    const reader = createInterface({ input: process.stdin, terminal: false });
    void feedLines(transport, { sender: first, group: undefined }, reader).catch((error) =>
      log.error({ err: error }, 'console input failed'),
    );
    closeInput = () => {
      reader.close();
      process.stdin.destroy(); // an open stdin would keep the process alive after shutdown
    };
  }

  const signal = await stopped;
  log.info({ signal }, 'shutting down');
  await shutdown(log, config.CICERO_SHUTDOWN_TIMEOUT_S, [
    async () => closeInput(),
    async () => bot.detach(),
    async () => housekeeping.stop(),
    () => bot.outbox.stop(), // stop claiming; the send in flight finishes
    () => transport.stop(),
    () => new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined))),
  ]);
  log.info('stopped cleanly');
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
      return withDatabase('cicero start', START_VARIABLES, (ctx) => run(ctx, chromePath), {
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
