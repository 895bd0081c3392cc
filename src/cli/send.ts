import { type Command, InvalidArgumentError } from 'commander';
import { BOT_VARIABLES } from '../app/create-bot.js';
import { fromOption, groupOption, runConsoleSession } from './console-session.js';
import { withDatabase } from './context.js';

async function* once(text: string): AsyncIterable<string> {
  yield text;
}

/** A blank message would get no answer at all: it is a usage error instead. */
function messageArgument(text: string): string {
  if (text.trim() === '') throw new InvalidArgumentError('The message is empty.');
  return text;
}

export function registerSend(program: Command): void {
  program
    .command('send')
    .description('send the bot one message, print its replies like `cicero chat`, and exit')
    .requiredOption('--from <number>', 'the sender: a phone number in any common form, or a LID (…@lid)', fromOption)
    .option('--group <groupId>', 'send it inside this group (…@g.us)', groupOption)
    .argument('<text>', 'the message', messageArgument)
    .action((text: string, options: { from: string; group?: string }) =>
      withDatabase('cicero send', BOT_VARIABLES, (ctx) =>
        // A message that starts with "/" is still a message here, not a console directive.
        runConsoleSession(ctx, options, once(text), { directives: false }),
      ),
    );
}
