/**
 * The fetch commands' shared handler: `<name>[#<client>][#<tanggal>|kemarin]`. The
 * handler waits for the whole run (so `cicero send` prints everything before it
 * exits), sending a progress line at most every 10 s once the run takes a while.
 */
import type { Context } from '../bot/context.js';
import { UsageError } from '../bot/errors.js';
import type { Platform } from '../compliance/handle.js';
import { parseDay, takeClient } from '../reports/report-args.js';
import { clientInScope } from '../reports/scope.js';
import { dayWindow, dayWindowOf } from '../time/day.js';
import * as fetchStorage from './store.js';
import { fetchedCompletely, type FetchPart, type FetchProgress } from './result.js';
import { runFetch } from './run.js';
import { NO_KEY, progressLine, summaryText, WAITING } from './texts.js';

/** Quiet for this long: a quick run needs no progress line. */
const FIRST_PROGRESS_MS = 5_000;
const PROGRESS_EVERY_MS = 10_000;

const NO_WORDS: ReadonlySet<string> = new Set();

/** Calls `send` with a progress line when the run has taken a while and the last one is 10 s old. */
export function progressThrottle(now: () => Date, send: (text: string) => Promise<void>): (p: FetchProgress) => Promise<void> {
  const started = now().getTime();
  let last = started - PROGRESS_EVERY_MS;
  return async (p) => {
    const at = now().getTime();
    if (p.done >= p.total || at - started < FIRST_PROGRESS_MS || at - last < PROGRESS_EVERY_MS) return;
    last = at;
    await send(progressLine(p));
  };
}

export async function fetchCommand(ctx: Context, platforms: readonly Platform[], parts: readonly FetchPart[]): Promise<void> {
  const { db, now, timezone, rapidapi, log } = ctx.services;
  const { client: typed, rest } = takeClient(ctx.args, NO_WORDS);
  if (rest.length > 1) throw new UsageError();
  const date = rest[0] === undefined ? undefined : parseDay(rest[0], now(), timezone);
  if (rest[0] !== undefined && date === undefined) throw new UsageError(`Tanggal *${rest[0]}* tidak dikenal.`);
  const client = await clientInScope(ctx, typed);
  if (!rapidapi.configured) {
    await ctx.reply(NO_KEY);
    return;
  }
  const day = date ? dayWindowOf(date, timezone) : dayWindow(now(), timezone);
  // A progress line that cannot be queued is no reason to stop the run.
  const tell = (text: string) => ctx.progress(text).catch((error) => log.warn({ err: error }, 'could not queue a fetch progress line'));
  const onProgress = progressThrottle(now, tell);
  const onWaiting = () => tell(WAITING);
  const result = await runFetch(
    { db, apis: rapidapi, now, storage: fetchStorage },
    { client, platforms, parts, day, onProgress, onWaiting },
  );
  await ctx.reply(summaryText(result, timezone, rapidapi.pageLimit, fetchedCompletely(result)));
}
