/** The words of scheduled jobs: notes on recaps, `jadwal` listings, run results. */
import { DateTime } from 'luxon';
import type { Source } from '../compliance/engagement.js';
import { formatDay, formatStamp } from '../time/format.js';
import type { Recipients } from './recipients.js';
import type { Job, JobName } from './jobs.js';
import { validCron } from './occurrences.js';

export const JOB_LABEL: Record<JobName, string> = {
  fetch: 'Ambil data Instagram dan TikTok',
  likes: 'Rekap likes Instagram',
  comments: 'Rekap komentar TikTok',
  registration: 'Rekap registrasi akun',
  links: 'Rekap link amplifikasi',
};

export const hhmm = (at: Date, zone: string): string => DateTime.fromJSDate(at, { zone }).toFormat('HH.mm');

/** Put before a recap whose fetch just now did not succeed: the numbers are older. */
export function staleDataNote(source: Source, lastUpdated: Date | null, why: string, zone: string): string {
  const data = source === 'likes' ? 'likes' : 'komentar';
  const from = lastUpdated ? `data per pukul ${hhmm(lastUpdated, zone)}` : 'data yang tersimpan (belum pernah diambil lengkap)';
  return `⚠️ Pengambilan data ${data} terbaru tidak berhasil (${why}); rekap ini memakai ${from}.`;
}

/** What a group gets when nobody is missing and CICERO_RECAP_SEND_COMPLETE is on. */
export function allDoneText(source: Source | 'registration', nama: string, day: Date, zone: string): string {
  const what =
    source === 'registration'
      ? 'semua user sudah melengkapi data akun'
      : `semua sudah melaksanakan ${source === 'likes' ? 'likes Instagram' : 'komentar TikTok'}`;
  return `✅ *${nama}*, ${formatDay(day, zone)}: ${what}. Terima kasih.`;
}

const pad = (n: string | number): string => String(n).padStart(2, '0');

/** A job's times in words: `09.00, 15.00`, `tiap 30 menit 06.00–20.30`, or the expression itself. */
export function cronTimes(cron: readonly string[]): string {
  const spelled: string[] = [];
  for (const expression of cron) {
    const [minute = '', hour = '', ...rest] = expression.trim().split(/\s+/);
    const plain = (v: string) => /^\d+(,\d+)*$/.test(v);
    const step = /^\*\/(\d+)$/.exec(minute);
    const range = /^(\d+)-(\d+)$/.exec(hour);
    if (rest.some((f) => f !== '*')) spelled.push(`\`${expression}\``);
    else if (plain(minute) && plain(hour)) {
      for (const h of hour.split(',')) for (const m of minute.split(',')) spelled.push(`${pad(h)}.${pad(m)}`);
    } else if (step && range) {
      const every = Number(step[1]);
      const lastMinute = 60 - (60 % every || every);
      spelled.push(`tiap ${every} menit ${pad(range[1]!)}.00–${pad(range[2]!)}.${pad(lastMinute)}`);
    } else spelled.push(`\`${expression}\``);
  }
  const isTime = (t: string): number => (/^\d/.test(t) ? 1 : 0);
  return spelled.sort((a, b) => isTime(a) - isTime(b) || a.localeCompare(b)).join(', ');
}

/** `jadwal`'s result for an occurrence missed (no bot ran, or WhatsApp was down) and found past the grace. */
export function missedResult(at: Date, zone: string, now: Date): string {
  const sameDay = DateTime.fromJSDate(at, { zone }).hasSame(DateTime.fromJSDate(now, { zone }), 'day');
  const when = sameDay ? `pukul ${hhmm(at, zone)}` : `${formatDay(at, zone)} pukul ${hhmm(at, zone)}`;
  return `terlewat ${when}: bot tidak berjalan atau WhatsApp tidak tersambung, dan sudah lewat batas CICERO_SCHEDULE_GRACE_MIN`;
}

export interface JobLine {
  job: Job;
  next: Date | null;
}

/** `jadwal`: one client's jobs with their times, next run and last result, and who receives them. */
export function jobListText(client: { clientId: string; nama: string }, lines: readonly JobLine[], recipients: Recipients, zone: string): string {
  const out = [`🗓️ *Jadwal ${client.clientId}* (${client.nama})`];
  const people = recipients.people.length;
  out.push(`Penerima: ${recipients.groups.length} grup, ${people} nomor (operator, super)`);
  if (recipients.groups.length === 0) {
    out.push(`⚠️ Belum ada grup terhubung: kirim *thisgroup#${client.clientId}* di grup unit agar rekap terkirim ke grup.`);
  }
  if (recipients.unusable.length > 0) out.push(`⚠️ Nomor tidak dikenali: ${recipients.unusable.join(', ')}`);
  for (const { job, next } of lines) {
    out.push('', `*${job.job}*: ${JOB_LABEL[job.job]} (${job.enabled ? 'aktif' : '⏸️ nonaktif'})`);
    out.push(`Jam: ${cronTimes(job.cron)}`);
    const invalid = job.cron.filter((e) => !validCron(e));
    if (invalid.length > 0) out.push(`⚠️ Jadwal tidak valid, diabaikan: ${invalid.join(', ')}; atur ulang dengan *jadwal#ubah#${job.job}#HH:MM*.`);
    if (job.extraRecipients.length > 0) out.push(`Penerima tambahan: ${job.extraRecipients.join(', ')}`);
    if (job.enabled) out.push(`Berikutnya: ${next ? formatStamp(next, zone) : '-'}`);
    out.push(`Terakhir: ${job.lastRunAt ? `${formatStamp(job.lastRunAt, zone)}: ` : ''}${job.lastResult ?? 'belum pernah berjalan'}`);
  }
  return out.join('\n');
}
