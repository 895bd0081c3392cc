#!/usr/bin/env node
/** The `cicero` command line. Subcommands write their output to stdout; logs go to stderr. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { packageRoot } from '../paths.js';
import { reportFatal } from './errors.js';
import { registerChat } from './chat.js';
import { registerConfig } from './config.js';
import { registerDashboardUser } from './dashboard-user.js';
import { registerExport } from './export.js';
import { registerFetch } from './fetch.js';
import { registerFakeRapidApi } from './fake-rapidapi.js';
import { registerImport } from './import.js';
import { registerMigrate } from './migrate.js';
import { registerJadwal, registerRecap } from './recap.js';
import { registerSeed } from './seed.js';
import { registerSend } from './send.js';
import { registerStart } from './start.js';

const { version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };

// Set before the subcommands are added: they inherit the output, the exit override and the help settings.
const program = new Command('cicero')
  .description('Cicero: WhatsApp bot for daily Instagram and TikTok engagement compliance')
  .version(version, '-V, --version', 'print the version')
  // Usage errors end as a thrown CommanderError (reportFatal gives them exit 2), not process.exit(1).
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`cicero: ${text}`) })
  .showHelpAfterError()
  .showSuggestionAfterError();

registerStart(program);
registerMigrate(program);
registerSeed(program);
registerChat(program);
registerSend(program);
registerDashboardUser(program);
registerImport(program);
registerExport(program);
registerFetch(program);
registerRecap(program);
registerJadwal(program);
registerConfig(program);
registerFakeRapidApi(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFatal(error);
}
