import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeRapidApi, startFakeRapidApi } from '../../src/rapidapi/fake-server.js';
import { buildDemoOrganisation } from '../../src/seed/demo-organisation.js';
import { handleOfEntry } from '../../src/compliance/handle.js';
import { dayWindow } from '../../src/time/day.js';
import { cliEnv, cliPath, runCli } from '../helpers/cli.js';

const ZONE = 'Asia/Jakarta';
/** 16:00 in Jakarta: every generated slot of the day (00:05, 07:10, 10:30, 15:45) has passed. */
const AFTERNOON = new Date('2026-03-10T09:00:00Z');

// biome-ignore lint/suspicious/noExplicitAny: the answers are read as the clients read them
type Body = any;

const servers: FakeRapidApi[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof startFakeRapidApi>[0] = {}): Promise<FakeRapidApi> {
  const server = await startFakeRapidApi({ port: 0, now: () => AFTERNOON, ...options });
  servers.push(server);
  return server;
}

async function get(
  server: FakeRapidApi,
  path: string,
  query: Record<string, string | number> = {},
  headers: Record<string, string> = { 'X-RapidAPI-Key': server.key },
): Promise<{ status: number; body: Body; text: string; headers: Headers }> {
  const url = new URL(path, server.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
  const res = await fetch(url, { headers });
  const text = await res.text();
  let body: Body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** Every page of a post's likers, following next_cursor. */
async function allLikers(server: FakeRapidApi, code: string): Promise<{ usernames: string[]; pages: number }> {
  const usernames: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const { body } = await get(server, '/v1/likes', { code_or_id_or_url: code, ...(cursor ? { cursor } : {}) });
    usernames.push(...body.data.items.map((i: Body) => i.username));
    cursor = body.data.next_cursor;
    pages++;
  } while (cursor !== null && pages < 100);
  return { usernames, pages };
}

async function allPosts(server: FakeRapidApi, username: string): Promise<Body[]> {
  const items: Body[] = [];
  let token: string | null = null;
  do {
    const { body } = await get(server, '/v1/posts', { username_or_id_or_url: username, ...(token ? { pagination_token: token } : {}) });
    items.push(...body.data.items);
    token = body.pagination_token;
  } while (token !== null);
  return items;
}

async function allComments(server: FakeRapidApi, videoId: string): Promise<Body[]> {
  const comments: Body[] = [];
  let cursor = 0;
  for (let more = 1; more === 1; ) {
    const { body } = await get(server, '/api/post/comments', { videoId, count: 50, cursor });
    comments.push(...body.data.comments);
    cursor = body.data.cursor;
    more = body.data.has_more;
  }
  return comments;
}

const likers = (n: number, prefix = 'liker') => Array.from({ length: n }, (_, i) => `${prefix}.${i}`);

describe('fake RapidAPI: the key', () => {
  it('answers 401 without a key and 403 for a wrong one, whatever the host header, and records every request', async () => {
    const server = await start();
    const none = await get(server, '/v1/info', { username_or_id_or_url: 'polresabc' }, {});
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ message: 'Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info.' });
    const wrong = await get(server, '/v1/info', { username_or_id_or_url: 'polresabc' }, { 'X-RapidAPI-Key': 'nope' });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ message: 'You are not subscribed to this API.' });
    const right = await get(server, '/api/user/info', { uniqueId: 'polresabc' }, { 'X-RapidAPI-Key': server.key, 'X-RapidAPI-Host': 'social-api4.p.rapidapi.com' });
    expect(right.status).toBe(200);
    expect(server.key).toBe('fake-rapidapi-key');
    expect(server.requests.map((r) => [r.path, r.headers.key, r.headers.host])).toEqual([
      ['/v1/info', undefined, undefined],
      ['/v1/info', 'nope', undefined],
      ['/api/user/info', server.key, 'social-api4.p.rapidapi.com'],
    ]);
    expect(server.requests[0]!.query).toEqual({ username_or_id_or_url: 'polresabc' });
    expect(server.requests[0]!.at).toEqual(AFTERNOON);
  });

  it('accepts the key it was given, and answers 404 for unknown paths', async () => {
    const server = await start({ key: 'other' });
    expect((await get(server, '/v1/info', { username_or_id_or_url: 'a' })).status).toBe(200);
    expect((await get(server, '/v1/info', { username_or_id_or_url: 'a' }, { 'X-RapidAPI-Key': 'fake-rapidapi-key' })).status).toBe(403);
    expect((await get(server, '/v1/nothing')).status).toBe(404);
  });
});

describe('fake RapidAPI: Instagram', () => {
  it('lists generated posts newest first in the service shape: today at the fixed times, then two of yesterday', async () => {
    const server = await start();
    const { status, body } = await get(server, '/v1/posts', { username_or_id_or_url: 'polresabc' });
    expect(status).toBe(200);
    expect(body.pagination_token).toBeNull();
    expect(body.data.count).toBe(6);
    expect(body.data.user).toMatchObject({ username: 'polresabc', is_private: false });
    const items: Body[] = body.data.items;
    const times = items.map((i) => new Date(i.taken_at * 1000).toISOString());
    expect(times).toEqual([
      '2026-03-10T08:45:00.000Z',
      '2026-03-10T03:30:00.000Z',
      '2026-03-10T00:10:00.000Z',
      '2026-03-09T17:05:00.000Z',
      '2026-03-09T08:45:00.000Z',
      '2026-03-09T03:30:00.000Z',
    ]);
    const first = items[0]!;
    expect(first).toMatchObject({
      id: `${first.pk}_${first.user.pk}`,
      code: expect.stringMatching(/^[\w-]{11}$/),
      caption: { text: expect.any(String) },
      like_count: expect.any(Number),
      comment_count: expect.any(Number),
      is_video: expect.any(Boolean),
      media_type: expect.any(Number),
      image_versions: { items: [{ url: expect.stringMatching(/^https:\/\//), width: 1080, height: 1350 }] },
      thumbnail_url: expect.any(String),
      user: { pk: first.user.id, username: 'polresabc', full_name: expect.any(String), is_private: false, is_verified: false, profile_pic_url: expect.any(String) },
    });
    const video = items.find((i) => i.is_video)!;
    expect(video).toMatchObject({ media_type: 2, video_versions: [{ url: expect.any(String) }], play_count: expect.any(Number) });
    expect(items.find((i) => !i.is_video)).not.toHaveProperty('video_versions');
    // like_count lags the likers the service lists, as the real one does.
    const listed = (await allLikers(server, first.code)).usernames.length;
    expect(first.like_count).toBe(Math.floor(listed * 0.9));
    expect(first.like_count).toBeLessThan(listed);
  });

  it('shows only the posts published by now', async () => {
    const server = await start({ now: () => new Date('2026-03-10T01:00:00Z') }); // 08:00 in Jakarta
    const { body } = await get(server, '/v1/posts', { username_or_id_or_url: 'polresabc' });
    const today = dayWindow(new Date('2026-03-10T01:00:00Z'), ZONE);
    expect(body.data.items.filter((i: Body) => i.taken_at * 1000 >= today.start.getTime())).toHaveLength(2);
  });

  it('pages posts by postsPerPage with pagination_token', async () => {
    const server = await start({ postsPerPage: 4 });
    const first = await get(server, '/v1/posts', { username_or_id_or_url: '@PolresABC' });
    expect(first.body.data.count).toBe(4);
    const second = await get(server, '/v1/posts', { username_or_id_or_url: 'polresabc', pagination_token: first.body.pagination_token });
    expect(second.body.data.count).toBe(2);
    expect(second.body.pagination_token).toBeNull();
    expect((await allPosts(server, 'polresabc')).map((i) => i.code)).toEqual(
      [...first.body.data.items, ...second.body.data.items].map((i: Body) => i.code),
    );
  });

  it('pages the likers so every liker comes exactly once', async () => {
    const server = await start({ likersPerPage: 50 });
    const names = likers(237);
    server.setInstagramAccount('akun.uji', { posts: [{ code: 'POST1', takenAt: AFTERNOON, likers: names, isVideo: true }] });
    const page = await get(server, '/v1/likes', { code_or_id_or_url: 'POST1' });
    expect(page.body.data).toMatchObject({ count: 50, total: 237, next_cursor: expect.any(String) });
    expect(page.body.data.items[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      pk: page.body.data.items[0].id,
      username: 'liker.0',
      full_name: expect.any(String),
      is_private: false,
      is_verified: false,
      profile_pic_url: expect.any(String),
    });
    const all = await allLikers(server, 'POST1');
    expect(all.pages).toBe(5);
    expect(all.usernames).toEqual(names);
    // Liker ids come from the username: the same person has the same id on every post and run.
    const again = await start();
    again.setInstagramAccount('x', { posts: [{ code: 'P', takenAt: AFTERNOON, likers: ['liker.0'] }] });
    expect((await get(again, '/v1/likes', { code_or_id_or_url: 'P' })).body.data.items[0].pk).toBe(page.body.data.items[0].pk);
  });

  it('answers 404 for an unknown shortcode and a missing account; an empty private listing', async () => {
    const server = await start();
    server.setInstagramAccount('hilang', 'missing');
    server.setInstagramAccount('tertutup', 'private');
    expect(await get(server, '/v1/likes', { code_or_id_or_url: 'NOSUCHCODE1' })).toMatchObject({ status: 404, body: { detail: 'Not found' } });
    for (const name of ['hilang', 'tidakada_polres']) {
      expect(await get(server, '/v1/posts', { username_or_id_or_url: name })).toMatchObject({ status: 404, body: { detail: 'Not found' } });
      expect(await get(server, '/v1/info', { username_or_id_or_url: name })).toMatchObject({ status: 404, body: { detail: 'Not found' } });
    }
    for (const name of ['tertutup', 'privat_polres']) {
      const { status, body } = await get(server, '/v1/posts', { username_or_id_or_url: name });
      expect(status).toBe(200);
      expect(body).toMatchObject({ data: { count: 0, items: [], user: { username: name, is_private: true } }, pagination_token: null });
      expect((await get(server, '/v1/info', { username_or_id_or_url: name })).body.data.is_private).toBe(true);
    }
  });

  it('serves a profile with every field the clients read', async () => {
    const server = await start();
    server.setInstagramAccount('akun.uji', { posts: [], userId: '42', fullName: 'AKUN UJI', followers: 777 });
    const { body } = await get(server, '/v1/info', { username_or_id_or_url: 'https://www.instagram.com/akun.uji/' });
    expect(body.data).toEqual({
      pk: '42',
      id: '42',
      username: 'akun.uji',
      full_name: 'AKUN UJI',
      biography: expect.any(String),
      follower_count: 777,
      following_count: expect.any(Number),
      media_count: expect.any(Number),
      profile_pic_url: expect.any(String),
      profile_pic_url_hd: expect.any(String),
      is_private: false,
      is_verified: false,
      is_business: true,
      category_name: expect.any(String),
      account_type: 1,
      external_url: null,
      public_email: null,
      public_phone_number: null,
      total_igtv_videos: 0,
      latest_reel_media: 0,
    });
  });
});

describe('fake RapidAPI: TikTok', () => {
  it('answers user info with the secUid, "user not exist" for a missing account, and privateAccount', async () => {
    const server = await start();
    const { body } = await get(server, '/api/user/info', { uniqueId: 'polresabc' });
    expect(body).toEqual({
      userInfo: {
        user: {
          id: expect.stringMatching(/^\d+$/),
          uniqueId: 'polresabc',
          nickname: expect.any(String),
          avatarThumb: expect.any(String),
          secUid: expect.stringMatching(/^MS4wLjABAAAA/),
          privateAccount: false,
          verified: false,
        },
        stats: { followerCount: expect.any(Number), followingCount: expect.any(Number), heart: expect.any(Number), videoCount: expect.any(Number) },
      },
      statusCode: 0,
    });
    server.setTiktokAccount('hilang', 'missing');
    for (const name of ['hilang', 'tidakada.polres']) {
      expect(await get(server, '/api/user/info', { uniqueId: name })).toMatchObject({ status: 200, body: { statusCode: 10202, statusMsg: 'user not exist' } });
    }
    const secret = (await get(server, '/api/user/info', { uniqueId: 'privat.polres' })).body.userInfo.user;
    expect(secret.privateAccount).toBe(true);
    expect((await get(server, '/api/user/posts', { secUid: secret.secUid, count: 35, cursor: 0 })).body).toEqual({
      data: { itemList: [], hasMore: false, cursor: '0' },
      statusCode: 10222,
      statusMsg: 'private account',
    });
    expect((await get(server, '/api/user/posts', { secUid: 'MS4wLjABAAAAunknown', count: 35, cursor: 0 })).body).toEqual({
      data: { itemList: [], hasMore: false, cursor: '0' },
      statusCode: 10201,
    });
  });

  it('lists videos newest first, at most 35 a page, following the cursor', async () => {
    const server = await start();
    const videos = Array.from({ length: 40 }, (_, i) => ({ id: `7000${i}`, createTime: new Date(AFTERNOON.getTime() - i * 60_000), commenters: ['a.b'] }));
    server.setTiktokAccount('@akun.uji', { secUid: 'SECUID-UJI', videos: [...videos].reverse() });
    const first = await get(server, '/api/user/posts', { secUid: 'SECUID-UJI', count: 100, cursor: 0 });
    expect(first.body.data.itemList).toHaveLength(35);
    expect(first.body.data.hasMore).toBe(true);
    expect(first.body.data.itemList[0]).toEqual({
      id: '70000',
      desc: '',
      createTime: AFTERNOON.getTime() / 1000,
      stats: { diggCount: expect.any(Number), commentCount: 1, playCount: expect.any(Number), shareCount: expect.any(Number) },
      author: { uniqueId: 'akun.uji', secUid: 'SECUID-UJI' },
    });
    const second = await get(server, '/api/user/posts', { secUid: 'SECUID-UJI', count: 35, cursor: first.body.data.cursor });
    expect(second.body.data.hasMore).toBe(false);
    expect([...first.body.data.itemList, ...second.body.data.itemList].map((v: Body) => v.id)).toEqual(videos.map((v) => v.id));
  });

  it('pages comments so every comment comes exactly once; 10204 for an unknown video', async () => {
    const server = await start({ commentsPerPage: 20 });
    const commenters = [...likers(45, 'penonton'), 'penonton.3', 'penonton.3'];
    server.setTiktokAccount('akun.uji', { videos: [{ id: '7111', createTime: AFTERNOON, commenters }] });
    const first = await get(server, '/api/post/comments', { videoId: '7111', count: 50, cursor: 0 });
    expect(first.body.data).toMatchObject({ cursor: 20, has_more: 1, total: 47 });
    expect(first.body.data.comments[0]).toEqual({
      cid: expect.stringMatching(/^\d+$/),
      text: expect.any(String),
      create_time: expect.any(Number),
      user: { uid: expect.stringMatching(/^\d+$/), unique_id: 'penonton.0', nickname: expect.any(String) },
    });
    const all = await allComments(server, '7111');
    expect(all.map((c) => c.user.unique_id)).toEqual(commenters);
    expect(new Set(all.map((c) => c.cid)).size).toBe(47);
    expect((await get(server, '/api/post/comments', { videoId: '999', count: 50, cursor: 0 })).body).toEqual({
      data: { comments: [], cursor: 0, has_more: 0, total: 0 },
      statusCode: 10204,
    });
  });

  it('serves generated videos from the secUid its info gave, commenters included', async () => {
    const server = await start();
    const { secUid } = (await get(server, '/api/user/info', { uniqueId: 'polresabc' })).body.userInfo.user;
    const { body } = await get(server, '/api/user/posts', { secUid, count: 35, cursor: 0 });
    expect(body.data.itemList.length).toBe(5); // 00:10, 08:20, 13:05 today; 13:05, 19:30 yesterday
    const video = body.data.itemList[0];
    expect((await allComments(server, video.id)).length).toBe(video.stats.commentCount);
  });
});

describe('fake RapidAPI: determinism', () => {
  it('gives two servers on the same day the same data', async () => {
    const [a, b] = [await start(), await start()];
    const snapshot = async (s: FakeRapidApi) => {
      const posts = (await get(s, '/v1/posts', { username_or_id_or_url: 'polres.kota' })).text;
      const code = JSON.parse(posts).data.items[1].code;
      const info = (await get(s, '/api/user/info', { uniqueId: 'polres.kota' })).body;
      const videos = (await get(s, '/api/user/posts', { secUid: info.userInfo.user.secUid, count: 35, cursor: 0 })).text;
      const id = JSON.parse(videos).data.itemList[0].id;
      return [posts, (await allLikers(s, code)).usernames, JSON.stringify(info), videos, await allComments(s, id)];
    };
    expect(await snapshot(a)).toEqual(await snapshot(b));
  });

  it('gives another account other posts and likers', async () => {
    const server = await start();
    const one = (await get(server, '/v1/posts', { username_or_id_or_url: 'polres.satu' })).body.data.items[0];
    const two = (await get(server, '/v1/posts', { username_or_id_or_url: 'polres.dua' })).body.data.items[0];
    expect(one.code).not.toBe(two.code);
    expect((await allLikers(server, one.code)).usernames).not.toEqual((await allLikers(server, two.code)).usernames);
  });
});

describe('fake RapidAPI: faults', () => {
  it('answers 429 with Retry-After, then as usual; faults are used in order and `times` counts', async () => {
    const server = await start();
    const path = '/v1/info';
    const q = { username_or_id_or_url: 'polresabc' };
    server.fault({ path, status: 429, retryAfter: '1' });
    server.fault({ path, status: 500, times: 2 });
    const limited = await get(server, path, q);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body.message).toEqual(expect.any(String));
    expect((await get(server, path, q)).status).toBe(500);
    expect((await get(server, path, q)).status).toBe(500);
    expect((await get(server, path, q)).status).toBe(200);
  });

  it('answers a raw body, and matches only the query it names', async () => {
    const server = await start();
    server.fault({ path: '/v1/info', query: { username_or_id_or_url: 'rusak' }, body: 'not json{' });
    expect((await get(server, '/v1/info', { username_or_id_or_url: 'polresabc' })).status).toBe(200);
    expect((await get(server, '/v1/posts', { username_or_id_or_url: 'rusak' })).status).toBe(200);
    const raw = await get(server, '/v1/info', { username_or_id_or_url: 'rusak' });
    expect([raw.status, raw.text]).toEqual([200, 'not json{']);
    expect((await get(server, '/v1/info', { username_or_id_or_url: 'rusak' })).status).toBe(200);
  });

  it('hangs until close(), which ends the connection', async () => {
    const server = await startFakeRapidApi({ port: 0 });
    server.fault({ path: '/api/user/info', hang: true });
    const pending = fetch(`${server.url}/api/user/info?uniqueId=x`, { headers: { 'X-RapidAPI-Key': server.key } });
    const settled = pending.then(
      () => 'answered',
      () => 'failed',
    );
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.close();
    expect(await settled).toBe('failed');
  });

  it('empties a likers page but keeps its next cursor: paging goes on with the following page', async () => {
    const server = await start({ likersPerPage: 10 });
    const names = likers(35);
    server.setInstagramAccount('akun.uji', { posts: [{ code: 'POST1', takenAt: AFTERNOON, likers: names }] });
    const first = await get(server, '/v1/likes', { code_or_id_or_url: 'POST1' });
    server.fault({ path: '/v1/likes', query: { cursor: first.body.data.next_cursor }, emptyPage: true });
    const all = await allLikers(server, 'POST1');
    expect(all.pages).toBe(4);
    expect(all.usernames).toEqual([...names.slice(0, 10), ...names.slice(20)]);
    // An emptied last page still points on, to an empty end.
    server.fault({ path: '/v1/likes', emptyPage: true, times: 4 });
    const emptied = await allLikers(server, 'POST1');
    expect(emptied).toEqual({ usernames: [], pages: 5 });
  });

  it('empties pages of posts, videos and comments the same way', async () => {
    const server = await start({ postsPerPage: 4, commentsPerPage: 10 });
    server.fault({ path: '/v1/posts', emptyPage: true });
    const posts = await allPosts(server, 'polresabc');
    expect(posts).toHaveLength(2);

    server.setTiktokAccount('akun.uji', {
      secUid: 'S',
      videos: [{ id: '71', createTime: AFTERNOON, commenters: likers(25) }, { id: '72', createTime: new Date(0), commenters: [] }],
    });
    server.fault({ path: '/api/user/posts', emptyPage: true });
    const empty = await get(server, '/api/user/posts', { secUid: 'S', count: 1, cursor: 0 });
    expect(empty.body.data).toEqual({ itemList: [], hasMore: true, cursor: '1' });
    expect((await get(server, '/api/user/posts', { secUid: 'S', count: 1, cursor: 1 })).body.data.itemList[0].id).toBe('72');

    server.fault({ path: '/api/post/comments', query: { cursor: '10' }, emptyPage: true });
    const comments = await allComments(server, '71');
    expect(comments.map((c) => c.user.unique_id)).toEqual([...likers(10), ...likers(25).slice(20)]);
  });
});

describe('fake RapidAPI: the demo client', () => {
  const now = new Date('2026-03-10T05:30:00Z'); // 12:30 in Jakarta

  it("serves the seed's posts and videos plus one new one, with the seed's likers and some new member likers", async () => {
    const server = await start({ now: () => now });
    const org = buildDemoOrganisation(now, ZONE);
    const today = dayWindow(now, ZONE);
    const isToday = (seconds: number) => seconds * 1000 >= today.start.getTime() && seconds * 1000 < today.end.getTime();

    const posts = await allPosts(server, org.client.client_insta);
    const todays = posts.filter((p) => isToday(p.taken_at));
    expect(posts.length).toBeGreaterThan(todays.length); // yesterday's show where today ends
    const seeded = org.instaPosts.map((p) => p.id);
    expect(todays).toHaveLength(seeded.length + 1);
    expect(todays.map((p) => p.code).filter((c) => seeded.includes(c)).sort()).toEqual([...seeded].sort());

    const memberHandles = new Set(org.members.map((m) => handleOfEntry(m.insta, 'instagram')).filter(Boolean));
    const stored = org.instaPosts[1]!;
    const storedHandles = stored.engagement!.map((e) => handleOfEntry(e, 'instagram'));
    const served = (await allLikers(server, stored.id)).usernames;
    expect(served).toEqual(expect.arrayContaining(storedHandles));
    const fresh = served.filter((h) => !storedHandles.includes(h));
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((h) => memberHandles.has(h))).toBe(true);

    const info = (await get(server, '/api/user/info', { uniqueId: org.client.client_tiktok })).body.userInfo.user;
    const videos = (await get(server, '/api/user/posts', { secUid: info.secUid, count: 35, cursor: 0 })).body.data.itemList;
    const todaysVideos = videos.filter((v: Body) => isToday(v.createTime)).map((v: Body) => v.id);
    expect(todaysVideos).toHaveLength(org.tiktokPosts.length + 1);
    expect(todaysVideos).toEqual(expect.arrayContaining(org.tiktokPosts.map((p) => p.id)));
    const commented = (await allComments(server, org.tiktokPosts[0]!.id)).map((c) => c.user.unique_id);
    expect(commented).toEqual(expect.arrayContaining(org.tiktokPosts[0]!.engagement!.map((e) => handleOfEntry(e, 'tiktok'))));
  });

  it('answers likes for a demo shortcode without a listing first', async () => {
    const server = await start({ now: () => now });
    const code = buildDemoOrganisation(now, ZONE).instaPosts[0]!.id;
    expect((await get(server, '/v1/likes', { code_or_id_or_url: code })).status).toBe(200);
  });
});

describe('cicero fake-rapidapi', () => {
  it('prints how to point Cicero at it, answers, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [cliPath, 'fake-rapidapi', '--port', '0'], { env: cliEnv({}) });
    children.push(child);
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before printing`)));
    });
    const match = /^Fake RapidAPI on (http:\/\/127\.0\.0\.1:\d+) — set RAPIDAPI_INSTAGRAM_URL=(\S+) RAPIDAPI_TIKTOK_URL=(\S+) RAPIDAPI_KEY=fake-rapidapi-key$/.exec(line);
    expect(match, line).not.toBeNull();
    const url = match![1]!;
    expect([match![2], match![3]]).toEqual([url, url]);
    const res = await fetch(`${url}/api/user/info?uniqueId=polresabc`, { headers: { 'X-RapidAPI-Key': 'fake-rapidapi-key' } });
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a port that is not a number with a usage error', () => {
    const result = runCli(['fake-rapidapi', '--port', 'abc'], {});
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/option '--port <port>' argument 'abc' is invalid/);
  });
});
