import { describe, expect, it } from 'vitest';
import { defineCommand } from '../../src/bot/command.js';
import { defineFlow } from '../../src/bot/conversation.js';
import type { Db } from '../../src/db/db.js';
import { hashPassword } from '../../src/identity/password.js';
import { lockoutEnd } from '../../src/identity/sign-in.js';
import { createLogger } from '../../src/log.js';
import { formatStamp } from '../../src/time/format.js';
import { ADMIN, CLIENT, createTestBot, GROUP, MEMBER, OPERATOR, seedChatFixture, STRANGER, type TestBot } from '../helpers/bot.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const PASSWORD = 'Kunci#Rahasia#2026';
const ZONE = 'Asia/Jakarta';
/** Tests hash at bcrypt's lowest allowed cost: the same code, a quarter of the time of cost 12. */
const ENV = { CICERO_BCRYPT_COST: '10' };

/** A menu whose step keeps whatever is typed, to show that `login#…` never reaches it. */
const note = defineFlow<{ notes: string[] }>({
  name: 'test-note',
  first: 'note',
  steps: {
    note: {
      ask: () => 'Tulis catatan:',
      answer: (input, data) => ({ next: 'note', data: { notes: [...data.notes, input] } }),
    },
  },
});
const catatan = defineCommand({
  name: 'catatan',
  syntax: 'catatan',
  example: 'catatan',
  help: 'test',
  roles: ['admin', 'operator', 'member', 'unknown'],
  flows: [note as never],
  async handler(ctx) {
    await ctx.startConversation(note, { notes: [] });
  },
});

async function account(db: Db, id: string, username: string, role: string, options: { client?: string | null; status?: boolean } = {}) {
  await db.query(
    `INSERT INTO dashboard_user (user_id, username, password_hash, role, status, client_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, username, await hashPassword(PASSWORD, 10), role, options.status ?? true, options.client === undefined ? CLIENT : options.client],
  );
}

/** Every text and JSON column of every table that holds `needle`, as `table.column`. */
async function whereStored(db: Db, needle: string): Promise<string[]> {
  const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
      ORDER BY 1, 2`,
  );
  expect(columns.length).toBeGreaterThan(20);
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${table_name}" WHERE strpos("${column_name}"::text, $1) > 0`,
      [needle],
    );
    if (rows[0]!.n > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

const loginLogRows = async (db: Db) =>
  (await db.query<{ actor_id: string; login_type: string; login_source: string }>(
    'SELECT actor_id, login_type, login_source FROM login_log ORDER BY log_id',
  )).rows;

const role = (replies: string[]): string | undefined => /Peran: \*([^*]+)\*/.exec(replies.join('\n'))?.[1];

describe(`operator sign-in by chat (${backend})`, () => {
  const database = useTestDatabase();
  const logLines: string[] = [];
  let chat: TestBot;
  let n = 0;
  /** A number nobody used yet (the lockout counts per number). */
  const fresh = () => `62819${String(++n).padStart(8, '0')}`;

  it('sets up the accounts', async () => {
    const { db } = database();
    await seedChatFixture(db);
    await db.query(`INSERT INTO clients (client_id, nama) VALUES ('POLRESB', 'POLRES B')`);
    await account(db, 'op-1', 'op_abc', 'operator');
    await account(db, 'adm-1', 'admin_pusat', 'admin', { client: null });
    await account(db, 'op-2', 'op_mati', 'operator', { status: false });
    await account(db, 'op-3', 'op_lepas', 'operator', { client: null });
    await account(db, 'vw-1', 'pemantau', 'viewer');
    await account(db, 'op-4', 'op_b', 'operator', { client: 'POLRESB' });
    const log = createLogger({ level: 'trace', pretty: false, destination: { write: (line: string) => logLines.push(line) } });
    chat = await createTestBot(db, { env: ENV, log, extraCommands: [catatan] });
  });

  it('signs in an operator: role, client, expiry, a reminder to delete the message, one login_log row', async () => {
    const { db } = database();
    const before = (await loginLogRows(db)).length;
    const replies = await chat.replies(STRANGER, `login#op_abc#${PASSWORD}`);
    const until = formatStamp(new Date(chat.clock.now.getTime() + 12 * 3_600_000), ZONE);
    expect(replies).toEqual([
      [
        `✅ Berhasil masuk sebagai *operator* client *${CLIENT}* (POLRES ABC).`,
        'Akun: *op_abc*',
        `Berlaku sampai ${until}; ketik *logout* untuk keluar lebih awal.`,
        '🗑️ Hapus pesan login Anda tadi: pesan itu berisi password.',
      ].join('\n'),
    ]);
    expect((await loginLogRows(db)).slice(before)).toEqual([{ actor_id: 'op-1', login_type: 'operator', login_source: 'whatsapp' }]);

    const whoami = await chat.replies(STRANGER, 'whoami');
    expect(role(whoami)).toBe('operator');
    expect(whoami[0]).toContain(`Client: *${CLIENT}* (POLRES ABC)`);
    expect(whoami[0]).toContain(`Masuk (login) sebagai *op_abc* (operator) sampai ${until}; ketik *logout* untuk keluar.`);
    // Operator commands now run: the report for the account's client.
    expect((await chat.replies(STRANGER, 'ambangabsensi'))[0]).toMatch(/^Syarat sudah untuk \*POLRESABC\*/);
  });

  it('applies the session in a group, and keeps it across a restart', async () => {
    const { db } = database();
    expect(role(await chat.replies(STRANGER, 'whoami', { group: GROUP }))).toBe('operator');
    const restarted = await createTestBot(db, { env: ENV });
    restarted.clock.now = chat.clock.now;
    expect(role(await restarted.replies(STRANGER, 'whoami'))).toBe('operator');
  });

  it('gives a wrong password and an unknown username the same answer, and logs no login', async () => {
    const { db } = database();
    const before = (await loginLogRows(db)).length;
    const wrong = await chat.replies(fresh(), 'login#op_abc#salah-sekali');
    const unknown = await chat.replies(fresh(), 'login#tidak_ada#salah-sekali');
    expect(wrong).toEqual(['❌ Username atau password salah.\n🗑️ Hapus pesan login Anda tadi: pesan itu berisi password.']);
    expect(unknown).toEqual(wrong);
    expect(await loginLogRows(db)).toHaveLength(before);
  });

  it('refuses a disabled account, an operator without a client and another role, only once the password matched', async () => {
    const cases: Array<[string, string]> = [
      ['op_mati', '❌ Akun ini dinonaktifkan, jadi tidak dapat masuk. Hubungi admin.'],
      ['op_lepas', '❌ Akun operator ini belum terhubung ke client mana pun, jadi tidak dapat masuk. Hubungi admin.'],
      ['pemantau', '❌ Akun berperan *viewer* tidak dapat masuk melalui chat; hanya akun admin dan operator.'],
    ];
    for (const [username, reason] of cases) {
      const from = fresh();
      expect(await chat.replies(from, `login#${username}#bukan-passwordnya`)).toEqual([
        '❌ Username atau password salah.\n🗑️ Hapus pesan login Anda tadi: pesan itu berisi password.',
      ]);
      expect(await chat.replies(from, `login#${username}#${PASSWORD}`)).toEqual([
        `${reason}\n🗑️ Hapus pesan login Anda tadi: pesan itu berisi password.`,
      ]);
      expect(role(await chat.replies(from, 'whoami'))).toBe('belum terdaftar');
    }
  });

  it('answers login with missing parts with the syntax', async () => {
    for (const text of ['login', 'login#op_abc', 'login#op_abc#', 'login##rahasia']) {
      const [reply] = await chat.replies(fresh(), text);
      expect(reply).toContain('Format: *login#<username>#<password>*');
    }
  });

  it('lets a member sign in as an operator and stay that member', async () => {
    expect((await chat.replies(MEMBER, `login#op_b#${PASSWORD}`))[0]).toContain('*operator* client *POLRESB*');
    const [whoami] = await chat.replies(MEMBER, 'whoami');
    expect(role([whoami!])).toBe('operator');
    expect(whoami).toContain('Client: *POLRESB*');
    expect(whoami).toContain('NRP/NIP: 75070206 (AIPTU BUDI SANTOSO)');
  });

  it('ranks roles: ADMIN_WHATSAPP, then the session, then client_operator, then member', async () => {
    // The client's operator number signs in as admin: admin.
    await chat.replies(OPERATOR, `login#admin_pusat#${PASSWORD}`);
    expect(role(await chat.replies(OPERATOR, 'whoami'))).toBe('admin');
    // After logout the number is its client's operator again.
    expect(await chat.replies(OPERATOR, 'logout')).toEqual([
      '✅ Anda sudah keluar dari akun *admin_pusat*. Peran Anda kembali seperti yang dikenali dari nomor ini.',
    ]);
    const [whoami] = await chat.replies(OPERATOR, 'whoami');
    expect(role([whoami!])).toBe('operator');
    expect(whoami).toContain('Dikenali sebagai: operator dari nomor ini (nomor operator client).');
    // An admin number signed in as an operator stays admin.
    await chat.replies(ADMIN, `login#op_abc#${PASSWORD}`);
    const [admin] = await chat.replies(ADMIN, 'whoami');
    expect(role([admin!])).toBe('admin');
    expect(admin).toContain('Dikenali sebagai: admin dari nomor ini (daftar admin bot).');
    expect(admin).toContain('Masuk (login) sebagai *op_abc* (operator)');
  });

  it('replaces the session on a second sign-in; logout ends it and says when there is none', async () => {
    const { db } = database();
    const from = fresh();
    await chat.replies(from, `login#op_abc#${PASSWORD}`);
    expect((await chat.replies(from, `login#admin_pusat#${PASSWORD}`))[0]).toContain('Berhasil masuk sebagai *admin*.');
    const sessions = await db.query('SELECT dashboard_user_id FROM operator_session WHERE sender_key = $1', [from]);
    expect(sessions.rows).toEqual([{ dashboard_user_id: 'adm-1' }]);
    expect(role(await chat.replies(from, 'whoami'))).toBe('admin');
    expect((await chat.replies(from, 'logout'))[0]).toMatch(/^✅ Anda sudah keluar dari akun \*admin_pusat\*/);
    expect(await chat.replies(from, 'logout')).toEqual([
      'ℹ️ Anda belum masuk (login) dengan akun mana pun, jadi tidak ada yang diakhiri.',
    ]);
  });

  it('ends a session at its expiry, and when the account is disabled', async () => {
    const { db } = database();
    const from = fresh();
    await chat.replies(from, `login#op_abc#${PASSWORD}`);
    const start = chat.clock.now;
    chat.clock.now = new Date(start.getTime() + 12 * 3_600_000 - 1_000);
    expect(role(await chat.replies(from, 'whoami'))).toBe('operator');
    chat.clock.now = new Date(start.getTime() + 12 * 3_600_000);
    expect(role(await chat.replies(from, 'whoami'))).toBe('belum terdaftar');
    expect((await chat.replies(from, 'logout'))[0]).toMatch(/^ℹ️ Anda belum masuk/);

    await chat.replies(from, `login#op_b#${PASSWORD}`);
    await db.query(`UPDATE dashboard_user SET status = false WHERE username = 'op_b'`);
    expect(role(await chat.replies(from, 'whoami'))).toBe('belum terdaftar');
    await db.query(`UPDATE dashboard_user SET status = true WHERE username = 'op_b'`);
  });

  it('locks a number out after 5 failures in 15 minutes, the right password included, until the lockout ends', async () => {
    const { db } = database();
    const from = fresh();
    const start = chat.clock.now;
    for (let i = 0; i < 4; i++) {
      chat.clock.now = new Date(start.getTime() + i * 60_000);
      expect((await chat.replies(from, `login#op_abc#salah${i}`))[0]).toMatch(/^❌ Username atau password salah\.\n/);
    }
    chat.clock.now = new Date(start.getTime() + 4 * 60_000);
    const until = new Date(chat.clock.now.getTime() + 15 * 60_000);
    // The fifth failure (another username: the count is per number) says until when.
    expect((await chat.replies(from, 'login#admin_pusat#salah4'))[0]).toBe(
      `❌ Username atau password salah. Terlalu banyak percobaan gagal: login ditolak sampai ${formatStamp(until, ZONE)}.\n🗑️ Hapus pesan login Anda tadi: pesan itu berisi password.`,
    );
    const failures = async () => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM login_failure')).rows[0]!.n);
    const counted = await failures();
    chat.clock.now = new Date(until.getTime() - 1_000);
    expect(await chat.replies(from, `login#op_abc#${PASSWORD}`)).toEqual([
      `⛔ Terlalu banyak percobaan login yang gagal. Login ditolak sampai ${formatStamp(until, ZONE)}; coba lagi setelahnya.\n🗑️ Hapus pesan login Anda tadi: pesan itu berisi password.`,
    ]);
    expect(role(await chat.replies(from, 'whoami'))).toBe('belum terdaftar');
    expect(await failures()).toBe(counted); // a refused attempt is not checked, so not counted
    chat.clock.now = until;
    expect((await chat.replies(from, `login#op_abc#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk/);
  });

  it('locks a username out after 5 failures from any numbers, without locking those numbers for other accounts', async () => {
    const start = chat.clock.now;
    const numbers = Array.from({ length: 5 }, fresh);
    for (const [i, from] of numbers.entries()) {
      chat.clock.now = new Date(start.getTime() + i * 2 * 60_000);
      await chat.replies(from, `login#OP_ABC#tebakan${i}`); // counted in lower case
    }
    const until = new Date(chat.clock.now.getTime() + 15 * 60_000);
    expect((await chat.replies(fresh(), `login#op_abc#${PASSWORD}`))[0]).toMatch(
      new RegExp(`^⛔ Terlalu banyak percobaan login yang gagal\\. Login ditolak sampai ${formatStamp(until, ZONE).replaceAll('.', '\\.')}`),
    );
    expect((await chat.replies(numbers[0]!, `login#admin_pusat#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk sebagai \*admin\*/);
    chat.clock.now = until;
    expect((await chat.replies(fresh(), `login#op_abc#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk/);
  });

  it('does not run login# in a group: one line asks to change the password, nothing else', async () => {
    const { db } = database();
    const from = fresh();
    for (const group of [GROUP, '120363999999999999@g.us']) {
      expect(await chat.say(from, `login#op_abc#${PASSWORD}`, { group })).toEqual([
        {
          chatId: group,
          text: '⚠️ Jangan menulis password di grup. Perintah login tidak dijalankan; segera ganti password akun tersebut (minta admin) dan hapus pesan tadi.',
        },
      ]);
    }
    expect((await db.query('SELECT 1 FROM operator_session WHERE sender_key = $1', [from])).rows).toEqual([]);
  });

  it('never takes login# as the answer to a menu; the menu stays at its question', async () => {
    const from = fresh();
    expect(await chat.replies(from, 'catatan')).toEqual(['Tulis catatan:']);
    expect((await chat.replies(from, `login#op_abc#${PASSWORD}`))[0]).toMatch(/^✅ Berhasil masuk/);
    expect(await chat.replies(from, 'catatan pertama')).toEqual(['Tulis catatan:']);
  });

  it('keeps the password nowhere: no table, no log line at any level, no reply', async () => {
    const { db } = database();
    // A fresh password, after a success and after a failure with it (as the username too).
    const secret = 'Pw-Tidak#Disimpan-91';
    await db.query(`UPDATE dashboard_user SET password_hash = $1 WHERE username = 'admin_pusat'`, [await hashPassword(secret, 10)]);
    const from = fresh();
    const replies = [
      ...(await chat.replies(from, `login#admin_pusat#${secret}`)),
      ...(await chat.replies(fresh(), `login#op_abc#${secret}`)),
      ...(await chat.replies(fresh(), `login#${secret}#${secret}`)),
      ...(await chat.replies(fresh(), `login#admin_pusat#${secret}`, { group: GROUP })),
    ];
    expect(replies[0]).toMatch(/^✅ Berhasil masuk/);
    expect(replies.join('\n')).not.toContain(secret);
    expect(await whereStored(db, secret)).toEqual([]);
    expect(await whereStored(db, 'Tidak#Disimpan')).toEqual([]);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((line) => line.includes('Disimpan'))).toEqual([]);
    // The audit trail has the attempts, without the arguments.
    const audit = await db.query<{ command: string; outcome: string; detail: string | null }>(
      `SELECT command, outcome, detail FROM command_audit WHERE command = 'login' ORDER BY id DESC LIMIT 4`,
    );
    expect(audit.rows.map((r) => r.outcome).sort()).toEqual(['done', 'refused', 'refused', 'refused']);
  });

  it('shows admins the latest logins with counts per type (loginlog)', async () => {
    const { db } = database();
    await db.query(
      `INSERT INTO login_log (actor_id, login_type, login_source, logged_at) VALUES ('75070206', 'user', 'whatsapp', $1)`,
      [chat.clock.now],
    );
    const [reply] = await chat.replies(ADMIN, 'loginlog');
    const lines = reply!.split('\n');
    const operators = (await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM login_log WHERE login_type = 'operator'`,
    )).rows[0]!.n;
    expect(lines[0]).toMatch(/^🔐 \*Login 7 hari terakhir\* \(sejak /);
    expect(lines[1]).toBe(`Jumlah: ${operators + 1} (operator ${operators}, user 1)`);
    expect(lines[2]).toBe(`• ${formatStamp(chat.clock.now, ZONE)} · user · whatsapp · BUDI SANTOSO, NRP 75070206 (${CLIENT})`);
    expect(lines.some((l) => / · operator · whatsapp · op_abc \(POLRESABC\)$/.test(l))).toBe(true);
    expect(lines.filter((l) => l.startsWith('• ')).length).toBeLessThanOrEqual(50);
    expect((await chat.replies(ADMIN, 'loginlog#0'))[0]).toContain('Jumlah hari harus angka 1 sampai 366.');
    expect(await chat.replies(MEMBER, 'loginlog')).toEqual(['❌ Perintah *loginlog* hanya dapat digunakan oleh admin.']);
  });
});

describe('lockoutEnd', () => {
  const min = 60_000;
  it('locks for the window from the failure that reached the limit', () => {
    expect(lockoutEnd([0, 1, 2, 3].map((m) => m * min), 5, 15 * min)).toBeNull();
    expect(lockoutEnd([0, 1, 2, 3, 4].map((m) => m * min), 5, 15 * min)).toBe(19 * min);
    // Five failures spread over more than the window never lock.
    expect(lockoutEnd([0, 4, 8, 12, 16].map((m) => m * min), 5, 15 * min)).toBeNull();
    expect(lockoutEnd([0, 4, 8, 12, 14, 16].map((m) => m * min), 5, 15 * min)).toBe(31 * min);
  });
});
