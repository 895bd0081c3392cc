import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_LID, createTestBot, GROUP, MEMBER, OPERATOR, seedChatFixture } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`sender identity (${backend})`, () => {
  const database = useTestDatabase();
  beforeAll(async () => seedChatFixture(database().db));

  it('recognises an admin listed by LID', async () => {
    const t = await createTestBot(database().db);
    const [reply] = await t.replies(ADMIN_LID, 'whoami');
    expect(reply).toBe('👤 *Identitas Anda di Cicero*\nNomor WhatsApp: belum diketahui (pesan datang dari LID)\nLID: 111111111111111@lid\nPeran: *admin*');
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
});
