/** `import members`: read the file, check every row, then write the valid ones into the client. */
import type { Db } from '../db/db.js';
import { parseMemberTable } from './member-rows.js';
import type { Progress } from './progress.js';
import { readTable } from './read-table.js';
import { type MemberImportOptions, type MemberImportResult, upsertMembers } from './upsert-members.js';

export interface MemberFileResult extends MemberImportResult {
  /** Data rows read (blank rows left out). */
  rows: number;
  ignoredColumns: string[];
}

export async function importMembersFile(
  db: Db,
  file: string,
  options: Omit<MemberImportOptions, 'progress'> & { progress?: (rows: number) => Progress | undefined },
): Promise<MemberFileResult> {
  const table = await readTable(file);
  const parsed = parseMemberTable(table, file);
  const progress = options.progress?.(table.rows.length);
  try {
    const result = await upsertMembers(db, parsed, { ...options, progress });
    return { ...result, rows: table.rows.length, ignoredColumns: parsed.ignoredColumns };
  } finally {
    progress?.end();
  }
}
