import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { promisify } from 'node:util';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { serialize, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ComplianceClient } from '../../src/compliance/clients.js';
import type { DayPost, EngagementDay, MemberEngagement } from '../../src/compliance/engagement.js';
import { buildRecap, countsOf, perPost, type Recap } from '../../src/compliance/recap.js';
import { COLOURS, missedPosts, recapWorkbook, sheetNames } from '../../src/reports/excel.js';
import {
  recapWorkbookOffThread,
  WORKBOOK_NICE,
  WorkbookBuildError,
  workbookProcessId,
  workbookProcessStats,
} from '../../src/reports/excel-process.js';
import { absensiFiles } from '../../src/reports/recap-files.js';
import { answering } from '../../src/concurrency/foreground.js';
import { dayWindowOf } from '../../src/time/day.js';

const run = promisify(execFile);
// The test that a recap is let go forces a full collection.
setFlagsFromString('--expose-gc');
const TIMEZONE = 'Asia/Jakarta';
const day = dayWindowOf('2026-12-01', TIMEZONE);
const client: ComplianceClient = {
  clientId: 'POLRES_X',
  nama: 'POLRES X',
  active: true,
  insta: 'polres.x',
  instaEnabled: true,
  tiktok: null,
  tiktokEnabled: false,
  amplifyEnabled: false,
  threshold: 'half',
  type: 'ORG',
  divisionOrder: [],
};
const meta = { client, now: new Date('2026-12-01T13:00:00Z'), timezone: TIMEZONE };

const post = (i: number, fetched = true): DayPost => ({
  id: `p${i}`,
  url: `https://www.instagram.com/p/p${i}`,
  createdAt: new Date(day.start.getTime() + (i + 1) * 3600_000),
  fetched,
  partial: false,
  updatedAt: fetched ? new Date(day.start.getTime() + 10 * 3600_000) : null,
});

/** [NRP, division, engaged posts, handle?, exception?]; three posts, at least 2 for sudah. */
const MEMBERS: [string, string, number[], boolean?, boolean?][] = [
  ['101', 'PIMPINAN', [0, 1, 2]], // lengkap, sudah
  ['102', 'PIMPINAN', [0]], // kurang, belum
  ['201', 'BAG OPS', [0, 1]], // kurang, sudah
  ['202', 'BAG OPS', []], // belum
  ['203', 'BAG OPS', [], false], // no handle
  ['204', 'BAG OPS', [0, 1, 2], true, true], // exception
  ['301', 'SAT RES/NARKOBA', [0, 1, 2]], // lengkap, sudah
  ['302', 'SAT RES/NARKOBA', [1, 2]], // kurang, sudah
  ['303', 'SAT RES/NARKOBA', []], // belum
  ['304', 'SAT RES/NARKOBA', [2]], // kurang, belum
];

function recapOf(posts: DayPost[]): Recap {
  const members = MEMBERS.map(([userId, divisi, engaged, handle = true, exception = false]): MemberEngagement => ({
    userId,
    nama: `NAMA ${userId}`,
    title: 'BRIPTU',
    divisi,
    jabatan: null,
    handle: handle ? `user${userId}` : null,
    exception,
    engaged,
    links: 0,
  }));
  const engagement: EngagementDay = { source: 'likes', day, posts, members, lastUpdated: posts[0]!.updatedAt };
  return buildRecap(engagement, 'half');
}

async function load(recap: Recap): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await recapWorkbook(recap, meta)) as unknown as ArrayBuffer);
  return book;
}

/** The 1-based number of the first row whose cells pass the test. */
function rowNumber(sheet: ExcelJS.Worksheet, test: (values: unknown[]) => boolean): number {
  let found = 0;
  sheet.eachRow((row, n) => {
    if (!found && test((row.values as unknown[]).slice(1))) found = n;
  });
  return found;
}

const rowsOf = (sheet: ExcelJS.Worksheet): unknown[][] => {
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
};

interface Rule {
  type: string;
  operator?: string;
  formulae?: string[];
  priority?: number;
  style?: { fill?: { bgColor?: { argb?: string } } };
}

/** The fill Excel would give the cell: the first (by priority) rule it meets among the sheet's conditional formats. */
function colourOf(sheet: ExcelJS.Worksheet, address: string): string | undefined {
  const cell = sheet.getCell(address);
  const { row, col } = cell.fullAddress;
  const formats = (sheet as unknown as { conditionalFormattings: { ref: string; rules: Rule[] }[] }).conditionalFormattings;
  const met: Rule[] = [];
  for (const { ref, rules } of formats) {
    const [from, to] = ref.split(':').map((a) => sheet.getCell(a).fullAddress);
    if (row < from!.row || row > to!.row || col < from!.col || col > to!.col) continue;
    for (const rule of rules) {
      const value = cell.value;
      if (rule.type === 'cellIs' && rule.operator === 'equal' && rule.formulae![0] === `"${value}"`) met.push(rule);
      if (rule.type === 'expression' && typeof value === 'number') {
        // AND(ISNUMBER(G12),G12>=0.9), relative to the range's first cell.
        const [, op, limit] = /,[A-Z]+\d+(>=|<)([\d.]+)\)$/.exec(rule.formulae![0]!)!;
        if (op === '>=' ? value >= Number(limit) : value < Number(limit)) met.push(rule);
      }
    }
  }
  met.sort((a, b) => a.priority! - b.priority!);
  return met[0]?.style?.fill?.bgColor?.argb;
}

const GREEN = COLOURS.green.fill!.type === 'pattern' ? COLOURS.green.fill!.bgColor!.argb : '';
const AMBER = COLOURS.amber.fill!.type === 'pattern' ? COLOURS.amber.fill!.bgColor!.argb : '';
const RED = COLOURS.red.fill!.type === 'pattern' ? COLOURS.red.fill!.bgColor!.argb : '';

describe('recap Excel file', () => {
  it('has a summary, a sheet per section, the posts, and a sheet per division with a valid name', async () => {
    const book = await load(recapOf([post(0), post(1), post(2)]));
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'Ringkasan',
      'Sudah',
      'Belum',
      'Dikecualikan',
      'Konten',
      'PIMPINAN',
      'BAG OPS',
      'SAT RES-NARKOBA',
    ]);
  });

  it('lists every member once across the section sheets and once across the division sheets', async () => {
    const book = await load(recapOf([post(0), post(1), post(2)]));
    const idsIn = (names: string[]) =>
      names.flatMap((name) => rowsOf(book.getWorksheet(name)!).slice(1).map((r) => String(r[1])));
    const sections = idsIn(['Sudah', 'Belum', 'Dikecualikan']);
    const divisions = idsIn(['PIMPINAN', 'BAG OPS', 'SAT RES-NARKOBA']);
    const all = MEMBERS.map(([id]) => id).sort();
    expect([...sections].sort()).toEqual(all);
    expect([...divisions].sort()).toEqual(all);
    expect(idsIn(['Sudah']).sort()).toEqual(['101', '201', '301', '302']);
    expect(idsIn(['Dikecualikan'])).toEqual(['204']);
    // Both kinds of sheet say which posts a member missed, in one column: "1", "Semua", or nothing.
    const sudah = rowsOf(book.getWorksheet('Sudah')!);
    expect(sudah[0]).toEqual(['No', 'NRP/NIP', 'Pangkat', 'Nama', 'Divisi', 'Jabatan', 'Akun', 'Jumlah', 'Persen', 'Tingkat', 'Konten terlewat']);
    expect(sudah.find((r) => r[1] === '302')).toEqual([4, '302', 'BRIPTU', 'NAMA 302', 'SAT RES/NARKOBA', undefined, '@user302', 2, 2 / 3, 'Kurang lengkap', '1']);
    const bagOps = rowsOf(book.getWorksheet('BAG OPS')!);
    expect(bagOps[0]).toEqual(['No', 'NRP/NIP', 'Pangkat', 'Nama', 'Jabatan', 'Akun', 'Jumlah', 'Persen', 'Status', 'Tingkat', 'Konten terlewat']);
    expect(bagOps.find((r) => r[1] === '203')?.slice(5)).toEqual([undefined, 0, 0, 'Belum', 'Belum mengisi akun', 'Semua']);
    expect(bagOps.find((r) => r[1] === '204')?.slice(6)).toEqual([3, 1, 'Dikecualikan', 'Lengkap']);
    expect(book.getWorksheet('SAT RES-NARKOBA')!.getCell('H2').numFmt).toBe('0%');
  });

  it('summarises per division, weakest first, with the rate as a percentage', async () => {
    const book = await load(recapOf([post(0), post(1), post(2)]));
    const rows = rowsOf(book.getWorksheet('Ringkasan')!);
    expect(rows[0]).toEqual(['Rekap Likes Instagram - POLRES X (POLRES_X)']);
    expect(rows).toContainEqual(['Syarat sudah: minimal 2 dari 3 konten']);
    expect(rows).toContainEqual(['Sudah', 4]);
    const header = rows.findIndex((r) => r[0] === 'Divisi');
    expect(rows[header]).toEqual(['Divisi', 'Jumlah user', 'Sudah', 'Kurang', 'Belum', 'Dikecualikan', 'Persen sudah']);
    expect(rows.slice(header + 1)).toEqual([
      ['BAG OPS', 4, 1, 0, 2, 1, 1 / 3],
      // Same rate: the one with more belum first.
      ['SAT RES/NARKOBA', 4, 2, 1, 1, 0, 0.5],
      ['PIMPINAN', 2, 1, 1, 0, 0, 0.5],
    ]);
    const sheet = book.getWorksheet('Ringkasan')!;
    const first = rowNumber(sheet, (r) => r[0] === 'Divisi') + 1;
    expect(sheet.getCell(`G${first}`).numFmt).toBe('0.0%');
    expect(colourOf(sheet, `G${first}`)).toBe(RED);
    expect(colourOf(sheet, `G${first + 1}`)).toBe(AMBER);
  });

  it('a rate of 90% and up is green', async () => {
    const recap = recapOf([post(0), post(1), post(2)]);
    // Only the members who are sudah: every rate is 100%.
    const book = await load({ ...recap, members: recap.members.filter((m) => m.verdict === 'sudah') });
    const sheet = book.getWorksheet('Ringkasan')!;
    const first = rowNumber(sheet, (r) => r[0] === 'Divisi') + 1;
    expect(sheet.getCell(`G${first}`).value).toBe(1);
    expect(colourOf(sheet, `G${first}`)).toBe(GREEN);
  });

  it('colours lengkap green, kurang amber and belum red', async () => {
    const book = await load(recapOf([post(0), post(1), post(2)]));
    const tingkat = (sheetName: string, id: string, column: string): string | undefined => {
      const sheet = book.getWorksheet(sheetName)!;
      return colourOf(sheet, `${column}${rowNumber(sheet, (r) => r[1] === id)}`);
    };
    // Division sheets: Tingkat in J, Status in I.
    expect(tingkat('PIMPINAN', '101', 'J')).toBe(GREEN);
    expect(tingkat('PIMPINAN', '102', 'J')).toBe(AMBER);
    expect(tingkat('BAG OPS', '202', 'J')).toBe(RED);
    expect(tingkat('BAG OPS', '203', 'J')).toBe(RED);
    expect(tingkat('PIMPINAN', '101', 'I')).toBe(GREEN);
    expect(tingkat('PIMPINAN', '102', 'I')).toBe(RED);
    expect(tingkat('BAG OPS', '204', 'I')).toBeUndefined();
    // Section sheets: Tingkat in J.
    expect(tingkat('Sudah', '301', 'J')).toBe(GREEN);
    expect(tingkat('Sudah', '302', 'J')).toBe(AMBER);
    expect(tingkat('Belum', '303', 'J')).toBe(RED);
  });

  it('lists the posts missed by their Konten number, never one without data', async () => {
    // Post 2 (the second) has no data: it counts against no one and is never "missed".
    const recap = recapOf([post(0), post(1, false), post(2)]);
    const missed = missedPosts(recap);
    const of = (id: string) => missed(recap.members.find((m) => m.userId === id)!);
    expect(of('101')).toBeUndefined(); // engaged with both counted posts
    expect(of('102')).toBe('3');
    expect(of('302')).toBe('1');
    expect(of('202')).toBe('Semua');
    expect(of('304')).toBe('1');
    // Every member, against the list spelled out: the counted posts they did not engage with.
    for (const m of recapOf([post(0), post(1), post(2)]).members) {
      const list = [1, 2, 3].filter((n) => !m.engaged.includes(n - 1));
      const want = list.length === 0 ? undefined : list.length === 3 ? 'Semua' : list.join(', ');
      expect(missedPosts(recapOf([post(0), post(1), post(2)]))(m)).toBe(want);
    }
    const book = await load(recap);
    // Konten: per post its data and how many (exceptions aside) engaged, as perPost counts them.
    expect(rowsOf(book.getWorksheet('Konten')!).slice(1).map((r) => [r[0], r[3], r[4]])).toEqual(
      perPost(recap).map((p) => [p.index + 1, p.sudah ? 'tersedia' : 'belum tersedia', p.sudah ? p.sudah.length : undefined]),
    );
    expect(rowsOf(book.getWorksheet('Sudah')!).find((r) => r[1] === '102')?.at(-1)).toBe('3'); // 1 of 2 counted is enough
    expect(rowsOf(book.getWorksheet('PIMPINAN')!).find((r) => r[1] === '102')?.at(-1)).toBe('3');
  });

  it('when no post has data, nobody is judged', async () => {
    const book = await load(recapOf([post(0, false)]));
    expect(rowsOf(book.getWorksheet('Sudah')!).slice(1)).toEqual([['Belum dinilai: data likes belum tersedia untuk konten hari itu.']]);
    const rows = rowsOf(book.getWorksheet('Ringkasan')!);
    expect(rows.at(-1)).toEqual(['Belum dinilai: data likes belum tersedia untuk konten hari itu.']);
    const statuses = rowsOf(book.getWorksheet('BAG OPS')!).slice(1).map((r) => r[8]);
    expect(statuses).toEqual(Array(4).fill('Belum dinilai'));
  });
});

describe('sheetNames', () => {
  it('keeps names Excel accepts: short, without []:*?/\\, unique ignoring case', () => {
    const long = 'POLSEK KECAMATAN SUKAMAJU SELATAN BARAT';
    expect(sheetNames(['SAT RES/NARKOBA', 'SAT RES:NARKOBA', 'a[b]*?\\', long, `${long} 2`, 'ringkasan', "'X'", ''], ['Ringkasan'])).toEqual([
      'SAT RES-NARKOBA',
      'SAT RES-NARKOBA (2)',
      'a-b----',
      'POLSEK KECAMATAN SUKAMAJU SELAT',
      'POLSEK KECAMATAN SUKAMAJU S (2)',
      'ringkasan (2)',
      'X',
      'Divisi',
    ]);
  });
});

describe('the workbook process', () => {
  const small = recapOf([post(0), post(1), post(2)]);
  // Enough members to go over in several pieces (1,000 a message), every one of them in order.
  const members = Array.from({ length: 2_345 }, (_, i) => ({ ...small.members[i % small.members.length]!, userId: String(10_000 + i) }));
  const recap: Recap = { ...small, members, counts: countsOf(members) };
  const rows = async (file: Buffer): Promise<unknown[][]> => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as unknown as ArrayBuffer);
    return book.worksheets.flatMap((sheet) => {
      const values: unknown[][] = [];
      sheet.eachRow((row) => values.push([sheet.name, ...(row.values as unknown[]).slice(1)]));
      return values;
    });
  };

  // Niced, the process still slowed other chats on two shared cores: it waits while the bot
  // answers one (at most 10 ms at a time, so a flood of chats cannot hold the file for ever).
  it('gives way while the bot answers a chat, and builds the same file', async () => {
    const here = await rows(await recapWorkbook(recap, meta));
    let done = (): void => {};
    const chat = new Promise<void>((resolve) => {
      done = resolve;
    });
    const before = { ...workbookProcessStats };
    const answered = answering(() => chat); // a chat in hand for the whole build
    const file = await recapWorkbookOffThread(recap, meta);
    done();
    await answered;
    expect(await rows(file)).toEqual(here);
    expect(workbookProcessStats.gaveWay).toBeGreaterThan(before.gaveWay);
    const quiet = { ...workbookProcessStats };
    expect(await rows(await recapWorkbookOffThread(recap, meta))).toEqual(here);
    expect(workbookProcessStats.gaveWay).toBe(quiet.gaveWay); // nobody answered: it never waited
  });

  it('builds the same file in a process of its own, not on the bot’s thread', async () => {
    const before = { ...workbookProcessStats };
    const [apart, here] = await Promise.all([recapWorkbookOffThread(recap, meta), recapWorkbook(recap, meta)]);
    const read = await rows(apart);
    expect(read).toEqual(await rows(here));
    expect(read.filter((r) => r[0] === 'Belum' || r[0] === 'Sudah' || r[0] === 'Dikecualikan').length).toBe(2_345 + 3);
    expect(workbookProcessStats).toMatchObject({ inProcess: before.inProcess + 1, fallbacks: before.fallbacks, gaveWay: before.gaveWay });
    expect(workbookProcessId()).not.toBe(process.pid);
  });

  // The point of a process: its collector threads and libuv's pool (zlib) give way too, not only the build.
  it.runIf(existsSync('/proc/self/task'))('runs every one of its threads at the lower priority, zlib’s pool included', async () => {
    await recapWorkbookOffThread(recap, meta); // a file built: the pool has started
    const pid = workbookProcessId()!;
    const threads = readdirSync(`/proc/${pid}/task`).map(Number);
    expect(threads.length).toBeGreaterThan(4); // main, V8's helpers, libuv's pool
    // Lower than the bot's own, which it keeps (a suite run under a higher nice cannot go back to 10).
    const bot = getPriority(0);
    expect(threads.map((id) => getPriority(id))).toEqual(threads.map(() => Math.max(WORKBOOK_NICE, bot)));
    expect(getPriority(0)).toBe(bot);
  });

  it('says why a file could not be built, without building it again here', async () => {
    const before = { ...workbookProcessStats };
    // Without its client the file cannot be built, in the process or here alike.
    const broken = { ...meta, client: undefined as unknown as ComplianceClient };
    await expect(recapWorkbookOffThread(recap, broken)).rejects.toThrow(WorkbookBuildError);
    expect(workbookProcessStats).toEqual(before);
    expect(await rows(await recapWorkbookOffThread(recap, meta))).toHaveLength((await rows(await recapWorkbook(recap, meta))).length);
  });

  it('builds the file here when the process dies before answering, and starts a new one for the next file', async () => {
    const here = await rows(await recapWorkbook(recap, meta));
    await recapWorkbookOffThread(recap, meta);
    const before = { ...workbookProcessStats };
    // The same members again: one message, sent at once, that the process cannot have answered yet.
    const building = recapWorkbookOffThread(recap, meta);
    const killed = workbookProcessId()!;
    process.kill(killed, 'SIGKILL');
    expect(await rows(await building)).toEqual(here);
    expect(workbookProcessStats).toEqual({ ...before, fallbacks: before.fallbacks + 1 });

    // A new process knows no members: they go whole, in pieces; killed before the last is sent
    // (that waits for turns of this thread's loop), it can never answer.
    const renamed: Recap = { ...recap, members: recap.members.map((m, i) => (i === 7 ? { ...m, nama: 'NAMA BARU' } : m)) };
    const whole = recapWorkbookOffThread(renamed, meta);
    const second = workbookProcessId()!;
    expect(second).not.toBe(killed);
    process.kill(second, 'SIGKILL');
    const fromPieces = await rows(await whole);
    expect(fromPieces).toEqual(await rows(await recapWorkbook(renamed, meta)));
    expect(fromPieces.some((r) => r.includes('NAMA BARU'))).toBe(true);
    expect(workbookProcessStats).toEqual({ ...before, fallbacks: before.fallbacks + 2, membersSent: before.membersSent + 1 });

    expect(await rows(await recapWorkbookOffThread(recap, meta))).toEqual(here);
    expect(workbookProcessId()).not.toBe(second);
    expect(workbookProcessStats).toEqual({
      ...before,
      inProcess: before.inProcess + 1,
      fallbacks: before.fallbacks + 2,
      membersSent: before.membersSent + 2,
    });
  });

  // Sending a province's 10,000 members whole took the bot's thread about 9.5 ms a report.
  it('sends a unit’s members whole once, then only what each did; again whole when one of them changed', async () => {
    const stamp = `NAMA ${Date.now()}`; // members no earlier test sent
    const first: Recap = { ...recap, members: recap.members.map((m, i) => (i === 0 ? { ...m, nama: stamp } : m)) };
    const before = { ...workbookProcessStats };
    expect(await rows(await recapWorkbookOffThread(first, meta))).toEqual(await rows(await recapWorkbook(first, meta)));
    expect(workbookProcessStats.membersSent).toBe(before.membersSent + 1);

    // The same members (copies, as each report makes), nobody engaged this time.
    const idle = first.members.map((m) => ({
      ...m,
      engaged: [],
      count: 0,
      links: 0,
      tier: m.handle === null ? ('no_handle' as const) : ('belum' as const),
      verdict: m.exception ? ('exception' as const) : ('belum' as const),
    }));
    const second: Recap = { ...first, members: idle, counts: countsOf(idle) };
    const expected = await rows(await recapWorkbook(second, meta));
    expect(expected).not.toEqual(await rows(await recapWorkbook(first, meta)));
    expect(await rows(await recapWorkbookOffThread(second, meta))).toEqual(expected);
    expect(workbookProcessStats.membersSent).toBe(before.membersSent + 1);
    expect(await rows(await recapWorkbookOffThread(first, meta))).toEqual(await rows(await recapWorkbook(first, meta)));
    expect(workbookProcessStats.membersSent).toBe(before.membersSent + 1);

    // One member's position set: the members go whole again, and the file has it.
    const changed: Recap = { ...first, members: first.members.map((m, i) => (i === 2_000 ? { ...m, jabatan: 'KASAT BARU' } : m)) };
    const file = await rows(await recapWorkbookOffThread(changed, meta));
    expect(file).toEqual(await rows(await recapWorkbook(changed, meta)));
    expect(file.some((r) => r.includes('KASAT BARU'))).toBe(true);
    expect(workbookProcessStats).toMatchObject({ membersSent: before.membersSent + 2, fallbacks: before.fallbacks });
  });

  // The process switches to members sent whole when their last piece arrives; a job sent
  // before that, of the members it knew, must still be built from those.
  it('keeps apart two jobs in flight: members going whole, and a job of the members known before them', async () => {
    const renamed = (name: string): Recap => ({ ...recap, members: recap.members.map((m, i) => (i === 1 ? { ...m, nama: name } : m)) });
    const nobody = (r: Recap): Recap => {
      const members = r.members.map((m) => ({ ...m, engaged: [], count: 0, verdict: m.exception ? ('exception' as const) : ('belum' as const) }));
      return { ...r, members, counts: countsOf(members) };
    };
    const a = renamed(`A ${Date.now()}`);
    const b = renamed(`B ${Date.now()}`);
    await recapWorkbookOffThread(a, meta); // the process knows a's members
    const before = { ...workbookProcessStats };
    const whole = recapWorkbookOffThread(b, meta); // three pieces, a turn of this loop each
    const known = recapWorkbookOffThread(nobody(a), meta); // sent at once, before b's last piece
    const [fileB, fileA] = await Promise.all([whole, known]);
    expect(await rows(fileB)).toEqual(await rows(await recapWorkbook(b, meta)));
    expect(await rows(fileA)).toEqual(await rows(await recapWorkbook(nobody(a), meta)));
    // b's members are known now: only what each did goes over.
    expect(await rows(await recapWorkbookOffThread(nobody(b), meta))).toEqual(await rows(await recapWorkbook(nobody(b), meta)));
    expect(workbookProcessStats).toMatchObject({ inProcess: before.inProcess + 3, fallbacks: before.fallbacks, membersSent: before.membersSent + 1 });
  });

  // A province's members kept alive for the half second of a build were copied by the bot's next
  // scavenge (5-13 ms in which no chat was answered): once their pieces are sent, nothing keeps them.
  it('does not keep the recap while its files are built', async () => {
    await recapWorkbookOffThread(recap, meta); // the process is up
    const builder = workbookProcessId()!;
    const collect = runInNewContext('gc') as () => void;
    process.kill(builder, 'SIGSTOP'); // it cannot build (nor answer) until continued
    try {
      const { files, members } = (() => {
        const fresh: Recap = { ...recapOf([post(0), post(1), post(2)]), members: recap.members.map((m) => ({ ...m })) };
        return { files: absensiFiles(fresh, meta, { excel: true, chart: true }), members: new WeakRef(fresh.members) };
      })();
      for (let turn = 0; turn < 10; turn++) await yieldToLoop(); // the 3 pieces and the rest sent, a turn each
      collect();
      expect(members.deref()).toBeUndefined();
      process.kill(builder, 'SIGCONT');
      const parts = await files;
      const kinds = parts.map((p) => ('document' in p ? 'document' : 'image' in p ? 'image' : 'text'));
      expect(kinds[0]).toBe('document');
      expect(kinds.slice(1)).toEqual(kinds.slice(1).map(() => 'image'));
      expect(kinds.length).toBeGreaterThan(1);
      expect((await rows((parts[0] as { document: { data: Buffer } }).document.data)).length).toBeGreaterThan(2_345);
    } finally {
      process.kill(builder, 'SIGCONT');
    }
  });

  it('neither keeps the bot alive when idle nor outlives it', async () => {
    // A script that builds one file and returns. It exits by itself only if the idle process does not
    // hold it; and the process shares its output pipe, so the pipe closes only once both have exited.
    const script = `
      const { recapWorkbookOffThread, workbookProcessId } = await import(${JSON.stringify(new URL('../../src/reports/excel-process.ts', import.meta.url).href)});
      const { deserialize } = await import('node:v8');
      const [recap, meta] = deserialize(Buffer.from('${serialize([small, meta]).toString('base64')}', 'base64'));
      const file = await recapWorkbookOffThread(recap, meta);
      console.log(JSON.stringify({ bytes: file.length, builder: workbookProcessId() }));`;
    // Held (the failure this looks for), it is killed at 50 s; its process then loses its channel and exits.
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 50_000 });
    const out = JSON.parse(stdout) as { bytes: number; builder: number };
    expect(out.bytes).toBeGreaterThan(10_000);
    expect(out.builder).toBeGreaterThan(0);
  }, 60_000);
});
