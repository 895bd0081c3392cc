import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { BOT_VARIABLES } from '../app/create-bot.js';
import { fromOption, groupOption, runConsoleSession } from './console-session.js';
import { withDatabase } from './context.js';

export function registerChat(program: Command): void {
  program
    .command('chat')
    .description(
      'chat with the bot in the terminal, interactively or scripted from stdin. Lines "/from <number>", ' +
        '"/group <groupId>" and "/dm" change the sender and the chat; every other line is a message. ' +
        'Replies are printed as "→ <chatId>", the text, and a blank line',
    )
    .requiredOption('--from <number>', 'the sender: a phone number in any common form, or a LID (…@lid)', fromOption)
    .option('--group <groupId>', 'start inside this group (…@g.us) instead of the private chat', groupOption)
    .action((options: { from: string; group?: string }) =>
      withDatabase('cicero chat', BOT_VARIABLES, async (ctx) => {
        const interactive = process.stdin.isTTY === true;
        const reader = createInterface({ input: process.stdin, terminal: false });
        // Take the iterator now: readline drops lines emitted before anyone iterates.
        const iterator = reader[Symbol.asyncIterator]();
        const lines = { [Symbol.asyncIterator]: () => iterator };
        const prompt = interactive
          ? (sender: string, group: string | undefined) => process.stderr.write(`${sender}${group ? ` in ${group}` : ''}> `)
          : undefined;
        await runConsoleSession(ctx, options, lines, prompt ? { prompt } : {});
      }),
    );
}
