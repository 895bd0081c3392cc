/** `import members` as a library on the test backend (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/audit/change-log.js';
import { importMembersFile } from '../../src/import/import-members.js';
import { ImportFileError } from '../../src/import/read-table.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { addClient, changeCount, csvFile, members, tempDir, xlsxFile } from './fixtures.js';

const actor: Actor = { source: 'cli', id: 'tester', role: 'cli' };
const now = new Date('2026-11-25T03:00:00Z');
const HEADER = 'NRP,nama,pangkat,divisi,jabatan,status,instagram,tiktok,whatsapp';

describe(`import members (${backend})`, () => {
  const database = useTestDatabase();
  const dir = tempDir();
  const db = () => database().db;
  const run = (file: string, clientId: string, deactivateMissing = false) =>
    importMembersFile(db(), file, { clientId, deactivateMissing, actor, now });

  beforeAll(async () => {
    for (const id of ['POLRESA', 'POLRESB', 'POLRESC', 'POLRESD', 'POLRESE', 'POLRESF']) await addClient(db(), id);
  });

  it('inserts, then changes nothing the second time; normalises texts, handles and numbers; logs each field as cli', async () => {
    const file = csvFile(dir, 'a.csv', [
      HEADER,
      '75070206,budi  santoso,aiptu,bag ops,kaur,aktif,@Budi.S,https://www.tiktok.com/@budi_tt,0812-3456-7890',
      '1234567,siti,briptu,sat lantas,,,https://www.instagram.com/siti.a/,,',
    ]);
    const first = await run(file, 'POLRESA');
    expect(first).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, deactivated: 0, rejected: [] });
    expect(await members(db(), 'POLRESA')).toEqual([
      {
        user_id: '01234567', nama: 'SITI', title: 'BRIPTU', divisi: 'SAT LANTAS', jabatan: null, insta: 'siti.a', tiktok: null,
        whatsapp: null, status: true, client_id: 'POLRESA',
      },
      {
        user_id: '75070206', nama: 'BUDI SANTOSO', title: 'AIPTU', divisi: 'BAG OPS', jabatan: 'KAUR', insta: 'budi.s',
        tiktok: 'budi_tt', whatsapp: '6281234567890', status: true, client_id: 'POLRESA',
      },
    ]);
    const { rows } = await db().query<{ source: string; actor: string; actor_role: string; field: string; new_value: string }>(
      `SELECT source, actor, actor_role, field, new_value FROM change_log WHERE user_id = '75070206' ORDER BY id`,
    );
    expect(rows.map((r) => `${r.field}=${r.new_value}`)).toEqual([
      'client_id=POLRESA', 'nama=BUDI SANTOSO', 'title=AIPTU', 'divisi=BAG OPS', 'jabatan=KAUR', 'insta=budi.s', 'tiktok=budi_tt',
      'whatsapp=6281234567890', 'status=true',
    ]);
    expect(new Set(rows.map((r) => `${r.source}/${r.actor}/${r.actor_role}`))).toEqual(new Set(['cli/tester/cli']));

    const logged = await changeCount(db());
    const again = await run(file, 'POLRESA');
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, deactivated: 0, changes: 0 });
    expect(await changeCount(db())).toBe(logged);
  });

  it('never wipes a stored value with an empty cell, and updates only what differs', async () => {
    const before = await members(db(), 'POLRESA');
    const logged = await changeCount(db());
    const file = csvFile(dir, 'b.csv', [HEADER, '75070206,,,,,,,,', '01234567,-,,,kasubnit,,,,']);
    const result = await run(file, 'POLRESA');
    expect(result).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    const after = await members(db(), 'POLRESA');
    expect(after[1]).toEqual(before[1]);
    expect(after[0]).toEqual({ ...before[0], jabatan: 'KASUBNIT' });
    expect(await changeCount(db())).toBe(logged + 1);
  });

  it('reads XLSX with the Indonesian headers, in any order and case', async () => {
    const file = await xlsxFile(dir, 'c.xlsx', [
      ['No', 'JABATAN', 'nrp/nip', 'Nama', 'PANGKAT', 'SATFUNG', 'WhatsApp'],
      [1, 'Kapolsek', 87654321, 'Andi', 'AKP', 'Polsek Kota', 81299998888],
      [2, null, '198001012005011001', 'Dewi', 'Penata', 'Sie Humas', '+62 813 1111 2222'],
    ]);
    const result = await run(file, 'POLRESB');
    expect(result).toMatchObject({ inserted: 2, rejected: [], ignoredColumns: ['No'] });
    expect((await members(db(), 'POLRESB')).map((m) => [m.user_id, m.nama, m.title, m.divisi, m.jabatan, m.whatsapp])).toEqual([
      ['198001012005011001', 'DEWI', 'PENATA', 'SIE HUMAS', null, '6281311112222'],
      ['87654321', 'ANDI', 'AKP', 'POLSEK KOTA', 'KAPOLSEK', '6281299998888'],
    ]);
  });

  it('rejects each bad row with its reason and line, and imports the rest', async () => {
    await db().query(
      `INSERT INTO "user" (user_id, nama, client_id, insta, whatsapp) VALUES ('55555555', 'LAIN', 'POLRESD', 'lain.ig', '6281355555555'),
              ('66666666', 'PEMILIK', 'POLRESC', 'dipakai', null)`,
    );
    const file = csvFile(dir, 'd.csv', [
      HEADER,
      '12-34,a,,,,,,,', // 2: bad NRP
      ',a,,,,,,,', // 3: no NRP
      '11111111,a,,,,,,,', // 4: repeated
      '11111111,b,,,,,,,', // 5: repeated
      '55555555,x,,,,,,,', // 6: another client's member
      '22222222,a,,,,,https://www.instagram.com/p/ABC123/,,', // 7: post link
      '22222223,a,,,,,bad handle!,,', // 8: malformed handle
      '22222224,a,,,,,,,12345', // 9: malformed number
      '22222225,a,,,,,dipakai,,', // 10: handle of another member of the client
      '22222226,a,,,,,,,081355555555', // 11: number of another member (another client)
      '22222227,a,,,,,baru.ig,,', // 12: same handle as line 13
      '22222228,a,,,,,Baru.IG,,', // 13
      '22222229,a,,,,mungkin,,,', // 14: bad status
      '33333333,valid,,,,,,,', // 15: valid
      `33333334,${'x'.repeat(101)},,,,,,,`, // 16: name too long
      '"33333335",ok,,,,,,https://www.tiktok.com/@someone/video/123,', // 17: TikTok post link
    ]);
    const result = await run(file, 'POLRESC');
    expect(result.rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, 'bad NRP "12-34" (expected 6 to 8 digits, or an 18-digit NIP)'],
      [3, 'no NRP'],
      [4, 'NRP 11111111 appears on several lines (4, 5); keep one row per member'],
      [5, 'NRP 11111111 appears on several lines (4, 5); keep one row per member'],
      [6, 'NRP 55555555 belongs to a member of client POLRESD, not POLRESC'],
      [7, 'Instagram is a link to a post, not to a profile: "https://www.instagram.com/p/ABC123/"'],
      [8, 'malformed Instagram handle: "bad handle!"'],
      [9, 'malformed WhatsApp number "12345"'],
      [10, 'Instagram handle dipakai is already used by member 66666666 (PEMILIK)'],
      [11, 'WhatsApp number 6281355555555 is already used by member 55555555 (LAIN) of client POLRESD'],
      [12, 'Instagram handle baru.ig is also given on line 13'],
      [13, 'Instagram handle baru.ig is also given on line 12'],
      [14, 'bad status "mungkin" (expected aktif/nonaktif, true/false, ya/tidak, 1/0)'],
      [16, 'nama longer than 100 characters'],
      [17, 'TikTok is a link to a post, not to a profile: "https://www.tiktok.com/@someone/video/123"'],
    ]);
    expect(result).toMatchObject({ inserted: 1, updated: 0 });
    expect((await members(db(), 'POLRESC')).map((m) => m.user_id)).toEqual(['33333333', '66666666']);
  });

  it('lets two members of the file swap numbers and handles', async () => {
    await csvAndRun('POLRESE', [HEADER, '40000001,a,,,,,ig.satu,,081200000001', '40000002,b,,,,,ig.dua,,081200000002']);
    const swap = await csvAndRun('POLRESE', [HEADER, '40000001,,,,,,ig.dua,,081200000002', '40000002,,,,,,ig.satu,,081200000001']);
    expect(swap).toMatchObject({ updated: 2, rejected: [] });
    expect((await members(db(), 'POLRESE')).map((m) => [m.user_id, m.insta, m.whatsapp])).toEqual([
      ['40000001', 'ig.dua', '6281200000002'],
      ['40000002', 'ig.satu', '6281200000001'],
    ]);
  });

  it('--deactivate-missing deactivates (never deletes) members the file does not name', async () => {
    await csvAndRun('POLRESF', [HEADER, '50000001,a,,,,,,,', '50000002,b,,,,,,,', '50000003,c,,,,,,,']);
    const result = await csvAndRun('POLRESF', [HEADER, '50000001,,,,,,,,', '50000003,c,,,,,ok ok,,'], true);
    // Line 3 is rejected, but it names 50000003: only 50000002 is deactivated.
    expect(result).toMatchObject({ deactivated: 1, unchanged: 1, rejected: [{ line: 3 }] });
    expect((await members(db(), 'POLRESF')).map((m) => [m.user_id, m.status])).toEqual([
      ['50000001', true],
      ['50000002', false],
      ['50000003', true],
    ]);
    const { rows } = await db().query(`SELECT field, old_value, new_value FROM change_log WHERE user_id = '50000002' AND field = 'status'`);
    expect(rows).toEqual([{ field: 'status', old_value: 'true', new_value: 'false' }]);
    // A rejected row without a readable NRP: nobody is deactivated.
    const unsure = await csvAndRun('POLRESF', [HEADER, 'x1,,,,,,,,'], true);
    expect(unsure).toMatchObject({ deactivated: 0 });
    expect(unsure.deactivationSkipped).toMatch(/no readable NRP/);
  });

  it('refuses a file without an NRP column, and one that is not UTF-8', async () => {
    await expect(run(csvFile(dir, 'e.csv', ['nama,pangkat', 'a,b']), 'POLRESA')).rejects.toThrow(/no NRP column/);
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\n75070206,`), Buffer.from([0x4a, 0xf6, 0x72, 0x67]), Buffer.from(',,,,,,,\n')]);
    const error = await run(csvFile(dir, 'f.csv', latin1), 'POLRESA').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toMatch(/is not valid UTF-8 text \(first bad byte on line 2\)/);
  });

  async function csvAndRun(clientId: string, lines: string[], deactivate = false) {
    return run(csvFile(dir, `${clientId}-${Math.random().toString(36).slice(2)}.csv`, lines), clientId, deactivate);
  }
});
