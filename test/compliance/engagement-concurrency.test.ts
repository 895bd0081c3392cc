/**
 * Two writers at once: a collector storing likes and an operator (or import) changing
 * a member's handle in another transaction. Each trigger must see what the other wrote,
 * whichever commits first. PostgreSQL only: PGlite has a single connection.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backend, useTestDatabase } from '../helpers/db.js';

describe.runIf(backend === 'postgres')('engagement matching under concurrent writers (postgres)', () => {
  const database = useTestDatabase();
  let a: pg.Client;
  let b: pg.Client;

  beforeEach(async () => {
    a = new pg.Client({ connectionString: database().url });
    b = new pg.Client({ connectionString: database().url });
    await Promise.all([a.connect(), b.connect()]);
    await a.query(`DELETE FROM clients WHERE client_id = 'CC'`);
    await a.query(`INSERT INTO clients (client_id, nama) VALUES ('CC', 'POLRES CC')`);
    await a.query(`INSERT INTO "user" (user_id, nama, client_id, insta) VALUES ('u1', 'BUDI', 'CC', 'old')`);
    await a.query(`INSERT INTO insta_post (shortcode, client_id) VALUES ('p1', 'CC'), ('p2', 'CC')`);
    await a.query(`INSERT INTO insta_like (shortcode, likes) VALUES ('p1', '["budi"]')`);
  });
  afterEach(async () => {
    await Promise.all([a.end(), b.end()]);
  });

  const matches = async (): Promise<string[]> =>
    (await a.query<{ m: string }>(`SELECT post_id || ':' || user_id AS m FROM engagement_match ORDER BY 1`)).rows.map((r) => r.m);

  it('a handle changed while a likes write is open is matched when both commit', async () => {
    await a.query('BEGIN');
    await a.query(`UPDATE insta_like SET likes = '["budi", "new1"]' WHERE shortcode = 'p1'`);
    const change = b.query(`UPDATE "user" SET insta = 'New1' WHERE user_id = 'u1'`); // waits for the collector
    await new Promise((resolve) => setTimeout(resolve, 200));
    await a.query('COMMIT');
    await change;
    expect(await matches()).toEqual(['p1:u1']);
  });

  it('likes written while a handle change is open are matched when both commit', async () => {
    await b.query('BEGIN');
    await b.query(`UPDATE "user" SET insta = 'new2' WHERE user_id = 'u1'`);
    const likes = a.query(`INSERT INTO insta_like (shortcode, likes) VALUES ('p2', '["new2"]')`); // waits for the handle change
    await new Promise((resolve) => setTimeout(resolve, 200));
    await b.query('COMMIT');
    await likes;
    expect(await matches()).toEqual(['p2:u1']);
  });
});
