/**
 * A merge of likers and a member's handle change in two transactions at once: each
 * must see what the other wrote, whichever commits first; and two merges of one post
 * must not store a handle twice. PostgreSQL only: PGlite has a single connection.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backend, useTestDatabase } from '../helpers/db.js';

const MERGE = `SELECT added, total FROM cicero_engagement_merge('instagram', $1, $2::text[], true, now())`;

describe.runIf(backend === 'postgres')('merging engagement under concurrent writers (postgres)', () => {
  const database = useTestDatabase();
  let a: pg.Client;
  let b: pg.Client;

  beforeEach(async () => {
    a = new pg.Client({ connectionString: database().url });
    b = new pg.Client({ connectionString: database().url });
    await Promise.all([a.connect(), b.connect()]);
    await a.query(`DELETE FROM clients WHERE client_id = 'MC'`);
    await a.query(`INSERT INTO clients (client_id, nama) VALUES ('MC', 'POLRES MC')`);
    await a.query(`INSERT INTO "user" (user_id, nama, client_id, insta) VALUES ('m1', 'BUDI', 'MC', 'old')`);
    await a.query(`INSERT INTO insta_post (shortcode, client_id) VALUES ('q1', 'MC'), ('q2', 'MC')`);
    await a.query(MERGE, ['q1', ['budi']]);
  });
  afterEach(async () => {
    await Promise.all([a.end(), b.end()]);
  });

  const matches = async (): Promise<string[]> =>
    (await a.query<{ m: string }>(`SELECT post_id || ':' || user_id AS m FROM engagement_match ORDER BY 1`)).rows.map((r) => r.m);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

  it('a handle changed while a merge is open is matched when both commit', async () => {
    await a.query('BEGIN');
    await a.query(MERGE, ['q1', ['budi', 'new1']]);
    const change = b.query(`UPDATE "user" SET insta = 'New1' WHERE user_id = 'm1'`); // waits for the merge
    await settle();
    await a.query('COMMIT');
    await change;
    expect(await matches()).toEqual(['q1:m1']);
  });

  it('a merge while a handle change is open is matched when both commit', async () => {
    await b.query('BEGIN');
    await b.query(`UPDATE "user" SET insta = 'new2' WHERE user_id = 'm1'`);
    const merge = a.query(MERGE, ['q2', ['new2']]); // waits for the handle change
    await settle();
    await b.query('COMMIT');
    await merge;
    expect(await matches()).toEqual(['q2:m1']);
  });

  it('two merges of one post at once store each handle once', async () => {
    await a.query('BEGIN');
    await a.query(MERGE, ['q2', ['x1', 'x2']]);
    const second = b.query<{ added: string[]; total: number }>(MERGE, ['q2', ['x2', 'x3']]);
    await settle();
    await a.query('COMMIT');
    expect((await second).rows[0]).toEqual({ added: ['x3'], total: 3 });
    const { rows } = await a.query(`SELECT likes FROM insta_like WHERE shortcode = 'q2'`);
    expect([...rows[0].likes].sort()).toEqual(['x1', 'x2', 'x3']);
  });
});
