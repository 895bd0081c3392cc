/** The Indonesian text telling an operator what an admin changed in their client. Pure. */
import { formatStamp } from '../time/format.js';
import type { ChangeRecord } from './change-log.js';

/** Lines shown before "… and N more". */
const MAX_LINES = 15;

const show = (v: string | null): string => (v === null || v === '' ? '-' : v);

export function adminChangesNotice(clientId: string, changes: readonly ChangeRecord[], zone: string): string {
  const lines = changes.slice(0, MAX_LINES).map((c) => {
    const what = c.userId ? `NRP ${c.userId} ${c.field}` : c.field;
    return `• ${what}: ${show(c.oldValue)} → ${show(c.newValue)}`;
  });
  const more = changes.length - lines.length;
  const last = changes[changes.length - 1]!;
  return [
    `ℹ️ [Notifikasi] Admin mengubah data client *${clientId}* (${changes.length} perubahan, terakhir ${formatStamp(last.changedAt, zone)}):`,
    ...lines,
    ...(more > 0 ? [`… dan ${more} perubahan lain.`] : []),
    'Ketik *riwayat#<NRP>* untuk riwayat seorang anggota.',
  ].join('\n');
}
