import path from 'node:path';
/**
 * Drives the bot from text lines (a terminal, a script, or one argument). Lines
 * starting with `/from`, `/group` or `/dm` change who is writing and where; every
 * other non-blank line is a message, and its replies are printed before the next
 * line is read.
 */
import { InvalidArgumentError } from 'commander';
import { type BOT_VARIABLES, createBot } from '../app/create-bot.js';
import { chatIdOf, parseWaIdentity } from '../identity/wa-id.js';
import { ConsoleTransport, privateConsoleEndpoint } from '../transport/console.js';
import type { CommandContext } from './context.js';
import { CliError } from './errors.js';


/** `0812-…`, `+62 …`, `…@c.us` → `62…@c.us`; a LID stays a LID. */
export function senderIdFrom(text: string): string | null {
  const id = parseWaIdentity(text);
  if (!id) return null;
  return chatIdOf(id);
}

export function groupIdFrom(text: string): string | null {
  const id = text.trim().toLowerCase();
  if (!/^[0-9a-z-]+(@g\.us)?$/.test(id)) return null;
  return id.endsWith('@g.us') ? id : `${id}@g.us`;
}

/**
 * Parsers for `--from` and `--group`: commander runs them while it reads the command
 * line, so a bad value is a usage error (exit 2) before any database work.
 */
export function fromOption(text: string): string {
  const sender = senderIdFrom(text);
  if (!sender) throw new InvalidArgumentError('Not a phone number or a LID (…@lid).');
  return sender;
}

export function groupOption(text: string): string {
  const group = groupIdFrom(text);
  if (!group) throw new InvalidArgumentError('Not a WhatsApp group id (…@g.us).');
  return group;
}

export interface ConsoleStart {
  from: string;
  group?: string;
}

/** From the CLI the values arrive checked by {@link fromOption} and {@link groupOption}; this guards other callers. */
function startingPoint(start: ConsoleStart): { sender: string; group: string | undefined } {
  const sender = senderIdFrom(start.from);
  if (!sender) throw new CliError(`--from "${start.from}" is not a phone number or a LID (…@lid)`, 2);
  const group = start.group === undefined ? undefined : groupIdFrom(start.group);
  if (group === null) throw new CliError(`--group "${start.group}" is not a WhatsApp group id (…@g.us)`, 2);
  return { sender, group };
}

export interface LineOptions {
  prompt?: (sender: string, group: string | undefined) => void;
  /** Whether `/from`, `/group` and `/dm` lines are directives (false for `cicero send`). */
  directives?: boolean;
  /** Runs after each message, e.g. to print its replies before the next line. */
  afterMessage?: () => Promise<void>;
  /** Stops reading (shutdown): the lines not read yet are left alone. */
  signal?: AbortSignal;
}

/**
 * Lets timers, signals and I/O run between two lines. Without it a burst of piped
 * input, answered by the in-process database, runs on microtasks alone and starves
 * them (SIGTERM and the outbox worker waited seconds).
 */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Plays lines into the console transport: directives change sender and chat, other lines are messages. */
export async function feedLines(
  transport: ConsoleTransport,
  first: { sender: string | null; group: string | undefined },
  lines: AsyncIterable<string>,
  options: LineOptions = {},
): Promise<void> {
  const { prompt, directives = true, afterMessage, signal } = options;
  let { sender, group } = first;
  const complain = (text: string): void => {
    process.stderr.write(`${text}\n`);
  };
  if (sender) prompt?.(sender, group);
  for await (const raw of lines) {
    await yieldToEventLoop();
    if (signal?.aborted) break;
    const line = raw.replace(/\r$/, '');
    const [firstWord, ...restWords] = line.trim().split(/\s+/);
    const word = directives ? firstWord : undefined;
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
      if (!sender) complain('say who is writing first: /from <number>');
      else {
        await transport.play(sender, line, group);
        await afterMessage?.();
      }
    }
    if (sender) prompt?.(sender, group);
  }
}

export async function runConsoleSession(
  ctx: CommandContext<(typeof BOT_VARIABLES)[number]>,
  start: ConsoleStart,
  lines: AsyncIterable<string>,
  options: Omit<LineOptions, 'afterMessage'> = {},
): Promise<void> {
  const first = startingPoint(start);
  const dir = consoleDocumentsDir(ctx.config.CICERO_DATA_DIR);
  const transport = new ConsoleTransport(process.stdout, dir, privateConsoleEndpoint());
  const bot = await createBot({ config: ctx.config, db: ctx.database.db, log: ctx.log, transport });
  transport.onMessage((message) => bot.handle(message));
  await transport.start();
  // Every reply to a line, the files it promised included, is printed before the next line is read.
  const afterMessage = async (): Promise<void> => {
    await bot.attachmentsSettled();
    await bot.outbox.drain();
  };
  await feedLines(transport, first, lines, { ...options, afterMessage });
  // Nobody else prints this endpoint's rows: exit only once all of them were printed.
  const timeoutS = ctx.config.CICERO_SHUTDOWN_TIMEOUT_S;
  const { unanswered, unsent } = await bot.stop(timeoutS * 1000);
  const problems: string[] = [];
  const left = unanswered.held + unanswered.unfinished;
  if (left > 0) problems.push(`${left} message(s) not answered`);
  if (unsent !== 0) problems.push(`${unsent ?? 'some'} reply(ies) not printed`);
  if (problems.length > 0) throw new CliError(`${problems.join(' and ')} within CICERO_SHUTDOWN_TIMEOUT_S (${timeoutS} s)`, 1);
}

export function consoleDocumentsDir(dataDir: string): string {
  return path.resolve(dataDir, 'console-documents');
}
