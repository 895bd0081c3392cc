/** `exportanggota` through the memory transport: the member file as a document, within the sender's scope. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTable } from '../../src/import/read-table.js';
import { XLSX_MIME } from '../../src/reports/excel.js';
import { ADMIN, CLIENT, createTestBot, MEMBER, OPERATOR, seedChatFixture, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { addClient, tempDir } from './fixtures.js';

describe(`exportanggota (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  beforeAll(async () => {
    const { db } = database();
    await seedChatFixture(db);
    await addClient(db, 'POLRESLAIN');
    await db.query(`INSERT INTO "user" (user_id, nama, client_id) VALUES ('99999999', 'ORANG LAIN', 'POLRESLAIN')`);
    t = await createTestBot(db);
  });

  it("sends the operator's own client's members as an .xlsx document in the import format", async () => {
    const sent = await t.exchange(OPERATOR, 'exportanggota');
    expect(sent).toHaveLength(1);
    const [message] = sent;
    if (message?.kind !== 'document') throw new Error('expected a document');
    expect(message.document).toMatchObject({ fileName: 'anggota-polresabc-2026-11-25.xlsx', mimeType: XLSX_MIME });
    expect(message.document.caption).toMatch(/^📎 Anggota POLRES ABC \(POLRESABC\): 1 orang/);
    const file = path.join(tempDir(), 'sent.xlsx');
    writeFileSync(file, message.document.data);
    const table = await readTable(file);
    expect(table.header.cells[0]).toBe('NRP');
    expect(table.rows.map((r) => r.cells.slice(0, 4))).toEqual([['75070206', 'BUDI SANTOSO', 'AIPTU', 'BAG OPS']]);
  });

  it("refuses an operator another client's members, and a member; an admin may name any client", async () => {
    expect(await t.replies(OPERATOR, 'exportanggota#POLRESLAIN')).toEqual([
      `❌ Anda hanya dapat melihat rekap client Anda sendiri (*${CLIENT}*).`,
    ]);
    const refused = await t.exchange(MEMBER, 'exportanggota');
    expect(refused.every((m) => m.kind === 'text')).toBe(true);
    const sent = await t.exchange(ADMIN, 'exportanggota#polreslain');
    expect(sent.map((m) => (m.kind === 'document' ? m.document.fileName : m.kind === 'text' ? m.text : m.image.fileName))).toEqual(['anggota-polreslain-2026-11-25.xlsx']);
  });
});
