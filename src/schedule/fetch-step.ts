/**
 * The fetch a scheduled job starts with: one platform for `likes` and `comments`, both
 * for `fetch`. It never throws: a failure is returned in words for the job's result and
 * the recap's note, and the recap goes out with the stored data.
 */
import type { Platform } from '../compliance/handle.js';
import type { ComplianceClient } from '../compliance/clients.js';
import type { Db } from '../db/db.js';
import { platformComplete, type PlatformResult } from '../fetch/result.js';
import { runFetch } from '../fetch/run.js';
import * as fetchStorage from '../fetch/store.js';
import { failureReason } from '../fetch/texts.js';
import type { RapidApis } from '../rapidapi/services.js';
import type { DayWindow } from '../time/day.js';

export interface FetchStep {
  /** Per platform asked for: null when fetched completely, else why not. */
  problems: Map<Platform, string | null>;
  /** Skipped: no RapidAPI key. */
  skipped: boolean;
}

const NAME: Record<Platform, string> = { instagram: 'Instagram', tiktok: 'TikTok' };

function problemOf(p: PlatformResult, pageLimit: number): string | null {
  if (p.status === 'busy') return 'pengambilan lain untuk akun ini sedang berjalan';
  if (platformComplete(p)) return null;
  if (p.stopped) return failureReason(p.stopped, pageLimit);
  if (p.posts && !p.posts.complete) return `daftar konten: ${failureReason(p.posts.failure, pageLimit)}`;
  const failed = (p.engagement?.problems.length ?? 0) + (p.engagement?.skipped ?? 0);
  return `${failed} konten tidak terambil lengkap`;
}

export async function fetchStep(
  deps: { db: Db; apis: RapidApis; now: () => Date },
  client: ComplianceClient,
  platforms: readonly Platform[],
  day: DayWindow,
): Promise<FetchStep> {
  const problems = new Map<Platform, string | null>();
  if (!deps.apis.configured) return { problems, skipped: true };
  try {
    const result = await runFetch(
      { db: deps.db, apis: deps.apis, now: deps.now, storage: fetchStorage },
      { client, platforms, parts: ['posts', 'engagement'], day },
    );
    for (const p of result.platforms) {
      if (p.status === 'ran' || p.status === 'busy') problems.set(p.platform, problemOf(p, deps.apis.pageLimit));
    }
  } catch (error) {
    const why = `galat: ${error instanceof Error ? error.message : String(error)}`;
    for (const platform of platforms) problems.set(platform, why);
  }
  return { problems, skipped: false };
}

/** One line for the job's result: "Instagram lengkap; TikTok: layanan tidak menjawab tepat waktu". */
export function fetchStepLine(step: FetchStep): string {
  if (step.skipped) return 'ambil data dilewati (RAPIDAPI_KEY belum diatur)';
  if (step.problems.size === 0) return 'tidak ada akun untuk diambil';
  return [...step.problems].map(([platform, why]) => (why ? `${NAME[platform]}: ${why}` : `${NAME[platform]} lengkap`)).join('; ');
}
