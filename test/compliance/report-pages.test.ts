/**
 * A report longer than one message, through the bot: cut between divisions, a
 * division heading never apart from its first member, a continued section headed
 * again with "(lanjutan)".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, CLIENT, createTestBot, type TestBot } from '../helpers/bot.js';
import { seedWorkedExample } from '../helpers/compliance.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const REPORTS = [
  `absensilikes#${CLIENT}`,
  `absensilikes#${CLIENT}#akumulasi`,
  `absensikomentar#${CLIENT}#belum`,
  `absensilink#${CLIENT}`,
  `absensiregistrasi#${CLIENT}`,
];

const DIVISION = /^\*[A-Z][A-Z ]*\* \(\d+( user)?\)/;
/** A member's line: a bullet, a numbered detail, or a paragraph of names. */
const MEMBER_LINE = /^- |^\d+\. |^[A-Z][A-Z .']+(; [A-Z][A-Z .']+)*;?$/;

describe(`reports over several messages (${backend})`, () => {
  const database = useTestDatabase();
  const env = (max: number) => ({ CICERO_FLOOD_MAX: '1000', CICERO_MESSAGE_MAX_CHARS: String(max) });
  let whole: TestBot;
  beforeAll(async () => {
    await seedWorkedExample(database().db);
    whole = await createTestBot(database().db, { env: env(4000) });
  });

  it('continues a section on the next message under its headings, marked (lanjutan)', async () => {
    const t = await createTestBot(database().db, { env: env(300) });
    expect(await t.replies(ADMIN, `absensilikes#${CLIENT}`)).toEqual([
      [
        'Mohon ijin Komandan,',
        '',
        '📋 *Rekap Per Konten Likes Instagram*',
        '*Polres*: *POLRES ABC*',
        'Rabu, 25/11/2026',
        'Jam: 10.00.00 WIB',
        '',
        '*Jumlah Konten:* 2',
        '*Daftar Link Konten:*',
        'https://www.instagram.com/p/sc1',
        'https://www.instagram.com/p/sc2',
        '*Data likes terakhir diperbarui:* Rabu, 25/11/2026 09.30.00 WIB',
      ],
      [
        '*Jumlah user:* 5',
        '✅ *Sudah melaksanakan* : *2 user*',
        '❌ *Belum melaksanakan* : *2 user*',
        '➖ *Dikecualikan (exception)* : *1 user*',
        '*Syarat sudah:* minimal 1 dari 2 konten',
        '',
        '*Konten 1:* https://www.instagram.com/p/sc1',
        '✅ 2 sudah · ❌ 2 belum',
        '',
        '❌ *Belum melaksanakan* (2 user):',
        '*SAT LANTAS* (1):',
        'BRIPDA CANDRA',
      ],
      [
        '*Konten 1:* https://www.instagram.com/p/sc1 (lanjutan)',
        '❌ *Belum melaksanakan* (2 user) (lanjutan):',
        '*POLSEK KOTA* (1):',
        'BRIGPOL EKO',
        '',
        '*Konten 2:* https://www.instagram.com/p/sc2',
        '✅ 1 sudah · ❌ 3 belum',
        '',
        '❌ *Belum melaksanakan* (3 user):',
        '*SAT BINMAS* (1):',
        'BRIPKA ANI',
        '',
        '*SAT LANTAS* (1):',
        'BRIPDA CANDRA',
      ],
      [
        '*Konten 2:* https://www.instagram.com/p/sc2 (lanjutan)',
        '❌ *Belum melaksanakan* (3 user) (lanjutan):',
        '*POLSEK KOTA* (1):',
        'BRIGPOL EKO',
        '',
        '➖ *Dikecualikan (exception)* (1 user):',
        '*BAG OPS* (1):',
        'KOMPOL DEDI',
        '',
        'Terima kasih.',
      ],
    ].map((lines) => lines.join('\n')));
  });

  it.each([260, 300, 380, 460])('at %i characters: every report within the limit, whole divisions, every member once', async (max) => {
    const t = await createTestBot(database().db, { env: env(max) });
    for (const report of REPORTS) {
      const [text] = await whole.replies(ADMIN, report);
      const messages = await t.replies(ADMIN, report);
      expect(messages.length, report).toBeGreaterThan(1);
      for (const message of messages) {
        expect(message.length, report).toBeLessThanOrEqual(max);
        const lines = message.split('\n');
        // A message starts with a heading or the report's own lines, never inside a division.
        expect(lines[0], report).not.toMatch(DIVISION);
        expect(lines[0], report).not.toMatch(MEMBER_LINE);
        lines.forEach((line, i) => {
          if (DIVISION.test(line)) expect(lines[i + 1], `${report}: ${line}`).toMatch(MEMBER_LINE);
        });
      }
      // Nothing lost or repeated but the continued headings.
      const content = messages.flatMap((m) => m.split('\n')).filter((line) => line !== '' && !line.includes('(lanjutan)'));
      expect(content, report).toEqual(text!.split('\n').filter((line) => line !== ''));
    }
  });
});
