/**
 * What one occurrence of a job does for one client, and the messages it produces:
 * groups get the short "belum" recap (nothing when nobody is missing, unless
 * CICERO_RECAP_SEND_COMPLETE), people (operator, super, extra numbers) the full
 * recap. Nothing is sent here: the caller queues the messages (the scheduler, `jadwal#run`)
 * or prints them (`cicero recap run`).
 */
import type { Platform } from '../compliance/handle.js';
import { type ComplianceClient, findClient } from '../compliance/clients.js';
import { loadEngagement, PLATFORM_OF } from '../compliance/engagement.js';
import { loadDayLinks } from '../compliance/links.js';
import { buildRecap } from '../compliance/recap.js';
import { loadRegistration } from '../compliance/registration.js';
import type { Db } from '../db/db.js';
import type { RapidApis } from '../rapidapi/services.js';
import { noContentText, renderAbsensi } from '../reports/absensi-text.js';
import { registrationWorkbook, XLSX_MIME } from '../reports/excel.js';
import { recapCharts, recapExcel } from '../reports/recap-files.js';
import { renderDayLinks } from '../reports/link-text.js';
import { renderRegistration } from '../reports/registration-text.js';
import type { DayWindow } from '../time/day.js';
import type { OutgoingDocument, OutgoingImage } from '../transport/transport.js';
import { fetchStep, fetchStepLine } from './fetch-step.js';
import type { JobName } from './jobs.js';
import { loadRecipients } from './recipients.js';
import { allDoneText, staleDataNote } from './texts.js';

export interface JobDeps {
  db: Db;
  apis: RapidApis;
  now: () => Date;
  timezone: string;
  reportMaxLines: number;
  messageMaxChars: number;
  /** Groups get one "all done" line when nobody is missing (else nothing). */
  sendComplete: boolean;
  /** Groups get the chart pictures beside a likes/comments recap. */
  sendChart: boolean;
}

export type Part = { text: string } | { document: OutgoingDocument } | { image: OutgoingImage };

export interface JobMessage {
  chatId: string;
  part: Part;
}

export interface JobOutcome {
  messages: JobMessage[];
  /** One line for `jadwal` and the log: what ran and who was sent what. */
  result: string;
  /** Platforms fetched completely by this run (a later job of the same batch need not fetch them again). */
  fetched: Platform[];
}

interface Content {
  group: Part[];
  people: Part[];
  note: string;
  fetched: Platform[];
}

const SOURCE_OFF = 'dilewati: platform dinonaktifkan atau akun client belum diatur';

export async function runJob(
  deps: JobDeps,
  job: { clientId: string; job: JobName; extraRecipients: readonly string[] },
  day: DayWindow,
  /** Platforms fetched completely moments ago in the same batch. */
  fresh: ReadonlySet<Platform> = new Set(),
): Promise<JobOutcome> {
  const client = await findClient(deps.db, job.clientId);
  const recipients = await loadRecipients(deps.db, job.clientId, job.extraRecipients);
  if (!client || !recipients || !client.active) return { messages: [], result: 'dilewati: client tidak aktif', fetched: [] };
  const content = await contentOf(deps, client, job.job, day, fresh);
  const messages = [
    ...recipients.groups.flatMap((chatId) => content.group.map((part) => ({ chatId, part }))),
    ...recipients.people.flatMap((chatId) => content.people.map((part) => ({ chatId, part }))),
  ];
  const notes = [content.note];
  if (job.job !== 'fetch') {
    notes.push(`${new Set(messages.map((m) => m.chatId)).size} penerima`);
    if (recipients.groups.length === 0) notes.push('tidak ada grup terhubung (thisgroup#)');
    if (recipients.unusable.length > 0) notes.push(`nomor tidak dikenali: ${recipients.unusable.join(', ')}`);
  }
  return { messages, result: notes.filter(Boolean).join('; '), fetched: content.fetched };
}

async function contentOf(
  deps: JobDeps,
  client: ComplianceClient,
  job: JobName,
  day: DayWindow,
  fresh: ReadonlySet<Platform>,
): Promise<Content> {
  switch (job) {
    case 'fetch': {
      const step = await fetchStep(deps, client, ['instagram', 'tiktok'], day);
      const fetched = [...step.problems].filter(([, why]) => why === null).map(([p]) => p);
      return { group: [], people: [], note: fetchStepLine(step), fetched };
    }
    case 'likes':
    case 'comments':
      return engagementRecap(deps, client, job, day, fresh);
    case 'registration':
      return registrationRecap(deps, client, day);
    case 'links':
      return linkRecap(deps, client, day);
  }
}

async function engagementRecap(
  deps: JobDeps,
  client: ComplianceClient,
  source: 'likes' | 'comments',
  day: DayWindow,
  fresh: ReadonlySet<Platform>,
): Promise<Content> {
  const enabled = source === 'likes' ? client.instaEnabled && client.insta : client.tiktokEnabled && client.tiktok;
  if (!enabled) return { group: [], people: [], note: SOURCE_OFF, fetched: [] };
  const platform = PLATFORM_OF[source];
  let problem: string | null = null;
  let fetchNote = 'data baru saja diambil';
  const fetched: Platform[] = [];
  if (!fresh.has(platform)) {
    const step = await fetchStep(deps, client, [platform], day);
    problem = step.problems.get(platform) ?? null;
    fetchNote = fetchStepLine(step);
    if (!step.skipped && problem === null) fetched.push(platform);
  }
  const data = await loadEngagement(deps.db, client, source, day);
  const at = deps.now();
  if (data.posts.length === 0) {
    return { group: [], people: [{ text: noContentText(source, client, day.start, deps.timezone) }], note: `${fetchNote}; tidak ada konten`, fetched };
  }
  const recap = buildRecap(data, client.threshold, client.divisionOrder);
  const render = (filter: 'all' | 'belum') =>
    renderAbsensi(recap, {
      client,
      kind: 'accumulated',
      filter,
      now: at,
      timezone: deps.timezone,
      maxLines: deps.reportMaxLines,
      maxChars: deps.messageMaxChars,
    });
  const stale = problem ? staleDataNote(source, data.lastUpdated, problem, deps.timezone) : null;
  const withNote = (messages: string[]): Part[] => (stale ? [stale, ...messages] : messages).map((text) => ({ text }));
  const full = render('all');
  const files = { client, now: at, timezone: deps.timezone };
  const attachment = async (): Promise<Part> => ({ document: await recapExcel(recap, files) });
  const people = withNote(full.messages);
  if (full.summarised) people.push(await attachment());
  let group: Part[];
  if (recap.counts.belum === 0 && recap.countable > 0) {
    group = deps.sendComplete ? [{ text: allDoneText(source, client.nama, day.start, deps.timezone) }] : [];
  } else {
    const belum = render('belum');
    group = withNote(belum.messages);
    if (belum.summarised) group.push(await attachment());
    if (deps.sendChart) group.push(...(await recapCharts(recap, files)).map((image) => ({ image })));
  }
  const note = `${fetchNote}; belum ${recap.counts.belum} dari ${recap.counts.members} user${group.length === 0 ? '; grup tidak dikirimi (semua sudah)' : ''}`;
  return { group, people, note, fetched };
}

async function registrationRecap(deps: JobDeps, client: ComplianceClient, day: DayWindow): Promise<Content> {
  const members = await loadRegistration(deps.db, client);
  const at = deps.now();
  const open = members.filter((m) => m.missing.length > 0).length;
  if (open === 0) {
    const done = { text: allDoneText('registration', client.nama, day.start, deps.timezone) };
    return { group: deps.sendComplete ? [done] : [], people: [done], note: 'semua user sudah lengkap', fetched: [] };
  }
  const rendered = renderRegistration(members, {
    client,
    filter: 'belum',
    now: at,
    timezone: deps.timezone,
    maxLines: deps.reportMaxLines,
    maxChars: deps.messageMaxChars,
  });
  const parts: Part[] = rendered.messages.map((text) => ({ text }));
  if (rendered.summarised) {
    parts.push({
      document: {
        fileName: `registrasi-${client.clientId.toLowerCase()}.xlsx`,
        mimeType: XLSX_MIME,
        data: await registrationWorkbook(members, { client, now: at, timezone: deps.timezone }),
        caption: `📎 Absensi registrasi ${client.nama}: satu baris per user.`,
      },
    });
  }
  return { group: parts, people: parts, note: `${open} dari ${members.length} user belum lengkap`, fetched: [] };
}

async function linkRecap(deps: JobDeps, client: ComplianceClient, day: DayWindow): Promise<Content> {
  if (!client.amplifyEnabled) return { group: [], people: [], note: 'dilewati: amplifikasi link dinonaktifkan', fetched: [] };
  const links = await loadDayLinks(deps.db, client, day);
  if (links.posts.length === 0) {
    return { group: [], people: [{ text: noContentText('links', client, day.start, deps.timezone) }], note: 'tidak ada konten', fetched: [] };
  }
  const rendered = renderDayLinks(links, { client, day: day.start, now: deps.now(), timezone: deps.timezone, maxChars: deps.messageMaxChars });
  const parts = rendered.messages.map((text) => ({ text }));
  return { group: parts, people: parts, note: `${links.reporters} user melapor`, fetched: [] };
}
