import type { Command } from 'commander';
import { withDatabase } from './context.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('create the data directory if needed and apply pending database migrations, nothing else')
    .action(() =>
      withDatabase('cicero migrate', [], async ({ database }) => {
        const { applied, version } = database.migration;
        const done = applied.length > 0 ? `applied ${applied.join(', ')}` : 'already up to date';
        process.stdout.write(`${database.location}: ${done} (schema version ${version})\n`);
      }),
    );
}
