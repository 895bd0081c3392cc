/** `#grafik` through the bot: the chart follows the text, and a file promised before a crash is built again. */
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ABSENSI_FILES, absensiFilesBuilder } from '../../src/reports/recap-files.js';
import { MemoryTransport } from '../../src/transport/memory.js';
import { ADMIN, CLIENT, createTestBot, dm, OPERATOR, type TestBot } from '../helpers/bot.js';
import { seedWorkedExample } from '../helpers/compliance.js';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`#grafik (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  beforeAll(async () => {
    await seedWorkedExample(database().db);
    t = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '1000' } });
  });

  it('sends the text, then one chart picture of the divisions, worst first in its caption', async () => {
    const sent = await t.exchange(OPERATOR, `absensilikes#${CLIENT}#akumulasi#grafik`);
    expect(sent.map((m) => m.kind)).toEqual(['text', 'image']);
    const image = sent[1]!.kind === 'image' ? sent[1]!.image : null;
    expect(image?.fileName).toBe('grafik-likes-instagram-polresabc-2026-11-25.png');
    expect(image?.caption).toMatch(/^📊 Likes Instagram · POLRES ABC, Rabu, 25\/11\/2026 · syarat sudah: minimal 1 dari 2 konten/);
    const png = PNG.sync.read(image!.data);
    expect(png.width).toBeGreaterThanOrEqual(1080);
  });

  it('with #excel sends both files after the text; grafik is an option word, never a client id', async () => {
    const sent = await t.exchange(OPERATOR, 'absensikomentar#grafik#akumulasi#excel');
    expect(sent.map((m) => m.kind)).toEqual(['text', 'document', 'image']);
    expect(sent[0]!.kind === 'text' && sent[0]!.text).toContain('*POLRES ABC*');
  });

  it('says so when no post of the day has data yet, instead of an empty picture', async () => {
    const { db } = database();
    await db.query(`INSERT INTO insta_post (shortcode, client_id, created_at) VALUES ('nodata2', $1, '2026-11-21T02:00:00Z')`, [CLIENT]);
    const sent = await t.exchange(ADMIN, `absensilikes#${CLIENT}#2026-11-21#grafik`);
    expect(sent.map((m) => m.kind)).toEqual(['text', 'text']);
    expect(sent[1]).toMatchObject({ kind: 'text', text: '⚠️ Grafik belum dapat dibuat: data likes belum tersedia untuk konten hari itu.' });
  });

  it('refuses grafik where it means nothing', async () => {
    expect(await t.replies(ADMIN, `rekaplink#${CLIENT}#grafik`)).toEqual([expect.stringMatching(/^⚠️ Format perintah salah\./)]);
  });

  it('builds the files again from the database after the process that promised them died', async () => {
    const endpoint = `memory:grafik-${backend}`;
    const transport = new MemoryTransport(endpoint);
    const bot = await createTestBot(database().db, { transport, env: { CICERO_FLOOD_MAX: '1000' } });
    // What a dead process left: the recipe, written with its message's text.
    await database().db.query(
      `INSERT INTO pending_attachment (message_key, endpoint, chat_id, builder, args, created_at, next_attempt_at)
       VALUES ('dead-msg:att1', $1, $2, $3, $4, '2026-11-25T03:00:00Z', '2026-11-25T03:00:00Z')`,
      [
        endpoint,
        dm(OPERATOR),
        ABSENSI_FILES,
        JSON.stringify({ source: 'likes', clientId: CLIENT, date: '2026-11-25', at: '2026-11-25T03:00:00Z', excel: true, chart: true }),
      ],
    );
    expect(await bot.bot.resumeAttachments()).toBe(1);
    await bot.bot.attachmentsSettled();
    await bot.bot.outbox.drain();
    const sent = transport.takeSent();
    expect(sent.map((m) => m.kind)).toEqual(['document', 'image']);
    expect(sent.every((m) => m.chatId === dm(OPERATOR))).toBe(true);
    expect((await database().db.query(`SELECT 1 FROM pending_attachment`)).rows).toEqual([]);
  });

  it('the builder refuses arguments it did not write', async () => {
    await expect(absensiFilesBuilder({ source: 'likes', clientId: CLIENT }, t.bot.services)).rejects.toThrow(/malformed/);
    await expect(
      absensiFilesBuilder({ source: 'likes', clientId: 'GONE', date: '2026-11-25', at: '2026-11-25T03:00:00Z', excel: true, chart: false }, t.bot.services),
    ).resolves.toEqual([{ text: '⚠️ Lampiran rekap tidak dapat dibuat: client *GONE* sudah tidak ada.' }]);
  });
});
