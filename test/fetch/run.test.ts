/** A fetch run below the chat: its failure handling and its limits, against the stand-in server. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findClient } from '../../src/compliance/clients.js';
import { withFetchLock } from '../../src/fetch/lock.js';
import { MAX_RUNS, runFetch } from '../../src/fetch/run.js';
import type { FetchStorage } from '../../src/fetch/storage.js';
import * as store from '../../src/fetch/store.js';
import { type FakeRapidApi, startFakeRapidApi } from '../../src/rapidapi/fake-server.js';
import { createRapidApis } from '../../src/rapidapi/services.js';
import { dayWindow } from '../../src/time/day.js';
import { useTestDatabase } from '../helpers/db.js';

const database = useTestDatabase();
const NOW = new Date('2026-11-25T03:00:00Z'); // 10.00 WIB
const DAY = dayWindow(NOW, 'Asia/Jakarta');
const at = (hhmm: string) => new Date(`2026-11-25T${hhmm}:00+07:00`);
let fake: FakeRapidApi;

beforeAll(async () => {
  fake = await startFakeRapidApi({ port: 0, now: () => NOW });
});
afterAll(() => fake.close());

function apis(fetch?: typeof globalThis.fetch) {
  return createRapidApis(
    {
      RAPIDAPI_KEY: fake.key,
      RAPIDAPI_INSTAGRAM_URL: fake.url,
      RAPIDAPI_TIKTOK_URL: fake.url,
      RAPIDAPI_TIMEOUT_S: 20,
      RAPIDAPI_PAGE_LIMIT: 50,
      RAPIDAPI_CONCURRENCY: 3,
    },
    { sleep: async () => {}, ...(fetch ? { fetch } : {}) },
  );
}

beforeEach(async () => {
  const { db } = database();
  await db.query(`DELETE FROM clients`);
  for (const id of ['RA', 'RB', 'RC', 'RD']) {
    await db.query(`INSERT INTO clients (client_id, nama, client_insta) VALUES ($1, $2, $3)`, [id, id, `acc.${id.toLowerCase()}`]);
    fake.setInstagramAccount(`acc.${id.toLowerCase()}`, {
      posts: ['1', '2', '3', '4'].map((n) => ({ code: `${id}${n}`, takenAt: at(`0${n}:00`), likers: [`fan${n}`] })),
    });
  }
});

const client = async (id: string) => (await findClient(database().db, id))!;

describe('a fetch run', () => {
  it('does not believe an answer without a single post when the day has posts stored', async () => {
    const { db } = database();
    const deps = { db, apis: apis(), now: () => NOW, storage: store };
    await runFetch(deps, { client: await client('RA'), platforms: ['instagram'], parts: ['posts'], day: DAY });
    fake.setInstagramAccount('acc.ra', { posts: [] });
    const result = await runFetch(deps, { client: await client('RA'), platforms: ['instagram'], parts: ['posts'], day: DAY });
    expect(result.platforms[0]!.posts).toMatchObject({ found: 0, removed: 0, complete: false, failure: { kind: 'empty' } });
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM insta_post WHERE removed_at IS NULL`);
    expect(rows[0]!.n).toBe(4);
  });

  it('on a database failure, finishes the posts in hand, starts no other, and only then gives the lock back', async () => {
    const { db } = database();
    const merged: string[] = [];
    let failed!: () => void;
    const failure = new Promise<void>((resolve) => (failed = resolve));
    const storage: FetchStorage = {
      ...store,
      mergeEngagement: async (d, input) => {
        if (input.postId === 'RA1') {
          failed();
          throw new Error('deadlock detected');
        }
        // The other posts in hand finish after the failure.
        await failure;
        const result = await store.mergeEngagement(d, input);
        merged.push(input.postId);
        return result;
      },
    };
    const deps = { db, apis: apis(), now: () => NOW, storage };
    await runFetch(deps, { client: await client('RA'), platforms: ['instagram'], parts: ['posts'], day: DAY });
    const run = runFetch(deps, { client: await client('RA'), platforms: ['instagram'], parts: ['engagement'], day: DAY });
    await expect(run).rejects.toThrow('deadlock detected');
    // Three at a time: the two others in hand were finished before the run ended; the fourth never started.
    expect(merged.sort()).toEqual(['RA2', 'RA3']);
    expect(fake.requests.filter((r) => r.query.code_or_id_or_url === 'RA4')).toHaveLength(0);
    expect(await withFetchLock(db, 'RA', 'instagram', async () => 'free')).toEqual({ busy: false, result: 'free' });
  });

  it(`runs at most ${MAX_RUNS} fetches at once in a process; the next one is told it waits`, async () => {
    const { db } = database();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inFlight = 0;
    let entered!: () => void;
    const allIn = new Promise<void>((resolve) => (entered = resolve));
    const held = apis((async (input: URL, init?: RequestInit) => {
      if (++inFlight === MAX_RUNS) entered();
      await gate;
      return fetch(input, init);
    }) as typeof fetch);
    const waited: string[] = [];
    const runs = ['RA', 'RB', 'RC', 'RD'].map(async (id) =>
      runFetch(
        { db, apis: held, now: () => NOW, storage: store },
        { client: await client(id), platforms: ['instagram'], parts: ['posts'], day: DAY, onWaiting: () => void waited.push(id) },
      ),
    );
    await allIn;
    // Three runs are inside (their first request held); the fourth waits for a slot.
    expect(inFlight).toBe(MAX_RUNS);
    release();
    const results = await Promise.all(runs);
    expect(waited).toHaveLength(1);
    expect(results.map((r) => r.platforms[0]!.posts?.found)).toEqual([4, 4, 4, 4]);
  });
});
