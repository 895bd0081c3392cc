import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pauseReason } from '../../src/bot/texts.js';
import { KillSwitch } from '../../src/outbox/kill-switch.js';
import { ADMIN, createTestBot, dm, MEMBER, seedChatFixture, silentLog } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`kill-switch (${backend})`, () => {
  const database = useTestDatabase();
  beforeAll(async () => seedChatFixture(database().db));
  beforeEach(async () => {
    await database().db.query('DELETE FROM bot_state');
  });

  async function pausedBot(trip: (t: Awaited<ReturnType<typeof createTestBot>>) => Promise<void>) {
    await database().db.query('DELETE FROM bot_state');
    const t = await createTestBot(database().db);
    await trip(t); // resolves once the pause is stored and the admins alerted
    expect(t.bot.outbox.paused()).not.toBeNull();
    return t;
  }

  it.each([
    ['a LOGOUT', { kind: 'logout' }, 'WhatsApp mengeluarkan (LOGOUT) sesi bot'],
    ['a new QR after linking', { kind: 'relink' }, 'WhatsApp meminta QR baru setelah nomor tertaut (sesi keluar atau hilang)'],
    ['a TOS_BLOCK state', { kind: 'blocked', state: 'TOS_BLOCK' }, 'WhatsApp melaporkan status TOS_BLOCK'],
  ] as const)('pauses on %s from the transport and alerts the admins directly', async (_, signal, reason) => {
    const t = await pausedBot(async (bot) => bot.transport.simulateRestriction(signal));
    expect(pauseReason(t.bot.outbox.paused()!.cause)).toBe(reason);
    const alerts = t.transport.takeTexts(); // both admin ids (phone and LID)
    expect(alerts.map((a) => a.chatId).sort()).toEqual([dm(ADMIN), '111111111111111@lid'].sort());
    expect(alerts[0]!.text).toMatch(/^🚨 \*Cicero menjeda semua pengiriman pesan\*\nAlasan: /);
  });

  it('pauses on send error 463 and puts the row back untouched', async () => {
    const t = await createTestBot(database().db);
    await database().db.query('DELETE FROM bot_state');
    t.transport.failSends = new Error('send failed: ack error 463');
    await t.transport.receive({ senderId: dm(MEMBER), text: 'whoami', timestamp: t.clock.now });
    await t.bot.outbox.drain();
    expect(t.bot.outbox.paused()?.cause).toEqual({ kind: 'send-refused', chatId: dm(MEMBER), error: 'send failed: ack error 463' });
    expect(pauseReason(t.bot.outbox.paused()!.cause)).toBe(`WhatsApp menolak pengiriman ke ${dm(MEMBER)} (send failed: ack error 463)`);
    const { rows } = await database().db.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM outbox WHERE endpoint = $1 AND chat_id = $2`,
      [t.transport.endpoint, dm(MEMBER)],
    );
    expect(rows).toEqual([{ status: 'pending', attempts: 0 }]);
  });

  it('stores the pause before holding it: a failed write leaves nothing paused in memory, and a restart after a trip is paused', async () => {
    const t = await createTestBot(database().db);
    // The write fails (the table is briefly unusable): the trip fails, and this process does not believe it is paused.
    await database().db.query('ALTER TABLE bot_state RENAME TO bot_state_away');
    try {
      await expect(t.bot.outbox.pause({ kind: 'logout' })).rejects.toThrow();
      expect(t.bot.outbox.paused()).toBeNull();
    } finally {
      await database().db.query('ALTER TABLE bot_state_away RENAME TO bot_state');
    }
    await t.bot.outbox.pause({ kind: 'logout' });
    // Another process (a restart right after the trip) reads it.
    const restarted = await createTestBot(database().db);
    expect(restarted.bot.outbox.paused()?.cause).toEqual({ kind: 'logout' });
    // A second trip, here or there, keeps the first cause and alerts nobody again.
    t.transport.takeTexts();
    await restarted.bot.outbox.pause({ kind: 'relink' });
    expect(restarted.bot.outbox.paused()?.cause).toEqual({ kind: 'logout' });
    expect(restarted.transport.takeTexts()).toEqual([]);
  });

  it('reads a pause stored as text before causes were stored as data', async () => {
    await database().db.query('DELETE FROM bot_state');
    await database().db.query(
      `INSERT INTO bot_state (key, value) VALUES ('outbox_pause', '{"reason": "send to x refused: 463", "since": "2026-11-25T01:00:00Z"}')`,
    );
    const t = await createTestBot(database().db);
    expect(t.bot.outbox.paused()).toEqual({ cause: { kind: 'recorded', text: 'send to x refused: 463' }, since: new Date('2026-11-25T01:00:00Z') });
    expect(pauseReason(t.bot.outbox.paused()!.cause)).toBe('send to x refused: 463');
    await database().db.query('DELETE FROM bot_state');
  });

  it('while paused: members wait, admins can still check and resume; the pause survives a restart', async () => {
    const first = await pausedBot(async (t) => t.transport.simulateRestriction({ kind: 'blocked', state: 'TOS_BLOCK' }));
    first.transport.takeTexts();
    // A restart: the new bot reads the pause from the database.
    const t = await createTestBot(database().db);
    expect(pauseReason(t.bot.outbox.paused()!.cause)).toBe('WhatsApp melaporkan status TOS_BLOCK');

    expect(await t.replies(MEMBER, 'whoami')).toEqual([]);
    const [status] = await t.replies(ADMIN, 'status');
    expect(status).toMatch(/Pengiriman: \*DIJEDA\* sejak .* \(WhatsApp melaporkan status TOS_BLOCK\)\. Lanjutkan dengan \*outbox#resume\*\./);
    expect(status).toMatch(/Antrean kirim: 1 pesan/); // the member's reply, held
    const [outbox] = await t.replies(ADMIN, 'outbox');
    expect(outbox).toMatch(/^📮 \*Antrean Kirim Cicero\*\nStatus: \*DIJEDA\*/);

    const resumed = await t.say(ADMIN, 'outbox#resume');
    // The member's held reply goes out once resumed (first: it is older).
    expect(resumed).toEqual([
      { chatId: dm(MEMBER), text: expect.stringMatching(/^👤/) },
      { chatId: dm(ADMIN), text: expect.stringMatching(/^✅ Pengiriman dilanjutkan/) },
    ]);
    expect(await t.replies(ADMIN, 'outbox#resume')).toEqual(['ℹ️ Pengiriman tidak sedang dijeda.']);
  });

  /** A kill-switch of its own (as another process would have) that counts its clears. */
  async function counted(): Promise<{ killSwitch: KillSwitch; clears: () => number }> {
    const killSwitch = new KillSwitch(database().db, silentLog);
    await killSwitch.refresh();
    let clears = 0;
    killSwitch.onClear(() => {
      clears++;
    });
    return { killSwitch, clears: () => clears };
  }

  it('onClear fires on every resume(), even with nothing paused (a halted connection waits for it)', async () => {
    const { killSwitch, clears } = await counted();
    expect(await killSwitch.resume()).toBeNull();
    expect(clears()).toBe(1);
    await killSwitch.trip({ kind: 'logout' }, new Date('2026-11-25T03:00:00Z'));
    expect(clears()).toBe(1); // a trip is no clear
    expect(await killSwitch.resume()).toMatchObject({ cause: { kind: 'logout' } });
    expect(clears()).toBe(2);
    await killSwitch.refresh(); // nothing stored, nothing held: no clear of its own
    expect(clears()).toBe(2);
  });

  it('onClear fires at the refresh that finds a pause resumed by another process, once', async () => {
    const here = await counted();
    const there = await counted();
    await here.killSwitch.refresh(); // nothing paused, nothing cleared
    expect(here.clears()).toBe(0);
    await there.killSwitch.trip({ kind: 'blocked', state: 'TOS_BLOCK' }, new Date('2026-11-25T03:00:00Z'));
    expect(await here.killSwitch.refresh()).toMatchObject({ cause: { kind: 'blocked', state: 'TOS_BLOCK' } });
    expect(here.clears()).toBe(0);
    await there.killSwitch.resume();
    expect(there.clears()).toBe(1);
    expect(here.clears()).toBe(0); // it has not looked yet
    expect(await here.killSwitch.refresh()).toBeNull();
    expect(here.clears()).toBe(1);
    await here.killSwitch.refresh();
    expect(here.clears()).toBe(1);
  });

  it('outbox#retry re-queues a dead letter and refuses bad ids', async () => {
    const t = await createTestBot(database().db);
    await database().db.query(
      `INSERT INTO outbox (message_key, endpoint, chat_id, body, status, attempts, last_error)
       VALUES ('dead-1', $1, $2, 'pesan gagal', 'dead', 5, 'No LID for user')`,
      [t.transport.endpoint, dm(MEMBER)],
    );
    const [listing] = await t.replies(ADMIN, 'outbox');
    const id = /• #(\d+) ke 6281300000003@c\.us \(5x\): No LID for user — "pesan gagal"/.exec(listing!)?.[1];
    expect(id).toBeDefined();
    expect(await t.replies(ADMIN, 'outbox#retry#999999')).toEqual(['❌ Tidak ada dead letter dengan nomor *999999*.']);
    // Ids no row can have (past the safe-integer range, or PostgreSQL's bigint) get the same answer, not a database error.
    for (const big of ['99999999999999999999', '9007199254740992', '9'.repeat(400)]) {
      expect(await t.replies(ADMIN, `outbox#retry#${big}`)).toEqual([`❌ Tidak ada dead letter dengan nomor *${big}*.`]);
    }
    expect(await t.replies(ADMIN, 'outbox#retry#9007199254740991')).toEqual(['❌ Tidak ada dead letter dengan nomor *9007199254740991*.']);
    expect(await t.replies(ADMIN, 'outbox#retry#-1')).toEqual([
      '⚠️ Sebutkan nomor dead letter, misalnya outbox#retry#42.\nFormat: *outbox[#resume|#retry#<id>]*\nContoh: outbox#retry#42',
    ]);
    expect(await t.replies(ADMIN, 'outbox#retry#abc')).toEqual([
      '⚠️ Sebutkan nomor dead letter, misalnya outbox#retry#42.\nFormat: *outbox[#resume|#retry#<id>]*\nContoh: outbox#retry#42',
    ]);
    expect(await t.replies(ADMIN, 'outbox#flush')).toEqual([
      '⚠️ Aksi *flush* tidak dikenal.\nFormat: *outbox[#resume|#retry#<id>]*\nContoh: outbox#retry#42',
    ]);
    const sent = await t.say(ADMIN, `outbox#retry#${id}`);
    expect(sent).toEqual([
      { chatId: dm(MEMBER), text: 'pesan gagal' },
      { chatId: dm(ADMIN), text: `✅ Dead letter *${id}* diantrekan ulang.` },
    ]);
    expect(await t.replies(MEMBER, 'outbox')).toEqual(['❌ Perintah *outbox* hanya dapat digunakan oleh admin.']);
  });
});
