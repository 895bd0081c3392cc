/**
 * The fetch commands driven through the bot, against the stand-in RapidAPI server
 * over real HTTP: what operators see, and what ends up in the database.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeRapidApi, startFakeRapidApi } from '../../src/rapidapi/fake-server.js';
import { ADMIN, CLIENT, createTestBot, GROUP, MEMBER, OPERATOR, seedChatFixture, type TestBot } from '../helpers/bot.js';
import { useTestDatabase } from '../helpers/db.js';

const database = useTestDatabase();
let fake: FakeRapidApi;
let t: TestBot;
/** Waits the RapidAPI client asked for (retries), in ms. */
let sleeps: number[];

// The test bot's clock: Wednesday 25 November 2026, 10.00 WIB.
const wib = (hhmm: string, day = '2026-11-25') => new Date(`${day}T${hhmm}:00+07:00`);

const post = (code: string, at: Date, likers: string[]) => ({ code, takenAt: at, caption: `Konten ${code}`, likers });

beforeAll(async () => {
  fake = await startFakeRapidApi({ port: 0, now: () => t?.clock.now ?? new Date('2026-11-25T03:00:00Z'), likersPerPage: 2 });
});
afterAll(() => fake.close());

function env(key = fake.key): Record<string, string> {
  return { RAPIDAPI_KEY: key, RAPIDAPI_INSTAGRAM_URL: fake.url, RAPIDAPI_TIKTOK_URL: fake.url };
}

beforeEach(async () => {
  const { db } = database();
  await db.query(`DELETE FROM insta_post`);
  await db.query(`DELETE FROM tiktok_post`);
  await seedChatFixture(db);
  await db.query(`UPDATE clients SET client_insta = 'polres.abc', client_tiktok = 'polresabc', tiktok_secuid = NULL WHERE client_id = $1`, [CLIENT]);
  await db.query(`UPDATE "user" SET insta = 'budi.s', tiktok = 'budi_tt' WHERE user_id = '75070206'`);
  await db.query(
    `INSERT INTO "user" (user_id, nama, title, divisi, client_id, insta, tiktok)
     VALUES ('80010001', 'ANI RAHAYU', 'BRIPKA', 'SAT BINMAS', $1, 'ani_r', 'ani_tt') ON CONFLICT (user_id) DO NOTHING`,
    [CLIENT],
  );
  fake.setInstagramAccount('polres.abc', {
    posts: [
      post('TODAY2', wib('08:30'), ['budi.s', 'warga1', 'warga2']),
      post('TODAY1', wib('00:00'), ['ani_r', 'budi.s', 'warga3']),
      post('LASTDAY', wib('23:59', '2026-11-24'), ['ani_r']),
    ],
  });
  fake.setTiktokAccount('polresabc', {
    secUid: 'SEC-ABC',
    videos: [
      { id: '7000000000000000002', createTime: wib('09:00'), commenters: ['ani_tt', 'ani_tt', 'warga9'] },
      { id: '7000000000000000001', createTime: wib('23:00', '2026-11-24'), commenters: ['budi_tt'] },
    ],
  });
  sleeps = [];
  t = await createTestBot(db, {
    env: env(),
    rapidapi: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  });
});

async function likesOf(code: string): Promise<string[]> {
  const { rows } = await database().db.query<{ likes: string[] }>(`SELECT likes FROM insta_like WHERE shortcode = $1`, [code]);
  return [...(rows[0]?.likes ?? [])].sort();
}

async function matched(platform: string): Promise<string[]> {
  const { rows } = await database().db.query<{ m: string }>(
    `SELECT post_id || ':' || user_id AS m FROM engagement_match WHERE platform = $1 ORDER BY 1`,
    [platform],
  );
  return rows.map((r) => r.m);
}

describe('fetchinsta and fetchlikes', () => {
  it("stores the day's posts (from 00.00 WIB, not the evening before) and their likers", async () => {
    const [posts] = await t.replies(ADMIN, `fetchinsta#${CLIENT}`);
    expect(posts).toContain('Konten: *2* (baru 2, diperbarui 0, dihapus 0)');
    expect(posts).toMatch(/^✅ Pengambilan data \*POLRESABC\* selesai \(Rabu, 25\/11\/2026\)\./);
    const { rows } = await database().db.query<{ shortcode: string }>(`SELECT shortcode FROM insta_post ORDER BY created_at`);
    expect(rows.map((r) => r.shortcode)).toEqual(['TODAY1', 'TODAY2']);

    const [likes] = await t.replies(OPERATOR, 'fetchlikes');
    expect(likes).toContain('Likes tersimpan: *6* (baru 6) dari 2 konten');
    expect(await likesOf('TODAY1')).toEqual(['ani_r', 'budi.s', 'warga3']);
    expect(await matched('instagram')).toEqual(['TODAY1:75070206', 'TODAY1:80010001', 'TODAY2:75070206']);

    const [report] = await t.replies(OPERATOR, 'absensilikes#akumulasi#sudah');
    expect(report).toContain('BUDI');
    expect(report).toContain('ANI');
  });

  it('keeps every liker when a later run lists fewer, and counts only the new ones', async () => {
    await t.replies(ADMIN, `fetch#${CLIENT}`);
    fake.setInstagramAccount('polres.abc', {
      posts: [post('TODAY2', wib('08:30'), ['warga1', 'warga7']), post('TODAY1', wib('00:00'), ['ani_r'])],
    });
    const [again] = await t.replies(ADMIN, `fetchlikes#${CLIENT}`);
    expect(again).toContain('Likes tersimpan: *7* (baru 1) dari 2 konten');
    expect(await likesOf('TODAY2')).toEqual(['budi.s', 'warga1', 'warga2', 'warga7']);
    expect(await matched('instagram')).toEqual(['TODAY1:75070206', 'TODAY1:80010001', 'TODAY2:75070206']);
  });

  it('marks a post gone from a complete listing as removed, and marks nothing from a partial one', async () => {
    await t.replies(ADMIN, `fetch#${CLIENT}`);
    fake.setInstagramAccount('polres.abc', { posts: [post('TODAY1', wib('00:00'), ['ani_r']), post('LASTDAY', wib('23:59', '2026-11-24'), [])] });
    // The first page fails three times: nothing is known about the rest.
    fake.fault({ path: '/v1/posts', status: 500, times: 3 });
    const [partial] = await t.replies(ADMIN, `fetchinsta#${CLIENT}`);
    expect(partial).toMatch(/^⚠️ Pengambilan data \*POLRESABC\* selesai sebagian/);
    expect(partial).toContain('Daftar konten tidak lengkap: layanan sedang bermasalah (HTTP 500). Tidak ada konten yang ditandai dihapus.');
    expect(partial).toContain('dihapus 0');

    const [complete] = await t.replies(ADMIN, `fetchinsta#${CLIENT}`);
    expect(complete).toContain('Konten: *1* (baru 0, diperbarui 1, dihapus 1)');
    // Kept with its likes, and out of the report.
    expect(await likesOf('TODAY2')).toEqual(['budi.s', 'warga1', 'warga2']);
    const [report] = await t.replies(ADMIN, `absensilikes#${CLIENT}`);
    expect(report).toContain('TODAY1');
    expect(report).not.toContain('TODAY2');
  });

  it('retries 429 (honouring Retry-After), a 500 and malformed JSON, and gets everything', async () => {
    await t.replies(ADMIN, `fetchinsta#${CLIENT}`);
    fake.fault({ path: '/v1/likes', query: { code_or_id_or_url: 'TODAY1' }, status: 429, retryAfter: '3' });
    fake.fault({ path: '/v1/likes', query: { code_or_id_or_url: 'TODAY2' }, status: 500 });
    fake.fault({ path: '/v1/likes', query: { code_or_id_or_url: 'TODAY2' }, body: 'not json{' });
    const [likes] = await t.replies(ADMIN, `fetchlikes#${CLIENT}`);
    expect(likes).toMatch(/^✅/);
    expect(likes).toContain('Likes tersimpan: *6* (baru 6) dari 2 konten');
    expect(sleeps).toContain(3_000);
    expect(await likesOf('TODAY1')).toEqual(['ani_r', 'budi.s', 'warga3']);
  });

  it('reads on past an empty page in the middle, and a later run fills in what it lacked', async () => {
    await t.replies(ADMIN, `fetchinsta#${CLIENT}`);
    fake.fault({ path: '/v1/likes', query: { code_or_id_or_url: 'TODAY1' }, emptyPage: true });
    await t.replies(ADMIN, `fetchlikes#${CLIENT}`);
    expect(await likesOf('TODAY1')).toEqual(['warga3']);
    const [again] = await t.replies(ADMIN, `fetchlikes#${CLIENT}`);
    expect(again).toContain('(baru 2)');
    expect(await likesOf('TODAY1')).toEqual(['ani_r', 'budi.s', 'warga3']);
  });

  it('names a post whose likers failed, keeps the pages read, and stores the other posts', async () => {
    await t.replies(ADMIN, `fetchinsta#${CLIENT}`);
    // TODAY1's first page (2 likers) answers; its second fails on every try.
    const second = fake.requests.length;
    const page2 = Buffer.from(JSON.stringify({ offset: 2 })).toString('base64url');
    fake.fault({ path: '/v1/likes', query: { code_or_id_or_url: 'TODAY1', cursor: page2 }, status: 502, times: 3 });
    const [likes] = await t.replies(ADMIN, `fetchlikes#${CLIENT}`);
    expect(fake.requests.length).toBeGreaterThan(second);
    expect(likes).toMatch(/^⚠️/);
    expect(likes).toContain('⚠️ 1 konten tidak lengkap:\n- TODAY1: layanan sedang bermasalah (HTTP 502) (sebagian tersimpan)');
    expect((await likesOf('TODAY1')).length).toBe(2);
    expect(await likesOf('TODAY2')).toEqual(['budi.s', 'warga1', 'warga2']);
    // It counts, with the likers stored, and the report says its data is incomplete.
    const [report] = await t.replies(ADMIN, `absensilikes#${CLIENT}`);
    expect(report).toContain('https://www.instagram.com/p/TODAY1 (data likes belum lengkap)');
    expect(report).toContain('https://www.instagram.com/p/TODAY2\n');
    // A partial fetch leaves the post's freshness alone.
    const { rows } = await database().db.query<{ shortcode: string; complete: boolean }>(
      `SELECT shortcode, updated_at IS NOT NULL AS complete FROM insta_like ORDER BY shortcode`,
    );
    expect(rows).toEqual([
      { shortcode: 'TODAY1', complete: false },
      { shortcode: 'TODAY2', complete: true },
    ]);
  });

  it('gives up on a post whose service never answers, after three tries, and stores the rest', async () => {
    await t.replies(ADMIN, `fetchinsta#${CLIENT}`);
    // A real timeout (1 s a try): the stand-in holds these requests unanswered.
    const quick = await createTestBot(database().db, { env: { ...env(), RAPIDAPI_TIMEOUT_S: '1' } });
    fake.fault({ path: '/v1/likes', query: { code_or_id_or_url: 'TODAY2' }, hang: true, times: 3 });
    const [likes] = await quick.replies(ADMIN, `fetchlikes#${CLIENT}`);
    expect(likes).toContain('- TODAY2: layanan tidak menjawab tepat waktu');
    expect(await likesOf('TODAY1')).toEqual(['ani_r', 'budi.s', 'warga3']);
    expect(await likesOf('TODAY2')).toEqual([]);
  });

  it('says when the account is gone or private, and when the day has no posts', async () => {
    fake.setInstagramAccount('polres.abc', 'missing');
    const [missing] = await t.replies(ADMIN, `fetchinsta#${CLIENT}`);
    expect(missing).toContain('Daftar konten tidak lengkap: akun @polres.abc tidak ditemukan.');
    fake.setInstagramAccount('polres.abc', 'private');
    const [secret] = await t.replies(ADMIN, `fetchinsta#${CLIENT}`);
    expect(secret).toContain('akun @polres.abc privat');
    fake.setInstagramAccount('polres.abc', { posts: [post('OLD', wib('12:00', '2026-11-20'), [])] });
    const [nothing] = await t.replies(ADMIN, `fetch#${CLIENT}`);
    expect(nothing).toContain('*Instagram* @polres.abc\nTidak ada konten Instagram pada tanggal tersebut.');
    await database().db.query(`DELETE FROM insta_post`);
    expect((await t.replies(ADMIN, `fetchlikes#${CLIENT}`))[0]).toContain(
      'Likes: belum ada konten tersimpan pada tanggal tersebut (ambil kontennya dulu dengan fetchinsta).',
    );
  });
});

describe('TikTok', () => {
  it('finds the secUid once, stores the videos and the commenters', async () => {
    const [videos] = await t.replies(ADMIN, `fetchtiktok#${CLIENT}`);
    expect(videos).toContain('Video: *1* (baru 1, diperbarui 0, dihapus 0)');
    const { rows } = await database().db.query<{ tiktok_secuid: string }>(`SELECT tiktok_secuid FROM clients WHERE client_id = $1`, [CLIENT]);
    expect(rows[0]!.tiktok_secuid).toBe('SEC-ABC');
    const [comments] = await t.replies(ADMIN, `fetchcomments#${CLIENT}`);
    expect(comments).toContain('Komentator tersimpan: *2* (baru 2) dari 1 konten');
    expect(await matched('tiktok')).toEqual(['7000000000000000002:80010001']);
    const lookups = () => fake.requests.filter((r) => r.path === '/api/user/info').length;
    const before = lookups();
    await t.replies(ADMIN, `fetchtiktok#${CLIENT}`);
    expect(lookups()).toBe(before);
    // Another account: the cached secUid goes with the old one, and the next fetch looks it up.
    fake.setTiktokAccount('polresabc.baru', {
      secUid: 'SEC-NEW',
      videos: [{ id: '7100000000000000001', createTime: wib('09:30'), commenters: [] }],
    });
    await t.replies(ADMIN, `updateclient#${CLIENT}#tiktok#polresabc.baru`);
    const secUid = async () =>
      (await database().db.query<{ s: string | null }>(`SELECT tiktok_secuid AS s FROM clients WHERE client_id = $1`, [CLIENT])).rows[0]!.s;
    expect(await secUid()).toBeNull();
    expect((await t.replies(ADMIN, `fetchtiktok#${CLIENT}`))[0]).toContain('*TikTok* @polresabc.baru\nVideo: *1* (baru 1,');
    expect(await secUid()).toBe('SEC-NEW');
  });
});

describe('keys, roles and bad input', () => {
  it('says which variable to set when there is no key, and asks nothing', async () => {
    const before = fake.requests.length;
    const bare = await createTestBot(database().db, { env: { RAPIDAPI_INSTAGRAM_URL: fake.url } });
    const [reply] = await bare.replies(ADMIN, `fetch#${CLIENT}`);
    expect(reply).toContain('RAPIDAPI_KEY belum diatur');
    expect(fake.requests.length).toBe(before);
  });

  it('stops the run at once when the key is refused', async () => {
    const refused = await createTestBot(database().db, { env: env('wrong-key') });
    const before = fake.requests.length;
    const [reply] = await refused.replies(ADMIN, `fetch#${CLIENT}`);
    expect(reply).toContain('*Instagram* @polres.abc\n❌ Dihentikan: kunci RapidAPI ditolak (HTTP 403): periksa RAPIDAPI_KEY dan langganannya.');
    expect(reply).not.toContain('Konten:');
    expect(reply).not.toContain('TikTok');
    expect(fake.requests.length - before).toBe(1);
  });

  it('refuses members, strangers and operators of another client; answers bad input with the syntax', async () => {
    await database().db.query(`INSERT INTO clients (client_id, nama) VALUES ('POLRESXYZ', 'POLRES XYZ') ON CONFLICT DO NOTHING`);
    expect((await t.replies(OPERATOR, 'fetchlikes#POLRESXYZ'))[0]).toContain('hanya dapat melihat rekap client Anda sendiri');
    expect((await t.replies(MEMBER, `fetch#${CLIENT}`))[0]).not.toContain('Pengambilan data');
    expect((await t.replies(ADMIN, 'fetchinsta'))[0]).toContain('Sebutkan client-nya');
    expect((await t.replies(ADMIN, 'fetchinsta#NOPE'))[0]).toContain('Client *NOPE* tidak dikenal');
    expect((await t.replies(ADMIN, `fetchinsta#${CLIENT}#besok-lusa`))[0]).toContain('fetchinsta[#<client>][#<tanggal>|kemarin]');
    expect((await t.replies(ADMIN, `fetchinsta#${CLIENT}#a#b#c`))[0]).toContain('fetchinsta[#<client>][#<tanggal>|kemarin]');
    await database().db.query(`UPDATE clients SET client_insta = NULL WHERE client_id = $1`, [CLIENT]);
    expect((await t.replies(ADMIN, `fetchinsta#${CLIENT}`))[0]).toContain('client belum memiliki akun Instagram');
  });

  it('runs in the client’s bound group for its operator', async () => {
    const replies = await t.say(OPERATOR, 'fetchinsta', { group: GROUP });
    expect(replies.map((r) => r.chatId)).toEqual([GROUP]);
    expect(replies[0]!.text).toContain('Konten: *2*');
  });
});

describe('long runs', () => {
  it('sends a progress line at most every 10 s, then the summary', async () => {
    const many = Array.from({ length: 12 }, (_, i) => post(`P${String(i).padStart(2, '0')}`, wib(`0${Math.floor(i / 2)}:${i % 2 ? '30' : '00'}`), ['budi.s']));
    fake.setInstagramAccount('polres.abc', { posts: many });
    await t.replies(ADMIN, `fetchinsta#${CLIENT}`);
    // Every request to the service takes 3 s of the bot's clock.
    const slow = await createTestBot(database().db, {
      env: env(),
      rapidapi: {
        sleep: async () => {},
        fetch: (async (input: URL, init?: RequestInit) => {
          slow.clock.now = new Date(slow.clock.now.getTime() + 3_000);
          return fetch(input, init);
        }) as typeof fetch,
      },
    });
    const texts = await slow.replies(ADMIN, `fetchlikes#${CLIENT}`);
    const progress = texts.filter((x) => x.startsWith('⏳'));
    // 12 requests × 3 s = 36 s: the first line after 5 s, then at least 10 s apart.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(4);
    expect(progress[0]).toMatch(/^⏳ Instagram: \d+\/12 konten…$/);
    expect(texts.at(-1)).toContain('Likes tersimpan: *12* (baru 12) dari 12 konten');
  });

  it('tells a second run for the same client and platform that one is running', async () => {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    const held = await createTestBot(database().db, {
      env: env(),
      rapidapi: {
        sleep: async () => {},
        fetch: (async (input: URL, init?: RequestInit) => {
          reached();
          await gate;
          return fetch(input, init);
        }) as typeof fetch,
      },
    });
    const first = held.replies(ADMIN, `fetchinsta#${CLIENT}`);
    await atGate;
    const [second] = await held.replies(OPERATOR, 'fetchinsta');
    expect(second).toContain('pengambilan data lain untuk client ini sedang berjalan');
    release();
    expect((await first)[0]).toContain('Konten: *2*');
    const [after] = await held.replies(OPERATOR, 'fetchinsta');
    expect(after).toContain('Konten: *2* (baru 0, diperbarui 0, dihapus 0)');
  });
});
