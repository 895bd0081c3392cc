/**
 * The profile check (issue 13, item 5) through the memory transport, against the
 * stand-in RapidAPI server: when a member or operator sets an Instagram or TikTok
 * handle, the account is looked up first. Found: set, and an Instagram profile stored;
 * private: set with a warning; missing: refused, nothing changed; no key or a failing
 * service (one try only: 5xx, no answer, an unknown endpoint, an answer that is not an
 * account): set, with a note that it was not checked.
 */
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import type { Logger } from '../../src/log.js';
import * as mt from '../../src/members/manage-texts.js';
import { keepProfile, storeProfile } from '../../src/members/profile-check.js';
import * as text from '../../src/members/texts.js';
import { type FakeRapidApi, startFakeRapidApi } from '../../src/rapidapi/fake-server.js';
import type { Profile } from '../../src/rapidapi/types.js';
import { CLIENT, createTestBot, MEMBER, OPERATOR, seedChatFixture, silentLog, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const NEW = '6281900000011';
const AT = new Date('2026-11-25T03:00:00Z');

describe(`the profile check when a handle is set (${backend})`, () => {
  const database = useTestDatabase();
  let fake: FakeRapidApi;
  let t: TestBot;
  let logged: Array<{ level: number; msg: string; kind?: string }>;

  beforeAll(async () => {
    fake = await startFakeRapidApi({ port: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });

  const capture = (): Logger =>
    pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
  const withKey = (db: Db, log: Logger = silentLog) =>
    createTestBot(db, {
      env: { CICERO_FLOOD_MAX: '1000', RAPIDAPI_KEY: fake.key, RAPIDAPI_INSTAGRAM_URL: fake.url, RAPIDAPI_TIKTOK_URL: fake.url },
      log,
    });

  beforeEach(async () => {
    const { db } = database();
    for (const table of ['change_log', '"user"', 'conversation', 'login_log', 'nrp_lookup', 'instagram_user', 'insta_profile']) {
      await db.query(`DELETE FROM ${table}`);
    }
    await seedChatFixture(db);
    await db.query(
      `INSERT INTO "user" (user_id, nama, title, divisi, client_id, insta, tiktok, status) VALUES
         ('75070207', 'SITI AMINAH', 'BRIPKA', 'SAT LANTAS', $1, 'siti.aminah', 'siti_tt', true),
         ('75070209', 'ANI', 'BRIGPOL', 'SAT RESKRIM', $1, 'ani.taken', NULL, true)`,
      [CLIENT],
    );
    logged = [];
    t = await withKey(db);
  });

  const handles = async (nrp: string) =>
    (await database().db.query<{ insta: string | null; tiktok: string | null }>('SELECT insta, tiktok FROM "user" WHERE user_id = $1', [nrp]))
      .rows[0]!;
  /** The requests the stand-in got while `work` ran. */
  const requestsDuring = async (work: () => Promise<unknown>) => {
    const from = fake.requests.length;
    await work();
    return fake.requests.slice(from);
  };
  const first = async (from: string, message: string) => (await t.replies(from, message))[0] ?? '';
  /** What the stand-in answers for an Instagram profile (asked directly, as the bot asks it). */
  const instagramAnswer = async (username: string) => {
    const response = await fetch(`${fake.url}/v1/info?username_or_id_or_url=${username}`, { headers: { 'x-rapidapi-key': fake.key } });
    return ((await response.json()) as { data: Record<string, unknown> }).data;
  };

  it('Instagram found: the handle is set without a note, and the profile is stored in all three tables', async () => {
    fake.setInstagramAccount('budi.santoso', { posts: [], userId: '5550001', fullName: 'Budi Santoso', followers: 1500 });
    const requests = await requestsDuring(async () => {
      expect(await t.replies(MEMBER, 'insta#https://www.instagram.com/Budi.Santoso/')).toEqual([
        text.handleUpdated('instagram', 'budi.santoso', '75070206'),
      ]);
    });
    expect(requests.map((r) => [r.path, r.query.username_or_id_or_url, r.headers.key])).toEqual([['/v1/info', 'budi.santoso', fake.key]]);
    expect((await handles('75070206')).insta).toBe('budi.santoso');

    const answer = await instagramAnswer('budi.santoso');
    const { db } = database();
    const profile = (await db.query('SELECT * FROM insta_profile')).rows;
    expect(profile).toEqual([
      {
        username: 'budi.santoso',
        full_name: 'Budi Santoso',
        biography: answer.biography,
        follower_count: 1500,
        following_count: answer.following_count,
        post_count: answer.media_count,
        profile_pic_url: answer.profile_pic_url,
        updated_at: AT,
      },
    ]);
    const user = (await db.query('SELECT * FROM instagram_user')).rows;
    expect(user).toEqual([
      expect.objectContaining({
        user_id: '5550001',
        username: 'budi.santoso',
        full_name: 'Budi Santoso',
        biography: answer.biography,
        category: 'Government Organization',
        account_type: 1,
        external_url: null,
        is_business: true,
        is_private: false,
        is_verified: false,
        public_email: null,
        public_phone_number: null,
        profile_pic_url: answer.profile_pic_url,
        profile_pic_url_hd: answer.profile_pic_url_hd,
        premium_status: false,
      }),
    ]);
    const metrics = (await db.query('SELECT * FROM instagram_user_metrics')).rows;
    expect(metrics).toEqual([
      {
        user_id: '5550001',
        follower_count: 1500,
        following_count: answer.following_count,
        media_count: answer.media_count,
        total_igtv_videos: 0,
        latest_reel_media: 0,
      },
    ]);
  });

  it('TikTok found: the handle is set without a note; nothing is stored (no table for TikTok profiles)', async () => {
    const requests = await requestsDuring(async () => {
      expect(await t.replies(MEMBER, 'tiktok#@Budi_S')).toEqual([text.handleUpdated('tiktok', 'budi_s', '75070206')]);
    });
    expect(requests.map((r) => [r.path, r.query.uniqueId])).toEqual([['/api/user/info', 'budi_s']]);
    expect((await handles('75070206')).tiktok).toBe('budi_s');
    expect((await database().db.query('SELECT * FROM insta_profile')).rows).toEqual([]);
  });

  it('a private account is accepted with a warning (and an Instagram one stored as private)', async () => {
    expect(await t.replies(MEMBER, 'insta#privat.budi')).toEqual([
      text.withNote(text.handleUpdated('instagram', 'privat.budi', '75070206'), text.profilePrivate('instagram', 'privat.budi', true)),
    ]);
    expect(text.profilePrivate('instagram', 'privat.budi', true)).toBe(
      '⚠️ Akun Instagram *@privat.budi* bersifat privat (dikunci). Pastikan itu memang akun Anda sendiri.',
    );
    const { rows } = await database().db.query<{ username: string; is_private: boolean }>('SELECT username, is_private FROM instagram_user');
    expect(rows).toEqual([{ username: 'privat.budi', is_private: true }]);

    // TikTok, through the member's menu.
    await t.say(MEMBER, 'userrequest');
    await t.say(MEMBER, '2');
    expect(await t.replies(MEMBER, '6')).toEqual([text.askHandle('tiktok')]);
    const [done] = await t.replies(MEMBER, 'https://www.tiktok.com/@privat_budi');
    expect(done).toMatch(/^✅ TikTok Anda berhasil diubah menjadi \*@privat_budi\*\.\n⚠️ Akun TikTok \*@privat_budi\* bersifat privat/);
    expect(await handles('75070206')).toEqual({ insta: 'privat.budi', tiktok: 'privat_budi' });
  });

  it('a nonexistent account is refused with the reason, on every member path; the stored handle stays', async () => {
    await t.say(MEMBER, 'insta#budi.lama');
    await t.say(MEMBER, 'tiktok#budi_lama');
    const missing = text.profileMissing('instagram', 'tidakada.budi');
    expect(missing).toBe('❌ Akun Instagram *@tidakada.budi* tidak ditemukan. Periksa kembali username-nya (tanpa @) lalu kirim lagi.');
    // insta#
    expect(await t.replies(MEMBER, 'insta#tidakada.budi')).toEqual([missing]);
    // the menu asks again
    await t.say(MEMBER, 'userrequest');
    await t.say(MEMBER, '2');
    await t.say(MEMBER, '5');
    expect(await t.replies(MEMBER, 'tidakada.budi')).toEqual([`${missing}\n\n${text.askHandle('instagram')}`]);
    await t.say(MEMBER, 'batal');
    // a TikTok profile link sent alone, then ya
    expect(await t.replies(MEMBER, 'https://www.tiktok.com/@tidakada_budi')).toEqual([text.offerHandle('tiktok', 'tidakada_budi')]);
    expect(await t.replies(MEMBER, 'ya')).toEqual([text.profileMissing('tiktok', 'tidakada_budi')]);
    expect(await handles('75070206')).toEqual({ insta: 'budi.lama', tiktok: 'budi_lama' });
    const changes = await database().db.query(`SELECT new_value FROM change_log WHERE new_value LIKE 'tidakada%'`);
    expect(changes.rows).toEqual([]);
  });

  it('an unbound number binding after a profile link: bound, and the missing account refused', async () => {
    await t.say(NEW, 'https://www.instagram.com/tidakada.siti');
    await t.say(NEW, 'ya');
    await t.say(NEW, '75070209');
    const done = await first(NEW, 'ya');
    expect(done).toMatch(/^✅ Nomor WhatsApp ini telah terhubung dengan NRP\/NIP \*75070209\*/);
    expect(done.endsWith(text.profileMissing('instagram', 'tidakada.siti'))).toBe(true);
    expect(await handles('75070209')).toEqual({ insta: 'ani.taken', tiktok: null });
  });

  it('an unchanged handle, or one another member has, is not looked up', async () => {
    const requests = await requestsDuring(async () => {
      expect(await first(OPERATOR, 'ubahanggota#75070207#insta#@Siti.Aminah')).toMatch(/sudah seperti itu/);
      expect(await t.replies(MEMBER, 'insta#ani.taken')).toEqual([text.handleTaken('instagram', 'ani.taken')]);
    });
    expect(requests).toEqual([]);
  });

  it('without a key: accepted, with "not checked", and no request made', async () => {
    t = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000', RAPIDAPI_INSTAGRAM_URL: fake.url, RAPIDAPI_TIKTOK_URL: fake.url } });
    const requests = await requestsDuring(async () => {
      expect(await t.replies(MEMBER, 'insta#tidakada.budi')).toEqual([
        text.withNote(text.handleUpdated('instagram', 'tidakada.budi', '75070206'), '(Akun tidak diperiksa.)'),
      ]);
      expect(await t.replies(MEMBER, 'tiktok#budi_s')).toEqual([
        text.withNote(text.handleUpdated('tiktok', 'budi_s', '75070206'), text.profileUnchecked('tiktok', false)),
      ]);
    });
    expect(requests).toEqual([]);
    expect(await handles('75070206')).toEqual({ insta: 'tidakada.budi', tiktok: 'budi_s' });
  });

  it('a failing service (500, 503): accepted with a note after ONE try (no retries), on both platforms', async () => {
    t = await withKey(database().db, capture());
    // One fault each: a retry would get the account, and no note (faults left queued would
    // leak into the next tests, as the stand-in is shared).
    fake.fault({ path: '/v1/info', status: 500 });
    const ig = await requestsDuring(async () => {
      expect(await t.replies(MEMBER, 'insta#budi.santoso')).toEqual([
        text.withNote(
          text.handleUpdated('instagram', 'budi.santoso', '75070206'),
          '(Akun belum diperiksa: layanan Instagram sedang tidak dapat dihubungi.)',
        ),
      ]);
    });
    expect(ig.map((r) => r.path)).toEqual(['/v1/info']);
    fake.fault({ path: '/api/user/info', status: 503 });
    const tt = await requestsDuring(async () => {
      expect(await t.replies(MEMBER, 'tiktok#budi_s')).toEqual([
        text.withNote(text.handleUpdated('tiktok', 'budi_s', '75070206'), text.profileUnchecked('tiktok', true)),
      ]);
    });
    expect(tt.map((r) => r.path)).toEqual(['/api/user/info']);
    expect(await handles('75070206')).toEqual({ insta: 'budi.santoso', tiktok: 'budi_s' });
    expect((await database().db.query('SELECT * FROM insta_profile')).rows).toEqual([]);
    expect(logged.map((l) => [l.level, l.kind])).toEqual([
      [40, 'upstream'],
      [40, 'upstream'],
    ]);
  });

  it('an unknown endpoint (a wrong RAPIDAPI_INSTAGRAM_URL; the gateway answers 404) is not a missing account: accepted unchecked', async () => {
    const wrong = `${fake.url}/nope`;
    // What the stand-in answers for a path it does not know, as RapidAPI's gateway does.
    const direct = await fetch(`${wrong}/v1/info?username_or_id_or_url=tidakada.budi`, { headers: { 'x-rapidapi-key': fake.key } });
    expect(direct.status).toBe(404);
    expect(await direct.json()).toEqual({ message: "Endpoint '/nope/v1/info' does not exist" });

    t = await createTestBot(database().db, {
      env: { CICERO_FLOOD_MAX: '1000', RAPIDAPI_KEY: fake.key, RAPIDAPI_INSTAGRAM_URL: wrong, RAPIDAPI_TIKTOK_URL: fake.url },
      log: capture(),
    });
    const requests = await requestsDuring(async () => {
      // An account the stand-in would call missing: still not refused, as it was never looked up.
      expect(await t.replies(MEMBER, 'insta#tidakada.budi')).toEqual([
        text.withNote(text.handleUpdated('instagram', 'tidakada.budi', '75070206'), text.profileUnchecked('instagram', true)),
      ]);
    });
    expect(requests.map((r) => r.path)).toEqual(['/nope/v1/info']);
    expect((await handles('75070206')).insta).toBe('tidakada.budi');
    expect(logged.map((l) => [l.level, l.kind])).toEqual([[40, 'upstream']]);
  });

  it('a 2xx answer that holds no account is not a missing account: accepted unchecked, on both platforms', async () => {
    t = await withKey(database().db, capture());
    fake.fault({ path: '/v1/info', body: '{"data":{}}' });
    expect(await t.replies(MEMBER, 'insta#tidakada.budi')).toEqual([
      text.withNote(text.handleUpdated('instagram', 'tidakada.budi', '75070206'), text.profileUnchecked('instagram', true)),
    ]);
    fake.fault({ path: '/api/user/info', body: '{"statusCode":0}' });
    expect(await t.replies(MEMBER, 'tiktok#tidakada_budi')).toEqual([
      text.withNote(text.handleUpdated('tiktok', 'tidakada_budi', '75070206'), text.profileUnchecked('tiktok', true)),
    ]);
    expect(await handles('75070206')).toEqual({ insta: 'tidakada.budi', tiktok: 'tidakada_budi' });
    expect((await database().db.query('SELECT * FROM insta_profile')).rows).toEqual([]);
    expect(logged.map((l) => [l.level, l.kind])).toEqual([
      [40, 'malformed'],
      [40, 'malformed'],
    ]);
  });

  it('a service that never answers: accepted unchecked after one try that timed out', async () => {
    t = await createTestBot(database().db, {
      env: { CICERO_FLOOD_MAX: '1000', RAPIDAPI_KEY: fake.key, RAPIDAPI_INSTAGRAM_URL: fake.url, RAPIDAPI_TIKTOK_URL: fake.url, RAPIDAPI_TIMEOUT_S: '1' },
      log: capture(),
    });
    // One fault: a retry would get the account, and no note.
    fake.fault({ path: '/v1/info', hang: true });
    const requests = await requestsDuring(async () => {
      expect(await t.replies(MEMBER, 'insta#budi.santoso')).toEqual([
        text.withNote(text.handleUpdated('instagram', 'budi.santoso', '75070206'), text.profileUnchecked('instagram', true)),
      ]);
    });
    expect(requests.map((r) => r.path)).toEqual(['/v1/info']);
    expect((await handles('75070206')).insta).toBe('budi.santoso');
    expect(logged.map((l) => [l.level, l.kind])).toEqual([[40, 'timeout']]);
  });

  it('a refused key (403): accepted unchecked after one try, and logged as an error', async () => {
    t = await withKey(database().db, capture());
    fake.fault({ path: '/v1/info', status: 403 });
    const requests = await requestsDuring(async () => {
      expect(await t.replies(MEMBER, 'insta#budi.santoso')).toEqual([
        text.withNote(text.handleUpdated('instagram', 'budi.santoso', '75070206'), text.profileUnchecked('instagram', true)),
      ]);
    });
    expect(requests).toHaveLength(1);
    expect((await handles('75070206')).insta).toBe('budi.santoso');
    expect(logged).toEqual([expect.objectContaining({ level: 50, kind: 'key-refused', msg: expect.stringMatching(/accepted unchecked/) })]);
  });

  it('an operator setting a member\'s handle: checked the same way, by command and by menu', async () => {
    expect(await first(OPERATOR, 'ubahanggota#75070207#insta#tidakada.siti')).toBe(text.profileMissing('instagram', 'tidakada.siti'));
    const priv = await first(OPERATOR, 'ubahanggota#75070207#insta#privat.siti');
    expect(priv).toMatch(/^✅ Instagram untuk NRP\/NIP \*75070207\* berhasil diubah\.\n⚠️ Akun Instagram \*@privat\.siti\* bersifat privat \(dikunci\)\. Pastikan itu memang akun anggota tersebut\.\n\n👤/);
    expect(priv).toContain('Instagram: @privat.siti');
    const found = await first(OPERATOR, 'ubahanggota#75070207#insta#siti.baru');
    expect(found).toMatch(/^✅ Instagram untuk NRP\/NIP \*75070207\* berhasil diubah\.\n\n👤/);
    expect((await database().db.query('SELECT username FROM insta_profile ORDER BY username')).rows).toEqual([
      { username: 'privat.siti' },
      { username: 'siti.baru' },
    ]);

    // The menu: a missing account is asked again; a found one comes back to the menu.
    await t.say(OPERATOR, 'oprrequest');
    await t.say(OPERATOR, '2');
    await t.say(OPERATOR, '75070207');
    expect(await t.replies(OPERATOR, '7')).toEqual([mt.askValue('tiktok')]);
    expect(await t.replies(OPERATOR, 'tidakada_siti')).toEqual([`${text.profileMissing('tiktok', 'tidakada_siti')}\n\n${mt.askValue('tiktok')}`]);
    const done = (await t.replies(OPERATOR, 'siti_baru')).join('\n');
    expect(done).toMatch(/^✅ TikTok untuk NRP\/NIP \*75070207\* berhasil diubah\.\n\n👤/);
    expect(done.endsWith(mt.operatorMenu(CLIENT))).toBe(true);
    expect(await handles('75070207')).toEqual({ insta: 'siti.baru', tiktok: 'siti_baru' });
  });
});

describe(`storing a checked Instagram profile (${backend})`, () => {
  const database = useTestDatabase();
  const profile = (userId: string, username: string, followers: number): Profile => ({
    platform: 'instagram',
    userId,
    username,
    fullName: username.toUpperCase(),
    biography: null,
    followers,
    following: 10,
    posts: 5,
    profilePicUrl: null,
    profilePicUrlHd: null,
    isPrivate: false,
    isVerified: null,
    isBusiness: null,
    category: null,
    accountType: null,
    externalUrl: null,
    publicEmail: null,
    publicPhoneNumber: null,
    totalIgtvVideos: null,
    latestReelMedia: null,
    secUid: null,
  });
  const users = async () =>
    (await database().db.query('SELECT u.user_id, u.username, m.follower_count FROM instagram_user u JOIN instagram_user_metrics m USING (user_id) ORDER BY u.user_id')).rows;

  it('upserts; a username another account id held moves to the account that has it now', async () => {
    const { db } = database();
    await storeProfile(db, profile('111', 'nama.lama', 10), AT);
    await storeProfile(db, profile('111', 'nama.lama', 20), AT);
    expect(await users()).toEqual([{ user_id: '111', username: 'nama.lama', follower_count: 20 }]);
    // Account 111 renamed itself; account 222 took its old name.
    await storeProfile(db, profile('222', 'nama.lama', 30), AT);
    expect(await users()).toEqual([
      { user_id: '111', username: '#111', follower_count: 20 },
      { user_id: '222', username: 'nama.lama', follower_count: 30 },
    ]);
    await storeProfile(db, profile('111', 'nama.baru', 40), AT);
    expect(await users()).toEqual([
      { user_id: '111', username: 'nama.baru', follower_count: 40 },
      { user_id: '222', username: 'nama.lama', follower_count: 30 },
    ]);
    const { rows } = await db.query('SELECT username, follower_count FROM insta_profile ORDER BY username');
    expect(rows).toEqual([
      { username: 'nama.baru', follower_count: 40 },
      { username: 'nama.lama', follower_count: 30 },
    ]);
  });

  it('a failure to store is logged, not thrown', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
    const broken = { ...database().db, tx: async () => Promise.reject(new Error('disk full')) } as unknown as Db;
    await expect(keepProfile(broken, log, { status: 'found', profile: profile('333', 'x', 1) }, AT)).resolves.toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/could not store the checked profile/);
  });
});
