/** Amplification: members report re-post links by chat; operators read them back. */
import { beforeAll, describe, expect, it } from 'vitest';
import { unknownTextHint } from '../../src/bot/texts.js';
import { linkPlatform, shortcodeOf } from '../../src/compliance/links.js';
import { ADMIN, CLIENT, createTestBot, MEMBER, OPERATOR, STRANGER, type TestBot } from '../helpers/bot.js';
import { MEMBERS, seedWorkedExample } from '../helpers/compliance.js';
import { backend, useTestDatabase } from '../helpers/db.js';

describe('re-post links', () => {
  it.each([
    ['https://www.instagram.com/p/Cx1abc_DEF/', 'instagram'],
    ['instagram.com/reel/Cx1abcDEF?igsh=abc', 'instagram'],
    ['https://www.facebook.com/budi.s/posts/pfbid02abc', 'facebook'],
    ['https://m.facebook.com/story.php?story_fbid=1&id=2', 'facebook'],
    ['https://www.facebook.com/share/p/1AbCdEf/', 'facebook'],
    ['https://fb.watch/abcDEF/', 'facebook'],
    ['https://x.com/budi_s/status/1790000000000000000', 'twitter'],
    ['http://twitter.com/budi_s/status/17900?s=20', 'twitter'],
    ['https://www.tiktok.com/@budi.s/video/7300000000000000000', 'tiktok'],
    ['https://vt.tiktok.com/ZSabc123/', 'tiktok'],
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'youtube'],
    ['https://youtube.com/shorts/dQw4w9WgXcQ?si=x', 'youtube'],
    ['https://youtu.be/dQw4w9WgXcQ', 'youtube'],
  ])('%s is a %s post', (raw, platform) => {
    expect(linkPlatform(raw)?.platform).toBe(platform);
  });

  it.each([
    ['https://www.instagram.com/budi.s/'], // a profile, not a post
    ['https://www.facebook.com/budi.s'],
    ['https://x.com/budi_s'],
    ['https://www.tiktok.com/@budi.s'],
    ['https://www.youtube.com/@budi'],
    ['https://example.com/p/abc'],
    ['budi.s'],
    ['javascript:alert(1)'],
  ])('%s is refused', (raw) => {
    expect(linkPlatform(raw)).toBeNull();
  });

  it('finds the official post from its link or its shortcode', () => {
    expect(shortcodeOf('https://www.instagram.com/p/DEMOabc12/?img_index=1')).toBe('DEMOabc12');
    expect(shortcodeOf('https://www.instagram.com/polresabc/reel/DEMOabc12/')).toBe('DEMOabc12');
    expect(shortcodeOf('DEMOabc12')).toBe('DEMOabc12');
    expect(shortcodeOf('https://x.com/a/status/1')).toBeNull();
    expect(shortcodeOf('ab')).toBeNull();
    expect(shortcodeOf('sc 1')).toBeNull();
  });
});

describe(`laporlink, absensilink, rekaplink, absensiregistrasi (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  const ANI_LID = '222222222222222@lid';
  const ANI_PHONE = '6281300000022';
  beforeAll(async () => {
    const { db } = database();
    await seedWorkedExample(db);
    // ANI is bound by number, and writes from a LID WhatsApp has paired with that number.
    await db.query(`UPDATE "user" SET whatsapp = $2 WHERE user_id = $1`, [MEMBERS.ani, ANI_PHONE]);
    await db.query(`INSERT INTO wa_lid_map (lid, phone) VALUES ($1, $2)`, [ANI_LID, ANI_PHONE]);
    t = await createTestBot(db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const ask = async (from: string, text: string): Promise<string> => {
    const replies = await t.replies(from, text);
    expect(replies).toHaveLength(1);
    return replies[0]!;
  };

  it('a bound member stores the links of their re-posts, and a resend merges them per platform', async () => {
    expect(
      await ask(MEMBER, 'laporlink#https://www.instagram.com/p/sc1/#https://www.facebook.com/budi/posts/1#x.com/budi/status/2'),
    ).toBe(
      [
        '✅ Laporan amplifikasi untuk konten https://www.instagram.com/p/sc1 tersimpan:',
        '- Facebook: https://www.facebook.com/budi/posts/1',
        '- Twitter/X: https://x.com/budi/status/2',
      ].join('\n'),
    );
    // One platform at a time: the earlier links stay.
    expect(await ask(MEMBER, 'laporlink#sc1#https://www.tiktok.com/@budi.s/video/1')).toBe(
      [
        '✅ Laporan amplifikasi untuk konten https://www.instagram.com/p/sc1 diperbarui. Link yang tersimpan:',
        '- Facebook: https://www.facebook.com/budi/posts/1',
        '- Twitter/X: https://x.com/budi/status/2',
        '- TikTok: https://www.tiktok.com/@budi.s/video/1 (baru)',
      ].join('\n'),
    );
    // A platform sent again replaces only that platform's link.
    expect(await ask(MEMBER, 'laporlink#sc1#https://x.com/budi/status/2#https://www.facebook.com/budi/posts/3')).toBe(
      [
        '✅ Laporan amplifikasi untuk konten https://www.instagram.com/p/sc1 diperbarui. Link yang tersimpan:',
        '- Facebook: https://www.facebook.com/budi/posts/3 (diganti)',
        '- Twitter/X: https://x.com/budi/status/2',
        '- TikTok: https://www.tiktok.com/@budi.s/video/1',
      ].join('\n'),
    );
    const { rows } = await database().db.query(
      `SELECT shortcode, user_id, instagram_link, facebook_link, twitter_link, tiktok_link, youtube_link FROM link_report`,
    );
    expect(rows).toEqual([
      {
        shortcode: 'sc1',
        user_id: MEMBERS.budi,
        instagram_link: null,
        facebook_link: 'https://www.facebook.com/budi/posts/3',
        twitter_link: 'https://x.com/budi/status/2',
        tiktok_link: 'https://www.tiktok.com/@budi.s/video/1',
        youtube_link: null,
      },
    ]);
  });

  it('a member writing from a LID is recognised by the recorded pair', async () => {
    expect(await ask(ANI_LID, 'laporlink#sc1#https://youtu.be/abcdefgh#https://www.instagram.com/p/AniRepost1/')).toBe(
      [
        '✅ Laporan amplifikasi untuk konten https://www.instagram.com/p/sc1 tersimpan:',
        '- Instagram: https://www.instagram.com/p/AniRepost1/',
        '- YouTube: https://youtu.be/abcdefgh',
      ].join('\n'),
    );
    expect(await ask(ANI_LID, 'laporlink#sc2#https://youtu.be/abcdefgh')).toMatch(/^✅ /);
  });

  it('refuses what it cannot store, and says why', async () => {
    expect(await ask(MEMBER, 'laporlink#sc1#https://example.com/x')).toBe(
      '❌ Link tidak dikenali: https://example.com/x\nKirim link postingan Instagram, Facebook, Twitter/X, TikTok, atau YouTube.',
    );
    expect(await ask(MEMBER, 'laporlink#sc1#https://x.com/a/status/1#https://twitter.com/b/status/2')).toBe(
      '❌ Ada dua link Twitter/X; kirim satu link per platform.',
    );
    expect(await ask(MEMBER, 'laporlink#sc1#https://www.instagram.com/p/sc1/')).toBe(
      '❌ https://www.instagram.com/p/sc1/ adalah link konten resmi, bukan link re-post Anda.',
    );
    expect(await ask(MEMBER, 'laporlink#sc1#https://www.instagram.com/p/sc2/')).toBe(
      '❌ https://www.instagram.com/p/sc2/ adalah link konten resmi, bukan link re-post Anda.',
    );
    expect(await ask(MEMBER, 'laporlink#NOTOURS1#https://x.com/a/status/1')).toBe('❌ Konten *NOTOURS1* bukan konten resmi client Anda.');
    expect(await ask(MEMBER, 'laporlink#!!#https://x.com/a/status/1')).toMatch(/^⚠️ Konten resmi \*!!\* tidak dikenali.*\nFormat: \*laporlink#/);
    expect(await ask(MEMBER, 'laporlink#sc1')).toMatch(/^⚠️ Format perintah salah\.\nFormat: \*laporlink#/);
    const six = [
      'https://www.instagram.com/p/Rp1/',
      'https://www.facebook.com/budi/posts/9',
      'https://x.com/budi/status/9',
      'https://www.tiktok.com/@budi.s/video/9',
      'https://youtu.be/abcdefgh',
      'https://youtu.be/ijklmnop',
    ];
    expect(await ask(MEMBER, `laporlink#sc1#${six.join('#')}`)).toBe(
      [
        '⚠️ Paling banyak 5 link, satu per platform (Instagram, Facebook, Twitter/X, TikTok, YouTube); Anda mengirim 6 link.',
        'Format: *laporlink#<link atau kode konten resmi>#<link>[#<link>…]*',
        'Contoh: laporlink#https://www.instagram.com/p/DEMO1#https://www.facebook.com/budi/posts/123#https://x.com/budi/status/456',
      ].join('\n'),
    );
    expect(await ask(MEMBER, `laporlink#sc1#${'https://x.com/a/status/1#'.repeat(21)}`)).toMatch(/^⚠️ Format perintah salah\.\nFormat: \*laporlink#/);
    expect(await ask(ADMIN, 'laporlink#sc1#https://x.com/a/status/1')).toMatch(/^❌ Nomor Anda belum terhubung dengan NRP\/NIP\./);
    expect(await ask(STRANGER, 'laporlink#sc1#https://x.com/a/status/1')).toBe(unknownTextHint('unknown'));
    await database().db.query(`UPDATE "user" SET status = false WHERE user_id = $1`, [MEMBERS.budi]);
    try {
      expect(await ask(MEMBER, 'laporlink#sc1#https://x.com/a/status/1')).toBe('❌ Status Anda NONAKTIF; laporan link tidak dapat disimpan.');
    } finally {
      await database().db.query(`UPDATE "user" SET status = true WHERE user_id = $1`, [MEMBERS.budi]);
    }
    // Nothing of the refused reports was stored.
    const { rows } = await database().db.query(
      `SELECT facebook_link, twitter_link, tiktok_link, instagram_link, youtube_link FROM link_report WHERE user_id = $1`,
      [MEMBERS.budi],
    );
    expect(rows).toEqual([
      {
        facebook_link: 'https://www.facebook.com/budi/posts/3',
        twitter_link: 'https://x.com/budi/status/2',
        tiktok_link: 'https://www.tiktok.com/@budi.s/video/1',
        instagram_link: null,
        youtube_link: null,
      },
    ]);
  });

  it('absensilink applies the same rule and layout to the reported links', async () => {
    const text = await ask(OPERATOR, `absensilink#${CLIENT}#akumulasi`);
    expect(text).toContain('📋 *Rekap Akumulasi Amplifikasi Link*');
    expect(text).toContain('✅ *Sudah melaksanakan* : *2 user*\n❌ *Belum melaksanakan* : *2 user*\n➖ *Dikecualikan (exception)* : *1 user*');
    expect(text).toContain('*Jumlah link dilaporkan:* 6');
    expect(text).toContain('✅ *Sudah melaksanakan* (2 user):\n*BAG OPS* (1):\nAIPTU BUDI\n\n*SAT BINMAS* (1):\nBRIPKA ANI');
    expect(text).toContain('❌ *Belum melaksanakan* (2 user):\n*SAT LANTAS* (1):\n1. BRIPDA CANDRA 0/2, 0 link');
  });

  it('rekaplink counts the day’s distinct links and lists who reported, per division', async () => {
    const text = await ask(ADMIN, `rekaplink#${CLIENT}`);
    expect(text).toContain('*Jumlah Konten Resmi:* 2\nhttps://www.instagram.com/p/sc1\nhttps://www.instagram.com/p/sc2\n');
    // ANI reported the same YouTube link for both posts: counted once.
    expect(text).toContain(
      [
        '*Jumlah user yang melapor:* 2 dari 5 (belum melapor: 3)',
        '*Jumlah link (tanpa duplikat):* 5 — IG 1 · FB 1 · X 1 · TT 1 · YT 1',
        '',
        '*BAG OPS* (1 user):',
        '1. AIPTU BUDI — FB ✓ X ✓ TT ✓',
        '',
        '*SAT BINMAS* (1 user):',
        '2. BRIPKA ANI — IG ✓ YT ✓',
        '',
        'Terima kasih.',
      ].join('\n'),
    );
    expect(text).not.toContain('youtu.be');
    const yesterday = await ask(ADMIN, `rekaplink#${CLIENT}#kemarin`);
    expect(yesterday).toContain('*Jumlah user yang melapor:* 0 dari 5 (belum melapor: 5)\n*Jumlah link (tanpa duplikat):* 0\n\nBelum ada user yang melapor link.');
    expect(await ask(ADMIN, `rekaplink#${CLIENT}#akumulasi`)).toMatch(/^⚠️ Format perintah salah\.\nFormat: \*rekaplink\[?#/);
  });

  it('absensiregistrasi lists who has not bound WhatsApp or set their handles', async () => {
    const text = await ask(OPERATOR, `absensiregistrasi#${CLIENT}`);
    expect(text).toContain(
      [
        '*Total user aktif:* 5',
        '📱 WhatsApp terhubung: 3 user',
        '📸 Instagram terisi: 4 user',
        '🎵 TikTok terisi: 2 user',
        '✅ *Sudah lengkap* : *2 user*',
        '❌ *Belum lengkap* : *3 user*',
        '',
        '✅ *Sudah lengkap* (2 user):',
        '*BAG OPS* (1 user):',
        '- AIPTU BUDI',
        '',
        '*SAT BINMAS* (1 user):',
        '- BRIPKA ANI',
        '',
        '❌ *Belum lengkap* (3 user):',
        '*BAG OPS* (1 user):',
        '- KOMPOL DEDI : belum TikTok',
        '',
        '*SAT LANTAS* (1 user):',
        '- BRIPDA CANDRA : belum WhatsApp, Instagram, TikTok',
        '',
        '*POLSEK KOTA* (1 user):',
        '- BRIGPOL EKO : belum WhatsApp, TikTok',
      ].join('\n'),
    );
    // A platform without an account is not asked for.
    await database().db.query(`UPDATE clients SET client_tiktok = NULL WHERE client_id = $1`, [CLIENT]);
    try {
      const noTiktok = await ask(OPERATOR, `absensiregistrasi#${CLIENT}`);
      expect(noTiktok).not.toContain('TikTok');
      expect(noTiktok).toContain('✅ *Sudah lengkap* : *3 user*\n❌ *Belum lengkap* : *2 user*');
    } finally {
      await database().db.query(`UPDATE clients SET client_tiktok = '@polresabc' WHERE client_id = $1`, [CLIENT]);
    }
    const belum = await ask(OPERATOR, `absensiregistrasi#${CLIENT}#belum`);
    expect(belum).not.toContain('✅ *Sudah lengkap* (');
    expect(await ask(OPERATOR, `absensiregistrasi#${CLIENT}#lengkap`)).toMatch(/^⚠️ Pilih \[sudah\|belum\]/);
  });
});
