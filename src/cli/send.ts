import type { Command } from 'commander';
import { BOT_VARIABLES } from '../app/create-bot.js';
import { runConsoleSession } from './console-session.js';
import { withDatabase } from './context.js';

async function* once(text: string): AsyncIterable<string> {
  yield text;
}

export function registerSend(program: Command): void {
  program
    .command('send')
    .description('send the bot one message, print its replies like `cicero chat`, and exit')
    .requiredOption('--from <number>', 'the sender: a phone number in any common form, or a LID (…@lid)')
    .option('--group <groupId>', 'send it inside this group (…@g.us)')
    .argument('<text>', 'the message')
    .action((text: string, options: { from: string; group?: string }) =>
      withDatabase('cicero send', BOT_VARIABLES, (ctx) =>
        // A message that starts with "/" is still a message here, not a console directive.
        runConsoleSession(ctx, options, once(text), { directives: false }),
      ),
    );
}
