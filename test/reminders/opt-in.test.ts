/** `notifwa` and the member's menu: who may opt in, from where, and what is stored. */
import { beforeEach, describe, expect, it } from 'vitest';
import notifwaCommand from '../../commands/notifwa.js';
import { privateOnlyRefusal, unknownTextHint, usage } from '../../src/bot/texts.js';
import * as memberText from '../../src/members/texts.js';
import * as text from '../../src/reminders/texts.js';
import { ADMIN, createTestBot, dm, GROUP, STRANGER, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { freshDay, MEMBER, MEMBERS } from './fixture.js';

/** The default CICERO_REMINDER_TIME as members read it. */
const WHEN = '16.10 WIB';

describe(`member reminders: opting in (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  beforeEach(async () => {
    t = await freshDay(database());
  });

  const stored = async () =>
    (await database().db.query('SELECT user_id, chat_id, whatsapp, enabled FROM member_reminder ORDER BY user_id')).rows;
  const notifwa = () => notifwaCommand;

  it('a bound member turns the reminder on and off in a private chat', async () => {
    expect(await t.replies(MEMBER, 'notifwa')).toEqual([text.reminderStatus(false, WHEN)]);
    expect(await t.replies(MEMBER, 'notifwa#off')).toEqual([text.ALREADY_OFF]);
    expect(await stored()).toEqual([{ user_id: MEMBERS.budi, chat_id: dm(MEMBER), whatsapp: MEMBER, enabled: false }]);
    expect(await t.replies(MEMBER, 'notifwa#on')).toEqual([text.turnedOn(WHEN)]);
    expect(await stored()).toEqual([{ user_id: MEMBERS.budi, chat_id: dm(MEMBER), whatsapp: MEMBER, enabled: true }]);
    expect(await t.replies(MEMBER, 'NOTIFWA#ON')).toEqual([text.ALREADY_ON]);
    expect(await t.replies(MEMBER, 'notifwa')).toEqual([text.reminderStatus(true, WHEN)]);
    expect(await t.replies(MEMBER, 'notifwa#off')).toEqual([text.TURNED_OFF]);
    expect(await stored()).toEqual([{ user_id: MEMBERS.budi, chat_id: dm(MEMBER), whatsapp: MEMBER, enabled: false }]);
    expect(await t.replies(MEMBER, 'notifwa')).toEqual([text.reminderStatus(false, WHEN)]);
  });

  it('tells the member when the reminder comes, or that the server sends none', async () => {
    const [on] = await t.replies(MEMBER, 'notifwa#on');
    expect(on).toContain('setiap hari sekitar pukul 16.10 WIB, paling banyak satu pesan sehari');
    const off = await createTestBot(database().db, { env: { CICERO_REMINDER_TIME: '' } });
    const [status] = await off.replies(MEMBER, 'notifwa');
    expect(status).not.toContain('sekitar pukul');
    expect(status).toContain('⚠️ Saat ini server tidak mengirim pengingat; hubungi operator Cicero di satuan Anda.');
  });

  it('refuses a number bound to no member, a group chat, and wrong syntax, with clear texts', async () => {
    expect(await t.replies(STRANGER, 'notifwa#on')).toEqual([unknownTextHint('unknown')]);
    expect(await t.replies(ADMIN, 'notifwa#on')).toEqual([memberText.NOT_BOUND]);
    expect(await t.replies(ADMIN, 'notifwa')).toEqual([memberText.NOT_BOUND]);
    expect(await t.say(MEMBER, 'notifwa#on', { group: GROUP })).toEqual([{ chatId: GROUP, text: privateOnlyRefusal(notifwa()) }]);
    expect(await t.replies(MEMBER, 'notifwa#kadang')).toEqual([usage(notifwa(), text.unknownChoice('kadang'))]);
    expect(await t.replies(MEMBER, 'notifwa#on#besok')).toEqual([usage(notifwa())]);
    expect(await stored()).toEqual([]);
  });

  it('an inactive member cannot turn it on, but can turn it off', async () => {
    await t.replies(MEMBER, 'notifwa#on');
    await database().db.query(`UPDATE "user" SET status = false WHERE user_id = $1`, [MEMBERS.budi]);
    expect(await t.replies(MEMBER, 'notifwa#on')).toEqual([text.inactiveMember(MEMBERS.budi)]);
    expect(await t.replies(MEMBER, 'notifwa#off')).toEqual([text.TURNED_OFF]);
  });

  it('the member’s menu offers the reminder as option 3', async () => {
    expect(await t.replies(MEMBER, 'userrequest')).toEqual([memberText.USER_MENU]);
    expect(memberText.USER_MENU).toContain('3️⃣ Pengingat WhatsApp Harian');
    expect(await t.replies(MEMBER, '3')).toEqual([text.reminderMenu(false, WHEN)]);
    expect(await t.replies(MEMBER, 'nanti')).toEqual([`${text.REMINDER_MENU_CHOICE}\n\n${text.reminderMenu(false, WHEN)}`]);
    expect(await t.replies(MEMBER, '1')).toEqual([text.turnedOn(WHEN)]);
    expect(await stored()).toEqual([{ user_id: MEMBERS.budi, chat_id: dm(MEMBER), whatsapp: MEMBER, enabled: true }]);
    await t.replies(MEMBER, 'userrequest');
    expect(await t.replies(MEMBER, '3')).toEqual([text.reminderMenu(true, WHEN)]);
    expect(await t.replies(MEMBER, '2')).toEqual([text.TURNED_OFF]);
  });
});
