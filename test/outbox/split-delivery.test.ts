/** A long reply through the whole bot: split where WhatsApp will show it whole. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestBot, seedChatFixture, STRANGER } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`splitting a long reply (${backend})`, () => {
  const database = useTestDatabase();
  beforeAll(async () => seedChatFixture(database().db));

  it('never cuts an emoji in two: help#a followed by 2,600 emoji arrives without U+FFFD', async () => {
    const t = await createTestBot(database().db); // the default limit, 4000
    const emoji = '😀'.repeat(2600);
    const parts = await t.replies(STRANGER, `help#a${emoji}`);
    // The answer echoes the 5,200-unit name, so it is split; its prefix puts the 4000th unit inside a pair.
    expect(parts.length).toBe(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4000);
      expect(part).not.toContain('\uFFFD');
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(parts.join('')).toBe(`❓ Perintah *a${emoji}* tidak tersedia untuk Anda. Ketik *help* untuk daftar lengkap.`);
  });
});
