/**
 * `cicero recap run <job> --client ID [--date YYYY-MM-DD] [--enqueue [--number N]]`
 * runs one scheduled job now and prints each message it would send, as `cicero send`
 * prints replies; with `--enqueue` the messages go to the outbox instead, for the running
 * bot (or the one linked to `--number`) to send. `cicero jadwal [--client ID]` lists jobs.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { activeClients, type ComplianceClient, findClient, listClientIds } from '../compliance/clients.js';
import type { Db } from '../db/db.js';
import { STALE_S, workerAlive } from '../db/presence.js';
import { canonicalPhone } from '../identity/wa-id.js';
import { outboxRows } from '../outbox/outbox.js';
import { createRapidApis, RAPIDAPI_VARIABLES } from '../rapidapi/services.js';
import { deliver, type RowMaker } from '../schedule/deliver.js';
import { isJobName, JOB_NAMES, type JobName, listJobs } from '../schedule/jobs.js';
import { jobListings } from '../schedule/listing.js';
import { type JobMessage, runJob } from '../schedule/run-job.js';
import { dayWindow, dayWindowOf } from '../time/day.js';
import { withDatabase } from './context.js';
import { CliError } from './errors.js';
import { dateOption } from './fetch.js';
import { LEGACY_ENDPOINT } from '../transport/whatsapp.js';

const RECAP_VARIABLES = [
  'CICERO_TIMEZONE',
  'CICERO_REPORT_MAX_LINES',
  'CICERO_MESSAGE_MAX_CHARS',
  'CICERO_RECAP_SEND_COMPLETE',
  'CICERO_RECAP_CHART',
  ...RAPIDAPI_VARIABLES,
] as const;

function jobArgument(value: string): JobName {
  const job = value.trim().toLowerCase();
  if (!isJobName(job)) throw new InvalidArgumentError(`Expected one of ${JOB_NAMES.join(', ')}.`);
  return job;
}

function numberOption(value: string): string {
  const phone = canonicalPhone(value);
  if (!phone) throw new InvalidArgumentError('Expected a phone number such as 0812-3456-7890.');
  return phone;
}

async function activeClient(db: Db, typed: string): Promise<ComplianceClient> {
  const client = await findClient(db, typed);
  if (!client) throw new CliError(`unknown client ${typed}; clients: ${(await listClientIds(db)).join(', ') || '(none)'}`, 2);
  if (!client.active) throw new CliError(`client ${client.clientId} is not active`, 2);
  return client;
}

/** The WhatsApp number the messages leave from: `--number`, else the one number a running bot sends for. */
async function sendingEndpoint(db: Db, number: string | undefined): Promise<string> {
  if (number) return `${LEGACY_ENDPOINT}:${number}`;
  const { rows } = await db.query<{ endpoint: string }>(
    `SELECT DISTINCT endpoint FROM outbox_lease WHERE endpoint LIKE 'whatsapp:%' AND ${workerAlive('worker', '$1')} ORDER BY endpoint`,
    [STALE_S],
  );
  if (rows.length === 1) return rows[0]!.endpoint;
  const which = rows.length === 0 ? 'no running bot sends on WhatsApp' : `bots send for ${rows.map((r) => r.endpoint).join(', ')}`;
  throw new CliError(`${which}: name the number to send from with --number`, 2);
}

function printed(message: JobMessage): string {
  const { part } = message;
  const body = 'text' in part ? part.text : 'image' in part ? `[gambar] ${part.image.fileName}` : `[dokumen] ${part.document.fileName}`;
  return `→ ${message.chatId}\n${body}\n\n`;
}

export function registerRecap(program: Command): void {
  const recap = program.command('recap').description('scheduled recaps by hand');
  recap
    .command('run')
    .description('run one scheduled job now and print the messages it would send (nothing is sent unless --enqueue)')
    .argument('<job>', JOB_NAMES.join(', '), jobArgument)
    .requiredOption('--client <id>', 'the client')
    .addOption(new Option('--date <YYYY-MM-DD>', 'this Jakarta day instead of today').argParser(dateOption))
    .option('--enqueue', 'put the messages in the outbox for the running bot to send')
    .addOption(new Option('--number <phone>', 'with --enqueue: the bot number they leave from').argParser(numberOption))
    .action((job: JobName, options: { client: string; date?: string; enqueue?: boolean; number?: string }) =>
      withDatabase('cicero recap run', RECAP_VARIABLES, async ({ config, database: { db } }) => {
        if (options.number && !options.enqueue) throw new CliError('--number goes with --enqueue', 2);
        const zone = config.CICERO_TIMEZONE;
        const now = new Date();
        const day = options.date ? dayWindowOf(options.date, zone) : dayWindow(now, zone);
        if (day.start > now) throw new CliError(`${options.date} has not come yet in ${zone}`, 2);
        const client = await activeClient(db, options.client);
        const row = (await listJobs(db, client.clientId)).find((j) => j.job === job)!;
        const deps = {
          db,
          apis: createRapidApis(config),
          now: () => new Date(),
          timezone: zone,
          reportMaxLines: config.CICERO_REPORT_MAX_LINES,
          messageMaxChars: config.CICERO_MESSAGE_MAX_CHARS,
          sendComplete: config.CICERO_RECAP_SEND_COMPLETE,
          sendChart: config.CICERO_RECAP_CHART,
        };
        const outcome = await runJob(deps, row, day);
        if (!options.enqueue) {
          for (const message of outcome.messages) process.stdout.write(printed(message));
          process.stderr.write(`${job} ${client.clientId}: ${outcome.result}\n`);
          return;
        }
        const endpoint = await sendingEndpoint(db, options.number);
        const rows: RowMaker = { rowsOf: (m) => outboxRows(endpoint, config.CICERO_MESSAGE_MAX_CHARS, m), wake: () => {} };
        // A past day's recap has keys of its own: it neither replaces nor is replaced by today's.
        const pastDay = options.date && options.date !== dayWindow(now, zone).date ? options.date : undefined;
        const delivery = await deliver(db, rows, { clientId: client.clientId, job, at: now }, outcome.messages, now, pastDay);
        process.stdout.write(
          `${delivery.queued} message part(s) queued on ${endpoint} for ${new Set(outcome.messages.map((m) => m.chatId)).size} recipient(s)` +
            `${delivery.superseded ? `; ${delivery.superseded} unsent message(s) of an earlier run removed` : ''}` +
            `${delivery.skipped === 'newer-queued' ? '; nothing queued: a newer run of the job is queued already' : ''}\n`,
        );
      }),
    );
}

export function registerJadwal(program: Command): void {
  program
    .command('jadwal')
    .description("list the clients' scheduled jobs: times, next run, last result, recipients")
    .option('--client <id>', 'only this client')
    .action((options: { client?: string }) =>
      withDatabase('cicero jadwal', ['CICERO_TIMEZONE'], async ({ config, database: { db } }) => {
        const clients = options.client ? [await activeClient(db, options.client)] : await activeClients(db);
        if (clients.length === 0) throw new CliError('no active client', 1);
        const texts = await jobListings(db, clients, new Date(), config.CICERO_TIMEZONE);
        process.stdout.write(`${texts.join('\n\n')}\n`);
      }),
    );
}
