import path from 'node:path';
/**
 * Drives the bot from text lines (a terminal, a script, or one argument). Lines
 * starting with `/from`, `/group` or `/dm` change who is writing and where; every
 * other non-blank line is a message, and its replies are printed before the next
 * line is read.
 */
import { BOT_VARIABLES, createBot } from '../app/create-bot.js';
import { parseWaIdentity } from '../identity/wa-id.js';
import { ConsoleTransport } from '../transport/console.js';
import type { CommandContext } from './context.js';
import { CliError } from './errors.js';

export const CONSOLE_VARIABLES = BOT_VARIABLES;

/** `0812-…`, `+62 …`, `…@c.us` → `62…@c.us`; a LID stays a LID. */
export function senderIdFrom(text: string): string | null {
  const id = parseWaIdentity(text);
  if (!id) return null;
  return id.kind === 'phone' ? `${id.phone}@c.us` : id.lid;
}

export function groupIdFrom(text: string): string | null {
  const id = text.trim().toLowerCase();
  if (!/^[0-9a-z-]+(@g\.us)?$/.test(id)) return null;
  return id.endsWith('@g.us') ? id : `${id}@g.us`;
}

export interface ConsoleStart {
  from: string;
  group?: string;
}

function startingPoint(start: ConsoleStart): { sender: string; group: string | undefined } {
  const sender = senderIdFrom(start.from);
  if (!sender) throw new CliError(`--from "${start.from}" is not a phone number or a LID (…@lid)`, 2);
  const group = start.group === undefined ? undefined : groupIdFrom(start.group);
  if (group === null) throw new CliError(`--group "${start.group}" is not a WhatsApp group id (…@g.us)`, 2);
  return { sender, group };
}

export async function runConsoleSession(
  ctx: CommandContext<(typeof CONSOLE_VARIABLES)[number]>,
  start: ConsoleStart,
  lines: AsyncIterable<string>,
  options: {
    prompt?: (sender: string, group: string | undefined) => void;
    /** Whether `/from`, `/group` and `/dm` lines are directives (false for `cicero send`). */
    directives?: boolean;
  } = {},
): Promise<void> {
  const { prompt, directives = true } = options;
  let { sender, group } = startingPoint(start);
  const documentsDir = path.resolve(ctx.config.CICERO_DATA_DIR, 'console-documents');
  const transport = new ConsoleTransport(process.stdout, documentsDir);
  const bot = await createBot({ config: ctx.config, db: ctx.database.db, log: ctx.log, transport });
  transport.onMessage((message) => bot.handle(message));
  await transport.start();
  const complain = (text: string): void => {
    process.stderr.write(`${text}\n`);
  };
  prompt?.(sender, group);
  for await (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    const [first, ...restWords] = line.trim().split(/\s+/);
    const word = directives ? first : undefined;
    const rest = restWords.join(' ');
    if (word === '/from') {
      const next = senderIdFrom(rest);
      if (next) sender = next;
      else complain(`/from: "${rest}" is not a phone number or a LID (…@lid)`);
    } else if (word === '/group') {
      const next = groupIdFrom(rest);
      if (next) group = next;
      else complain(`/group: "${rest}" is not a WhatsApp group id (…@g.us)`);
    } else if (word === '/dm' && rest === '') {
      group = undefined;
    } else if (line.trim() !== '') {
      await transport.play(sender, line, group);
      // Print every reply to this line before reading the next one.
      await bot.outbox.drain();
    }
    prompt?.(sender, group);
  }
  await transport.stop();
}
