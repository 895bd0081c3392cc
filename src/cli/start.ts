import type { Command } from 'commander';
import { withDatabase } from './context.js';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the bot: open the database, apply migrations, connect to WhatsApp')
    .action(() =>
      withDatabase('cicero start', ['ADMIN_WHATSAPP', 'CICERO_TIMEZONE'], async ({ config, log, database }) => {
        if (config.ADMIN_WHATSAPP.length === 0) {
          log.warn('ADMIN_WHATSAPP is empty: nobody can run admin commands');
        }
        log.info({ database: database.location, timezone: config.CICERO_TIMEZONE }, 'cicero started');
        await waitForShutdownSignal();
        log.info('shutting down');
      }),
    );
}

function waitForShutdownSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
