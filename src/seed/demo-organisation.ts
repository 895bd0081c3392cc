/**
 * The demo organisation as plain rows: a Polres with its sections, units and
 * Polsek, a few hundred members of every rank, and today's posts with engagement.
 * Pure: the same seed and clock give the same rows.
 */
import { dayWindow } from '../time/day.js';
import { type Random, seededRandom } from './random.js';

export const DEMO_CLIENT_ID = 'POLRESDEMO';
/**
 * The admin the demo suggests. Admins are configuration (ADMIN_WHATSAPP), not rows,
 * so `cicero seed demo` prints it as the line to set.
 */
export const DEMO_ADMIN_WHATSAPP = '6281100000001';
/** A number no demo member, operator or admin has: for trying registration. */
export const DEMO_UNUSED_WHATSAPP = '6289920000001';

export interface DemoClient {
  client_id: string;
  nama: string;
  client_type: string;
  client_insta: string;
  client_tiktok: string;
  client_operator: string;
  client_group: string;
}

export interface DemoMember {
  user_id: string;
  nama: string;
  title: string;
  divisi: string;
  jabatan: string;
  insta: string | null;
  tiktok: string | null;
  whatsapp: string | null;
  status: boolean;
  exception: boolean;
}

export interface DemoPost {
  id: string;
  created_at: string;
  caption: string;
  /** null: the engagement was never fetched (no insta_like / tiktok_comment row). */
  engagement: unknown[] | null;
}

export interface DemoLinkReport {
  shortcode: string;
  user_id: string;
  instagram_link: string | null;
  facebook_link: string | null;
  twitter_link: string | null;
  tiktok_link: string | null;
  youtube_link: string | null;
}

export interface DemoOrganisation {
  client: DemoClient;
  members: DemoMember[];
  instaPosts: DemoPost[];
  tiktokPosts: DemoPost[];
  linkReports: DemoLinkReport[];
}

/** Division, head's position, and headcount (head included). */
const DIVISIONS: ReadonlyArray<[string, string, number]> = [
  ['PIMPINAN', 'KAPOLRES', 2],
  ['BAG OPS', 'KABAG OPS', 13],
  ['BAG REN', 'KABAG REN', 8],
  ['BAG SDM', 'KABAG SDM', 10],
  ['BAG LOG', 'KABAG LOG', 8],
  ['SAT RESKRIM', 'KASAT RESKRIM', 30],
  ['SAT INTELKAM', 'KASAT INTELKAM', 20],
  ['SAT BINMAS', 'KASAT BINMAS', 14],
  ['SAT SAMAPTA', 'KASAT SAMAPTA', 35],
  ['SAT LANTAS', 'KASAT LANTAS', 35],
  ['SAT RESNARKOBA', 'KASAT RESNARKOBA', 14],
  ['SAT TAHTI', 'KASAT TAHTI', 6],
  ['SAT POLAIRUD', 'KASAT POLAIRUD', 8],
  ['SI HUMAS', 'KASI HUMAS', 6],
  ['SI PROPAM', 'KASI PROPAM', 8],
  ['SI KEU', 'KASI KEU', 5],
  ['SI UM', 'KASI UM', 5],
  ['SI TIK', 'KASI TIK', 5],
  ['SPKT', 'KA SPKT', 12],
  ['POLSEK KOTA', 'KAPOLSEK KOTA', 20],
  ['POLSEK UTARA', 'KAPOLSEK UTARA', 15],
  ['POLSEK SELATAN', 'KAPOLSEK SELATAN', 15],
  ['POLSEK TIMUR', 'KAPOLSEK TIMUR', 12],
  ['POLSEK BARAT', 'KAPOLSEK BARAT', 12],
];

const FIRST = [
  'AGUS', 'BUDI', 'DEDI', 'EKO', 'FAJAR', 'HENDRA', 'IRWAN', 'JOKO', 'KURNIAWAN', 'LUKMAN', 'MUHAMMAD',
  'NUR', 'RIZKY', 'SLAMET', 'TAUFIK', 'WAHYU', 'YUDI', 'ANDI', 'BAYU', 'CANDRA', 'DIMAS', 'GILANG',
  'HARIS', 'IMAM', 'RUDI', 'SITI', 'DEWI', 'RINA', 'ANI', 'LESTARI', 'PUTRI', 'YULIA', 'ARIF', 'DONI',
  'FIRMAN', 'GUNAWAN', 'HADI', 'ILHAM', 'KOMANG', 'MADE', 'NYOMAN', 'PRASETYO', 'RAHMAT', 'SUGENG',
];
const LAST = [
  'SANTOSO', 'WIBOWO', 'SAPUTRA', 'HIDAYAT', 'PRATAMA', 'NUGROHO', 'SETIAWAN', 'KURNIAWAN', 'SUSANTO',
  'HARTONO', 'SIREGAR', 'NASUTION', 'LUBIS', 'SIMANJUNTAK', 'WIJAYA', 'GUNAWAN', 'PURNOMO', 'RAHARJO',
  'FIRMANSYAH', 'MAULANA', 'RAMADHAN', 'SYAHPUTRA', 'UTOMO', 'SUTRISNO', 'HALIM', 'TAMBUNAN', 'SINAGA',
];
const HEAD_RANKS = ['KOMPOL', 'AKP', 'AKP'];
const KANIT_RANKS = ['IPTU', 'IPDA', 'AIPTU'];
const RANKS = ['AIPTU', 'AIPDA', 'AIPDA', 'BRIPKA', 'BRIPKA', 'BRIGPOL', 'BRIGPOL', 'BRIPTU', 'BRIPTU', 'BRIPDA'];
const CIVIL_RANKS = ['PENATA', 'PENGATUR', 'JURU', 'PPPK'];

function staffPosition(divisi: string, index: number, random: Random): string {
  if (divisi === 'PIMPINAN') return 'WAKAPOLRES';
  if (index <= 2) {
    if (divisi.startsWith('BAG')) return `KASUBBAG ${divisi.slice(4)}`;
    if (divisi.startsWith('POLSEK')) return 'KANIT RESKRIM';
    return `KANIT ${index}`;
  }
  return random.pick(['BANIT', 'BAMIN', 'BANIT', `BA ${divisi}`]);
}

function rankFor(divisi: string, index: number, random: Random): string {
  if (divisi === 'PIMPINAN') return index === 0 ? 'AKBP' : 'KOMPOL';
  if (index === 0) return random.pick(HEAD_RANKS);
  if (index <= 2) return random.pick(KANIT_RANKS);
  if ((divisi.startsWith('BAG') || divisi.startsWith('SI ')) && random.chance(0.2)) return random.pick(CIVIL_RANKS);
  return random.pick(RANKS);
}

/** The handle as a member typed it: plain, `@Mixed`, a profile URL, padded, or absent. */
function instaAsTyped(handle: string, random: Random): string | null {
  const r = random.next();
  if (r < 0.17) return null;
  if (r < 0.6) return handle;
  if (r < 0.72) return `@${handle.charAt(0).toUpperCase()}${handle.slice(1)}`;
  if (r < 0.84) return `https://www.instagram.com/${handle}/`;
  if (r < 0.92) return `instagram.com/${handle}?igsh=${random.int(100000, 999999)}`;
  return ` ${handle.toUpperCase()} `;
}

function tiktokAsTyped(handle: string, random: Random): string | null {
  const r = random.next();
  if (r < 0.22) return null;
  if (r < 0.7) return `@${handle}`;
  if (r < 0.85) return handle;
  return `https://www.tiktok.com/@${handle}`;
}

function buildMembers(random: Random): { members: DemoMember[]; handles: Map<string, { insta: string; tiktok: string }> } {
  const members: DemoMember[] = [];
  const handles = new Map<string, { insta: string; tiktok: string }>();
  const usedIds = new Set<string>();
  let phone = 0;
  const add = (divisi: string, jabatan: string, title: string, status: boolean, exception: boolean): void => {
    const civil = CIVIL_RANKS.includes(title);
    let userId: string;
    do {
      userId = civil
        ? `19${random.int(70, 99)}${String(random.int(1, 12)).padStart(2, '0')}${String(random.int(1, 28)).padStart(2, '0')}${random.int(200000, 202399)}${random.int(1, 2)}${String(random.int(1, 999)).padStart(3, '0')}`
        : `${random.int(60, 99)}${String(random.int(0, 999999)).padStart(6, '0')}`;
    } while (usedIds.has(userId));
    usedIds.add(userId);
    const first = random.pick(FIRST);
    const last = random.pick(LAST);
    const base = `${first}.${last}`.toLowerCase();
    const insta = random.chance(0.5) ? `${base}${random.int(1, 99)}` : base.replace('.', '_') + userId.slice(-2);
    const tiktok = `${first}${last}${userId.slice(-3)}`.toLowerCase();
    handles.set(userId, { insta, tiktok });
    members.push({
      user_id: userId,
      nama: `${first} ${last}`,
      title,
      divisi,
      jabatan,
      insta: instaAsTyped(insta, random),
      tiktok: tiktokAsTyped(tiktok, random),
      // Demo numbers live in 628990…; the operator is 6289910000001, and 6289920000001
      // (DEMO_UNUSED_WHATSAPP) is nobody's. No real member uses any of them.
      whatsapp: random.chance(0.65) ? `628990${String(++phone).padStart(7, '0')}` : null,
      status,
      exception,
    });
  };

  for (const [divisi, head, size] of DIVISIONS) {
    for (let i = 0; i < size; i++) {
      const jabatan = i === 0 ? head : staffPosition(divisi, i, random);
      // Leaders on special duty are the usual exceptions.
      const exception = i === 0 && (divisi === 'PIMPINAN' || random.chance(0.25));
      add(divisi, jabatan, rankFor(divisi, i, random), true, exception);
    }
    // Some transferred or retired members stay on the roll as inactive.
    if (random.chance(0.5)) add(divisi, 'BA', random.pick(RANKS), false, false);
  }
  return { members, handles };
}

function postTimes(now: Date, timezone: string, count: number): Date[] {
  const { start } = dayWindow(now, timezone);
  const first = Math.min(start.getTime() + 30_000, now.getTime());
  const span = now.getTime() - first;
  return Array.from({ length: count }, (_, k) => new Date(first + Math.floor((span * k) / Math.max(1, count - 1))));
}

function strangers(random: Random, count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${random.pick(FIRST).toLowerCase()}${i}_${random.int(10, 9999)}`);
}

/**
 * Engagement of today's posts. Each division has its own diligence, so reports show
 * strong and weak units; members without a handle cannot be matched and are skipped.
 */
function engagement(
  posts: Date[],
  members: DemoMember[],
  handleOf: (m: DemoMember) => string,
  random: Random,
  form: (handle: string, postIndex: number) => unknown,
  pendingLast: boolean,
): Array<unknown[] | null> {
  const diligence = new Map<string, number>();
  for (const [divisi] of DIVISIONS) diligence.set(divisi, 0.35 + random.next() * 0.6);
  return posts.map((_, k) => {
    if (pendingLast && posts.length > 1 && k === posts.length - 1) return null;
    const engaged = members
      .filter((m) => m.status && random.chance(diligence.get(m.divisi) ?? 0.5))
      .map((m) => form(handleOf(m), k));
    return [...engaged, ...strangers(random, random.int(80, 200), 'warga_').map((h) => form(h, k))];
  });
}

export function buildDemoOrganisation(now: Date, timezone: string, seed = 2026): DemoOrganisation {
  const random = seededRandom(seed);
  const { members, handles } = buildMembers(random);
  const client: DemoClient = {
    client_id: DEMO_CLIENT_ID,
    nama: 'POLRES DEMO',
    client_type: 'ORG',
    client_insta: 'polresdemo',
    client_tiktok: '@polresdemo',
    client_operator: '6289910000001',
    client_group: '120363000000000001@g.us',
  };

  const igTimes = postTimes(now, timezone, 4);
  const dateTag = dayWindow(now, timezone).date.replaceAll('-', '');
  // Instagram answers with usernames; one post comes from the data-mining job, which stores objects.
  const likes = engagement(
    igTimes,
    members,
    (m) => handles.get(m.user_id)!.insta,
    random,
    (h, k) => (k === 1 ? { username: h, full_name: h.toUpperCase() } : h),
    true,
  );
  const instaPosts = igTimes.map((at, k) => ({
    id: `DEMO${dateTag}IG${k + 1}`,
    created_at: at.toISOString(),
    caption: `Kegiatan ${['patroli', 'bakti sosial', 'sosialisasi kamtibmas', 'pengamanan'][k % 4]} POLRES DEMO`,
    engagement: likes[k]!,
  }));

  const ttTimes = postTimes(now, timezone, 3);
  const comments = engagement(
    ttTimes,
    members,
    (m) => handles.get(m.user_id)!.tiktok,
    random,
    (h, k) => (k === 2 ? { username: h } : h),
    false,
  );
  const tiktokPosts = ttTimes.map((at, k) => ({
    id: `7${dateTag}${String(k + 1).padStart(8, '0')}`,
    created_at: at.toISOString(),
    caption: `Video kegiatan ${k + 1} POLRES DEMO`,
    engagement: comments[k]!,
  }));

  const linkReports: DemoLinkReport[] = [];
  for (const post of instaPosts.slice(0, 2)) {
    for (const m of members) {
      if (!m.status || !random.chance(0.4)) continue;
      const h = handles.get(m.user_id)!;
      linkReports.push({
        shortcode: post.id,
        user_id: m.user_id,
        instagram_link: `https://www.instagram.com/p/${post.id}${m.user_id.slice(-4)}/`,
        facebook_link: random.chance(0.7) ? `https://www.facebook.com/${h.insta.replace(/[._]/g, '')}/posts/${random.int(1e6, 9e6)}` : null,
        twitter_link: random.chance(0.5) ? `https://x.com/${h.tiktok}/status/${random.int(1e6, 9e6)}` : null,
        tiktok_link: random.chance(0.6) ? `https://www.tiktok.com/@${h.tiktok}/video/${random.int(1e6, 9e6)}` : null,
        youtube_link: random.chance(0.2) ? `https://www.youtube.com/shorts/${post.id}${random.int(10, 99)}` : null,
      });
    }
  }
  return { client, members, instaPosts, tiktokPosts, linkReports };
}
