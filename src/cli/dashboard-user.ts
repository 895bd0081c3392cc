/**
 * `cicero dashboard-user`: the dashboard accounts operators and admins sign in with
 * (`login#…` in a chat). A password is read from a no-echo terminal prompt, or from
 * the first line of stdin when stdin is not a terminal; never from an argument (it
 * would stay in the shell history and the process list). Only its bcrypt hash is stored.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { type Command, InvalidArgumentError } from 'commander';
import type { Db } from '../db/db.js';
import { hashPassword, passwordProblem } from '../identity/password.js';
import { CliError } from './errors.js';
import { withDatabase } from './context.js';

const ROLES = ['operator', 'admin'] as const;
type AccountRole = (typeof ROLES)[number];

function roleOption(value: string): AccountRole {
  const role = value.trim().toLowerCase();
  if (!(ROLES as readonly string[]).includes(role)) throw new InvalidArgumentError('Expected operator or admin.');
  return role as AccountRole;
}

function usernameArgument(value: string): string {
  const name = value.trim();
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(name)) {
    throw new InvalidArgumentError('Expected 3 to 64 letters, digits, dots, dashes or underscores (no "#": it separates chat arguments).');
  }
  return name;
}

/** Reads one line from a terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  return new Promise((resolve, reject) => {
    let typed = '';
    process.stderr.write(question);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    const done = (error?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          done();
          return;
        }
        if (ch === '\u0003') {
          done(new CliError('cancelled', 130));
          return;
        }
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += ch;
      }
    };
    input.on('data', onData);
  });
}

/** The first line of a piped stdin (without its line end). */
function firstLine(): Promise<string | null> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    let first: string | null = null;
    lines.once('line', (line) => {
      first = line;
      lines.close();
    });
    lines.once('close', () => resolve(first));
  });
}

/** The new password: prompted twice on a terminal, else the first stdin line; checked before use. */
async function readNewPassword(username: string): Promise<string> {
  let password: string;
  if (process.stdin.isTTY) {
    password = await promptHidden(`New password for ${username}: `);
    const again = await promptHidden('Repeat the password: ');
    if (again !== password) throw new CliError('the two passwords differ; nothing was changed');
  } else {
    const line = await firstLine();
    if (line === null || line === '') throw new CliError('no password: pipe it as the first line of stdin, or run in a terminal to be asked');
    password = line;
  }
  const problem = passwordProblem(password);
  if (problem) throw new CliError(`${problem}; nothing was changed`);
  return password;
}

async function userId(db: Db, username: string): Promise<string> {
  const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM dashboard_user WHERE username = $1', [username]);
  if (!rows[0]) throw new CliError(`no dashboard user named ${username}`);
  return rows[0].user_id;
}

/** Ends the account's chat sign-ins; returns how many. */
async function endSessions(db: Db, id: string): Promise<number> {
  const { rows } = await db.query('DELETE FROM operator_session WHERE dashboard_user_id = $1 RETURNING 1', [id]);
  return rows.length;
}

const ended = (n: number): string => (n === 0 ? '' : `; ${n} chat sign-in${n === 1 ? '' : 's'} ended`);

export function registerDashboardUser(program: Command): void {
  const group = program
    .command('dashboard-user')
    .description(
      'manage the dashboard accounts operators and admins sign in with by chat (login#<username>#<password>); ' +
        'passwords come from a no-echo prompt, or the first line of stdin when it is not a terminal',
    );

  group
    .command('add')
    .description('create an active account (operator accounts need --client)')
    .requiredOption('--username <name>', 'the name to sign in with', usernameArgument)
    .requiredOption('--role <role>', 'operator or admin', roleOption)
    .option('--client <id>', "the operator's client (clients.client_id)")
    .action(async (options: { username: string; role: AccountRole; client?: string }) => {
      const client = options.client?.trim() || null;
      if (options.role === 'operator' && !client) throw new CliError('an operator account needs --client <id>', 2);
      if (options.role === 'admin' && client) throw new CliError('--client is for operator accounts; an admin sees every client', 2);
      const password = await readNewPassword(options.username);
      await withDatabase('cicero dashboard-user add', ['CICERO_BCRYPT_COST'], async ({ config, database: { db } }) => {
        if (client) {
          const found = await db.query('SELECT 1 FROM clients WHERE client_id = $1', [client]);
          if (found.rows.length === 0) throw new CliError(`no client ${client}`);
        }
        const hash = await hashPassword(password, config.CICERO_BCRYPT_COST);
        const { rows } = await db.query(
          `INSERT INTO dashboard_user (user_id, username, password_hash, role, status, client_id)
           VALUES ($1, $2, $3, $4, true, $5) ON CONFLICT (username) DO NOTHING RETURNING 1`,
          [randomUUID(), options.username, hash, options.role, client],
        );
        if (rows.length === 0) throw new CliError(`a dashboard user named ${options.username} exists already`);
        process.stdout.write(`added ${options.role} ${options.username}${client ? ` of client ${client}` : ''}\n`);
      });
    });

  group
    .command('list')
    .description('list the accounts: username, role, client, status, created (never the password hash)')
    .action(() =>
      withDatabase('cicero dashboard-user list', ['CICERO_TIMEZONE'], async ({ database: { db } }) => {
        const { rows } = await db.query<{ username: string; role: string; client_id: string | null; status: boolean; created_at: Date }>(
          'SELECT username, role, client_id, status, created_at FROM dashboard_user ORDER BY username',
        );
        if (rows.length === 0) {
          process.stdout.write('no dashboard users\n');
          return;
        }
        const table = [
          ['USERNAME', 'ROLE', 'CLIENT', 'STATUS', 'CREATED'],
          ...rows.map((r) => [
            r.username,
            r.role,
            r.client_id ?? '-',
            r.status ? 'active' : 'disabled',
            new Date(r.created_at).toISOString().slice(0, 10),
          ]),
        ];
        const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
        const text = table.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
        process.stdout.write(`${text}\n`);
      }),
    );

  group
    .command('passwd')
    .description("set an account's password (its chat sign-ins end)")
    .argument('<username>', 'the account', (value: string) => value.trim())
    .action(async (username: string) => {
      const password = await readNewPassword(username);
      await withDatabase('cicero dashboard-user passwd', ['CICERO_BCRYPT_COST'], async ({ config, database: { db } }) => {
        const id = await userId(db, username);
        const hash = await hashPassword(password, config.CICERO_BCRYPT_COST);
        await db.query('UPDATE dashboard_user SET password_hash = $2, updated_at = now() WHERE user_id = $1', [id, hash]);
        process.stdout.write(`password of ${username} changed${ended(await endSessions(db, id))}\n`);
      });
    });

  for (const [name, status] of [['disable', false], ['enable', true]] as const) {
    group
      .command(name)
      .description(status ? 'let an account sign in again' : 'stop an account from signing in (its chat sign-ins end)')
      .argument('<username>', 'the account', (value: string) => value.trim())
      .action((username: string) =>
        withDatabase(`cicero dashboard-user ${name}`, [], async ({ database: { db } }) => {
          const id = await userId(db, username);
          await db.query('UPDATE dashboard_user SET status = $2, updated_at = now() WHERE user_id = $1', [id, status]);
          const sessions = status ? 0 : await endSessions(db, id);
          process.stdout.write(`${username} ${status ? 'enabled' : 'disabled'}${ended(sessions)}\n`);
        }),
      );
  }
}
