/**
 * Issue 9, point 3: no text a user types may produce a database error. Random,
 * adversarial, mostly command-shaped texts from every role, in a private chat, in the
 * group bound to POLRESABC and in a group bound to no client, through the memory
 * transport; for each one: a reply exactly when one is due, only to the chat it came
 * from, never the generic apology, and nothing logged at error level.
 *
 * The runs are reproducible: every property has a fixed seed (FC_SEED overrides the
 * base), and a failure prints fast-check's seed, path and the shrunk input.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandCatalog, loadCommands } from '../../src/bot/catalog.js';
import { parseCommand } from '../../src/bot/parse.js';
import { APOLOGY } from '../../src/bot/texts.js';
import { createLogger } from '../../src/log.js';
import type { SentMessage } from '../../src/transport/memory.js';
import { ADMIN, createTestBot, dm, GROUP, MEMBER, OPERATOR, STRANGER, type TestBot, UNBOUND_GROUP } from '../helpers/bot.js';
import { seedWorkedExample } from '../helpers/compliance.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const BASE_SEED = Number(process.env.FC_SEED ?? 20_261_125);
/** More runs when hunting (FC_RUNS=10 runs ten times as many); 1 in CI. */
const SCALE = Number(process.env.FC_RUNS ?? 1);

const ROLES = { admin: ADMIN, operator: OPERATOR, member: MEMBER, unknown: STRANGER } as const;
type RoleName = keyof typeof ROLES;

/** Where the inputs go, and how many per role (1,000 per role in all). */
const CHATS = [
  { name: 'private chat', group: undefined, runs: 500 },
  { name: 'bound group', group: GROUP, runs: 300 },
  { name: 'unbound group', group: UNBOUND_GROUP, runs: 200 },
] as const;
type ChatName = (typeof CHATS)[number]['name'];

const catalog = new CommandCatalog(await loadCommands());
/**
 * Commands that bind or unbind the test's groups, or remove its client, would change
 * which replies are due half-way through a run: they have tests of their own.
 */
const TOPOLOGY = new Set(['thisgroup', 'unbindgroup', 'removeclient']);
const NAMES = catalog.commands.filter((c) => !TOPOLOGY.has(c.name)).flatMap((c) => [c.name, ...(c.aliases ?? [])]);

// ---------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------

const charsOf = (from: number, to: number) => fc.integer({ min: from, max: to }).map((c) => String.fromCharCode(c));

/** Whitespace that trim() removes, and some that it does not (zero-width space, soft hyphen). */
const pad = fc.constantFrom('', '', '', '', ' ', '  ', '\t', '\n', ' \r\n ', '\u00a0', '\u3000', '\ufeff', '\u2028', '\u200b', '\u00ad');

/** A known name or alias in random case; now and then one that is almost a name. */
const commandName = fc.oneof(
  { weight: 12, arbitrary: fc.mixedCase(fc.constantFrom(...NAMES)) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...NAMES), fc.nat(7)).map(([n, how]) =>
      [
        `${n}s`,
        n.slice(0, -1),
        `${n[0]} ${n.slice(1)}`,
        `x${n}`,
        n.replace(/e/, '\u0435'), // Cyrillic е
        `${n}\u0000`, // the bot drops NUL, so this is the command itself
        `${n}\u0301`,
        `/${n}`,
      ][how]!,
    ),
  },
);

const clientId = fc.oneof(
  { weight: 6, arbitrary: fc.mixedCase(fc.constant('POLRESABC')) },
  { weight: 3, arbitrary: fc.constantFrom('', 'POLRESXYZ', 'POLRES ABC', 'polres_abc', 'POLRESDEMO', 'ABC', 'POLRESABC.', '120363111111111111@g.us') },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_]{1,70}$/) },
);

const modeWord = fc.mixedCase(
  fc.constantFrom(
    'akumulasi', 'sudah', 'belum', 'excel', 'xlsx', 'kemarin', 'hariini', 'hari ini', 'today', 'yesterday',
    'setengah', 'separuh', 'half', 'semua', 'all', 'resume', 'retry',
  ),
);

const pad2 = (n: number) => (n < 0 ? String(n) : String(n).padStart(2, '0'));
const pad4 = (n: number) => (n < 0 ? String(n) : String(n).padStart(4, '0'));
const dateParts = fc.record({
  y: fc.oneof(fc.constantFrom(0, 1, 1899, 1999, 2000, 2025, 2026, 2027, 9999, 99_999), fc.integer({ min: 0, max: 999_999 })),
  m: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: -1, max: 99 })),
  d: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.integer({ min: -1, max: 99 })),
});
const dateShape = fc.constantFrom('y-m-d', 'd-m-y', 'd/m/y', 'd.m.y', 'y/m/d', 'y.m.d', 'd-m', 'ymd', 'y-m-dT', 'd-m-y h');
function formatDate(shape: string, { y, m, d }: { y: number; m: number; d: number }): string {
  const [Y, M, D] = [pad4(y), pad2(m), pad2(d)];
  switch (shape) {
    case 'y-m-d': return `${Y}-${M}-${D}`;
    case 'd-m-y': return `${D}-${M}-${Y}`;
    case 'd/m/y': return `${D}/${M}/${Y}`;
    case 'd.m.y': return `${D}.${M}.${Y}`;
    case 'y/m/d': return `${Y}/${M}/${D}`;
    case 'y.m.d': return `${Y}.${M}.${D}`;
    case 'd-m': return `${D}-${M}`;
    case 'ymd': return `${Y}${M}${D}`;
    case 'y-m-dT': return `${Y}-${M}-${D}T10:00:00Z`;
    default: return `${D}-${M}-${Y} 10.00`;
  }
}
const date = fc.oneof(
  // Around the test clock (Wednesday 25/11/2026, 10.00 WIB): today, yesterday, tomorrow.
  { weight: 3, arbitrary: fc.constantFrom('2026-11-25', '2026-11-24', '25-11-2026', '24/11/2026', '24.11.2026', '2026-11-26', '2026-2-29', '2024-02-29', '1-1-2000', '31-12-1999') },
  { weight: 4, arbitrary: fc.tuple(dateShape, dateParts).map(([shape, parts]) => formatDate(shape, parts)) },
  {
    weight: 2,
    arbitrary: fc.tuple(dateShape, fc.date({ min: new Date('1800-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true })).map(
      ([shape, at]) => formatDate(shape, { y: at.getUTCFullYear(), m: at.getUTCMonth() + 1, d: at.getUTCDate() }),
    ),
  },
);

const number = fc.oneof(
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.stringMatching(/^-?\d{20,40}$/),
  fc.constantFrom('-1', '0', '1', '42', '1e309', '-1e309', 'NaN', 'Infinity', '-0', '0x1F', '1_000', '00042', '1.5', '9007199254740993', '\u0663\u0664'),
  fc.double().map(String),
);

const handle = fc.stringMatching(/^[a-z0-9._]{1,30}$/);
const digits = fc.stringMatching(/^\d{1,25}$/);
const url = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom('https://www.instagram.com/p/', 'https://instagram.com/reel/', 'http://m.instagram.com/tv/', 'instagram.com/p/', 'https://www.instagram.com/polresabc/p/'),
        fc.oneof(fc.constantFrom('sc1', 'sc2', 'old1', 'ABCDE12'), fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/)),
        fc.constantFrom('', '/', '/?igsh=abc', '/?utm_source=ig_web_copy_link'),
      )
      .map((p) => p.join('')),
  },
  { weight: 1, arbitrary: fc.tuple(handle, digits).map(([h, n]) => `https://www.facebook.com/${h}/posts/${n}`) },
  { weight: 1, arbitrary: digits.map((n) => `https://fb.watch/${n}/`) },
  { weight: 1, arbitrary: fc.tuple(handle, digits).map(([h, n]) => `https://x.com/${h.slice(0, 15)}/status/${n}`) },
  { weight: 1, arbitrary: fc.tuple(handle, digits).map(([h, n]) => `twitter.com/${h.slice(0, 15)}/status/${n}?s=20`) },
  { weight: 1, arbitrary: fc.tuple(handle, digits).map(([h, n]) => `https://www.tiktok.com/@${h}/video/${n}`) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{6,20}$/).map((id) => `https://youtu.be/${id}`) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{6,20}$/).map((id) => `https://www.youtube.com/watch?v=${id}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'https://', 'http://', 'https://instagram.com/p/', 'javascript:alert(1)', 'ftp://x.com/a/status/1',
      'https://x.com/status/1', 'https://evil.example/instagram.com/p/sc1', 'https://www.instagram.com/p/sc1/%00',
      `https://www.instagram.com/p/sc1/?x=${'a'.repeat(4_000)}`, `https://x.com/a/status/${'9'.repeat(3_000)}`,
      'https://www.facebook.com/', 'https://youtu.be/', 'www.tiktok.com/@x/video/', 'https://vt.tiktok.com/',
    ),
  },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
);

const shortcode = fc.oneof(
  fc.constantFrom('sc1', 'sc2', 'old1', 'v1', 'SC1', 'ABCDE12', 'ab', '---', '_'),
  fc.stringMatching(/^[A-Za-z0-9_-]{3,64}$/),
  fc.stringMatching(/^[A-Za-z0-9_-]{65,100}$/),
);

const loneSurrogate = charsOf(0xd800, 0xdfff);
const unicode = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: loneSurrogate, minLength: 1, maxLength: 4 }),
  fc.string({ unit: charsOf(0x0300, 0x036f), minLength: 1, maxLength: 300 }).map((marks) => `e${marks}`),
  fc.constantFrom(
    '🙏', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '\u202eKEBALIK', '\u200fمرحبا', 'שלום', 'Z̴̡̛̗a̷͎͝l̶̢̛g̵o̶', '\ufeff', '\u200b\u200c\u200d',
    'İ', 'ß', 'ﬃ', '\ud83d', '\ude4f', 'a\ud800b', '\udfff\ud800', '\ud83d\ude4f\ud83d', '𝐏𝐎𝐋𝐑𝐄𝐒𝐀𝐁𝐂', 'ＰＯＬＲＥＳＡＢＣ',
  ),
);

const control = fc.oneof(
  fc.string({ unit: charsOf(0x00, 0x1f), minLength: 1, maxLength: 10 }),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\u0000'.repeat(10), '\u007f', '\u0085', '\u001b[31mmerah\u001b[0m', '\r', '\u0008'),
);

const sql = fc.constantFrom(
  "'; DROP TABLE clients; --", "' OR '1'='1", "POLRESABC' --", '"; SELECT pg_sleep(10); --', '$1', '$$', '$2::int', '\\', '\\x00',
  "E'\\000'", '%', '_%', '::int', 'NULL', 'null', "') OR 1=1 --", '1; DELETE FROM "user"', '*/', '/*', "'||(SELECT version())||'",
  'lower(client_id)', "POLRESABC'); UPDATE clients SET client_status = false; --", '\\N', '\\.',
);

const long = fc
  .tuple(
    fc.oneof(fc.constantFrom('A', 'a', '9', '🙏', 'é', '#', 'ab ', '\n', 'POLRESABC', 'e\u0301'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 })),
    fc.integer({ min: 100, max: 5_000 }),
  )
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));

const chatter = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.lorem({ maxCount: 8 }),
  fc.constantFrom('Selamat pagi komandan', 'siap 86', '', ' ', '#', '##', '👍', 'help me', 'status sudah?', 'Sudah like pak 🙏'),
);

const argument = fc.oneof(
  { weight: 4, arbitrary: clientId },
  { weight: 4, arbitrary: modeWord },
  { weight: 4, arbitrary: date },
  { weight: 2, arbitrary: number },
  { weight: 3, arbitrary: url },
  { weight: 2, arbitrary: shortcode },
  { weight: 2, arbitrary: unicode },
  { weight: 1, arbitrary: control },
  { weight: 1, arbitrary: sql },
  { weight: 1, arbitrary: long },
  { weight: 1, arbitrary: fc.constantFrom('', '#', '##', ' # ') },
  { weight: 1, arbitrary: chatter },
);

/** `name#arg#…`, with surrounding whitespace, padded arguments and sometimes a trailing `#`. */
const commandText = fc
  .record({
    before: pad,
    name: commandName,
    args: fc.array(fc.tuple(pad, argument, pad).map((p) => p.join('')), { maxLength: 8 }),
    trailing: fc.constantFrom('', '', '', '', '#', '##', ' '),
    after: pad,
  })
  .map(({ before, name, args, trailing, after }) => `${before}${name}${args.map((a) => `#${a}`).join('')}${trailing}${after}`);

const cancelText = fc
  .tuple(pad, fc.mixedCase(fc.constantFrom('batal', 'cancel', 'keluar', 'exit')), fc.constantFrom('', '', '#', '#POLRESABC', ' dulu'), pad)
  .map((p) => p.join(''));

/** Commands an operator would really send, so the reports run to the end (texts, Excel files, saved links). */
const today = fc.constantFrom('hariini', 'kemarin', '2026-11-25', '2026-11-24', '25-11-2026', '24/11/2026', '23.11.2026');
const validLink = fc.oneof(
  fc.tuple(handle, digits).map(([h, n]) => `https://www.facebook.com/${h}/posts/${n}`),
  fc.tuple(handle, digits).map(([h, n]) => `https://x.com/${h.slice(0, 15)}/status/${n}`),
  fc.tuple(handle, digits).map(([h, n]) => `https://www.tiktok.com/@${h.padEnd(2, '_')}/video/${n}`),
  fc.stringMatching(/^[A-Za-z0-9_-]{6,20}$/).map((id) => `https://youtu.be/${id}`),
  fc.stringMatching(/^[A-Za-z0-9_-]{3,20}$/).map((code) => `https://www.instagram.com/p/${code}/`),
);
const wellFormed = fc.oneof(
  fc
    .record({
      name: fc.mixedCase(fc.constantFrom('absensilikes', 'absensikomentar', 'absensilink')),
      client: fc.option(fc.mixedCase(fc.constant('POLRESABC'))),
      mode: fc.constantFrom('', 'akumulasi', 'akumulasi#sudah', 'akumulasi#belum', 'sudah', 'belum'),
      date: fc.option(today),
      excel: fc.option(fc.mixedCase(fc.constantFrom('excel', 'xlsx'))),
    })
    .map(({ name, ...rest }) => [name, ...Object.values(rest).filter((a) => a !== null && a !== '')].join('#')),
  fc
    .tuple(fc.option(fc.mixedCase(fc.constant('POLRESABC'))), fc.option(fc.constantFrom('sudah', 'belum')), fc.option(fc.constant('excel')))
    .map((args) => ['absensiregistrasi', ...args.filter((a) => a !== null)].join('#')),
  fc.tuple(fc.option(fc.constant('POLRESABC')), fc.option(today)).map((args) => ['rekaplink', ...args.filter((a) => a !== null)].join('#')),
  fc.option(fc.constantFrom('setengah', 'semua')).map((v) => `ambangabsensi#POLRESABC${v ? `#${v}` : ''}`),
  fc
    .tuple(fc.constantFrom('sc1', 'sc2', 'https://www.instagram.com/p/sc2/', 'old1'), fc.array(validLink, { minLength: 1, maxLength: 6 }))
    .map(([post, links]) => ['laporlink', post, ...links].join('#')),
);

const input = fc.oneof(
  { weight: 12, arbitrary: commandText },
  { weight: 4, arbitrary: wellFormed },
  { weight: 3, arbitrary: chatter },
  { weight: 1, arbitrary: cancelText },
);

// ---------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------

/** Whether the text is a known command as the bot reads it (it drops NUL, which PostgreSQL text cannot hold). */
function isCommand(text: string): boolean {
  const parsed = parseCommand(text.replaceAll('\u0000', ''));
  return Boolean(parsed && catalog.find(parsed.name));
}

/**
 * Private chats always get an answer; groups only for a known command, and an unbound group only
 * from an admin, except a command holding a password (`login#…`): every group is warned.
 */
function isDue(role: RoleName, chat: string | undefined, text: string): boolean {
  if (chat === undefined) return true;
  if (!isCommand(text)) return false;
  const command = catalog.find(parseCommand(text.replaceAll('\u0000', ''))!.name);
  if (command?.secretArgs || command?.unboundGroups) return true;
  return chat === GROUP || role === 'admin';
}

/**
 * Inputs found by the properties (role, chat, text), kept so they are tried on every run.
 * A lone low surrogate reaches SQL as it was typed: PGlite 0.5.16 sizes a string
 * parameter's UTF-8 as if each one closed a surrogate pair (skipping the unit before
 * it), so the parameter is cut short: invalid UTF-8 when the surrogate is at its end
 * (these), a silently truncated value otherwise. PostgreSQL (node-postgres) is fine.
 */
const KNOWN: Array<[RoleName, ChatName, string]> = [
  ['admin', 'unbound group', 'absensikomentar#\udc00\udc00'],
  ['admin', 'private chat', 'absensilikes#\udc00\udc00'],
  ['operator', 'private chat', 'absensilikes#é\udc00'],
  ['operator', 'bound group', 'ambangabsensi#\udc00\udc00'],
  ['member', 'private chat', 'laporlink#sc1#https://x.com/budi/status/1é\udc00'],
];

const show = (text: string) => JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…(${text.length} chars)` : text);
const brief = (m: SentMessage) =>
  m.kind === 'text' ? `${m.chatId} text ${show(m.text)}` : `${m.chatId} ${m.kind} ${m.kind === 'image' ? m.image.fileName : m.document.fileName}`;

// ---------------------------------------------------------------------------------------

describe(`generated input (${backend})`, () => {
  const database = useTestDatabase();
  const logLines: string[] = [];
  const log = createLogger({ level: 'warn', pretty: false, destination: { write: (line: string) => void logLines.push(line) } });
  const errorLines = (from = 0) =>
    logLines.slice(from).filter((line) => {
      const level = (JSON.parse(line) as { level: unknown }).level;
      return level === 'error' || level === 'fatal' || (typeof level === 'number' && level >= 50);
    });
  const tally: Record<RoleName, Record<ChatName, { inputs: number; due: number; replies: number; documents: number }>> =
    Object.fromEntries(
      Object.keys(ROLES).map((role) => [role, Object.fromEntries(CHATS.map((c) => [c.name, { inputs: 0, due: 0, replies: 0, documents: 0 }]))]),
    ) as never;
  let t: TestBot;

  beforeAll(async () => {
    // POLRESABC with an Instagram and a TikTok account, posts with likes and comments
    // today and yesterday, so the report commands run for real.
    await seedWorkedExample(database().db);
    // Every role sends ~1,000 messages at one instant: the flood limit is not under test.
    t = await createTestBot(database().db, { env: { CICERO_FLOOD_MAX: '10000' }, log });
  });

  afterAll(() => {
    const lines = Object.entries(tally).map(
      ([role, byChat]) =>
        `${role}: ${Object.values(byChat).reduce((n, c) => n + c.inputs, 0)} inputs (` +
        Object.entries(byChat)
          .map(([chat, c]) => `${chat} ${c.inputs}, ${c.due} due, ${c.replies} sent, ${c.documents} documents`)
          .join('; ') +
        ')',
    );
    console.log(`generated input (${backend}), base seed ${BASE_SEED}\n${lines.join('\n')}`);
  });

  /** Sends one input and checks what came back; the tally feeds the summary line. */
  async function exchangeAndCheck(role: RoleName, chat: (typeof CHATS)[number], text: string): Promise<void> {
    const from = ROLES[role];
    const chatId = chat.group ?? dm(from);
    const logged = logLines.length;
    const sent = await t.exchange(from, text, chat.group ? { group: chat.group } : {});
    const due = isDue(role, chat.group, text);
    const counts = tally[role][chat.name];
    counts.inputs++;
    if (due) counts.due++;
    counts.replies += sent.length;
    counts.documents += sent.filter((m) => m.kind === 'document').length;
    const context = `${role} in ${chat.name}, input ${show(text)}\nsent:\n${sent.map(brief).join('\n') || '(nothing)'}`;
    const errors = errorLines(logged);
    expect(errors.length, `logged at error level for ${context}\nlog:\n${errors.join('\n')}\n`).toBe(0);
    expect(sent.filter((m) => m.kind === 'text' && m.text === APOLOGY).length, `the generic apology for ${context}`).toBe(0);
    expect(sent.filter((m) => m.chatId !== chatId).map(brief), `a reply to another chat for ${context}`).toEqual([]);
    if (due) expect(sent.length, `no reply although one is due for ${context}`).toBeGreaterThanOrEqual(1);
    else expect(sent.map(brief), `a reply although none is due for ${context}`).toEqual([]);
  }

  const chatNamed = (name: ChatName) => CHATS.find((c) => c.name === name)!;

  // Inputs that have failed before, pinned so they are tried whatever the seed.
  it.each(KNOWN)('known case: %s in the %s, %j', async (role, chat, text) => {
    await exchangeAndCheck(role, chatNamed(chat), text);
  });

  const cases = (Object.keys(ROLES) as RoleName[]).flatMap((role, r) =>
    CHATS.map((chat, c) => ({ role, chat, runs: chat.runs * SCALE, seed: BASE_SEED + 1_000 * r + c })),
  );

  it.each(cases)(
    '$role, $chat.name: $runs inputs (seed $seed), a reply when due, never an apology or an error',
    async ({ role, chat, runs, seed }) => {
      await fc.assert(
        fc.asyncProperty(input, (text) => exchangeAndCheck(role, chat, text)),
        { seed, numRuns: runs },
      );
    },
    300_000,
  );

  it('left no message unhandled, no command recorded as an error, nothing logged at error level', async () => {
    const { db } = database();
    const { rows: open } = await db.query<{ id: string; chat_id: string }>(
      'SELECT id, chat_id FROM inbound_message WHERE handled_at IS NULL',
    );
    expect(open).toEqual([]);
    const { rows: outcomes } = await db.query<{ command: string; outcome: string; n: number }>(
      'SELECT command, outcome, count(*)::int AS n FROM command_audit GROUP BY 1, 2 ORDER BY 1, 2',
    );
    console.log(`audit outcomes (${backend}): ${outcomes.map((o) => `${o.command} ${o.outcome} ${o.n}`).join(', ')}`);
    const { rows: failed } = await db.query<{ command: string; chat_id: string; role: string; detail: string | null }>(
      'SELECT command, chat_id, role, detail FROM command_audit WHERE outcome = $1 ORDER BY id',
      ['error'],
    );
    expect(failed.length, `commands recorded as an error, the first: ${JSON.stringify(failed.slice(0, 5), null, 1)}`).toBe(0);
    const errors = errorLines();
    expect(errors.length, `lines logged at error level, the first: ${errors.slice(0, 3).join('\n')}`).toBe(0);
  });
});
