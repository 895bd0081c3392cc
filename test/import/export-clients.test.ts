/** The member export (round trip) and `import clients`, as libraries on the test backend. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/audit/change-log.js';
import { parseClientTable } from '../../src/import/client-rows.js';
import { exportMembers } from '../../src/import/export-members.js';
import { importMembersFile } from '../../src/import/import-members.js';
import { readTable } from '../../src/import/read-table.js';
import { upsertClients } from '../../src/import/upsert-clients.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { addClient, changeCount, csvFile, members, tempDir } from './fixtures.js';

const actor: Actor = { source: 'cli', id: 'tester', role: 'cli' };
const now = new Date('2026-11-25T03:00:00Z');

describe(`export members and import clients (${backend})`, () => {
  const database = useTestDatabase();
  const dir = tempDir();
  const db = () => database().db;

  it('exports in the import format: the file imported back changes nothing, legacy forms included', async () => {
    await addClient(db(), 'POLRESX');
    await db().query(
      `INSERT INTO "user" (user_id, nama, title, divisi, jabatan, insta, tiktok, whatsapp, status, client_id) VALUES
         ('70000001', 'Budi', 'aiptu', 'Bag Ops', NULL, '@Budi.S', 'https://www.tiktok.com/@budi', '0812-7000-0001', true, 'POLRESX'),
         ('7000002', 'ANI', 'BRIPDA', 'SAT LANTAS', 'BAMIN', 'not a handle!', NULL, NULL, false, 'POLRESX'),
         ('198001012005011001', 'CITRA', 'PENATA', 'SIE HUMAS', NULL, NULL, NULL, '6281370000003', true, 'POLRESX')`,
    );
    const before = await members(db(), 'POLRESX');
    const logged = await changeCount(db());
    const { data, members: count } = await exportMembers(db(), 'POLRESX', now);
    expect(count).toBe(3);
    const file = path.join(dir, 'export.xlsx');
    writeFileSync(file, data);
    const table = await readTable(file);
    expect(table.header.cells).toEqual(['NRP', 'nama', 'pangkat', 'divisi', 'jabatan', 'status', 'instagram', 'tiktok', 'whatsapp']);
    expect(table.rows.map((r) => r.cells)).toContainEqual(['7000002', 'ANI', 'BRIPDA', 'SAT LANTAS', 'BAMIN', 'nonaktif', '', '', '']);
    const result = await importMembersFile(db(), file, { clientId: 'POLRESX', deactivateMissing: true, actor, now });
    expect(result).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, deactivated: 0, rejected: [], changes: 0 });
    expect(await members(db(), 'POLRESX')).toEqual(before);
    expect(await changeCount(db())).toBe(logged);
  });

  it('imports clients: inserts, updates without wiping, normalises accounts and numbers, and is idempotent', async () => {
    const file = csvFile(dir, 'clients.csv', [
      'client_id;nama;client_type;client_insta;client_tiktok;client_operator;client_status;Catatan',
      'POLRESBARU;Polres Baru;org;https://www.instagram.com/polres.baru/;@Polres_Baru;0812-1111-2222;aktif;x',
      'polresx;;;polresx.official;;;nonaktif;',
      'POLRESTANPA;;;;;;;', // new without nama
      'BAD#ID;x;;;;;;',
      'POLRESY;y;;https://www.instagram.com/p/XYZ/;;;;',
      'POLRESZ;z;;;;12;;',
      'POLRESW;w;;;;;kadang;',
      'POLRESV;v;;;;+62 812 1111 2222;;', // the operator of POLRESBARU (row 2)
      'POLRESU;u;;;;0812-5555-6666, +62 813 3333 4444;;', // the sender look-up reads one number
    ]);
    const run = async () => upsertClients(db(), parseClientTable(await readTable(file), file), actor, now);
    const first = await run();
    expect(first.rejected.map((r) => [r.line, r.reason])).toEqual([
      [4, 'client POLRESTANPA is new and needs its nama'],
      [5, 'bad client_id "BAD#ID" (letters, digits, _ . - only)'],
      [6, 'a post link, not a profile, in client_insta: "https://www.instagram.com/p/XYZ/"'],
      [7, 'malformed number "12" in client_operator'],
      [8, 'bad client_status "kadang" (expected aktif/nonaktif, true/false, ya/tidak, 1/0)'],
      [9, 'client_operator 6281211112222 already runs client POLRESBARU'],
      [10, 'one number only in client_operator: "0812-5555-6666, +62 813 3333 4444"'],
    ]);
    expect(first).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    const { rows } = await db().query(
      `SELECT client_id, nama, client_type, client_insta, client_tiktok, client_operator, client_status FROM clients
        WHERE client_id IN ('POLRESBARU', 'POLRESX') ORDER BY client_id`,
    );
    expect(rows).toEqual([
      {
        client_id: 'POLRESBARU', nama: 'Polres Baru', client_type: 'org', client_insta: 'polres.baru', client_tiktok: 'polres_baru',
        client_operator: '6281211112222', client_status: true,
      },
      {
        client_id: 'POLRESX', nama: 'POLRES POLRESX', client_type: null, client_insta: 'polresx.official', client_tiktok: null,
        client_operator: null, client_status: false,
      },
    ]);
    const logged = await changeCount(db());
    expect(await run()).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, changes: 0 });
    expect(await changeCount(db())).toBe(logged);
    const { rows: log } = await db().query(
      `SELECT field, old_value, new_value FROM change_log WHERE client_id = 'POLRESX' AND user_id IS NULL ORDER BY id`,
    );
    expect(log).toEqual([
      { field: 'client_insta', old_value: null, new_value: 'polresx.official' },
      { field: 'client_status', old_value: 'true', new_value: 'false' },
    ]);
  });
});
