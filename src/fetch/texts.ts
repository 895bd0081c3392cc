/** The words of a fetch run: progress lines and the closing summary (chat and command line alike). */
import type { Platform } from '../compliance/handle.js';
import type { RapidApiError } from '../rapidapi/errors.js';
import { formatDay } from '../time/format.js';
import type { FetchProgress, FetchResult, PlatformResult, PostProblem } from './result.js';

const PLATFORM_NAME: Record<Platform, string> = { instagram: 'Instagram', tiktok: 'TikTok' };
const ENGAGERS: Record<Platform, string> = { instagram: 'Likes', tiktok: 'Komentator' };
const POSTS_NOUN: Record<Platform, string> = { instagram: 'Konten', tiktok: 'Video' };

const count = (n: number) => n.toLocaleString('id-ID');

export const NO_KEY =
  '⚠️ Pengambilan data belum dapat dijalankan: RAPIDAPI_KEY belum diatur di server (.env). Setelah diisi, jalankan ulang bot.';

export const WAITING = '⏳ Menunggu giliran: pengambilan data lain sedang berjalan…';

export function progressLine(p: FetchProgress): string {
  return `⏳ ${PLATFORM_NAME[p.platform]}: ${p.done}/${p.total} konten…`;
}

export function startLine(clientId: string, platforms: readonly Platform[]): string {
  return `⏳ Mengambil data ${platforms.map((p) => PLATFORM_NAME[p]).join(' dan ')} *${clientId}*…`;
}

/** Why a request failed, in words an operator can act on. */
export function failureReason(failure: RapidApiError | null, pageLimit: number, what = 'konten'): string {
  if (!failure) return `berhenti di batas ${pageLimit} halaman (RAPIDAPI_PAGE_LIMIT)`;
  switch (failure.kind) {
    case 'key-missing':
      return 'RAPIDAPI_KEY belum diatur';
    case 'key-refused':
      return `kunci RapidAPI ditolak (HTTP ${failure.status ?? '401/403'}): periksa RAPIDAPI_KEY dan langganannya`;
    case 'rate-limited':
      return 'layanan membatasi permintaan (HTTP 429), coba lagi nanti';
    case 'upstream':
      return `layanan sedang bermasalah (${failure.status ? `HTTP ${failure.status}` : 'galat'})`;
    case 'timeout':
      return 'layanan tidak menjawab tepat waktu';
    case 'network':
      return 'layanan tidak dapat dihubungi';
    case 'malformed':
      return 'jawaban layanan tidak terbaca';
    case 'not-found':
      return `${what} tidak ditemukan`;
    case 'private':
      return `${what} privat`;
    case 'empty':
      return 'layanan tidak mengembalikan satu konten pun, padahal ada konten tersimpan untuk tanggal itu';
  }
}

function postsLine(p: PlatformResult, pageLimit: number): string[] {
  const posts = p.posts;
  if (!posts) return [];
  const noun = POSTS_NOUN[p.platform];
  const parts = [`baru ${posts.new}`, `diperbarui ${posts.updated}`, `dihapus ${posts.removed}`];
  if (posts.restored) parts.push(`muncul lagi ${posts.restored}`);
  const lines = [`${noun}: *${posts.found}* (${parts.join(', ')})`];
  if (!posts.complete) {
    const why = failureReason(posts.failure, pageLimit, `akun @${p.account}`);
    lines.push(`⚠️ Daftar ${noun.toLowerCase()} tidak lengkap: ${why}. Tidak ada ${noun.toLowerCase()} yang ditandai dihapus.`);
  }
  return lines;
}

function problemLine(platform: Platform, problem: PostProblem, pageLimit: number): string {
  const what = platform === 'instagram' ? 'konten (mungkin sudah dihapus)' : 'video (mungkin sudah dihapus)';
  const kept = problem.partial ? ' (sebagian tersimpan)' : '';
  return `- ${problem.postId}: ${failureReason(problem.failure, pageLimit, what)}${kept}`;
}

function engagementLines(p: PlatformResult, pageLimit: number): string[] {
  const e = p.engagement;
  if (!e) return [];
  if (e.posts === 0) {
    const first = p.platform === 'instagram' ? 'fetchinsta' : 'fetchtiktok';
    return [`${ENGAGERS[p.platform]}: belum ada konten tersimpan pada tanggal tersebut (ambil kontennya dulu dengan ${first}).`];
  }
  const lines = [`${ENGAGERS[p.platform]} tersimpan: *${count(e.total)}* (baru ${count(e.added)}) dari ${e.posts} konten`];
  if (e.problems.length) {
    lines.push(`⚠️ ${e.problems.length} konten tidak lengkap:`);
    lines.push(...e.problems.map((problem) => problemLine(p.platform, problem, pageLimit)));
  }
  if (e.skipped) lines.push(`⚠️ ${e.skipped} konten tidak diambil karena proses dihentikan.`);
  return lines;
}

function platformSection(p: PlatformResult, pageLimit: number): string[] {
  const name = PLATFORM_NAME[p.platform];
  switch (p.status) {
    case 'busy':
      return [`⏳ *${name}*: pengambilan data lain untuk client ini sedang berjalan; hasilnya akan tersimpan. Coba lagi setelah selesai.`];
    case 'no-account':
      return [`⚠️ *${name}*: client belum memiliki akun ${name} (atur dengan updateclient).`];
    case 'disabled':
      return [`⚠️ *${name}*: absensi ${name} dinonaktifkan untuk client ini.`];
    case 'ran': {
      const nothing = p.posts?.found === 0 && p.posts.complete && p.posts.removed === 0 && (!p.engagement || p.engagement.posts === 0);
      if (nothing) return [`*${name}* @${p.account}`, `Tidak ada konten ${name} pada tanggal tersebut.`];
      // Stopped by the listing itself (a refused key): no counts to give, the reason once.
      if (p.stopped && p.posts?.failure === p.stopped) return [`*${name}* @${p.account}`, `❌ Dihentikan: ${failureReason(p.stopped, pageLimit)}.`];
      const lines = [`*${name}* @${p.account}`, ...postsLine(p, pageLimit), ...engagementLines(p, pageLimit)];
      if (p.stopped) lines.push(`❌ Dihentikan: ${failureReason(p.stopped, pageLimit)}.`);
      return lines;
    }
  }
}

export function summaryText(result: FetchResult, timezone: string, pageLimit: number, complete: boolean): string {
  const head = complete
    ? `✅ Pengambilan data *${result.clientId}* selesai`
    : `⚠️ Pengambilan data *${result.clientId}* selesai sebagian`;
  const sections = result.platforms.map((p) => platformSection(p, pageLimit).join('\n'));
  return [`${head} (${formatDay(result.day.start, timezone)}).`, ...sections].join('\n\n');
}
