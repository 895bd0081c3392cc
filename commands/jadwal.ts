import { defineCommand } from '../src/bot/command.js';
import { UsageError, UserError } from '../src/bot/errors.js';
import { activeClients } from '../src/compliance/clients.js';
import { takeClient } from '../src/reports/report-args.js';
import { clientInScope } from '../src/reports/scope.js';
import { cronOfTimes, isJobName, JOB_NAMES, type JobName, setCron, setEnabled, setExtraRecipients } from '../src/schedule/jobs.js';
import { recipientsOf } from '../src/schedule/recipients.js';
import { jobListings } from '../src/schedule/listing.js';
import { nextOccurrence } from '../src/schedule/occurrences.js';
import { cronTimes, JOB_LABEL } from '../src/schedule/texts.js';
import { formatStamp } from '../src/time/format.js';

const ACTIONS: ReadonlySet<string> = new Set(['on', 'off', 'run', 'ubah', 'penerima']);
/** The actions that take a value after the job. */
const WITH_VALUE: ReadonlySet<string> = new Set(['ubah', 'penerima']);
const JOBS = JOB_NAMES.join(', ');
/** Enough for a fetch every 30 minutes through the day; a recap every minute would spend the send budget of every client. */
const MAX_TIMES = 32;
/** Extra recipients of one job: each is a broadcast from the shared hourly budget. */
const MAX_RECIPIENTS = 10;

function jobOf(typed: string | undefined): JobName {
  const name = typed?.trim().toLowerCase() ?? '';
  if (!isJobName(name)) throw new UsageError(typed ? `Job *${typed}* tidak dikenal. Pilihan: ${JOBS}.` : `Sebutkan job-nya: ${JOBS}.`);
  return name;
}

export default defineCommand({
  name: 'jadwal',
  syntax: 'jadwal[#<client>][#on|off|run#<job>] atau jadwal[#<client>]#ubah#<job>#<HH:MM,HH:MM,…> atau jadwal[#<client>]#penerima#<job>#<nomor/grup,…|hapus>',
  example: 'jadwal#POLRESABC#ubah#likes#15:00,18:00,21:00',
  help:
    'Melihat dan mengatur jadwal otomatis client: ambil data (fetch), rekap likes, komentar, registrasi, dan link ke grup dan operator. ' +
    `*on*/*off* mengaktifkan atau menghentikan job, *run* menjalankannya sekarang, *ubah* mengganti jamnya (WIB), *penerima* menambah nomor atau grup penerima. Job: ${JOBS}.`,
  roles: ['admin', 'operator'],
  args: { min: 0, max: 4 },
  async handler(ctx) {
    const { db, timezone, now, scheduler } = ctx.services;
    const { client: typed, rest } = takeClient(ctx.args, ACTIONS);
    const [rawAction, rawJob, times, ...extra] = rest;
    if (extra.length > 0) throw new UsageError();
    if (rawAction === undefined) {
      // An admin in a private chat without a client sees every client's jobs.
      const everyClient = typed === null && ctx.sender.role === 'admin' && !ctx.chat.isGroup;
      const clients = everyClient ? await activeClients(db) : [await clientInScope(ctx, typed)];
      if (clients.length === 0) throw new UserError('Belum ada client aktif.');
      for (const text of await jobListings(db, clients, now(), timezone)) await ctx.reply(text);
      return;
    }
    const action = rawAction.toLowerCase();
    if (!ACTIONS.has(action)) throw new UsageError(`Pilihan *${rawAction}* tidak dikenal: on, off, run, ubah, atau penerima.`);
    const job = jobOf(rawJob);
    if (WITH_VALUE.has(action) ? times === undefined : times !== undefined) throw new UsageError();
    const client = await clientInScope(ctx, typed);
    const name = `*${job}* (${JOB_LABEL[job]}) client *${client.clientId}*`;
    if (action === 'on' || action === 'off') {
      await setEnabled(db, client.clientId, job, action === 'on', now());
      await ctx.reply(action === 'on' ? `✅ Job ${name} diaktifkan.` : `⏸️ Job ${name} dihentikan; jalankan lagi dengan *jadwal#on#${job}*.`);
      return;
    }
    if (action === 'penerima') {
      const clear = /^(hapus|kosong|-)$/i.test(times!.trim());
      const recipients = recipientsOf([], clear ? [] : times!.split(','));
      if (recipients.unusable.length > 0 || (!clear && recipients.people.length + recipients.groups.length === 0)) {
        throw new UsageError(
          `Penerima *${recipients.unusable.join(', ') || times}* tidak dikenali: tulis nomor WhatsApp (0812…) atau id grup (…@g.us), dipisah koma, atau *hapus*.`,
        );
      }
      const chats = [...recipients.groups, ...recipients.people];
      if (chats.length > MAX_RECIPIENTS) throw new UsageError(`Paling banyak ${MAX_RECIPIENTS} penerima tambahan per job.`);
      // A group of another unit would read this unit's names: only an admin adds groups.
      if (recipients.groups.length > 0 && ctx.sender.role !== 'admin') {
        throw new UserError('❌ Hanya admin yang dapat menambahkan grup sebagai penerima; grup unit Anda dihubungkan dengan *thisgroup#*.');
      }
      await setExtraRecipients(db, client.clientId, job, chats);
      await ctx.reply(
        chats.length > 0
          ? `✅ Penerima tambahan job ${name}: ${chats.join(', ')}.`
          : `✅ Penerima tambahan job ${name} dihapus; tinggal grup, operator, dan super client.`,
      );
      return;
    }
    if (action === 'ubah') {
      const cron = cronOfTimes(times!);
      if (!cron) throw new UsageError(`Jam *${times}* tidak valid: tulis jam WIB seperti 08:00 atau 15:30, dipisah koma.`);
      if (cron.length > MAX_TIMES) throw new UsageError(`Paling banyak ${MAX_TIMES} jam sehari per job.`);
      await setCron(db, client.clientId, job, cron, now());
      const next = nextOccurrence(cron, timezone, now());
      const when = next ? `\nBerikutnya: ${formatStamp(next, timezone)}` : '';
      await ctx.reply(`✅ Jam job ${name} sekarang ${cronTimes(cron)} (${timezone}).${when}`);
      return;
    }
    await ctx.progress(`⏳ Menjalankan job ${name}…`);
    const report = await scheduler.runNow(client.clientId, job);
    if (report === 'running') throw new UserError(`⏳ Job ${name} sedang berjalan; tunggu sampai selesai.`);
    if (report === null) throw new UserError(`⚠️ Client *${client.clientId}* tidak aktif.`);
    await ctx.reply(`✅ Job ${name} selesai: ${report.result}.\nPesan diantrekan: ${report.queued}.`);
  },
});
