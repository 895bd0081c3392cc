import type { Command } from 'commander';
import qrcode from 'qrcode-terminal';
import { BOT_VARIABLES, createBot } from '../app/create-bot.js';
import { findBrowser } from '../transport/browser.js';
import { WhatsAppStartError, WhatsAppTransport } from '../transport/whatsapp.js';
import { withDatabase } from './context.js';
import { CliError } from './errors.js';

const START_VARIABLES = [
  ...BOT_VARIABLES,
  'CHROME_PATH',
  'CICERO_WA_INIT_TIMEOUT_S',
  'CICERO_WA_READY_TIMEOUT_S',
  'CICERO_WA_PAIRING_PHONE',
] as const;

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the bot: open and migrate the database, connect to WhatsApp, answer messages until stopped')
    .action(() => {
      let chromePath = '';
      return withDatabase(
        'cicero start',
        START_VARIABLES,
        async ({ config, log, database }) => {
          if (config.ADMIN_WHATSAPP.length === 0) log.warn('ADMIN_WHATSAPP is empty: nobody can run admin commands');
          const transport = new WhatsAppTransport({
            dataDir: config.CICERO_DATA_DIR,
            chromePath,
            log,
            initTimeoutMs: config.CICERO_WA_INIT_TIMEOUT_S * 1000,
            readyTimeoutMs: config.CICERO_WA_READY_TIMEOUT_S * 1000,
            ...(config.CICERO_WA_PAIRING_PHONE ? { pairingPhone: config.CICERO_WA_PAIRING_PHONE } : {}),
            onQr: (qr) => {
              process.stdout.write('Scan this QR code in WhatsApp › Linked devices › Link a device:\n');
              qrcode.generate(qr, { small: true }, (art) => process.stdout.write(`${art}\n`));
            },
            onPairingCode: (code) => {
              process.stdout.write(`Enter this pairing code in WhatsApp › Linked devices › Link with phone number: ${code}\n`);
            },
          });
          const bot = await createBot({ config, db: database.db, log, transport });
          bot.attach();
          transport.onStateChange((state) => {
            if (state === 'ready') void bot.sweepConversations().catch(() => {});
          });
          const stopped = waitForShutdownSignal();
          log.info({ database: database.location, browser: chromePath }, 'cicero starting');
          try {
            await transport.start();
          } catch (error) {
            bot.detach();
            if (error instanceof WhatsAppStartError) throw new CliError(error.message, 1);
            throw error;
          }
          log.info({ transport: transport.state() }, 'cicero started');
          await stopped;
          log.info('shutting down');
          bot.detach();
          await transport.stop();
        },
        {
          preflight: (config) => {
            const browser = findBrowser(config.CHROME_PATH);
            if ('problem' in browser) throw new CliError(browser.problem, 1);
            chromePath = browser.found;
          },
          // The WhatsApp session in the data directory allows one process, whatever the database.
          lockDataDir: true,
        },
      );
    });
}

function waitForShutdownSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
