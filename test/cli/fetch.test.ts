/**
 * `cicero fetch` and the fetch commands through `cicero send`, as a user runs them,
 * against the stand-in RapidAPI server this test serves: the demo day of the README.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRapidApi, startFakeRapidApi } from '../../src/rapidapi/fake-server.js';
import { DEMO_CLIENT_ID } from '../../src/seed/demo-organisation.js';
import { queryCliDatabase, runCli, runCliAsync } from '../helpers/cli.js';
import { backend, createTestDatabase, type TestDatabase } from '../helpers/db.js';

describe(`cicero fetch (${backend})`, () => {
  let fake: FakeRapidApi;
  let env: Record<string, string | undefined>;
  let target: TestDatabase | undefined;

  beforeAll(async () => {
    fake = await startFakeRapidApi({ port: 0 });
    target = backend === 'postgres' ? await createTestDatabase({ migrated: false }) : undefined;
    env = {
      CICERO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cicero-fetch-')),
      DATABASE_URL: target?.url,
      ADMIN_WHATSAPP: '0811-0000-0001',
      RAPIDAPI_KEY: fake.key,
      RAPIDAPI_INSTAGRAM_URL: fake.url,
      RAPIDAPI_TIKTOK_URL: fake.url,
    };
    expect(runCli(['seed', 'demo'], env).status).toBe(0);
  });
  afterAll(async () => {
    await fake.close();
    await target?.drop();
  });

  const dataDir = () => env.CICERO_DATA_DIR!;

  it("fetches the demo client's day: new posts and likers, exit 0", async () => {
    const before = await queryCliDatabase<{ n: number }>(target, dataDir(), `SELECT count(*)::int AS n FROM insta_post`);
    const result = await runCliAsync(['fetch', '--client', DEMO_CLIENT_ID], env);
    expect(result.stderr).toContain(`${DEMO_CLIENT_ID} instagram:`);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^✅ Pengambilan data POLRESDEMO selesai/);
    expect(result.stdout).toMatch(/Konten: \d+ \(baru 1,/);
    expect(result.stdout).toMatch(/Likes tersimpan: [\d.]+ \(baru [1-9][\d.]*\)/);
    expect(result.stdout).toMatch(/Komentator tersimpan: [\d.]+ \(baru /);
    expect(result.stdout).not.toContain('*');
    const after = await queryCliDatabase<{ n: number }>(target, dataDir(), `SELECT count(*)::int AS n FROM insta_post`);
    expect(after[0]!.n).toBe(before[0]!.n + 1);
  });

  it('exits 1 naming what failed when part of the run fails', async () => {
    fake.fault({ path: '/v1/posts', status: 500, times: 3 });
    const result = await runCliAsync(['fetch', 'instagram', '--client', DEMO_CLIENT_ID], env);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('Daftar konten tidak lengkap: layanan sedang bermasalah (HTTP 500)');
    expect(result.stderr).toContain('cicero: 1 of 1 client fetched only in part (see above)');
  });

  it('fetches through the chat command, printing the summary like any reply', async () => {
    const result = await runCliAsync(['send', '--from', '0811-0000-0001', `fetchinsta#${DEMO_CLIENT_ID}`], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^→ 6281100000001@c\.us\n✅ Pengambilan data \*POLRESDEMO\* selesai/);
  });

  it('refuses an unknown client, a bad date and a missing key', async () => {
    const unknown = await runCliAsync(['fetch', '--client', 'NOPE'], env);
    expect([unknown.status, unknown.stderr]).toEqual([2, `cicero: unknown client NOPE; clients: ${DEMO_CLIENT_ID}\n`]);
    const badDate = await runCliAsync(['fetch', '--date', '2026-13-45'], env);
    expect(badDate.status).toBe(2);
    expect(badDate.stderr).toContain('Expected a date as YYYY-MM-DD.');
    const noSuchDay = await runCliAsync(['fetch', '--date', '2026-02-31'], env);
    expect([noSuchDay.status, noSuchDay.stderr]).toEqual([2, expect.stringContaining('Expected a date as YYYY-MM-DD.')]);
    const future = await runCliAsync(['fetch', '--date', '2999-01-01'], env);
    expect([future.status, future.stderr]).toEqual([2, 'cicero: 2999-01-01 has not come yet in Asia/Jakarta\n']);
    const badPlatform = await runCliAsync(['fetch', 'facebook'], env);
    expect(badPlatform.status).toBe(2);
    const noKey = await runCliAsync(['fetch'], { ...env, RAPIDAPI_KEY: '' });
    expect([noKey.status, noKey.stderr]).toEqual([2, 'cicero: RAPIDAPI_KEY is not set: nothing can be fetched (set it in .env)\n']);
  });
});
