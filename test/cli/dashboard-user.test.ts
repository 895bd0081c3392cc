/** `cicero dashboard-user`, run as the built bin with the password piped on stdin. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/identity/password.js';
import { runCli, queryCliDatabase } from '../helpers/cli.js';
import { backend, createTestDatabase, type TestDatabase } from '../helpers/db.js';

const PASSWORD = 'Operator#Kuat-2026';

describe(`cicero dashboard-user (${backend})`, () => {
  let target: TestDatabase | undefined;
  const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cicero-dashboard-user-')), 'data');
  beforeAll(async () => {
    target = backend === 'postgres' ? await createTestDatabase({ migrated: false }) : undefined;
  });
  afterAll(async () => {
    await target?.drop();
  });
  const env = () => ({ CICERO_DATA_DIR: dataDir, DATABASE_URL: target?.url, CICERO_BCRYPT_COST: '10' });
  const cli = (args: string[], input?: string) => runCli(['dashboard-user', ...args], env(), undefined, input);
  const query = <T>(sql: string, params: unknown[] = []) => queryCliDatabase<T>(target, dataDir, sql, params);

  it('adds accounts with the password from the first stdin line, stored only as a bcrypt hash', async () => {
    expect(runCli(['migrate'], env()).status).toBe(0);
    await query(`INSERT INTO clients (client_id, nama) VALUES ('POLRESDEMO', 'POLRES DEMO')`);
    const op = cli(['add', '--username', 'op_demo', '--role', 'operator', '--client', 'POLRESDEMO'], `${PASSWORD}\nignored second line\n`);
    expect(op).toEqual({ status: 0, stdout: 'added operator op_demo of client POLRESDEMO\n', stderr: '' });
    const admin = cli(['add', '--username', 'admin_pusat', '--role', 'ADMIN'], PASSWORD); // no line end
    expect(admin).toMatchObject({ status: 0, stdout: 'added admin admin_pusat\n' });

    const rows = await query<{ username: string; password_hash: string; role: string; status: boolean; client_id: string | null }>(
      'SELECT username, password_hash, role, status, client_id FROM dashboard_user ORDER BY username',
    );
    expect(rows.map(({ password_hash: _, ...r }) => r)).toEqual([
      { username: 'admin_pusat', role: 'admin', status: true, client_id: null },
      { username: 'op_demo', role: 'operator', status: true, client_id: 'POLRESDEMO' },
    ]);
    for (const row of rows) {
      expect(row.password_hash).toMatch(/^\$2b\$10\$/);
      expect(await verifyPassword(PASSWORD, row.password_hash)).toBe(true);
    }
  });

  it('lists the accounts without the hash', () => {
    const list = cli(['list']);
    expect(list.status).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^USERNAME\s+ROLE\s+CLIENT\s+STATUS\s+CREATED$/);
    expect(lines[1]).toMatch(/^admin_pusat\s+admin\s+-\s+active\s+\d{4}-\d\d-\d\d$/);
    expect(lines[2]).toMatch(/^op_demo\s+operator\s+POLRESDEMO\s+active\s+\d{4}-\d\d-\d\d$/);
    expect(list.stdout).not.toContain('$2b$');
  });

  it('changes a password, disables and enables an account, ending its chat sign-ins', async () => {
    const [{ user_id }] = (await query<{ user_id: string }>(`SELECT user_id FROM dashboard_user WHERE username = 'op_demo'`)) as [
      { user_id: string },
    ];
    const signIn = () =>
      query(
        `INSERT INTO operator_session (sender_key, dashboard_user_id, signed_in_at, expires_at)
         VALUES ('6281200000002', $1, now(), now() + interval '1 hour')`,
        [user_id],
      );
    await signIn();
    expect(cli(['passwd', 'op_demo'], 'Baru#Lagi-2026\n')).toMatchObject({
      status: 0,
      stdout: 'password of op_demo changed; 1 chat sign-in ended\n',
    });
    const [{ password_hash }] = (await query<{ password_hash: string }>(
      `SELECT password_hash FROM dashboard_user WHERE username = 'op_demo'`,
    )) as [{ password_hash: string }];
    expect(await verifyPassword('Baru#Lagi-2026', password_hash)).toBe(true);
    expect(await verifyPassword(PASSWORD, password_hash)).toBe(false);

    await signIn();
    expect(cli(['disable', 'op_demo'])).toMatchObject({ status: 0, stdout: 'op_demo disabled; 1 chat sign-in ended\n' });
    expect(await query('SELECT 1 FROM operator_session')).toEqual([]);
    expect(cli(['list']).stdout).toMatch(/^op_demo\s+operator\s+POLRESDEMO\s+disabled/m);
    expect(cli(['enable', 'op_demo'])).toMatchObject({ status: 0, stdout: 'op_demo enabled\n' });
    expect(cli(['list']).stdout).toMatch(/^op_demo\s+operator\s+POLRESDEMO\s+active/m);
  });

  const refusals: Array<[string, string[], string | undefined, number, RegExp]> = [
    ['a taken username', ['add', '--username', 'op_demo', '--role', 'admin'], PASSWORD, 1, /^cicero: a dashboard user named op_demo exists already\n$/],
    ['an operator without a client', ['add', '--username', 'op_x', '--role', 'operator'], PASSWORD, 2, /^cicero: an operator account needs --client <id>\n$/],
    ['an admin with a client', ['add', '--username', 'adm_x', '--role', 'admin', '--client', 'POLRESDEMO'], PASSWORD, 2, /^cicero: --client is for operator accounts/],
    ['an unknown client', ['add', '--username', 'op_x', '--role', 'operator', '--client', 'NOPE'], PASSWORD, 1, /^cicero: no client NOPE\n$/],
    ['another role', ['add', '--username', 'op_x', '--role', 'viewer'], PASSWORD, 2, /^cicero: error: option '--role <role>' argument 'viewer' is invalid\. Expected operator or admin\./],
    ['a username with #', ['add', '--username', 'op#x', '--role', 'admin'], PASSWORD, 2, /argument 'op#x' is invalid/],
    ['no password', ['add', '--username', 'op_x', '--role', 'admin'], '', 1, /^cicero: no password: pipe it as the first line of stdin/],
    ['a short password', ['add', '--username', 'op_x', '--role', 'admin'], 'pendek\n', 1, /^cicero: the password must have at least 8 characters; nothing was changed\n$/],
    ['an unknown account', ['disable', 'nobody'], undefined, 1, /^cicero: no dashboard user named nobody\n$/],
    ['passwd of an unknown account', ['passwd', 'nobody'], PASSWORD, 1, /^cicero: no dashboard user named nobody\n$/],
  ];
  it.each(refusals)('refuses %s with a clear message and exit code', (_, args, input, status, message) => {
    const result = cli(args, input ?? '');
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(status);
    expect(result.stdout).toBe('');
  });

  it('never takes the password as an argument', () => {
    const result = cli(['add', '--username', 'op_y', '--role', 'admin', '--password', PASSWORD], PASSWORD);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^cicero: error: unknown option '--password'/);
  });
});
