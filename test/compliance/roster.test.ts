/**
 * The roster kept between reports: read once, then only its version asked while the
 * members are unchanged, and read again after any change to what a report reads of them
 * (the trigger of migration 019, whatever wrote the change).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findClient, setDivisionOrder } from '../../src/compliance/clients.js';
import { loadEngagement, type MemberEngagement, type Source } from '../../src/compliance/engagement.js';
import { normaliseHandle } from '../../src/compliance/handle.js';
import { memberName } from '../../src/compliance/member.js';
import type { Db } from '../../src/db/db.js';
import { dayWindowOf } from '../../src/time/day.js';
import { CLIENT } from '../helpers/bot.js';
import { MEMBERS, seedWorkedExample } from '../helpers/compliance.js';
import { counting, useTestDatabase } from '../helpers/db.js';

const day = dayWindowOf('2026-11-25', 'Asia/Jakarta');
const HANDLE = { likes: 'insta', comments: 'tiktok' } as const;

async function load(db: Db, source: Source = 'likes'): Promise<MemberEngagement[]> {
  const client = await findClient(db, CLIENT);
  return (await loadEngagement(db, client!, source, day)).members;
}

/** What a report must see, read straight from the table. */
async function truth(db: Db, source: 'likes' | 'comments') {
  const { rows } = await db.query<{
    user_id: string; nama: string | null; title: string | null; divisi: string | null; jabatan: string | null;
    exception: boolean; handle: string | null;
  }>(`SELECT user_id, nama, title, divisi, jabatan, exception, ${HANDLE[source]} AS handle FROM "user" WHERE client_id = $1 AND status`, [CLIENT]);
  return rows
    .map((r) => ({ ...memberName(r), exception: r.exception, handle: normaliseHandle(r.handle, source === 'likes' ? 'instagram' : 'tiktok') }))
    .sort((a, b) => (a.userId < b.userId ? -1 : 1));
}

const seen = (members: MemberEngagement[]) =>
  members
    .map(({ userId, nama, title, divisi, jabatan, exception, handle }) => ({ userId, nama, title, divisi, jabatan, exception, handle }))
    .sort((a, b) => (a.userId < b.userId ? -1 : 1));

const readsMembers = (statements: string[]) => statements.some((s) => s.includes(' AS list,') || s.includes(' AS handle,'));

describe('the roster kept between reports', () => {
  const database = useTestDatabase();
  beforeAll(async () => {
    await seedWorkedExample(database().db);
  });

  it('reads the members once, then only their version while they are unchanged', async () => {
    const { db, statements } = counting(database().db);
    const first = await load(db);
    expect(readsMembers(statements)).toBe(true);
    statements.length = 0;
    const again = await load(db);
    expect(readsMembers(statements)).toBe(false);
    expect(statements.some((s) => s.includes('FROM roster_version'))).toBe(true);
    expect(again).toEqual(first);
    // Engagement is never kept: it is read every time.
    expect(again.find((m) => m.userId === MEMBERS.budi)?.engaged).toEqual([0, 1]);
  });

  const changes: [string, string, unknown[]][] = [
    ['a renamed member', `UPDATE "user" SET nama = 'BUDI SANTOSO' WHERE user_id = $1`, [MEMBERS.budi]],
    ['a new rank', `UPDATE "user" SET title = 'IPDA' WHERE user_id = $1`, [MEMBERS.ani]],
    ['a move to another division', `UPDATE "user" SET divisi = 'SAT LANTAS' WHERE user_id = $1`, [MEMBERS.eko]],
    ['a position set', `UPDATE "user" SET jabatan = 'KANIT' WHERE user_id = $1`, [MEMBERS.candra]],
    ['a position cleared to empty', `UPDATE "user" SET jabatan = '' WHERE user_id = $1`, [MEMBERS.candra]],
    ['a new handle', `UPDATE "user" SET insta = 'candra.x', tiktok = 'candra.t' WHERE user_id = $1`, [MEMBERS.candra]],
    ['an exception lifted', `UPDATE "user" SET exception = false WHERE user_id = $1`, [MEMBERS.dedi]],
    ['a member deactivated', `UPDATE "user" SET status = false WHERE user_id = $1`, [MEMBERS.eko]],
    ['the same member back', `UPDATE "user" SET status = true WHERE user_id = $1`, [MEMBERS.eko]],
    ['a member come back from inactive', `UPDATE "user" SET status = true WHERE user_id = $1`, [MEMBERS.inactive]],
    [
      'a new member',
      `INSERT INTO "user" (user_id, nama, title, divisi, insta, tiktok, status, client_id) VALUES ($1, 'FAJAR', 'BRIPDA', 'SAT LANTAS', 'fajar', 'fajar', true, $2)`,
      ['80010009', CLIENT],
    ],
    ['a member removed', `DELETE FROM "user" WHERE user_id = $1`, ['80010009']],
    ['a new NRP', `UPDATE "user" SET user_id = '80019999' WHERE user_id = $1`, [MEMBERS.candra]],
    ['the NRP back', `UPDATE "user" SET user_id = $1 WHERE user_id = '80019999'`, [MEMBERS.candra]],
    ['two names swapped in one statement', `UPDATE "user" SET nama = CASE user_id WHEN $1 THEN (SELECT nama FROM "user" WHERE user_id = $2) ELSE (SELECT nama FROM "user" WHERE user_id = $1) END WHERE user_id IN ($1, $2)`, [MEMBERS.ani, MEMBERS.eko]],
  ];

  it.each(changes)('sees %s', async (_name, sql, params) => {
    const { db, statements } = counting(database().db);
    for (const source of ['likes', 'comments'] as const) await load(db, source); // kept
    await db.query(sql, params);
    statements.length = 0;
    for (const source of ['likes', 'comments'] as const) {
      expect(seen(await load(db, source))).toEqual(await truth(db, source));
    }
    expect(readsMembers(statements)).toBe(true);
  });

  it('tells an empty field from a missing one', async () => {
    const db = database().db;
    await db.query(
      `INSERT INTO "user" (user_id, nama, title, divisi, jabatan, insta, status, client_id) VALUES
         ('80010021', 'HANA', NULL, 'SAT LANTAS', '', '', true, $1), ('80010022', 'GITA', 'BRIPDA', NULL, NULL, 'gita', true, $1)`,
      [CLIENT],
    );
    const members = await load(db);
    const of = (id: string) => members.find((m) => m.userId === id);
    expect(of('80010021')).toMatchObject({ nama: 'HANA', title: '', divisi: 'SAT LANTAS', jabatan: '', handle: null });
    expect(of('80010022')).toMatchObject({ nama: 'GITA', title: 'BRIPDA', divisi: '-', jabatan: null, handle: 'gita' });
    expect(seen(members)).toEqual(await truth(db, 'likes'));
    await db.query(`DELETE FROM "user" WHERE user_id IN ('80010021', '80010022')`);
  });

  it('reads a unit whose names hold the list separators (control characters) as rows instead', async () => {
    const { db, statements } = counting(database().db);
    await db.query(
      `INSERT INTO "user" (user_id, nama, title, divisi, insta, status, client_id) VALUES
         ('80010023', 'AB' || chr(31) || 'C', 'BRIPDA', 'SAT LANTAS', 'ab.c', true, $1),
         ('80010024', 'D' || chr(30) || 'E' || chr(29), 'BRIPDA', 'SAT LANTAS', 'de', true, $1),
         ('80010025', 'F', 'BRIPDA', 'SAT LANTAS', 'f', true, $1)`,
      [CLIENT],
    );
    statements.length = 0;
    const members = await load(db);
    expect(statements.some((s) => s.includes(' AS handle,'))).toBe(true);
    expect(members.find((m) => m.userId === '80010023')?.nama).toBe(`AB${String.fromCharCode(31)}C`);
    // A position that is exactly the list's NULL mark (GS) is read as the value, never as NULL.
    await db.query(`UPDATE "user" SET jabatan = chr(29) WHERE user_id = '80010025'`);
    await db.query(`DELETE FROM "user" WHERE user_id IN ('80010023', '80010024')`);
    expect((await load(db)).find((m) => m.userId === '80010025')?.jabatan).toBe(String.fromCharCode(29));
    await db.query(`INSERT INTO "user" (user_id, nama, title, divisi, insta, status, client_id) VALUES
      ('80010023', 'AB' || chr(31) || 'C', 'BRIPDA', 'SAT LANTAS', 'ab.c', true, $1),
      ('80010024', 'D' || chr(30) || 'E' || chr(29), 'BRIPDA', 'SAT LANTAS', 'de', true, $1)`, [CLIENT]);
    const current = await load(db);
    expect(seen(current)).toEqual(await truth(db, 'likes'));
    // Read as rows, it is kept by its version like any other.
    statements.length = 0;
    expect(await load(db)).toEqual(current);
    expect(readsMembers(statements)).toBe(false);
    await db.query(`DELETE FROM "user" WHERE user_id IN ('80010023', '80010024', '80010025')`);
    expect(seen(await load(db))).toEqual(await truth(db, 'likes'));
  });

  it('sees a member moved to another client leave this one', async () => {
    const db = database().db;
    await db.query(`INSERT INTO clients (client_id, nama) VALUES ('POLRESXYZ', 'POLRES XYZ') ON CONFLICT DO NOTHING`);
    const before = await load(db);
    expect(before.some((m) => m.userId === MEMBERS.ani)).toBe(true);
    const other = async () => (await loadEngagement(db, (await findClient(db, 'POLRESXYZ'))!, 'likes', day)).members.map((m) => m.userId);
    expect(await other()).not.toContain(MEMBERS.ani);
    await db.query(`UPDATE "user" SET client_id = 'POLRESXYZ' WHERE user_id = $1`, [MEMBERS.ani]);
    expect((await load(db)).some((m) => m.userId === MEMBERS.ani)).toBe(false);
    expect(await other()).toContain(MEMBERS.ani);
    expect(seen(await load(db))).toEqual(await truth(db, 'likes'));
  });

  it('keeps the list through writes that change nothing a report reads', async () => {
    const { db, statements } = counting(database().db);
    const before = await load(db);
    await db.query(`UPDATE "user" SET whatsapp = '628990001111', updated_at = now() WHERE user_id = $1`, [MEMBERS.budi]);
    await db.query(`UPDATE "user" SET nama = nama WHERE user_id = $1`, [MEMBERS.budi]);
    await db.query(`UPDATE "user" SET divisi = divisi, updated_at = now() WHERE client_id = $1`, [CLIENT]);
    statements.length = 0;
    expect(await load(db)).toEqual(before);
    expect(readsMembers(statements)).toBe(false);
    await db.query(`UPDATE "user" SET whatsapp = NULL WHERE user_id = $1`, [MEMBERS.budi]);
  });

  it('sees a change written in a transaction only once it commits, and one rolled back never', async () => {
    const { db, statements } = counting(database().db);
    const before = await load(db);
    await expect(
      db.tx(async (tx) => {
        await tx.query(`UPDATE "user" SET nama = 'TIDAK JADI' WHERE user_id = $1`, [MEMBERS.budi]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    statements.length = 0;
    expect(await load(db)).toEqual(before);
    expect(readsMembers(statements)).toBe(false);
    await db.tx(async (tx) => {
      await tx.query(`UPDATE "user" SET nama = 'BUDI S' WHERE user_id = $1`, [MEMBERS.budi]);
    });
    expect(seen(await load(db))).toEqual(await truth(db, 'likes'));
  });

  it('sees a client renamed (its members follow by cascade) under the new name', async () => {
    const db = database().db;
    await db.query(`INSERT INTO clients (client_id, nama) VALUES ('POLRESREN', 'POLRES REN') ON CONFLICT DO NOTHING`);
    await db.query(
      `INSERT INTO "user" (user_id, nama, title, divisi, insta, status, client_id) VALUES ('80010031', 'RENI', 'BRIPDA', 'SAT LANTAS', 'reni', true, 'POLRESREN')`,
    );
    const of = async (clientId: string) => (await loadEngagement(db, (await findClient(db, clientId))!, 'likes', day)).members;
    expect((await of('POLRESREN')).map((m) => m.nama)).toEqual(['RENI']);
    await db.query(`UPDATE clients SET client_id = 'POLRESREN2' WHERE client_id = 'POLRESREN'`);
    expect((await of('POLRESREN2')).map((m) => m.nama)).toEqual(['RENI']);
    await db.query(`UPDATE "user" SET nama = 'RENI W' WHERE user_id = '80010031'`);
    expect((await of('POLRESREN2')).map((m) => m.nama)).toEqual(['RENI W']);
    // Renamed back: the list kept under the old name is of before the change, and is not served.
    await db.query(`UPDATE clients SET client_id = 'POLRESREN' WHERE client_id = 'POLRESREN2'`);
    expect((await of('POLRESREN')).map((m) => m.nama)).toEqual(['RENI W']);
    await db.query(`DELETE FROM clients WHERE client_id = 'POLRESREN'`);
  });

  it('keeps one roster per division order, each in its order', async () => {
    const db = database().db;
    const divisions = (members: MemberEngagement[]) => [...new Set(members.map((m) => m.divisi))];
    const plain = divisions(await load(db));
    expect(plain[0]).toBe('BAG OPS');
    await setDivisionOrder(db, CLIENT, ['SAT LANTAS']);
    expect(divisions(await load(db))[0]).toBe('SAT LANTAS');
    await setDivisionOrder(db, CLIENT, []);
    expect(divisions(await load(db))).toEqual(plain);
  });

  // Last: it empties the table.
  it('sees the members table truncated', async () => {
    const db = database().db;
    expect((await load(db)).length).toBeGreaterThan(0);
    await db.query(`TRUNCATE "user" CASCADE`);
    expect(await load(db)).toEqual([]);
  });
});
