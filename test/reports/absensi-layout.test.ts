/**
 * The phone layout of the compliance report on a realistic generated unit: 300 members
 * in 21 divisions (PIMPINAN typed in lower case, BAG, SAT, SI, SPKT, POLSEK and others),
 * varied ranks and positions, some without a handle, some exceptions, three posts liked
 * by 0 to 3 each. Rendered directly with `renderAbsensi`, paged at 4,000 characters.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type ComplianceClient, findClient } from '../../src/compliance/clients.js';
import { loadEngagement } from '../../src/compliance/engagement.js';
import { buildRecap, type Recap } from '../../src/compliance/recap.js';
import type { Db } from '../../src/db/db.js';
import { type Filter, type RenderedReport, renderAbsensi } from '../../src/reports/absensi-text.js';
import { dayWindow } from '../../src/time/day.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const NOW = new Date('2026-11-25T03:00:00Z');
const TIMEZONE = 'Asia/Jakarta';
const DAY = dayWindow(NOW, TIMEZONE);
const ID = 'POLRESGEN';
const MAX_CHARS = 4000;
const POSTS = 3;

/** The divisions in the default order the report must follow, with their size and how they are typed in the data. */
const DIVISIONS: Array<{ name: string; size: number; typed?: string[] }> = [
  { name: 'PIMPINAN', size: 4, typed: ['pimpinan', 'Pimpinan', 'pimpinan ', 'pimpinan'] },
  { name: 'BAG LOG', size: 12 },
  { name: 'BAG OPS', size: 12 },
  { name: 'BAG REN', size: 12 },
  { name: 'BAG SDM', size: 12 },
  { name: 'SAT BINMAS', size: 22 },
  { name: 'SAT INTELKAM', size: 22 },
  { name: 'SAT LANTAS', size: 22 },
  { name: 'SAT RESKRIM', size: 22 },
  { name: 'SAT RESNARKOBA', size: 22 },
  { name: 'SAT SAMAPTA', size: 22 },
  { name: 'SI HUMAS', size: 10 },
  { name: 'SI KEU', size: 10 },
  { name: 'SI PROPAM', size: 10 },
  { name: 'SPKT', size: 12 },
  { name: 'POLSEK BARAT', size: 18 },
  { name: 'POLSEK KOTA', size: 18 },
  { name: 'POLSEK UTARA', size: 18 },
  { name: 'DOKKES', size: 3 },
  { name: 'SIUM', size: 8 },
  { name: 'TIK', size: 9 },
];
const ORDER = DIVISIONS.map((d) => d.name);

const FIRST = [
  'ADITYA', 'BAGUS', 'CAHYO', 'DIMAS', 'ERWIN', 'FAJAR', 'GALIH', 'HENDRA', 'IRFAN', 'JOKO', 'KURNIA', 'LUTFI',
  'MARDI', 'NANDA', 'OKTA', 'PRASETYO', 'QOMAR', 'RIZKY', 'SLAMET', 'TEGUH', 'UMAR', 'VIKTOR', 'WAHYU', 'YOGI', 'ZAINAL',
];
const LAST = ['SAPUTRA', 'NUGROHO', 'SETIAWAN', 'HIDAYAT', 'PRATAMA', 'SANTOSO', 'WIBOWO', 'KURNIAWAN', 'SUSANTO', 'FIRMANSYAH', 'LUBIS', 'SIREGAR'];
const OTHER_RANKS = ['IPDA', 'AIPTU', 'AIPDA', 'BRIPKA', 'BRIGPOL', 'BRIPTU', 'BRIPDA', 'BRIPDA', 'PENATA', 'PENGATUR'];

interface Seeded {
  userId: string;
  nama: string;
  title: string;
  divisi: string;
  typedDivisi: string;
  jabatan: string | null;
  /** The position as the report must print it (the division stripped); '' for none. */
  short: string;
  handle: string | null;
  exception: boolean;
  /** Indexes of the posts liked. */
  liked: number[];
}

/** Positions in a division: [jabatan, as printed]. The head first, then staff cycling. */
function positions(division: string): Array<[string | null, string]> {
  const [kind, ...rest] = division.split(' ');
  const tail = rest.join(' ');
  switch (kind) {
    case 'PIMPINAN':
      return [['KAPOLRES', 'KAPOLRES'], ['WAKAPOLRES', 'WAKAPOLRES'], ['Bamin Pimpinan', 'Bamin'], ['SPRI KAPOLRES', 'SPRI KAPOLRES']];
    case 'BAG':
      return [[`KABAG ${tail}`, 'KABAG'], [`PAUR SUBBAG MIN ${division}`, 'PAUR SUBBAG MIN'], [`BA ${division}`, 'BA'], [null, ''], ['BAMIN', 'BAMIN']];
    case 'SAT':
      return [
        [`KASAT ${tail}`, 'KASAT'],
        [`WAKASAT ${tail}`, 'WAKASAT'],
        [`KANIT ${tail === 'LANTAS' ? 'REGIDENT' : 'I'} ${division}`, `KANIT ${tail === 'LANTAS' ? 'REGIDENT' : 'I'}`],
        [`BA ${division}`, 'BA'],
        [`BINTARA ${division}`, 'BINTARA'],
        ['BANUM', 'BANUM'],
        [null, ''],
      ];
    case 'SI':
      return [[`KASI ${tail}`, 'KASI'], [`PAUR ${division}`, 'PAUR'], [`BA ${division}`, 'BA']];
    case 'SPKT':
      return [['KA SPKT', 'KA'], ['KANIT SPKT', 'KANIT'], ['BA SPKT', 'BA']];
    case 'POLSEK':
      return [
        [`KAPOLSEK ${tail}`, 'KAPOLSEK'],
        [`WAKAPOLSEK ${tail}`, 'WAKAPOLSEK'],
        [`KANIT RESKRIM ${division}`, 'KANIT RESKRIM'],
        ['BHABINKAMTIBMAS', 'BHABINKAMTIBMAS'],
        [`BA ${division}`, 'BA'],
      ];
    case 'DOKKES':
      return [['KASI DOKKES', 'KASI'], ['BA DOKKES', 'BA']];
    case 'SIUM':
      return [['KASIUM', 'KASIUM'], ['BA SIUM', 'BA']];
    default:
      return [['KAUR TIK', 'KAUR'], ['BA TIK', 'BA'], [null, '']];
  }
}

function headRank(kind: string, j: number): string {
  if (kind === 'PIMPINAN') return ['AKBP', 'KOMPOL', 'BRIPDA', 'BRIPTU'][j]!;
  if (j === 0) return kind === 'BAG' ? 'KOMPOL' : kind === 'SAT' || kind === 'POLSEK' ? 'AKP' : 'IPTU';
  if (j === 1 && (kind === 'SAT' || kind === 'POLSEK')) return 'IPTU';
  return OTHER_RANKS[(j * 3 + kind.length) % OTHER_RANKS.length]!;
}

/** The unit, built deterministically; some members are pinned to show each rule. */
function generate(): Seeded[] {
  const members: Seeded[] = [];
  let i = 0;
  DIVISIONS.forEach((d, di) => {
    const kind = d.name.split(' ')[0]!;
    const pos = positions(d.name);
    for (let j = 0; j < d.size; j++, i++) {
      const first = FIRST[i % FIRST.length]!;
      const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
      const nama = `${first} ${last}`;
      const [jabatan, short] = j < pos.length ? pos[j]! : pos[2 + ((j - 2) % (pos.length - 2))] ?? pos.at(-1)!;
      // About one in twelve never registered a handle; one in twenty is an exception.
      const handle = (i * 5 + di) % 12 === 7 ? null : `${first}.${last}`.toLowerCase();
      const exception = d.name === 'DOKKES' || (i * 3) % 20 === 1;
      // 0..3 posts liked: a spread that differs per division.
      const bucket = (i * 7 + di * 3) % 10;
      const count = handle === null ? 0 : bucket < 2 ? 0 : bucket < 4 ? 1 : bucket < 7 ? 2 : 3;
      const liked = Array.from({ length: count }, (_, k) => (i + k) % POSTS).sort();
      members.push({
        userId: `G${String(i).padStart(4, '0')}`,
        nama,
        title: headRank(kind, j),
        divisi: d.name,
        typedDivisi: d.typed?.[j] ?? d.name,
        jabatan,
        short,
        handle,
        exception,
        liked,
      });
    }
  });
  const pin = (divisi: string, short: string, patch: Partial<Seeded>) => {
    const m = members.find((x) => x.divisi === divisi && x.short === short)!;
    Object.assign(m, patch);
  };
  // PIMPINAN in every section: the chief an exception, the deputy sudah, the staff belum.
  pin('PIMPINAN', 'KAPOLRES', { exception: true, liked: [0, 1, 2] });
  pin('PIMPINAN', 'WAKAPOLRES', { exception: false, liked: [0, 1, 2] });
  pin('PIMPINAN', 'Bamin', { exception: false, liked: [] });
  pin('PIMPINAN', 'SPRI KAPOLRES', { exception: false, liked: [1], handle: 'spri.kapolres' });
  // KASAT LANTAS liked nothing (handle shown), BA SAT LANTAS one post (no handle shown).
  pin('SAT LANTAS', 'KASAT', { exception: false, liked: [], handle: 'kasat.lantas' });
  pin('SAT LANTAS', 'BA', { exception: false, liked: [2], handle: 'ba.lantas' });
  return members;
}

const MEMBERS = generate();

async function seed(db: Db): Promise<void> {
  await db.query(
    `INSERT INTO clients (client_id, nama, client_type, client_insta, client_tiktok) VALUES ($1, 'POLRES GENERATED', 'ORG', 'polresgen', '@polresgen')`,
    [ID],
  );
  for (const m of MEMBERS) {
    await db.query(
      `INSERT INTO "user" (user_id, nama, title, divisi, jabatan, client_id, insta, exception, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true)`,
      [m.userId, m.nama, m.title, m.typedDivisi, m.jabatan, ID, m.handle, m.exception],
    );
  }
  for (let p = 0; p < POSTS; p++) {
    const likers = MEMBERS.filter((m) => m.handle !== null && m.liked.includes(p)).map((m) => m.handle!);
    likers.push('someone.else', 'fan.account');
    await db.query(`INSERT INTO insta_post (shortcode, client_id, created_at) VALUES ($1, $2, $3)`, [
      `gen${p}`,
      ID,
      new Date(DAY.start.getTime() + (p + 1) * 3_600_000),
    ]);
    await db.query(`INSERT INTO insta_like (shortcode, likes, updated_at) VALUES ($1, $2, $3)`, [
      `gen${p}`,
      JSON.stringify(likers),
      new Date(NOW.getTime() - 30 * 60_000),
    ]);
  }
}

const who = (m: { title: string; nama: string }): string => `${m.title} ${m.nama}`;
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Occurrences of `RANK NAME` as a whole (IPDA X is not inside AIPDA X). */
const occurrences = (text: string, m: Seeded): number =>
  (text.match(new RegExp(`(?<![A-Z])${escapeRegExp(who(m))}(?![A-Z])`, 'g')) ?? []).length;

const judged = MEMBERS.filter((m) => !m.exception);
const verdict = (m: Seeded): 'sudah' | 'belum' | 'exception' =>
  m.exception ? 'exception' : m.handle !== null && m.liked.length >= 2 ? 'sudah' : 'belum';
const byName = new Map(MEMBERS.map((m) => [who(m), m]));

const SECTION = /^(✅|❌|➖) \*[^*]+\* \(\d+ user\)( \(lanjutan\))?:$/;
const DIVISION = /^\*([^*]+)\* \(\d+\)( \(lanjutan\))?:$/;
const THANKS = 'Terima kasih.';

interface Parsed {
  /** Section titles (without "(lanjutan)") in order, each with its divisions in order and its member names. */
  sections: Array<{ title: string; divisions: string[]; names: Array<{ divisi: string; name: string; line: string }> }>;
}

/** Reads the lists of a whole text. */
function parse(text: string): Parsed {
  const sections: Parsed['sections'] = [];
  let division: string | null = null;
  for (const line of text.split('\n')) {
    if (SECTION.test(line)) {
      sections.push({ title: line.replace(' (lanjutan)', ''), divisions: [], names: [] });
      division = null;
      continue;
    }
    const section = sections.at(-1);
    if (!section || line === THANKS) continue;
    if (line === '') {
      division = null;
      continue;
    }
    const heading = DIVISION.exec(line);
    if (heading) {
      division = heading[1]!;
      section.divisions.push(division);
      continue;
    }
    if (division === null) throw new Error(`a member line without its division heading: ${line}`);
    if (/^\d+\. /.test(line)) {
      const name = [...byName.keys()].filter((n) => line.startsWith(`${line.split(' ')[0]} ${n}`)).sort((a, b) => b.length - a.length)[0];
      section.names.push({ divisi: division, name: name ?? '?', line });
    } else {
      for (const name of line.replace(/;$/, '').split('; ')) section.names.push({ divisi: division, name, line });
    }
  }
  return { sections };
}

describe(`report layout on a generated 300-member unit (${backend})`, () => {
  const database = useTestDatabase();
  let client: ComplianceClient;
  let recap: Recap;
  const render = (filter: Filter, maxLines = 400, c: ComplianceClient = client): RenderedReport =>
    renderAbsensi(recap, { client: c, kind: 'accumulated', filter, now: NOW, timezone: TIMEZONE, maxLines, maxChars: MAX_CHARS });

  beforeAll(async () => {
    await seed(database().db);
    client = (await findClient(database().db, ID))!;
    recap = buildRecap(await loadEngagement(database().db, client, 'likes', DAY), client.threshold, client.divisionOrder);
  });

  it('the data is what the test meant: 300 members, the verdicts as liked', () => {
    expect(new Set(MEMBERS.map(who)).size).toBe(300);
    expect(recap.countable).toBe(3);
    expect(recap.needed).toBe(2);
    const expected = { sudah: 0, belum: 0, exception: 0 };
    for (const m of MEMBERS) expected[verdict(m)] += 1;
    expect(recap.counts).toEqual({ members: 300, ...expected });
    for (const m of recap.members) {
      const seeded = MEMBERS.find((x) => x.userId === m.userId)!;
      expect([m.divisi, m.count, m.verdict]).toEqual([seeded.divisi, seeded.handle === null ? 0 : seeded.liked.length, verdict(seeded)]);
    }
    // A realistic spread: every kind of line occurs.
    expect(judged.filter((m) => m.handle === null).length).toBeGreaterThan(10);
    expect(judged.filter((m) => m.handle !== null && m.liked.length === 0).length).toBeGreaterThan(10);
    expect(judged.filter((m) => m.liked.length === 1).length).toBeGreaterThan(10);
  });

  it('accumulated fits three messages of at most 4,000 characters, #belum two', () => {
    const all = render('all');
    const belum = render('belum');
    console.info(
      `[absensi-layout] accumulated: ${all.messages.length} messages (${all.messages.map((m) => m.length).join(', ')} chars, text ${all.text.length}); ` +
        `#belum: ${belum.messages.length} messages (${belum.messages.map((m) => m.length).join(', ')} chars); ` +
        `counts ${JSON.stringify(recap.counts)}`,
    );
    expect(all.summarised).toBe(false);
    expect(belum.summarised).toBe(false);
    for (const m of [...all.messages, ...belum.messages]) expect(m.length).toBeLessThanOrEqual(MAX_CHARS);
    expect(all.messages.length).toBeLessThanOrEqual(3);
    expect(belum.messages.length).toBeLessThanOrEqual(2);
  });

  it('every member is named exactly once, in the section of their verdict, under their division', () => {
    const { text } = render('all');
    for (const m of MEMBERS) expect({ member: who(m), n: occurrences(text, m) }).toEqual({ member: who(m), n: 1 });
    const { sections } = parse(text);
    expect(sections.map((s) => s.title)).toEqual([
      `❌ *Belum melaksanakan* (${recap.counts.belum} user):`,
      `✅ *Sudah melaksanakan* (${recap.counts.sudah} user):`,
      `➖ *Dikecualikan (exception)* (${recap.counts.exception} user):`,
    ]);
    const verdicts = ['belum', 'sudah', 'exception'] as const;
    sections.forEach((s, k) => {
      const names = s.names.map((n) => n.name).sort();
      expect(names).toEqual(MEMBERS.filter((m) => verdict(m) === verdicts[k]).map(who).sort());
      for (const n of s.names) expect({ name: n.name, divisi: n.divisi }).toEqual({ name: n.name, divisi: byName.get(n.name)?.divisi });
    });
  });

  it('the same holds message by message: each resumes its section and division under "(lanjutan)" headings', () => {
    for (const filter of ['all', 'belum'] as const) {
      const { messages, text } = render(filter);
      // The messages hold the text's lines, headings repeated where a message resumes.
      const dropped = messages.join('\n').split('\n').filter((l) => !l.includes('(lanjutan)'));
      expect(dropped.filter(Boolean)).toEqual(text.split('\n').filter(Boolean));
      let open: string | null = null; // the section open at the end of the previous message
      let lastDivision: string | null = null;
      messages.forEach((message, k) => {
        const lines = message.split('\n');
        expect(lines[0]).not.toBe('');
        if (k > 0 && open !== null && !SECTION.test(lines[0]!) && lines[0] !== THANKS) {
          throw new Error(`message ${k + 1} starts inside ${open} without its heading: ${lines[0]}`);
        }
        if (k > 0 && open !== null && SECTION.test(lines[0]!) && lines[0]!.replace(' (lanjutan)', '') === open) {
          // Resumed: marked so, and followed by its division's heading.
          expect(lines[0]).toBe(open.replace(/:$/, ' (lanjutan):'));
          const division = DIVISION.exec(lines[1]!);
          expect(division, `message ${k + 1}: ${lines[1]}`).not.toBeNull();
          if (division![2]) expect(division![1]).toBe(lastDivision);
        }
        // Every member line has its section's and its division's heading earlier in this message.
        let section: string | null = null;
        let division: string | null = null;
        for (const line of lines) {
          if (SECTION.test(line)) {
            section = line.replace(' (lanjutan)', '');
            open = section;
            division = null;
          } else if (DIVISION.test(line)) {
            division = DIVISION.exec(line)![1]!;
            lastDivision = division;
          } else if (line === '') {
            division = null;
          } else if (line === THANKS) {
            open = null;
          } else if (section !== null) {
            expect(division, `message ${k + 1}, "${line}" has no division heading above it`).not.toBeNull();
            const first = /^\d+\. /.test(line) ? null : line.replace(/;$/, '').split('; ')[0]!;
            if (first) expect(byName.get(first)?.divisi).toBe(division);
          }
        }
      });
      // Not vacuous: the belum section runs past the first message.
      expect(messages.slice(1).some((m) => /^❌ \*Belum melaksanakan\* \(\d+ user\) \(lanjutan\):\n/.test(m))).toBe(true);
      // A division is introduced once per section; later parts are "(lanjutan)".
      for (const s of parse(text).sections) expect(new Set(s.divisions).size).toBe(s.divisions.length);
      const fresh = messages.flatMap((m) => m.split('\n')).filter((l) => DIVISION.test(l) && !l.includes('(lanjutan)'));
      expect(fresh.length).toBe(parse(text).sections.reduce((n, s) => n + s.divisions.length, 0));
    }
  });

  it('divisions: PIMPINAN first in every section, then BAG, SAT, SI, SPKT, POLSEK, the rest alphabetically', () => {
    const { sections } = parse(render('all').text);
    for (const s of sections) {
      expect(s.divisions[0]).toBe('PIMPINAN');
      expect(s.divisions).toEqual(ORDER.filter((d) => s.divisions.includes(d)));
    }
    // DOKKES is all exceptions: only in the exception section.
    expect(sections[2]!.divisions).toContain('DOKKES');
    expect(sections[0]!.divisions).not.toContain('DOKKES');
  });

  it('belum: numbered 1..N through the section, position without the division, handle only when nothing matched', () => {
    const { text } = render('all');
    const belum = parse(text).sections[0]!;
    const lines = belum.names.map((n) => n.line);
    expect(lines.map((l) => Number(l.split('.')[0]))).toEqual(Array.from({ length: recap.counts.belum }, (_, i) => i + 1));
    // Every line exactly: number, rank and name, (position), then the handle rule.
    const expected = recap.members
      .filter((m) => m.verdict === 'belum')
      .map((r, i) => {
        const m = MEMBERS.find((x) => x.userId === r.userId)!;
        const position = m.short ? ` (${m.short})` : '';
        const tail = m.handle === null ? 'belum mengisi' : m.liked.length === 0 ? `@${m.handle} 0/3` : `${m.liked.length}/3`;
        return `${i + 1}. ${who(m)}${position} ${tail}`;
      });
    expect(lines).toEqual(expected);
    // The pinned examples.
    expect(lines).toContainEqual(expect.stringMatching(/^\d+\. AKP [A-Z]+ [A-Z]+ \(KASAT\) @kasat\.lantas 0\/3$/));
    const ba = MEMBERS.find((m) => m.handle === 'ba.lantas')!;
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\d+\\. ${escapeRegExp(who(ba))} \\(BA\\) 1/3$`)));
    expect(lines.some((l) => / \(KABAG\) /.test(l) || / \(KAPOLSEK\) /.test(l) || / \(KASI\) /.test(l))).toBe(true);
    expect(lines.some((l) => /\((?:[A-Z ]+ )?(?:SAT|BAG|SI|POLSEK) [A-Z]+\)/.test(l))).toBe(false);
    expect(lines.filter((l) => l.endsWith(' belum mengisi')).length).toBe(judged.filter((m) => m.handle === null).length);
    expect(lines.filter((l) => l.includes('@')).every((l) => l.endsWith(' 0/3'))).toBe(true);
    // The PIMPINAN staff: "Bamin Pimpinan" reads "Bamin".
    expect(lines).toContainEqual(expect.stringMatching(/^\d+\. BRIPDA [A-Z]+ [A-Z]+ \(Bamin\) /));
  });

  it('sudah and exceptions are one paragraph of names per division, no positions, no handles; "Terima kasih." closes', () => {
    const { text, messages } = render('all');
    const start = text.indexOf('✅ *Sudah melaksanakan* (');
    const tail = text.slice(start);
    expect(tail).not.toMatch(/@|\d\/3|\(KASAT\)|\(BA\)/);
    const wakapolres = MEMBERS.find((m) => m.short === 'WAKAPOLRES')!;
    const kapolres = MEMBERS.find((m) => m.short === 'KAPOLRES')!;
    expect(tail).toContain(`✅ *Sudah melaksanakan* (${recap.counts.sudah} user):\n*PIMPINAN* (1):\n${who(wakapolres)}\n`);
    expect(tail).toMatch(new RegExp(`➖ \\*Dikecualikan \\(exception\\)\\* \\(${recap.counts.exception} user\\):\\n\\*PIMPINAN\\* \\(1\\):\\n${escapeRegExp(who(kapolres))}\\n`));
    expect(text.endsWith(`\n\n${THANKS}`)).toBe(true);
    expect(messages.at(-1)!.endsWith(THANKS)).toBe(true);
    const belum = render('belum');
    expect(belum.text).not.toContain('✅ *Sudah melaksanakan* (');
    expect(belum.text).not.toContain('➖ *Dikecualikan (exception)* (');
    expect(belum.text).toContain('✅ *Sudah melaksanakan* : *'); // the counts stay
    expect(belum.text.endsWith(`\n\n${THANKS}`)).toBe(true);
    for (const m of MEMBERS) expect(occurrences(belum.text, m)).toBe(verdict(m) === 'belum' ? 1 : 0);
  });

  it('the unit label follows client_type: ORG → Polres, POLDA → Polda, satker brimob → Satker Brimob', async () => {
    expect(render('all').text).toContain('\n*Polres*: *POLRES GENERATED*\n');
    expect(render('all', 400, { ...client, type: 'POLDA' }).text).toContain('\n*Polda*: *POLRES GENERATED*\n');
    await database().db.query(`UPDATE clients SET client_type = 'satker brimob' WHERE client_id = $1`, [ID]);
    const brimob = (await findClient(database().db, ID))!;
    expect(render('all', 400, brimob).messages[0]).toContain('\n*Satker Brimob*: *POLRES GENERATED*\n');
    await database().db.query(`UPDATE clients SET client_type = 'ORG' WHERE client_id = $1`, [ID]);
  });

  it('above maxLines: a line per division weakest first, the worst divisions’ belum names within two messages, the Excel line', () => {
    const summary = render('all', 50);
    console.info(`[absensi-layout] summary: ${summary.messages.length} messages (${summary.messages.map((m) => m.length).join(', ')} chars)`);
    expect(summary.summarised).toBe(true);
    expect(summary.messages.length).toBeLessThanOrEqual(2);
    for (const m of summary.messages) expect(m.length).toBeLessThanOrEqual(MAX_CHARS);
    const lines = summary.text.split('\n');
    const table = lines.slice(lines.indexOf('📊 *Rekap per divisi* (terlemah lebih dulu):') + 1);
    const rows = table.slice(0, table.indexOf(''));
    expect(rows).toHaveLength(DIVISIONS.length);
    // Expected: judged rate ascending, then more belum first, then unit order; all-exception divisions last.
    const scores = ORDER.map((divisi) => {
      const ms = MEMBERS.filter((m) => m.divisi === divisi);
      const sudah = ms.filter((m) => verdict(m) === 'sudah').length;
      const belum = ms.filter((m) => verdict(m) === 'belum').length;
      return { divisi, sudah, belum, exception: ms.length - sudah - belum, rate: sudah + belum ? sudah / (sudah + belum) : null };
    }).sort((a, b) => (a.rate ?? 2) - (b.rate ?? 2) || b.belum - a.belum || ORDER.indexOf(a.divisi) - ORDER.indexOf(b.divisi));
    expect(rows).toEqual(
      scores.map((s, i) =>
        s.rate === null
          ? `${i + 1}. *${s.divisi}*: semua ${s.exception} user dikecualikan`
          : `${i + 1}. *${s.divisi}*: ${s.sudah} sudah, ${s.belum} belum (${Math.round(s.rate * 100)}%)`,
      ),
    );
    const rates = scores.map((s) => s.rate ?? 2);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    // The worst divisions' belum names, in the table's order, each complete.
    const named = summary.text.slice(summary.text.indexOf('❌ *Belum melaksanakan*, divisi terlemah:'));
    expect(summary.text).toContain('❌ *Belum melaksanakan*, divisi terlemah:');
    const headed = named.split('\n').flatMap((l) => (DIVISION.test(l) && !l.includes('(lanjutan)') ? [DIVISION.exec(l)![1]!] : []));
    expect(headed.length).toBeGreaterThan(0);
    expect(headed).toEqual(scores.filter((s) => s.belum > 0).slice(0, headed.length).map((s) => s.divisi));
    for (const m of MEMBERS) {
      const expected = verdict(m) === 'belum' && headed.includes(m.divisi) ? 1 : 0;
      expect({ member: who(m), n: occurrences(summary.text, m) }).toEqual({ member: who(m), n: expected });
    }
    expect(summary.text.endsWith(`… daftar lengkap 300 user ada di lampiran Excel.\n\n${THANKS}`)).toBe(true);
  });
});
