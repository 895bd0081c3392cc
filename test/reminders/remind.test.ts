/**
 * The daily reminder: opt-in only, one a day, only to the number that opted in, only
 * what is still missing (the client's links), the daily maximum, stale ones dropped.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { remindMembers } from '../../src/reminders/remind.js';
import { MemoryTransport } from '../../src/transport/memory.js';
import { createTestBot, dm, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { ANI, CANDRA, freshDay, IG, MEMBER, MEMBERS, remind, TT, ZONE } from './fixture.js';

describe(`member reminders: sending (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  beforeEach(async () => {
    t = await freshDay(database());
  });

  const run = (maxPerDay?: number) => remind(t, database(), maxPerDay);
  const nextDay = () => {
    t.clock.now = new Date(t.clock.now.getTime() + 24 * 3_600_000);
  };
  const outboxKeys = async () =>
    (await database().db.query<{ message_key: string; status: string }>("SELECT message_key, status FROM outbox WHERE origin = 'broadcast' ORDER BY id")).rows;

  it('sends nothing to members who did not opt in, or turned it off', async () => {
    expect((await run()).sent).toEqual([]);
    await t.replies(MEMBER, 'notifwa#on');
    await t.replies(MEMBER, 'notifwa#off');
    const { run: summary, sent } = await run();
    expect(sent).toEqual([]);
    expect(summary).toMatchObject({ queued: 0, nothingMissing: 0 });
  });

  it('lists only the posts still to do, as the client’s links, never the member’s handle', async () => {
    for (const number of [MEMBER, ANI, CANDRA]) await t.replies(number, 'notifwa#on');
    const { run: summary, sent } = await run();
    expect(summary).toMatchObject({ day: '2026-11-25', queued: 3, nothingMissing: 0, overMaximum: 0 });
    const to = (number: string) => sent.filter((m) => m.chatId === dm(number)).map((m) => m.text);

    const [budi, ...moreBudi] = to(MEMBER);
    expect(moreBudi).toEqual([]);
    expect(budi!.split('\n')).toEqual([
      '🔔 *Pengingat Cicero* — Rabu, 25/11/2026',
      '',
      '*Konten TikTok yang belum Anda komentari* (1):',
      `1. ${TT('v1')}`,
      '',
      'Data per pukul 09.30.00 WIB; bila sudah Anda kerjakan sesudahnya, abaikan pesan ini.',
      '',
      'Ketik *notifwa#off* untuk berhenti menerima pengingat ini.',
    ]);
    expect(budi).not.toMatch(/budi\.s/i);

    const [ani] = to(ANI);
    expect(ani).toContain(`*Konten Instagram yang belum Anda like* (1):\n1. ${IG('sc2')}\n`);
    expect(ani).not.toContain(IG('sc1'));
    expect(ani).not.toContain('TikTok');
    expect(ani).not.toMatch(/ani[._]r/i);

    // No handles: every fetched post of both platforms, and how to set the handles. Yesterday's post is not listed.
    const [candra] = to(CANDRA);
    expect(candra).toContain(`*Konten Instagram yang belum Anda like* (2):\n1. ${IG('sc1')}\n2. ${IG('sc2')}\n⚠️ Username Instagram Anda belum tercatat`);
    expect(candra).toContain(`*Konten TikTok yang belum Anda komentari* (1):\n1. ${TT('v1')}\n⚠️ Username TikTok Anda belum tercatat`);
    expect(candra).toContain('*insta#<username atau link profil>*');
    expect(candra).not.toContain(IG('old1'));

    expect((await outboxKeys()).map((r) => r.message_key).sort()).toEqual(
      [MEMBERS.ani, MEMBERS.budi, MEMBERS.candra].map((id) => `reminder:${id}:2026-11-25`).sort(),
    );
    const { rows } = await database().db.query(`SELECT DISTINCT origin FROM outbox WHERE message_key LIKE 'reminder:%'`);
    expect(rows).toEqual([{ origin: 'broadcast' }]);
  });

  it('leaves out posts whose likes or comments were never fetched, and a platform the client switched off', async () => {
    const { db } = database();
    await db.query(`INSERT INTO insta_post (shortcode, client_id, created_at) VALUES ('sc3', 'POLRESABC', '2026-11-25T02:40:00Z')`);
    await t.replies(ANI, 'notifwa#on');
    expect((await run()).sent[0]!.text).not.toContain(IG('sc3'));
    nextDay();
    await db.query(`INSERT INTO tiktok_post (video_id, client_id, created_at) VALUES ('v2', 'POLRESABC', '2026-11-26T01:00:00Z')`);
    await db.query(`INSERT INTO tiktok_comment (video_id, comments) VALUES ('v2', '[]')`);
    await db.query(`UPDATE clients SET client_tiktok_status = false`);
    expect((await run()).sent).toEqual([]);
  });

  it('sends nothing to a member who has done everything', async () => {
    await database().db.query(`UPDATE tiktok_comment SET comments = comments || '["budi.s"]'::jsonb WHERE video_id = 'v1'`);
    await t.replies(MEMBER, 'notifwa#on');
    const { run: summary, sent } = await run();
    expect(sent).toEqual([]);
    expect(summary).toMatchObject({ queued: 0, nothingMissing: 1 });
    expect((await database().db.query('SELECT * FROM member_reminder_sent')).rows).toEqual([]);
  });

  it('sends nothing to an excused (exception) member', async () => {
    await t.replies(MEMBER, 'notifwa#on');
    await database().db.query(`UPDATE "user" SET exception = true WHERE user_id = $1`, [MEMBERS.budi]);
    expect((await run()).sent).toEqual([]);
  });

  it('reminds a member at most once a day, and again the next day', async () => {
    await t.replies(MEMBER, 'notifwa#on');
    expect((await run()).sent).toHaveLength(1);
    const again = await run();
    expect(again.sent).toEqual([]);
    expect(again.run.queued).toBe(0);
    // Another process on the same database sends nothing either.
    const other = await createTestBot(database().db);
    expect((await remindMembers(database().db, other.bot.outbox, { timezone: ZONE, maxPerDay: 40 }, t.clock.now)).queued).toBe(0);

    nextDay();
    await database().db.query(`INSERT INTO tiktok_post (video_id, client_id, created_at) VALUES ('v2', 'POLRESABC', '2026-11-26T01:00:00Z')`);
    await database().db.query(`INSERT INTO tiktok_comment (video_id, comments) VALUES ('v2', '["ani.r"]')`);
    const tomorrow = await run();
    expect(tomorrow.sent.map((m) => m.chatId)).toEqual([dm(MEMBER)]);
    expect(tomorrow.sent[0]!.text).toContain('Kamis, 26/11/2026');
    expect(tomorrow.sent[0]!.text).toContain(TT('v2'));
    expect(tomorrow.sent[0]!.text).not.toContain(TT('v1'));
  });

  it('two processes running at once queue one reminder per member', async () => {
    for (const number of [MEMBER, ANI, CANDRA]) await t.replies(number, 'notifwa#on');
    const other = await createTestBot(database().db);
    const runs = await Promise.all([
      remindMembers(database().db, t.bot.outbox, { timezone: ZONE, maxPerDay: 2 }, t.clock.now),
      remindMembers(database().db, other.bot.outbox, { timezone: ZONE, maxPerDay: 2 }, t.clock.now),
    ]);
    expect(runs[0]!.queued + runs[1]!.queued).toBe(2);
    expect(await outboxKeys()).toHaveLength(2);
  });

  it('sends only to the number that opted in: a changed number never wrote to the bot', async () => {
    const { db } = database();
    await t.replies(MEMBER, 'notifwa#on');
    await db.query(`UPDATE "user" SET whatsapp = '6281300000099' WHERE user_id = $1`, [MEMBERS.budi]);
    expect((await run()).sent).toEqual([]);
    expect(await outboxKeys()).toEqual([]);
    // Released: nothing either.
    await db.query(`UPDATE "user" SET whatsapp = NULL WHERE user_id = $1`, [MEMBERS.budi]);
    expect((await run()).sent).toEqual([]);
    // Opting in again from the new number sends there.
    await db.query(`UPDATE "user" SET whatsapp = '6281300000099' WHERE user_id = $1`, [MEMBERS.budi]);
    await t.replies('6281300000099', 'notifwa#on');
    expect((await run()).sent.map((m) => m.chatId)).toEqual([dm('6281300000099')]);
  });

  it('stops at the daily maximum, and reminds those left out first the next day', async () => {
    for (const number of [MEMBER, ANI, CANDRA]) await t.replies(number, 'notifwa#on');
    const first = await run(2);
    expect(first.run).toMatchObject({ queued: 2, overMaximum: 1 });
    const firstChats = first.sent.map((m) => m.chatId);
    expect(await run(2)).toMatchObject({ run: { queued: 0, overMaximum: 1 }, sent: [] });

    nextDay();
    // The day's posts: one Instagram post nobody liked yet.
    await database().db.query(`INSERT INTO insta_post (shortcode, client_id, created_at) VALUES ('sc9', 'POLRESABC', '2026-11-26T01:00:00Z')`);
    await database().db.query(`INSERT INTO insta_like (shortcode, likes) VALUES ('sc9', '[]')`);
    const second = await run(1);
    expect(second.run).toMatchObject({ queued: 1, overMaximum: 2 });
    const left = [dm(MEMBER), dm(ANI), dm(CANDRA)].filter((c) => !firstChats.includes(c));
    expect(second.sent.map((m) => m.chatId)).toEqual(left);
  });

  it('drops a reminder of an earlier day still waiting, and keeps sent ones', async () => {
    const { db } = database();
    const store = t.bot.outbox.store;
    const row = (key: string) => t.bot.outbox.rowsOf({ chatId: dm(MEMBER), key, origin: 'broadcast', text: 'lama' });
    await store.insert(row(`reminder:${MEMBERS.budi}:2026-11-24`), t.clock.now);
    await store.insert(row(`reminder:${MEMBERS.ani}:2026-11-23`), t.clock.now);
    await db.query(`UPDATE outbox SET status = 'sent', sent_at = $1 WHERE message_key LIKE '%2026-11-23'`, [t.clock.now]);
    await store.insert(row('admin-changes:POLRESABC:1'), t.clock.now);
    const { run: summary, sent } = await run();
    expect(summary.dropped).toBe(1);
    expect(sent.map((m) => m.text)).toEqual(['lama']); // the notice, not the stale reminder
    expect((await outboxKeys()).map((r) => r.message_key)).toEqual([`reminder:${MEMBERS.ani}:2026-11-23`, 'admin-changes:POLRESABC:1']);
  });

  it('leaves from the bot number the member opted in through, whichever process queues it', async () => {
    const numberA = await createTestBot(database().db, {
      env: { CICERO_FLOOD_MAX: '1000' },
      transport: new MemoryTransport('whatsapp:6281111111111'),
    });
    numberA.clock.now = t.clock.now;
    await numberA.replies(ANI, 'notifwa#on');
    const queued = await remindMembers(database().db, t.bot.outbox, { timezone: ZONE, maxPerDay: 40 }, t.clock.now);
    expect(queued.queued).toBe(1);
    const { rows } = await database().db.query<{ endpoint: string }>("SELECT endpoint FROM outbox WHERE message_key LIKE 'reminder:%'");
    expect(rows.map((r) => r.endpoint)).toEqual(['whatsapp:6281111111111']);
    await numberA.bot.outbox.drain();
    expect(numberA.transport.takeTexts().map((m) => m.chatId)).toEqual([dm(ANI)]);
  });
});
