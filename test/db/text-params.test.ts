import { describe, expect, it } from 'vitest';
import { backend, useTestDatabase } from '../helpers/db.js';

describe(`text parameters (${backend})`, () => {
  const database = useTestDatabase();

  it('a lone surrogate in a parameter arrives as U+FFFD on both backends: no error, nothing cut short', async () => {
    const { db } = database();
    const { rows } = await db.query<{ a: string; b: string; c: string; d: string }>(
      'SELECT $1::text AS a, $2::text AS b, $3::text AS c, $4::text AS d',
      ['\udc00\udc00 tidak tersedia.', 'xyz', 'ab\udc00', 'é\ud800x😀'],
    );
    expect(rows).toEqual([{ a: '\ufffd\ufffd tidak tersedia.', b: 'xyz', c: 'ab\ufffd', d: 'é\ufffdx😀' }]);
    // And in a statement that stores it.
    await db.query(`INSERT INTO bot_state (key, value) VALUES ($1, '{}')`, ['kunci\udfff']);
    const stored = await db.query<{ key: string }>(`SELECT key FROM bot_state WHERE key LIKE 'kunci%'`);
    expect(stored.rows).toEqual([{ key: 'kunci\ufffd' }]);
  });
});
