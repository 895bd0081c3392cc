/**
 * A merge of likers and a member's handle change in two transactions at once: each
 * must see what the other wrote, whichever commits first; two merges of one post must
 * not store a handle twice; and a row deleted under a waiting merge is written again.
 * PostgreSQL only: PGlite has a single connection.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backend, useTestDatabase } from '../helpers/db.js';

const MERGE = `SELECT added, total FROM cicero_engagement_merge('instagram', $1, $2::text[], true, now())`;

describe.runIf(backend === 'postgres')('merging engagement under concurrent writers (postgres)', () => {
  const database = useTestDatabase();
  let a: pg.Client;
  let b: pg.Client;
  /** Outside any transaction, so pg_stat_activity is read afresh each time. */
  let watch: pg.Client;
  const pids = new Map<pg.Client, number>();

  beforeEach(async () => {
    a = new pg.Client({ connectionString: database().url });
    b = new pg.Client({ connectionString: database().url });
    watch = new pg.Client({ connectionString: database().url });
    await Promise.all([a.connect(), b.connect(), watch.connect()]);
    for (const client of [a, b]) {
      pids.set(client, (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
    }
    await a.query(`DELETE FROM clients WHERE client_id = 'MC'`);
    await a.query(`INSERT INTO clients (client_id, nama) VALUES ('MC', 'POLRES MC')`);
    await a.query(`INSERT INTO "user" (user_id, nama, client_id, insta) VALUES ('m1', 'BUDI', 'MC', 'old')`);
    await a.query(`INSERT INTO insta_post (shortcode, client_id) VALUES ('q1', 'MC'), ('q2', 'MC')`);
    await a.query(MERGE, ['q1', ['budi']]);
  });
  afterEach(async () => {
    await Promise.all([a.end(), b.end(), watch.end()]);
  });

  const matches = async (): Promise<string[]> =>
    (await a.query<{ m: string }>(`SELECT post_id || ':' || user_id AS m FROM engagement_match ORDER BY 1`)).rows.map((r) => r.m);

  /** Resolves once the client's backend waits on a lock; fails the test after 30 s. */
  const blocked = async (client: pg.Client, what: string): Promise<void> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await watch.query<{ wait: string | null }>(
        'SELECT wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1',
        [pids.get(client)],
      );
      if (rows[0]?.wait === 'Lock') return;
      if (Date.now() > deadline) throw new Error(`${what} never waited on a lock within 30 s (wait_event_type: ${rows[0]?.wait ?? 'none'})`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('a handle changed while a merge is open is matched when both commit', async () => {
    await a.query('BEGIN');
    await a.query(MERGE, ['q1', ['budi', 'new1']]);
    const change = b.query(`UPDATE "user" SET insta = 'New1' WHERE user_id = 'm1'`);
    await blocked(b, 'the handle change');
    await a.query('COMMIT');
    await change;
    expect(await matches()).toEqual(['q1:m1']);
  });

  it('a merge while a handle change is open is matched when both commit', async () => {
    await b.query('BEGIN');
    await b.query(`UPDATE "user" SET insta = 'new2' WHERE user_id = 'm1'`);
    const merge = a.query(MERGE, ['q2', ['new2']]);
    await blocked(a, 'the merge');
    await b.query('COMMIT');
    await merge;
    expect(await matches()).toEqual(['q2:m1']);
  });

  it('two merges of one post at once store each handle once', async () => {
    await a.query('BEGIN');
    await a.query(MERGE, ['q2', ['x1', 'x2']]);
    const second = b.query<{ added: string[]; total: number }>(MERGE, ['q2', ['x2', 'x3']]);
    await blocked(b, 'the second merge');
    await a.query('COMMIT');
    expect((await second).rows[0]).toEqual({ added: ['x3'], total: 3 });
    const { rows } = await a.query(`SELECT likes FROM insta_like WHERE shortcode = 'q2'`);
    expect([...rows[0].likes].sort()).toEqual(['x1', 'x2', 'x3']);
  });

  const tables = {
    instagram: { post: 'insta_post', table: 'insta_like', id: 'shortcode', handles: 'likes' },
    tiktok: { post: 'tiktok_post', table: 'tiktok_comment', id: 'video_id', handles: 'comments' },
  } as const;
  it.each(['instagram', 'tiktok'] as const)('%s: a row deleted while a merge waits for it is written again, with every handle', async (platform) => {
    const { post, table, id, handles } = tables[platform];
    const merge = `SELECT added, total FROM cicero_engagement_merge('${platform}', 'd1', $1::text[], true, now())`;
    const stored = async () => {
      const { rows } = await a.query(`SELECT ${handles} AS h, updated_at FROM ${table} WHERE ${id} = 'd1'`);
      return { handles: [...(rows[0]?.h ?? [])].sort(), updatedAt: rows[0]?.updated_at ?? null };
    };
    await a.query(`INSERT INTO ${post} (${id}, client_id) VALUES ('d1', 'MC')`);
    await a.query(merge, [['budi']]);
    // a holds the row (it exists, so the merge's insert does nothing and its FOR UPDATE
    // waits), then deletes it and commits: the merge finds no row to lock.
    await a.query('BEGIN');
    await a.query(`SELECT 1 FROM ${table} WHERE ${id} = 'd1' FOR UPDATE`);
    const waiting = b.query<{ added: string[]; total: number }>(merge, [['budi', 'new1']]);
    await blocked(b, 'the merge');
    await a.query(`DELETE FROM ${table} WHERE ${id} = 'd1'`);
    await a.query('COMMIT');
    expect((await waiting).rows[0]).toEqual({ added: ['budi', 'new1'], total: 2 });
    expect(await stored()).toEqual({ handles: ['budi', 'new1'], updatedAt: expect.any(Date) });
    // A later merge finds them stored, in the row as in engagement_post.
    expect((await a.query(merge, [['budi', 'new1', 'x9']])).rows[0]).toEqual({ added: ['x9'], total: 3 });
    expect((await stored()).handles).toEqual(['budi', 'new1', 'x9']);
  });
});
