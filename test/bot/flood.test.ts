import { beforeAll, describe, expect, it } from 'vitest';
import { FLOOD_NOTICE } from '../../src/bot/texts.js';
import { ADMIN, createTestBot, GROUP, MEMBER, seedChatFixture, STRANGER } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`flood limit (${backend})`, () => {
  const database = useTestDatabase();
  beforeAll(async () => seedChatFixture(database().db));
  const env = { CICERO_FLOOD_MAX: '3', CICERO_FLOOD_WINDOW_S: '60' };

  it('gives one notice for the first message over the limit and ignores the rest until the window passes', async () => {
    const t = await createTestBot(database().db, { env });
    for (let i = 0; i < 3; i++) expect(await t.replies(STRANGER, 'whoami')).toHaveLength(1);
    expect(await t.replies(STRANGER, 'whoami')).toEqual([FLOOD_NOTICE]);
    expect(await t.replies(STRANGER, 'whoami')).toEqual([]);
    expect(await t.replies(STRANGER, 'help')).toEqual([]);
    // Another sender is not affected.
    expect(await t.replies(MEMBER, 'whoami')).toHaveLength(1);
    t.clock.now = new Date(t.clock.now.getTime() + 61_000);
    expect(await t.replies(STRANGER, 'whoami')).toEqual([expect.stringMatching(/^👤/)]);
  });

  it('exempts admins', async () => {
    const t = await createTestBot(database().db, { env });
    for (let i = 0; i < 10; i++) expect(await t.replies(ADMIN, 'whoami')).toHaveLength(1);
  });

  it('stays silent in groups', async () => {
    const t = await createTestBot(database().db, { env });
    for (let i = 0; i < 3; i++) expect(await t.say(MEMBER, 'whoami', { group: GROUP })).toHaveLength(1);
    expect(await t.say(MEMBER, 'whoami', { group: GROUP })).toEqual([]);
  });

  it('uses 20 messages per 60 s by default', async () => {
    const t = await createTestBot(database().db);
    for (let i = 0; i < 20; i++) expect(await t.replies(MEMBER, 'whoami')).toHaveLength(1);
    expect(await t.replies(MEMBER, 'whoami')).toEqual([FLOOD_NOTICE]);
  });
});
