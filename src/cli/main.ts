#!/usr/bin/env node
/** The `cicero` command line. Subcommands write their output to stdout; logs go to stderr. */
import { Command } from 'commander';
import { reportFatal } from './errors.js';
import { registerChat } from './chat.js';
import { registerConfig } from './config.js';
import { registerMigrate } from './migrate.js';
import { registerSeed } from './seed.js';
import { registerSend } from './send.js';
import { registerStart } from './start.js';

const program = new Command('cicero')
  .description('Cicero: WhatsApp bot for daily Instagram and TikTok engagement compliance')
  .showHelpAfterError()
  .showSuggestionAfterError();

registerStart(program);
registerMigrate(program);
registerSeed(program);
registerChat(program);
registerSend(program);
registerConfig(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFatal(error);
}
