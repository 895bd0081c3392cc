/** `cicero import` and `cicero export` run as the built bin: output, summaries, exit codes. */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, queryCliDatabase } from '../helpers/cli.js';
import { backend, createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { csvFile, tempDir } from './fixtures.js';

const HEADER = 'NRP/NIP,Nama,PANGKAT,SATFUNG,JABATAN,whatsapp';

describe(`cicero import / export (${backend})`, () => {
  let target: TestDatabase | undefined;
  const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cicero-import-cli-')), 'data');
  const dir = tempDir();
  beforeAll(async () => {
    target = backend === 'postgres' ? await createTestDatabase({ migrated: false }) : undefined;
  });
  afterAll(async () => {
    await target?.drop();
  });
  const env = () => ({ CICERO_DATA_DIR: dataDir, DATABASE_URL: target?.url, USER: 'petugas' });
  const cli = (args: string[], cwd?: string) => runCli(args, env(), cwd);
  const query = <T>(sql: string, params: unknown[] = []) => queryCliDatabase<T>(target, dataDir, sql, params);

  it('imports a CSV with Indonesian headers, then says "no changes" for the same file', async () => {
    expect(cli(['migrate']).status).toBe(0);
    await query(`INSERT INTO clients (client_id, nama) VALUES ('POLRESABC', 'POLRES ABC'), ('POLRESLAIN', 'POLRES LAIN')`);
    await query(`INSERT INTO "user" (user_id, nama, client_id) VALUES ('99999999', 'ORANG LAIN', 'POLRESLAIN')`);
    const file = csvFile(dir, 'anggota.csv', [HEADER, '75070206,Budi,Aiptu,Bag Ops,Kaur,0812 3456 7890', '87654321,Sari,Bripda,Sat Lantas,,']);
    expect(cli(['import', 'members', file, '--client', 'polresabc'])).toEqual({
      status: 0,
      stdout: 'members of POLRESABC: 2 inserted, 0 updated, 0 unchanged, 0 deactivated, 0 rejected\n10 field changes recorded in change_log\n',
      stderr: '',
    });
    expect(cli(['import', 'members', file, '--client', 'POLRESABC'])).toEqual({
      status: 0,
      stdout: 'members of POLRESABC: 0 inserted, 0 updated, 2 unchanged, 0 deactivated, 0 rejected\nno changes\n',
      stderr: '',
    });
    const log = await query<{ source: string; actor: string }>(`SELECT DISTINCT source, actor FROM change_log`);
    expect(log).toHaveLength(1);
    expect(log[0]!.source).toBe('cli');
  });

  it('lists rejected rows with their lines, imports the rest, deactivates the missing, and exits 1', () => {
    const file = csvFile(dir, 'sebagian.csv', [HEADER, '75070206,,,,,', '99999999,X,,,,', '1234,Y,,,,', '11223344,Baru,,,,']);
    const result = cli(['import', 'members', file, '--client', 'POLRESABC', '--deactivate-missing']);
    expect(result.stdout).toBe(
      [
        'rejected rows (2):',
        '  line 3: NRP 99999999 belongs to a member of client POLRESLAIN, not POLRESABC',
        '  line 4: bad NRP "1234" (expected 6 to 8 digits, or an 18-digit NIP)',
        '--deactivate-missing: nothing deactivated: 1 rejected row has no readable NRP, so it is unknown whom the file names; fix it and run again',
        'members of POLRESABC: 1 inserted, 0 updated, 1 unchanged, 0 deactivated, 2 rejected',
        '2 field changes recorded in change_log',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe('cicero: 2 rows were rejected (listed above); the other rows were imported\n');
    expect(result.status).toBe(1);
    const again = cli(['import', 'members', csvFile(dir, 'lengkap.csv', [HEADER, '75070206,,,,,', '11223344,,,,,']), '--client', 'POLRESABC', '--deactivate-missing']);
    expect(again).toMatchObject({ status: 0, stdout: expect.stringContaining('2 unchanged') });
    expect(again.stdout).toContain('1 deactivated');
  });

  const refusals: Array<[string, () => string[], number, RegExp]> = [
    ['a file without an NRP column', () => ['import', 'members', csvFile(dir, 'no-nrp.csv', ['nama,pangkat', 'a,b']), '--client', 'POLRESABC'], 2, /^cicero: .*no-nrp\.csv: no NRP column/],
    ['a file that is not UTF-8', () => ['import', 'members', csvFile(dir, 'latin1.csv', Buffer.from('NRP,nama\n75070206,J\xf6rg\n', 'latin1')), '--client', 'POLRESABC'], 1, /is not valid UTF-8 text \(first bad byte on line 2\); save it as "CSV UTF-8"/],
    ['an unknown client', () => ['import', 'members', csvFile(dir, 'ok.csv', ['NRP', '75070206']), '--client', 'NOPE'], 1, /^cicero: no client NOPE\n$/],
    ['another extension', () => ['import', 'members', 'anggota.ods', '--client', 'POLRESABC'], 2, /expected a \.csv or \.xlsx file/],
    ['a missing file', () => ['import', 'members', path.join(dir, 'nothing.csv'), '--client', 'POLRESABC'], 1, /cannot read .*nothing\.csv: ENOENT/],
    ['import members without --client', () => ['import', 'members', 'x.csv'], 2, /required option '--client <id>' not specified/],
    ['export to a non-xlsx file', () => ['export', 'members', '--client', 'POLRESABC', '--out', 'x.csv'], 2, /Expected a file name ending in \.xlsx/],
    ['export of an unknown client', () => ['export', 'members', '--client', 'NOPE'], 1, /^cicero: no client NOPE\n$/],
  ];
  it.each(refusals)('refuses %s', (_, args, status, message) => {
    const result = cli(args());
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(status);
  });

  it('exports to a default file in the current directory (never overwriting), and the file imports back unchanged', () => {
    const cwd = tempDir();
    const first = cli(['export', 'members', '--client', 'POLRESABC'], cwd);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^3 members of POLRESABC written to .*\/anggota-polresabc-\d{4}-\d\d-\d\d\.xlsx\n$/);
    expect(cli(['export', 'members', '--client', 'POLRESABC'], cwd).stdout).toMatch(/anggota-polresabc-\d{4}-\d\d-\d\d-2\.xlsx\n$/);
    expect(readdirSync(cwd)).toHaveLength(2);
    const out = path.join(cwd, 'ekspor.xlsx');
    expect(cli(['export', 'members', '--client', 'POLRESABC', '--out', out]).status).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(cli(['import', 'members', out, '--client', 'POLRESABC', '--deactivate-missing'])).toMatchObject({
      status: 0,
      stdout: 'members of POLRESABC: 0 inserted, 0 updated, 3 unchanged, 0 deactivated, 0 rejected\nno changes\n',
    });
  });

  it('imports clients', () => {
    const file = csvFile(dir, 'clients.csv', ['client_id,nama,client_operator', 'POLRESBARU,Polres Baru,0812-1111-2222', 'POLRESABC,,']);
    expect(cli(['import', 'clients', file])).toMatchObject({
      status: 0,
      stdout: 'clients: 1 inserted, 0 updated, 1 unchanged, 0 rejected\n5 field changes recorded in change_log\n',
    });
    expect(cli(['import', 'clients', file]).stdout).toBe('clients: 0 inserted, 0 updated, 2 unchanged, 0 rejected\nno changes\n');
    // A new client's id follows addnewclient's rule.
    const bad = csvFile(dir, 'bad-clients.csv', ['client_id,nama', 'polres-baru.2,Polres Baru 2']);
    expect(cli(['import', 'clients', bad]).stdout).toContain('new client polres-baru.2: the id must be letters, digits and _ (at most 30)');
  });
});
