import { beforeAll, describe, expect, it } from 'vitest';
import { SenderDirectory } from '../../src/identity/sender.js';
import { ADMIN, ADMIN_LID, createTestBot, GROUP, MEMBER, OPERATOR, seedChatFixture, UNBOUND_GROUP } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`sender identity (${backend})`, () => {
  const database = useTestDatabase();
  beforeAll(async () => seedChatFixture(database().db));

  it('recognises an admin listed by LID', async () => {
    const t = await createTestBot(database().db);
    const [reply] = await t.replies(ADMIN_LID, 'whoami');
    expect(reply).toBe(
      '👤 *Identitas Anda di Cicero*\nNomor WhatsApp: belum diketahui (pesan datang dari LID)\nLID: 111111111111111@lid\nPeran: *admin*\nDikenali sebagai: admin dari nomor ini (daftar admin bot).',
    );
  });

  it('records a LID↔phone pair the transport reveals, and recognises the LID alone afterwards', async () => {
    const t = await createTestBot(database().db);
    const lid = '222222222222222@lid';
    const first = await t.replies(lid, 'whoami', { senderPhone: `${MEMBER}@c.us` });
    expect(first[0]).toMatch(/Nomor WhatsApp: 6281300000003\nLID: 222222222222222@lid\nPeran: \*anggota\*/);
    const { rows } = await database().db.query('SELECT lid, phone FROM wa_lid_map WHERE lid = $1', [lid]);
    expect(rows).toEqual([{ lid, phone: MEMBER }]);

    const later = await createTestBot(database().db); // a restart: the pair comes from the database
    const [again] = await later.replies(`${lid.replace('@', ':12@')}`, 'whoami');
    expect(again).toMatch(/Peran: \*anggota\*\nClient: \*POLRESABC\*/);
  });

  it('recognises an admin writing from a LID paired with an admin number', async () => {
    const t = await createTestBot(database().db);
    await database().db.query(`INSERT INTO wa_lid_map (lid, phone) VALUES ('333333333333333@lid', $1)`, [ADMIN]);
    expect((await t.replies('333333333333333@lid', 'status'))[0]).toMatch(/^🖥️ \*Status Cicero\*/);
  });

  it('matches an operator whatever form client_operator was typed in', async () => {
    const t = await createTestBot(database().db);
    for (const form of ['0812-0000-0002', '+62 812 0000 0002', '6281200000002@c.us', '6281200000002']) {
      await database().db.query(`UPDATE clients SET client_operator = $1 WHERE client_id = 'POLRESABC'`, [form]);
      expect((await t.replies(OPERATOR, 'whoami'))[0], form).toMatch(/Peran: \*operator\*/);
    }
  });

  it('accepts a member sending from the @s.whatsapp.net form', async () => {
    const t = await createTestBot(database().db);
    const sent = await t.say(`${MEMBER}@s.whatsapp.net`, 'whoami');
    expect(sent[0]!.text).toMatch(/Peran: \*anggota\*/);
    expect(sent[0]!.chatId).toBe(`${MEMBER}@s.whatsapp.net`); // replies go to the id received
  });

  it('an admin who is also a member is an admin', async () => {
    await database().db.query(`INSERT INTO "user" (user_id, nama, client_id, whatsapp) VALUES ('11110000', 'ADMIN JUGA', 'POLRESABC', $1)`, [ADMIN]);
    const t = await createTestBot(database().db);
    expect((await t.replies(ADMIN, 'whoami'))[0]).toMatch(/Peran: \*admin\*\nNRP\/NIP: 11110000/);
  });

  it('asks WhatsApp for the phone behind a LID only when wa_lid_map does not know it, and never for group chatter', async () => {
    const t = await createTestBot(database().db);
    const known = '444444444444444@lid';
    const revealed = '555555555555555@lid';
    const unpaired = '666666666666666@lid';
    await database().db.query(`INSERT INTO wa_lid_map (lid, phone) VALUES ($1, $2)`, [known, MEMBER]);
    t.transport.lidPhones.set(revealed, `${OPERATOR}@c.us`);

    // Group chatter costs nothing, not even a question to WhatsApp.
    for (const lid of [known, revealed, unpaired]) await t.say(lid, 'selamat pagi', { group: GROUP });
    expect(t.transport.lidQuestions).toEqual([]);

    expect((await t.replies(known, 'whoami'))[0]).toMatch(/Peran: \*anggota\*/);
    expect(t.transport.lidQuestions).toEqual([]); // our own records answered

    expect((await t.replies(revealed, 'whoami'))[0]).toMatch(/Nomor WhatsApp: 6281200000002\nLID: 555555555555555@lid\nPeran: \*operator\*/);
    expect(t.transport.lidQuestions).toEqual([revealed]);
    const { rows } = await database().db.query('SELECT phone FROM wa_lid_map WHERE lid = $1', [revealed]);
    expect(rows).toEqual([{ phone: OPERATOR }]);
    await t.replies(revealed, 'whoami');
    expect(t.transport.lidQuestions).toEqual([revealed]); // recorded: not asked again

    expect((await t.replies(unpaired, 'whoami'))[0]).toMatch(/Peran: \*belum terdaftar\*/);
    await t.replies(unpaired, 'whoami');
    await t.replies(unpaired, 'help', { group: GROUP });
    expect(t.transport.lidQuestions).toEqual([revealed, unpaired]); // a LID WhatsApp could not pair is not asked about again soon
  });

  it('asks WhatsApp only for a message it handles: not for one handled before a restart, nor for group chatter', async () => {
    const lid = '777777777777777@lid';
    const first = await createTestBot(database().db);
    // A new private message on a wa_lid_map miss: one question (WhatsApp cannot pair it).
    expect((await first.deliver(lid, 'whoami', { id: 'lid-1' })).disposition).toBe('handled');
    expect(first.transport.lidQuestions).toEqual([lid]);

    // After a restart, the catch-up reads the message again: already handled, no question.
    const second = await createTestBot(database().db);
    second.transport.lidPhones.set(lid, `${MEMBER}@c.us`);
    expect(await second.deliver(lid, 'whoami', { id: 'lid-1' })).toEqual({ disposition: 'handled', texts: [] });
    expect(second.transport.lidQuestions).toEqual([]);

    // Group chatter from it, in a bound or an unbound group: no question either.
    for (const group of [GROUP, UNBOUND_GROUP]) {
      expect(await second.deliver(lid, 'siap 86', { group })).toEqual({ disposition: 'ignored', texts: [] });
    }
    expect(second.transport.lidQuestions).toEqual([]);

    // Its next new message is handled: asked once, and WhatsApp now pairs it.
    expect((await second.replies(lid, 'whoami'))[0]).toMatch(/Nomor WhatsApp: 6281300000003\nLID: 777777777777777@lid\nPeran: \*anggota\*/);
    expect(second.transport.lidQuestions).toEqual([lid]);
  });

  it('asks WhatsApp about an unknown LID only when the gate opens, and never waits on it for a known one', async () => {
    const asked: string[] = [];
    const directory = new SenderDirectory(database().db, [], async (lid) => {
      asked.push(lid);
      return null;
    });
    await database().db.query(`INSERT INTO wa_lid_map (lid, phone) VALUES ('999999999999991@lid', $1)`, [MEMBER]);

    // A known LID: resolved from our records while the gate is still closed.
    const never = new Promise<boolean>(() => {});
    const known = await directory.resolve('999999999999991@lid', undefined, { mayAsk: never });
    expect(known).toMatchObject({ phone: MEMBER, role: 'member' });

    const refused = await directory.resolve('999999999999992@lid', undefined, { mayAsk: Promise.resolve(false) });
    expect(refused).toMatchObject({ phone: null, lid: '999999999999992@lid', key: '999999999999992@lid', role: 'unknown' });
    expect(asked).toEqual([]);

    await directory.resolve('999999999999992@lid', undefined, { mayAsk: Promise.resolve(true) });
    await directory.resolve('999999999999993@lid');
    expect(asked).toEqual(['999999999999992@lid', '999999999999993@lid']);
    // A phone-number sender never needs WhatsApp, nor the gate.
    expect(await directory.resolve(`${MEMBER}@c.us`, undefined, { mayAsk: never })).toMatchObject({ role: 'member' });
  });
});
