/**
 * `cicero fetch [instagram|tiktok|all] [--client ID] [--date YYYY-MM-DD]`: the same
 * run as the chat's `fetch#`, for every active client (or one). A progress bar on a
 * terminal, plain lines otherwise; each client's summary as the bot would send it.
 * Exit 0 when everything was fetched, 1 when part of it failed.
 */
import { SingleBar } from 'cli-progress';
import { DateTime } from 'luxon';
import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import { activeClients, type ComplianceClient, findClient, listClientIds } from '../compliance/clients.js';
import type { Platform } from '../compliance/handle.js';
import type { Queryable } from '../db/db.js';
import { fetchedCompletely, type FetchProgress } from '../fetch/result.js';
import { runFetch } from '../fetch/run.js';
import * as fetchStorage from '../fetch/store.js';
import { summaryText } from '../fetch/texts.js';
import { createRapidApis, RAPIDAPI_VARIABLES } from '../rapidapi/services.js';
import { dayWindow, dayWindowOf } from '../time/day.js';
import { withDatabase } from './context.js';
import { CliError } from './errors.js';

const PLATFORMS: Record<string, Platform[]> = { instagram: ['instagram'], tiktok: ['tiktok'], all: ['instagram', 'tiktok'] };

export function dateOption(value: string): string {
  // Read as a calendar date (2026-02-31 is no date); the future is refused once the zone is known.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value).isValid) {
    throw new InvalidArgumentError('Expected a date as YYYY-MM-DD.');
  }
  return value;
}

const fetchable = (client: ComplianceClient, p: Platform): boolean =>
  p === 'instagram' ? client.instaEnabled && client.insta !== null : client.tiktokEnabled && client.tiktok !== null;

/** Active clients with at least one of `platforms` switched on and an account set. */
async function clientsToFetch(db: Queryable, platforms: readonly Platform[]): Promise<ComplianceClient[]> {
  return (await activeClients(db)).filter((client) => platforms.some((p) => fetchable(client, p)));
}

/** A bar on a terminal; a line per progress report elsewhere (at most one per 10 s per client). */
function progressReporter(stream: NodeJS.WriteStream, label: string): { report(p: FetchProgress): void; stop(): void } {
  if (stream.isTTY) {
    const bar = new SingleBar({ format: `${label} {platform} [{bar}] {value}/{total} konten`, stream, hideCursor: true });
    let started = false;
    return {
      report(p) {
        if (!started) bar.start(p.total, 0, { platform: p.platform });
        started = true;
        bar.setTotal(p.total);
        bar.update(p.done, { platform: p.platform });
      },
      stop: () => started && bar.stop(),
    };
  }
  // The first line after 10 s: a quick run prints only its last.
  let last = Date.now();
  return {
    report(p) {
      const at = Date.now();
      if (p.done < p.total && at - last < 10_000) return;
      last = at;
      stream.write(`${label} ${p.platform}: ${p.done}/${p.total} konten\n`);
    },
    stop() {},
  };
}

export function registerFetch(program: Command): void {
  program
    .command('fetch')
    .description("fetch the day's posts and their likers/commenters from RapidAPI for every active client (or one)")
    .addArgument(new Argument('[platform]', 'instagram, tiktok or all').choices(['instagram', 'tiktok', 'all']).default('all'))
    .addOption(new Option('--client <id>', 'only this client'))
    .addOption(new Option('--date <YYYY-MM-DD>', 'this Jakarta day instead of today').argParser(dateOption))
    .action((platform: string, options: { client?: string; date?: string }) =>
      withDatabase('cicero fetch', ['CICERO_TIMEZONE', ...RAPIDAPI_VARIABLES], async ({ config, database: { db } }) => {
        const apis = createRapidApis(config);
        if (!apis.configured) throw new CliError('RAPIDAPI_KEY is not set: nothing can be fetched (set it in .env)', 2);
        const platforms = PLATFORMS[platform]!;
        const zone = config.CICERO_TIMEZONE;
        const day = options.date ? dayWindowOf(options.date, zone) : dayWindow(new Date(), zone);
        if (day.start > new Date()) throw new CliError(`${options.date} has not come yet in ${zone}`, 2);
        let clients: ComplianceClient[];
        if (options.client) {
          const client = await findClient(db, options.client);
          if (!client) throw new CliError(`unknown client ${options.client}; clients: ${(await listClientIds(db)).join(', ') || '(none)'}`, 2);
          if (!client.active) throw new CliError(`client ${client.clientId} is not active`, 2);
          clients = [client];
        } else {
          clients = await clientsToFetch(db, platforms);
          if (clients.length === 0) process.stdout.write('No active client has an account on that platform.\n');
        }
        let failed = 0;
        for (const [index, client] of clients.entries()) {
          const progress = progressReporter(process.stderr, client.clientId);
          const result = await runFetch(
            { db, apis, now: () => new Date(), storage: fetchStorage },
            { client, platforms: options.client ? platforms : platforms.filter((p) => fetchable(client, p)), parts: ['posts', 'engagement'], day, onProgress: (p) => progress.report(p) },
          );
          progress.stop();
          const complete = fetchedCompletely(result);
          if (!complete) failed++;
          process.stdout.write(`${summaryText(result, zone, apis.pageLimit, complete).replaceAll('*', '')}\n\n`);
          if (result.platforms.some((p) => p.stopped?.kind === 'key-refused')) {
            // No other client can be fetched with that key: they count as failed too.
            failed += clients.length - index - 1;
            break;
          }
        }
        if (failed > 0) throw new CliError(`${failed} of ${clients.length} client${clients.length === 1 ? '' : 's'} fetched only in part (see above)`, 1);
      }),
    );
}
