import { beforeEach, describe, expect, it } from 'vitest';
import { GROUP_REFUSAL } from '../../src/bot/texts.js';
import { ADMIN, CLIENT, createTestBot, GROUP, MEMBER, OPERATOR, STRANGER, type TestBot, UNBOUND_GROUP } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { changeLog, clientRow, OTHER_CLIENT, OTHER_GROUP, OTHER_OPERATOR, resetClients } from './fixture.js';

const ABC_GROUPS = `${GROUP}, 120363222222222222@g.us`;

describe(`thisgroup and unbindgroup (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;

  beforeEach(async () => {
    await resetClients(database().db);
    t = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  const inGroup = async (from: string, text: string, group = UNBOUND_GROUP) => t.say(from, text, { group });
  const groups = async (id: string) => (await clientRow(database().db, id))?.client_group;

  it("binds an unbound group by its client's operator (id optional) or by an admin; the group then belongs to it", async () => {
    expect(await inGroup(OPERATOR, 'thisgroup')).toEqual([
      { chatId: UNBOUND_GROUP, text: '✅ Grup ini sekarang terikat ke client *POLRESABC* (POLRES ABC). Rekap dan perintah di grup ini berlaku untuk client itu.' },
    ]);
    expect(await groups(CLIENT)).toBe(`${GROUP},120363222222222222@g.us,${UNBOUND_GROUP}`);
    // Again, in any case: nothing changes.
    expect(await inGroup(OPERATOR, 'THISGROUP#polresabc')).toEqual([{ chatId: UNBOUND_GROUP, text: 'ℹ️ Grup ini sudah terikat ke client *POLRESABC* (POLRES ABC).' }]);
    // Now a bound group: its operator's report commands run there.
    expect((await inGroup(OPERATOR, 'ambangabsensi'))[0]!.text).toMatch(/^Syarat sudah untuk \*POLRESABC\*/);
    const log = await changeLog(database().db);
    expect(log).toEqual([
      {
        source: 'whatsapp',
        actor: OPERATOR,
        actor_role: 'operator',
        client_id: CLIENT,
        user_id: null,
        field: 'client_group',
        old_value: ABC_GROUPS,
        new_value: `${GROUP},120363222222222222@g.us,${UNBOUND_GROUP}`,
      },
    ]);

    const fresh = '120363444444444444@g.us';
    expect(await inGroup(ADMIN, `thisgroup#${OTHER_CLIENT}`, fresh)).toEqual([
      { chatId: fresh, text: '✅ Grup ini sekarang terikat ke client *POLRESXYZ* (POLRES XYZ). Rekap dan perintah di grup ini berlaku untuk client itu.' },
    ]);
    expect(await groups(OTHER_CLIENT)).toBe(`${OTHER_GROUP},${fresh}`);
  });

  it('refuses a private chat, a member, a stranger, an operator of another client, an unknown client, and a group bound elsewhere', async () => {
    expect(await t.replies(ADMIN, 'thisgroup#POLRESABC')).toEqual([
      '❌ *thisgroup* hanya berlaku di dalam grup WhatsApp: tulis perintah itu di grup yang ingin diikat ke client.',
    ]);
    expect(await t.replies(OPERATOR, 'thisgroup')).toEqual([
      '❌ *thisgroup* hanya berlaku di dalam grup WhatsApp: tulis perintah itu di grup yang ingin diikat ke client.',
    ]);
    expect(await t.replies(MEMBER, 'thisgroup#POLRESABC')).toEqual(['❌ Perintah *thisgroup* hanya dapat digunakan oleh admin atau operator.']);
    expect(await inGroup(MEMBER, 'thisgroup#POLRESABC')).toEqual([{ chatId: UNBOUND_GROUP, text: GROUP_REFUSAL }]);
    expect(await inGroup(STRANGER, 'thisgroup#POLRESABC')).toEqual([{ chatId: UNBOUND_GROUP, text: GROUP_REFUSAL }]);
    expect(await inGroup(OTHER_OPERATOR, 'thisgroup#POLRESABC')).toEqual([
      { chatId: UNBOUND_GROUP, text: '❌ Anda hanya dapat mengikat grup ke client Anda sendiri (*POLRESXYZ*).' },
    ]);
    // An operator learns nothing of other ids; an admin in a group is told the id is unknown, without the list.
    expect(await inGroup(OTHER_OPERATOR, 'thisgroup#NOPE')).toEqual([
      { chatId: UNBOUND_GROUP, text: '❌ Anda hanya dapat mengikat grup ke client Anda sendiri (*POLRESXYZ*).' },
    ]);
    expect(await inGroup(ADMIN, 'thisgroup#NOPE')).toEqual([{ chatId: UNBOUND_GROUP, text: '❌ Client *NOPE* tidak dikenal.' }]);
    expect(await inGroup(ADMIN, 'thisgroup')).toEqual([{ chatId: UNBOUND_GROUP, text: '❌ Sebutkan client-nya: *thisgroup#<ID>*.' }]);
    // POLRESABC's group, claimed for POLRESXYZ by its operator and by an admin.
    const elsewhere = '❌ Grup ini sudah terikat ke client *POLRESABC* (POLRES ABC). Lepaskan dulu dengan *unbindgroup* oleh admin atau operator client itu.';
    expect(await inGroup(OTHER_OPERATOR, 'thisgroup', GROUP)).toEqual([{ chatId: GROUP, text: elsewhere }]);
    expect(await inGroup(ADMIN, `thisgroup#${OTHER_CLIENT}`, GROUP)).toEqual([{ chatId: GROUP, text: elsewhere }]);
    expect(await groups(CLIENT)).toBe(ABC_GROUPS);
    expect(await groups(OTHER_CLIENT)).toBe(OTHER_GROUP);
    expect(await changeLog(database().db)).toEqual([]);
  });

  it("unbinds by the group's client's operator or an admin; refuses others; then the group is silent to non-admins", async () => {
    expect(await inGroup(OTHER_OPERATOR, 'unbindgroup', GROUP)).toEqual([
      { chatId: GROUP, text: '❌ Hanya admin atau operator client grup ini yang dapat melepas grup ini.' },
    ]);
    expect(await inGroup(MEMBER, 'unbindgroup', GROUP)).toEqual([{ chatId: GROUP, text: GROUP_REFUSAL }]);
    expect(await t.replies(OPERATOR, 'unbindgroup')).toEqual(['❌ *unbindgroup* hanya berlaku di dalam grup WhatsApp yang ingin dilepas dari client-nya.']);
    expect(await groups(CLIENT)).toBe(ABC_GROUPS);

    expect(await inGroup(OPERATOR, 'unbindgroup', GROUP)).toEqual([{ chatId: GROUP, text: '✅ Grup ini dilepas dari client *POLRESABC* (POLRES ABC).' }]);
    expect(await groups(CLIENT)).toBe('120363222222222222@g.us');
    // Unbound now: the operator's commands get no answer there, an admin's do.
    expect(await inGroup(OPERATOR, 'unbindgroup', GROUP)).toEqual([]);
    expect(await inGroup(ADMIN, 'unbindgroup', GROUP)).toEqual([{ chatId: GROUP, text: 'ℹ️ Grup ini tidak terikat ke client mana pun.' }]);
    // The last group of a client: the column is emptied; an admin may unbind any client's group.
    const last = '120363222222222222@g.us';
    expect(await inGroup(ADMIN, 'unbindgroup', last)).toEqual([{ chatId: last, text: '✅ Grup ini dilepas dari client *POLRESABC* (POLRES ABC).' }]);
    expect(await groups(CLIENT)).toBeNull();
    expect((await changeLog(database().db)).map((r) => [r.actor_role, r.field, r.old_value, r.new_value])).toEqual([
      ['operator', 'client_group', ABC_GROUPS, '120363222222222222@g.us'],
      ['admin', 'client_group', '120363222222222222@g.us', null],
    ]);
  });
});
