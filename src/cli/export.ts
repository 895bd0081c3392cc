/**
 * `cicero export members --client ID [--out FILE.xlsx]`: a client's members in the
 * import format, to edit and import back. Without --out the file is
 * `anggota-<client>-<date>.xlsx` in the current directory (never overwriting one there:
 * `-2`, `-3`… is added); the path is printed.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { DateTime } from 'luxon';
import { findClient } from '../compliance/clients.js';
import { exportFileName, exportMembers } from '../import/export-members.js';
import { withDatabase } from './context.js';
import { CliError } from './errors.js';

function xlsxPath(value: string): string {
  if (path.extname(value).toLowerCase() !== '.xlsx') throw new InvalidArgumentError('Expected a file name ending in .xlsx.');
  return value;
}

/** `name`, or `name-2`, `name-3`… when taken. */
function freeName(name: string): string {
  const ext = path.extname(name);
  let candidate = name;
  for (let n = 2; existsSync(candidate); n += 1) candidate = `${name.slice(0, -ext.length)}-${n}${ext}`;
  return candidate;
}

export function registerExport(program: Command): void {
  const group = program.command('export').description('export data in the format `cicero import` reads');
  group
    .command('members')
    .description("write a client's members to an .xlsx file in the import format (to edit and import back)")
    .requiredOption('--client <id>', 'the client (clients.client_id)')
    .option('--out <file>', 'the .xlsx file to write (replaced if it exists); default anggota-<client>-<date>.xlsx here', xlsxPath)
    .action((options: { client: string; out?: string }) =>
      withDatabase('cicero export members', ['CICERO_TIMEZONE'], async ({ config, database: { db } }) => {
        const client = await findClient(db, options.client);
        if (!client) throw new CliError(`no client ${options.client.trim()}`);
        const now = new Date();
        const { data, members } = await exportMembers(db, client.clientId, now);
        const day = DateTime.fromJSDate(now, { zone: config.CICERO_TIMEZONE }).toISODate() ?? '';
        const file = path.resolve(options.out ?? freeName(exportFileName(client.clientId, day)));
        try {
          await writeFile(file, data);
        } catch (error) {
          throw new CliError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
        process.stdout.write(`${members} member${members === 1 ? '' : 's'} of ${client.clientId} written to ${file}\n`);
      }),
    );
}
