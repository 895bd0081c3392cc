/**
 * Sign-in review fixes: the lockout holds against concurrent attempts, the username is
 * kept only as a short bucket, old hashes are upgraded, sessions end under every id of
 * the sender, every reply to `login#` reminds to delete it, roles are compared alike,
 * groups never learn the account, a password change during a compare wins, and the
 * compare queue is capped.
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { engine, hashPassword, MAX_WAITING, PasswordQueueFull, passwordQueueFull, verifyPassword } from '../../src/identity/password.js';
import { failureName } from '../../src/identity/sign-in.js';
import { CLIENT, createTestBot, dm, GROUP, seedChatFixture, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const PASSWORD = 'Kunci#Rahasia#2026';
const REMINDER = '🗑️ Hapus pesan login Anda tadi: pesan itu berisi password.';
const ENV = { CICERO_BCRYPT_COST: '10' };
const realCompare: (password: string, hash: string) => Promise<boolean> = engine.compare;

/** A promise resolved from outside. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function account(db: Db, id: string, username: string, role: string, options: { client?: string | null; cost?: number } = {}) {
  await db.query(
    `INSERT INTO dashboard_user (user_id, username, password_hash, role, status, client_id) VALUES ($1, $2, $3, $4, true, $5)`,
    [id, username, await hashPassword(PASSWORD, options.cost ?? 10), role, options.client === undefined ? CLIENT : options.client],
  );
}

/** Messages from several numbers at once; the replies per number. */
async function burst(t: TestBot, messages: ReadonlyArray<readonly [string, string]>): Promise<Map<string, string[]>> {
  await Promise.all(
    messages.map(([from, text]) => t.transport.receive({ senderId: dm(from), chatId: dm(from), text, timestamp: t.clock.now })),
  );
  await t.bot.outbox.drain();
  const replies = new Map<string, string[]>();
  for (const sent of t.transport.takeTexts()) replies.set(sent.chatId, [...(replies.get(sent.chatId) ?? []), sent.text]);
  return replies;
}

const sessionsOf = async (db: Db, ids: string[]) =>
  (await db.query<{ sender_key: string; dashboard_user_id: string }>(
    'SELECT sender_key, dashboard_user_id FROM operator_session WHERE sender_key = ANY($1) ORDER BY 1',
    [ids],
  )).rows;

const role = (replies: string[]): string | undefined => /Peran: \*([^*]+)\*/.exec(replies.join('\n'))?.[1];

describe(`sign-in review fixes (${backend})`, () => {
  const database = useTestDatabase();
  let chat: TestBot;
  let n = 0;
  const fresh = () => `62818${String(++n).padStart(8, '0')}`;
  /** Past every lockout of the tests before. */
  const later = () => {
    chat.clock.now = new Date(chat.clock.now.getTime() + 24 * 3_600_000);
  };

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('sets up the accounts', async () => {
    const { db } = database();
    await seedChatFixture(db);
    await account(db, 'op-1', 'op_abc', 'operator');
    await account(db, 'adm-1', 'admin_pusat', 'admin', { client: null });
    await account(db, 'op-race', 'op_race', 'operator');
    await account(db, 'op-gate', 'op_gate', 'operator');
    await account(db, 'op-trim', 'op_trim', ' Operator ');
    await account(db, 'op-pw', 'op_pw', 'operator');
    await account(db, 'op-off', 'op_off', 'operator');
    chat = await createTestBot(db, { env: ENV });
  });

  it('compares at most the limit of a concurrent burst of wrong passwords for one username', async () => {
    const { db } = database();
    later();
    const compare = vi.spyOn(engine, 'compare');
    const numbers = Array.from({ length: 12 }, fresh);
    const replies = await burst(
      chat,
      numbers.map((from, i) => [from, `login#op_race#salah-${i}`] as const),
    );
    expect(compare).toHaveBeenCalledTimes(5);
    const all = numbers.map((from) => replies.get(dm(from))?.[0] ?? '');
    expect(all.filter((r) => r.startsWith('❌ Username atau password salah.'))).toHaveLength(5);
    expect(all.filter((r) => r.startsWith('⛔ Terlalu banyak percobaan login yang gagal.'))).toHaveLength(7);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM login_failure WHERE sender_key = ANY($1)', [numbers]);
    expect(rows[0]!.n).toBe(5);
  });

  it('refuses the right password sent while the limit of wrong ones is being compared', async () => {
    later();
    let started = 0;
    const gate = deferred();
    vi.spyOn(engine, 'compare').mockImplementation((async (password: string, hash: string) => {
      if (++started === 1) await gate.promise;
      return realCompare(password, hash);
    }) as never);
    const receive = (from: string, text: string) =>
      chat.transport.receive({ senderId: dm(from), chatId: dm(from), text, timestamp: chat.clock.now });
    const wrongFrom = Array.from({ length: 5 }, fresh);
    const wrong = Promise.all(wrongFrom.map((from, i) => receive(from, `login#op_gate#salah-${i}`)));
    // The first wrong password is being compared (the gate holds it), the other four wait
    // their turn for this username; the right one comes after them.
    await vi.waitFor(() => expect(chat.bot.services.signIn.inFlight()).toBe(5), { timeout: 10_000, interval: 1 });
    const rightFrom = fresh();
    const right = receive(rightFrom, `login#op_gate#${PASSWORD}`);
    await vi.waitFor(() => expect(chat.bot.services.signIn.inFlight()).toBe(6), { timeout: 10_000, interval: 1 });
    gate.resolve();
    await Promise.all([wrong, right]);
    await chat.bot.outbox.drain();
    const sent = chat.transport.takeTexts();
    const answer = sent.find((m) => m.chatId === dm(rightFrom))?.text;
    expect(answer).toMatch(/^⛔ Terlalu banyak percobaan login yang gagal\./);
    expect(answer!.endsWith(REMINDER)).toBe(true);
    const replies = sent.filter((m) => wrongFrom.map(dm).includes(m.chatId)).map((m) => m.text);
    expect(replies).toHaveLength(5);
    expect(replies.every((r) => r.startsWith('❌ Username atau password salah.'))).toBe(true);
    expect(started).toBe(5);
  });

  it('signs in eight senders to one account at the same moment: none is taken for a failure', async () => {
    const { db } = database();
    later();
    const numbers = Array.from({ length: 8 }, fresh);
    const replies = await burst(
      chat,
      numbers.map((from) => [from, `login#op_abc#${PASSWORD}`] as const),
    );
    expect(numbers.map((from) => replies.get(dm(from))?.[0]?.split('\n')[0])).toEqual(
      numbers.map(() => '✅ Berhasil masuk sebagai *operator* client *POLRESABC* (POLRES ABC).'),
    );
    expect(await sessionsOf(db, numbers)).toHaveLength(8);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM login_failure WHERE sender_key = ANY($1)', [numbers]);
    expect(rows[0]!.n).toBe(0);
  });

  it('waits for attempts another process is comparing: busy, not locked; attempts cut short count as failures', async () => {
    const { db } = database();
    later();
    const other = async (at: Date) => {
      for (let i = 0; i < 5; i++) {
        await db.query(
          `INSERT INTO login_failure (sender_key, username_key, failed_at, message_id, pending) VALUES ($1, $2, $3, $4, true)`,
          [fresh(), failureName('op_gate'), at, `other-${at.getTime()}-${i}`],
        );
      }
    };
    // Five attempts for op_gate being compared by another process: not one more is compared now.
    await other(chat.clock.now);
    const compare = vi.spyOn(engine, 'compare');
    const from = fresh();
    expect(await chat.replies(from, `login#op_gate#${PASSWORD}`)).toEqual([
      `⏳ Terlalu banyak permintaan login saat ini; coba lagi sebentar.\n${REMINDER}`,
    ]);
    expect(compare).not.toHaveBeenCalled();
    // That process finished (its rows gone as successes): the same sender signs in.
    await db.query(`DELETE FROM login_failure WHERE message_id LIKE 'other-%'`);
    expect((await chat.replies(from, `login#op_gate#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk/);
    // Attempts pending for more than ten minutes were cut short (their process died): failures.
    later();
    await other(new Date(chat.clock.now.getTime() - 11 * 60_000));
    expect((await chat.replies(fresh(), `login#op_gate#${PASSWORD}`))[0]).toMatch(/^⛔ Terlalu banyak percobaan login yang gagal\./);
  });

  it('two processes sharing the database compare at most the limit of a burst for one username between them', async () => {
    const { db } = database();
    later();
    const other = await createTestBot(db, { env: ENV });
    other.clock.now = chat.clock.now;
    await db.query(`INSERT INTO dashboard_user (user_id, username, password_hash, role, status, client_id)
                    SELECT 'op-two', 'op_two', password_hash, role, true, client_id FROM dashboard_user WHERE username = 'op_abc'`);
    const compare = vi.spyOn(engine, 'compare');
    const numbers = Array.from({ length: 12 }, fresh);
    const [a, b] = await Promise.all([
      burst(chat, numbers.slice(0, 6).map((from, i) => [from, `login#op_two#salah-${i}`] as const)),
      burst(other, numbers.slice(6).map((from, i) => [from, `login#op_two#salah-${i + 6}`] as const)),
    ]);
    const all = numbers.map((from) => (a.get(dm(from)) ?? b.get(dm(from)) ?? [''])[0]!);
    const wrong = all.filter((r) => r.startsWith('❌ Username atau password salah.')).length;
    expect(compare.mock.calls.length).toBe(wrong);
    expect(wrong).toBeGreaterThanOrEqual(1);
    expect(wrong).toBeLessThanOrEqual(5);
    // Every other attempt was refused without a compare: locked out, or told to try again shortly.
    expect(all.every((r) => /^(❌ Username atau password salah\.|⛔ Terlalu banyak percobaan|⏳ Terlalu banyak permintaan login)/.test(r))).toBe(true);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM login_failure WHERE sender_key = ANY($1)', [numbers]);
    expect(rows[0]!.n).toBe(wrong);
  });

  it('keeps a username typed in a failed attempt only as 4 hex digits of its hash', async () => {
    const { db } = database();
    const from = fresh();
    await chat.replies(from, 'login#Password-Di-Kolom-Username#apa-saja');
    const { rows } = await db.query<{ username_key: string }>('SELECT username_key FROM login_failure WHERE sender_key = $1', [from]);
    const full = createHash('sha256').update('password-di-kolom-username').digest('hex');
    expect(rows).toEqual([{ username_key: full.slice(0, 4) }]);
  });

  it('ends the sessions under the LID too when a sender known by phone logs out', async () => {
    const { db } = database();
    later();
    const lid = '444444444444444@lid';
    const phone = fresh();
    expect((await chat.replies(lid, `login#op_abc#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk/);
    // WhatsApp reveals the phone behind the LID: the sender's key is the phone from now on.
    expect(role(await chat.replies(lid, 'whoami', { senderPhone: dm(phone) }))).toBe('operator');
    expect(await chat.replies(phone, 'logout')).toEqual([
      '✅ Anda sudah keluar. Peran Anda kembali seperti yang dikenali dari nomor ini.',
    ]);
    expect(await sessionsOf(db, [lid, phone])).toEqual([]);
    expect(role(await chat.replies(lid, 'whoami'))).toBe('belum terdaftar');
  });

  it('ends the session under the LID when the sender signs in again under its phone', async () => {
    const { db } = database();
    const lid = '555555555555555@lid';
    const phone = fresh();
    expect((await chat.replies(lid, `login#admin_pusat#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk sebagai \*admin\*/);
    await chat.replies(lid, 'whoami', { senderPhone: dm(phone) });
    expect((await chat.replies(phone, `login#op_abc#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk sebagai \*operator\*/);
    expect(await sessionsOf(db, [lid, phone])).toEqual([{ sender_key: phone, dashboard_user_id: 'op-1' }]);
    expect(role(await chat.replies(lid, 'whoami'))).toBe('operator');
  });

  it('ends every reply to login#, usage errors included, with the reminder to delete the message', async () => {
    for (const text of ['login', 'login#op_abc', 'login#op_abc#', 'login##rahasia']) {
      const replies = await chat.replies(fresh(), text);
      expect(replies).toHaveLength(1);
      expect(replies[0]).toContain('Format: *login#<username>#<password>*');
      expect(replies[0]!.endsWith(`\n${REMINDER}`)).toBe(true);
    }
    const [ok] = await chat.replies(fresh(), `login#op_abc#${PASSWORD}`);
    expect(ok!.split(REMINDER)).toHaveLength(2); // once, at the end
    expect(ok!.endsWith(`\n${REMINDER}`)).toBe(true);
  });

  it('gives an account whose role has spaces and capitals its session (roles compared as lower(trim(role)))', async () => {
    const from = fresh();
    expect((await chat.replies(from, `login#op_trim#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk sebagai \*operator\*/);
    const [whoami] = await chat.replies(from, 'whoami');
    expect(role([whoami!])).toBe('operator');
    expect(whoami).toContain('Masuk (login) sebagai *op_trim* (operator)');
  });

  it('does not name the dashboard account in a group: whoami and logout', async () => {
    const from = fresh();
    await chat.replies(from, `login#op_abc#${PASSWORD}`);
    const [whoami] = await chat.replies(from, 'whoami', { group: GROUP });
    expect(role([whoami!])).toBe('operator');
    expect(whoami).toContain('Masuk (login) dengan akun dashboard (operator) sampai');
    expect(whoami).not.toContain('op_abc');
    const [logout] = await chat.replies(from, 'logout', { group: GROUP });
    expect(logout).toBe('✅ Anda sudah keluar. Peran Anda kembali seperti yang dikenali dari nomor ini.');
    // In a private chat the account is named.
    await chat.replies(from, `login#op_abc#${PASSWORD}`);
    expect((await chat.replies(from, 'logout'))[0]).toContain('dari akun *op_abc*');
  });

  it('keeps no session when the password is changed or the account disabled during the compare', async () => {
    const { db } = database();
    const newHash = await hashPassword('Sandi-Baru-2026', 10);
    const changes: Array<[string, string, string, unknown[]]> = [
      ['op_pw', 'op-pw', 'UPDATE dashboard_user SET password_hash = $1 WHERE username = $2', [newHash, 'op_pw']],
      ['op_off', 'op-off', 'UPDATE dashboard_user SET status = false WHERE username = $1', ['op_off']],
    ];
    for (const [username, id, sql, params] of changes) {
      const from = fresh();
      vi.spyOn(engine, 'compare').mockImplementationOnce((async (password: string, hash: string) => {
        await db.query(sql, params); // `cicero dashboard-user passwd` / `disable` meanwhile
        return realCompare(password, hash);
      }) as never);
      expect(await chat.replies(from, `login#${username}#${PASSWORD}`)).toEqual([
        `❌ Password akun ini baru saja diganti atau akunnya dinonaktifkan, jadi login tidak dilakukan. Hubungi admin bila perlu.\n${REMINDER}`,
      ]);
      expect(await sessionsOf(db, [from])).toEqual([]);
      const logged = await db.query('SELECT 1 FROM login_log WHERE actor_id = $1', [id]);
      expect(logged.rows).toEqual([]);
      vi.restoreAllMocks();
    }
  });

  it('refuses a sign-in at once when 16 compares wait already, counting nothing', async () => {
    const { db } = database();
    const gate = deferred();
    vi.spyOn(engine, 'compare').mockImplementation((async () => {
      await gate.promise;
      return false;
    }) as never);
    const hash = await hashPassword('irrelevant-1', 10);
    const fillers: Array<Promise<boolean>> = [];
    while (!passwordQueueFull()) fillers.push(verifyPassword('x', hash));
    await expect(verifyPassword('x', hash)).rejects.toBeInstanceOf(PasswordQueueFull);
    expect(MAX_WAITING).toBe(16);

    const failures = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM login_failure')).rows[0]!.n;
    const before = await failures();
    const from = fresh();
    expect(await chat.replies(from, `login#op_abc#${PASSWORD}`)).toEqual([
      `⏳ Terlalu banyak permintaan login saat ini; coba lagi sebentar.\n${REMINDER}`,
    ]);
    expect(await failures()).toBe(before);
    gate.resolve();
    expect(await Promise.all(fillers)).toEqual(fillers.map(() => false));
    vi.restoreAllMocks();
    expect((await chat.replies(from, `login#op_abc#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk/);
  });

  it('rehashes a password stored with a lower cost than CICERO_BCRYPT_COST on a successful sign-in', async () => {
    const { db } = database();
    await account(db, 'op-old', 'op_old', 'operator', { cost: 10 });
    await account(db, 'op-new', 'op_new', 'operator', { cost: 11 });
    const hashOf = async (username: string) =>
      (await db.query<{ password_hash: string }>('SELECT password_hash FROM dashboard_user WHERE username = $1', [username])).rows[0]!
        .password_hash;
    const current = await hashOf('op_new');
    const t = await createTestBot(db, { env: { CICERO_BCRYPT_COST: '11' } });
    t.clock.now = chat.clock.now;
    expect((await t.replies(fresh(), `login#op_old#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk/);
    const upgraded = await hashOf('op_old');
    expect(bcrypt.getRounds(upgraded)).toBe(11);
    expect(await realCompare(PASSWORD, upgraded)).toBe(true);
    expect((await t.replies(fresh(), `login#op_old#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk/);
    expect(await hashOf('op_old')).toBe(upgraded);
    // A hash of the configured cost stays as it is; a wrong password changes nothing.
    expect((await t.replies(fresh(), `login#op_new#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk/);
    expect(await hashOf('op_new')).toBe(current);
  });
});
