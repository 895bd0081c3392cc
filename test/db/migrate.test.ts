import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { migrationsDir, schemaFile } from '../../src/paths.js';
import { describeSchema } from '../helpers/catalog.js';
import { backend, createTestDatabase, useTestDatabase } from '../helpers/db.js';

/** The tables of the users' data model (database_structure.md), with their names. */
const USER_TABLES = [
  'clients', 'user', 'dashboard_user', 'insta_post', 'insta_like', 'insta_comment', 'insta_profile',
  'tiktok_post', 'tiktok_comment', 'instagram_user', 'instagram_user_metrics', 'ig_ext_users',
  'ig_ext_posts', 'ig_ext_media_items', 'ig_ext_tagged_users', 'ig_ext_hashtags', 'ig_hashtag_info',
  'ig_post_metrics', 'ig_post_like_users', 'ig_post_comments', 'visitor_logs', 'login_log', 'link_report',
];

describe(`migrations (${backend})`, () => {
  const empty = useTestDatabase({ migrated: false });

  it('apply every migration in order on an empty database, and a second run is a no-op', async () => {
    const { db } = empty();
    const files = (await import('node:fs')).readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort();
    const first = await migrate(db);
    expect(first.applied).toEqual(files);
    expect(first.version).toBe(Number.parseInt(files.at(-1)!, 10));

    const before = await describeSchema(db);
    const second = await migrate(db);
    expect(second).toEqual({ applied: [], version: first.version });
    expect(await describeSchema(db)).toEqual(before);

    const recorded = await db.query<{ version: number }>('SELECT version FROM schemaversion WHERE version > 0 ORDER BY 1');
    expect(recorded.rows.map((r) => Number(r.version))).toEqual(files.map((f) => Number.parseInt(f, 10)));
  });

  it('sql/schema.sql builds exactly the schema the migrations build', async () => {
    const { db: migrated } = empty();
    await migrate(migrated);
    const fromSchema = await createTestDatabase({ migrated: false });
    try {
      await fromSchema.db.exec(readFileSync(schemaFile, 'utf8'));
      expect(await describeSchema(fromSchema.db)).toEqual(await describeSchema(migrated));
    } finally {
      await fromSchema.drop();
    }
  });

  it('creates every table of the users’ data model', async () => {
    const { db } = empty();
    await migrate(db);
    const { rows } = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(USER_TABLES));
  });

  it('stores every time of day as timestamptz', async () => {
    const { db } = empty();
    await migrate(db);
    const { rows } = await db.query<{ where: string }>(
      `SELECT table_name || '.' || column_name AS where FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type IN ('timestamp without time zone', 'time without time zone')
          AND table_name <> 'schemaversion'`,
    );
    expect(rows).toEqual([]);
  });

  it('rolls a failing migration back completely and reports it', async () => {
    const broken = await createTestDatabase({ migrated: false });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cicero-migrations-'));
    writeFileSync(path.join(dir, '001.do.ok.sql'), 'CREATE TABLE first_table (id int);');
    writeFileSync(path.join(dir, '002.do.broken.sql'), 'CREATE TABLE second_table (id int); SELECT no_such_column FROM first_table;');
    try {
      await expect(migrate(broken.db, dir)).rejects.toThrow(/no_such_column/);
      const { rows } = await broken.db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_name IN ('first_table', 'second_table')`,
      );
      expect(rows).toEqual([]);
    } finally {
      await broken.drop();
    }
  });

  it.runIf(backend === 'postgres')('two processes migrating one database at once apply each migration once', async () => {
    const shared = await createTestDatabase({ migrated: false });
    const { PostgresDb } = await import('../../src/db/postgres.js');
    const other = await PostgresDb.open(shared.url!, { max: 2 });
    try {
      const [a, b] = await Promise.all([migrate(shared.db), migrate(other)]);
      expect([...a.applied, ...b.applied].sort()).toEqual(
        (await import('node:fs')).readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort(),
      );
    } finally {
      await other.close();
      await shared.drop();
    }
  });
});
