import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createTestBot, GROUP, MEMBER, seedChatFixture, STRANGER } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`flood limit (${backend})`, () => {
  const database = useTestDatabase();
  beforeAll(async () => seedChatFixture(database().db));
  const env = { CICERO_FLOOD_MAX: '3', CICERO_FLOOD_WINDOW_S: '60' };

  const notice = (time: string) =>
    `⏳ Anda mengirim terlalu banyak pesan dalam waktu singkat. Pesan berikutnya diabaikan (tidak diproses) sampai pukul ${time} WIB; kirim ulang setelahnya.`;

  it('gives one notice naming when the window has room, and ignores the rest until then', async () => {
    const t = await createTestBot(database().db, { env });
    const start = t.clock.now.getTime(); // 10.00.00 WIB
    const at = (ms: number) => {
      t.clock.now = new Date(start + ms);
    };
    for (const ms of [0, 5_000, 10_000]) {
      at(ms);
      expect(await t.replies(STRANGER, 'whoami')).toHaveLength(1);
    }
    at(20_000);
    // The oldest message (10.00.00) leaves the 60 s window at 10.01.00.
    expect(await t.replies(STRANGER, 'whoami')).toEqual([notice('10.01.00')]);
    expect(await t.replies(STRANGER, 'whoami')).toEqual([]);
    at(59_999);
    expect(await t.replies(STRANGER, 'help')).toEqual([]);
    // Another sender is not affected.
    expect(await t.replies(MEMBER, 'whoami')).toHaveLength(1);
    at(60_000);
    expect(await t.replies(STRANGER, 'whoami')).toEqual([expect.stringMatching(/^👤/)]);
    // Full again: now the oldest is 10.00.05, and a new notice says so.
    at(61_000);
    expect(await t.replies(STRANGER, 'whoami')).toEqual([notice('10.01.05')]);
  });

  it('rounds the time up to the second it prints, so writing at that time is processed', async () => {
    const t = await createTestBot(database().db, { env: { ...env, CICERO_TIMEZONE: 'Asia/Makassar' } });
    t.clock.now = new Date(t.clock.now.getTime() + 400); // 11.00.00.400 WITA
    for (let i = 0; i < 3; i++) expect(await t.replies(STRANGER, 'whoami')).toHaveLength(1);
    expect(await t.replies(STRANGER, 'whoami')).toEqual([notice('11.01.01').replace('WIB', 'WITA')]);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000); // 11.01.00.400: the window has room
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
    expect(await t.replies(MEMBER, 'whoami')).toEqual([notice('10.01.00')]);
  });
});
