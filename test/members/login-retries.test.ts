/**
 * A message handled again after a database blip (its writes committed, its reply and
 * handled mark not) leaves the same trace as one handled once: one login_log row per
 * binding or sign-in, the card or the session reply all the same, one failure counted,
 * one NRP look-up used.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db, Executor } from '../../src/db/db.js';
import { engine, hashPassword } from '../../src/identity/password.js';
import { CLIENT, createTestBot, seedChatFixture, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const NEW = '6281900000021';
const PASSWORD = 'Kunci#Rahasia#2026';

/** The database, except that the next write of a message's outcome (armed) fails as a lost connection does. */
function blippingDb(inner: Db): { db: Db; arm(): void; fired(): number } {
  let armed = false;
  let fired = 0;
  const guard = <T>(text: string, run: () => Promise<T>): Promise<T> => {
    if (armed && text.startsWith('WITH done AS')) {
      armed = false;
      fired++;
      return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    }
    return run();
  };
  const wrap = (e: Executor): Executor => ({
    query: (text, params) => guard(text, () => e.query(text, params)),
    exec: (sql) => e.exec(sql),
  });
  const db: Db = { kind: inner.kind, ...wrap(inner), tx: (fn) => inner.tx((t) => fn(wrap(t))), session: (fn) => inner.session(fn), close: async () => {} };
  return { db, arm: () => (armed = true), fired: () => fired };
}

describe(`logins handled again after a database blip (${backend})`, () => {
  const database = useTestDatabase();
  let t: TestBot;
  let blip: ReturnType<typeof blippingDb>;

  beforeEach(async () => {
    const { db } = database();
    for (const table of ['"user"', 'login_log', 'login_message', 'login_failure', 'nrp_lookup', 'conversation', 'operator_session', 'dashboard_user']) {
      await db.query(`DELETE FROM ${table}`);
    }
    await seedChatFixture(db);
    await db.query(
      `INSERT INTO "user" (user_id, nama, title, divisi, client_id, status) VALUES ('75070207', 'SITI AMINAH', 'BRIPKA', 'SAT LANTAS', $1, true)`,
      [CLIENT],
    );
    await db.query(
      `INSERT INTO dashboard_user (user_id, username, password_hash, role, status, client_id) VALUES ('op-1', 'op_abc', $1, 'operator', true, $2)`,
      [await hashPassword(PASSWORD, 10), CLIENT],
    );
    blip = blippingDb(db);
    t = await createTestBot(blip.db, { env: { CICERO_BCRYPT_COST: '10', CICERO_FLOOD_MAX: '1000' } });
  });

  const count = async (sql: string, params: unknown[] = []) =>
    (await database().db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;

  /** Sends `text` with the outcome write failing once, then lets the held message run again. */
  async function withBlip(text: string): Promise<string[]> {
    blip.arm();
    const { disposition, texts } = await t.deliver(NEW, text);
    expect(disposition).toBe('held');
    expect(texts).toEqual([]);
    expect(blip.fired()).toBe(1);
    await t.bot.retryHeld();
    await t.bot.outbox.drain();
    return t.transport.takeTexts().map((m) => m.text);
  }

  it('a binding confirmed again answers with the card and writes one login_log row', async () => {
    expect((await t.replies(NEW, 'daftar#75070207'))[0]).toMatch(/Balas \*ya\*/);
    const [done] = await withBlip('ya');
    expect(done).toMatch(/^✅ Nomor WhatsApp ini telah terhubung dengan NRP\/NIP \*75070207\*\./);
    expect(done).toMatch(/Nama: SITI AMINAH/);
    expect(await count(`"user" WHERE user_id = '75070207' AND whatsapp = $1`, [NEW])).toBe(1);
    expect(await count(`login_log WHERE actor_id = '75070207' AND login_type = 'user'`)).toBe(1);
    // A later, separate confirmation is a login of its own (a new message).
    expect(await count('login_message')).toBe(1);
  });

  it('an NRP look-up handled again uses one look-up of the hourly limit', async () => {
    const [question] = await withBlip('daftar#75070207');
    expect(question).toMatch(/Balas \*ya\*/);
    expect(await count('nrp_lookup WHERE sender = $1', [NEW])).toBe(1);
  });

  it('a sign-in handled again answers signed in, with one session and one login_log row', async () => {
    const [done] = await withBlip(`login#op_abc#${PASSWORD}`);
    expect(done).toMatch(/^✅ Berhasil masuk sebagai \*operator\* client/);
    expect(await count('operator_session')).toBe(1);
    expect(await count(`login_log WHERE actor_id = 'op-1' AND login_type = 'operator'`)).toBe(1);
    expect(await count('login_failure')).toBe(0);
  });

  it('a failed sign-in handled again counts one failure, and is not compared again', async () => {
    const compare = vi.spyOn(engine, 'compare');
    const [wrong] = await withBlip('login#op_abc#salah-sekali');
    expect(wrong).toMatch(/^❌ Username atau password salah\./);
    expect(compare).toHaveBeenCalledTimes(1);
    expect(await count('login_failure WHERE NOT pending')).toBe(1);
    expect(await count('login_log')).toBe(0);
    compare.mockRestore();
  });

  it('a failed attempt\'s message id given by another sender is not a retry: compared on its own', async () => {
    await withBlip('login#op_abc#salah-sekali');
    const { rows } = await database().db.query<{ message_id: string }>('SELECT message_id FROM login_failure');
    const id = rows[0]!.message_id;
    // (The inbound log answers a message id once; the sign-in does not rely on it.)
    const other = '6281900000022';
    const result = await t.bot.services.signIn.attempt({ key: other, phone: other, lid: null }, 'op_abc', PASSWORD, id);
    expect(result.kind).toBe('signed-in');
    expect(await count('login_failure WHERE sender_key = $1 AND NOT pending', [NEW])).toBe(1);
  });
});
