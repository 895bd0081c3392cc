/**
 * `cicero import members|clients FILE`: bulk changes from a CSV or XLSX file. The file is
 * read and every row checked before anything is written; the valid rows are then
 * written in one transaction, each changed field recorded in `change_log` as `cli`.
 * Rejected rows are listed with their line; the summary says what changed, or
 * "no changes". Exit 1 when rows were rejected (the valid ones are imported), or the
 * client is unknown; 2 for an unusable file layout (no NRP or client_id column).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { cliActor } from '../audit/change-log.js';
import { findClient } from '../compliance/clients.js';
import { parseClientTable } from '../import/client-rows.js';
import type { Rejection } from '../import/member-rows.js';
import { parseMemberTable } from '../import/member-rows.js';
import { terminalProgress } from '../import/progress.js';
import { ImportFileError, readTable, type Table, tableFormat } from '../import/read-table.js';
import { upsertClients } from '../import/upsert-clients.js';
import { upsertMembers } from '../import/upsert-members.js';
import { withDatabase } from './context.js';
import { CliError } from './errors.js';

/** Reads the file; its problems become one-line CLI errors (2 when the layout is unusable). */
async function load<T>(file: string, parse: (table: Table, file: string) => T): Promise<T> {
  try {
    tableFormat(file);
    return parse(await readTable(file), file);
  } catch (error) {
    if (error instanceof ImportFileError) throw new CliError(error.message, error.usage ? 2 : 1);
    throw error;
  }
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function printHead(file: string, ignored: string[], rejected: Rejection[]): void {
  if (ignored.length > 0) out(`${path.basename(file)}: ignored columns: ${ignored.join(', ')}`);
  if (rejected.length > 0) {
    out(`rejected rows (${rejected.length}):`);
    for (const r of rejected) out(`  line ${r.line}: ${r.reason}`);
  }
}

function finish(changed: number, changes: number, rejected: number): void {
  out(changed === 0 ? 'no changes' : `${changes} field change${changes === 1 ? '' : 's'} recorded in change_log`);
  if (rejected > 0) throw new CliError(`${rejected} row${rejected === 1 ? ' was' : 's were'} rejected (listed above); the other rows were imported`);
}

export function registerImport(program: Command): void {
  const group = program.command('import').description('import members or clients from a CSV (UTF-8) or XLSX file with a header row');

  group
    .command('members')
    .description(
      "add and update a client's members from a file (columns NRP, nama, pangkat, divisi, jabatan, status, instagram, tiktok, whatsapp, " +
        'in any order; NRP/NIP, PANGKAT, SATFUNG, JABATAN accepted); an empty cell never wipes a stored value',
    )
    .argument('<file>', 'a .csv or .xlsx file')
    .requiredOption('--client <id>', 'the client the members belong to (clients.client_id)')
    .option('--deactivate-missing', "deactivate the client's members the file does not name (never deletes)", false)
    .action(async (file: string, options: { client: string; deactivateMissing: boolean }) => {
      const parsed = await load(file, parseMemberTable);
      await withDatabase('cicero import members', [], async ({ database: { db } }) => {
        const client = await findClient(db, options.client);
        if (!client) throw new CliError(`no client ${options.client.trim()}`);
        const progress = terminalProgress(parsed.rows.length + parsed.rejected.length);
        const result = await upsertMembers(db, parsed, {
          clientId: client.clientId,
          deactivateMissing: options.deactivateMissing,
          actor: cliActor(),
          now: new Date(),
          progress,
        }).finally(() => progress?.end());
        printHead(file, parsed.ignoredColumns, result.rejected);
        if (result.deactivationSkipped) out(`--deactivate-missing: nothing deactivated: ${result.deactivationSkipped}`);
        out(
          `members of ${client.clientId}: ${result.inserted} inserted, ${result.updated} updated, ${result.unchanged} unchanged, ` +
            `${result.deactivated} deactivated, ${result.rejected.length} rejected`,
        );
        finish(result.inserted + result.updated + result.deactivated, result.changes, result.rejected.length);
      });
    });

  group
    .command('clients')
    .description(
      'add and update clients from a file (columns client_id, nama, client_type, client_insta, client_tiktok, client_operator, ' +
        'client_super, client_status, client_insta_status, client_tiktok_status, client_amplify_status); an empty cell never wipes a stored value',
    )
    .argument('<file>', 'a .csv or .xlsx file')
    .action(async (file: string) => {
      const parsed = await load(file, parseClientTable);
      await withDatabase('cicero import clients', [], async ({ database: { db } }) => {
        const result = await upsertClients(db, parsed, cliActor(), new Date());
        printHead(file, parsed.ignoredColumns, result.rejected);
        out(`clients: ${result.inserted} inserted, ${result.updated} updated, ${result.unchanged} unchanged, ${result.rejected.length} rejected`);
        finish(result.inserted + result.updated, result.changes, result.rejected.length);
      });
    });
}
