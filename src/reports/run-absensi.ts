/**
 * What `absensilikes`, `absensikomentar` and `absensilink` do: read the request,
 * check the scope and the client's settings, load the day, classify, answer with
 * the text and, when asked or when the lists are too long for a phone, the Excel file.
 */
import type { Context } from '../bot/context.js';
import { UserError } from '../bot/errors.js';
import type { ComplianceClient } from '../compliance/clients.js';
import { loadEngagement, type Source } from '../compliance/engagement.js';
import { buildRecap } from '../compliance/recap.js';
import { dayWindowOf } from '../time/day.js';
import { noContentText, renderAbsensi } from './absensi-text.js';
import { XLSX_MIME, recapFileName, recapWorkbook } from './excel.js';
import { parseReportArgs } from './report-args.js';
import { clientInScope } from './scope.js';

/** Refuses a report the client is not set up for. */
export function ensureSourceEnabled(client: ComplianceClient, source: Source): void {
  const name = `*${client.clientId}* (${client.nama})`;
  if (source === 'likes') {
    if (!client.instaEnabled) throw new UserError(`⚠️ Absensi Instagram dinonaktifkan untuk client ${name}.`);
    if (!client.insta) throw new UserError(`⚠️ Akun Instagram client ${name} belum diatur.`);
  } else if (source === 'comments') {
    if (!client.tiktokEnabled) throw new UserError(`⚠️ Absensi TikTok dinonaktifkan untuk client ${name}.`);
    if (!client.tiktok) throw new UserError(`⚠️ Akun TikTok client ${name} belum diatur.`);
  } else if (!client.amplifyEnabled) {
    throw new UserError(`⚠️ Absensi amplifikasi link dinonaktifkan untuk client ${name}.`);
  }
}

export async function runAbsensi(ctx: Context, source: Source): Promise<void> {
  const { db, now, timezone, reportMaxLines } = ctx.services;
  const at = now();
  const request = parseReportArgs(ctx.args, at, timezone);
  const client = await clientInScope(ctx, request.client);
  ensureSourceEnabled(client, source);
  const day = dayWindowOf(request.date, timezone);
  const data = await loadEngagement(db, client, source, day);
  if (data.posts.length === 0) {
    await ctx.reply(noContentText(source, client, day.start, timezone));
    return;
  }
  const recap = buildRecap(data, client.threshold);
  const rendered = renderAbsensi(recap, {
    client,
    kind: request.kind,
    filter: request.filter,
    now: at,
    timezone,
    maxLines: reportMaxLines,
    maxChars: ctx.services.messageMaxChars,
  });
  for (const message of rendered.messages) await ctx.reply(message);
  if (request.excel || rendered.summarised) {
    await ctx.replyDocument({
      fileName: recapFileName(recap, client.clientId),
      mimeType: XLSX_MIME,
      data: await recapWorkbook(recap, { client, now: at, timezone }),
      caption:
        `📎 Rekap Excel ${client.nama}, ${day.date}: ${recap.members.length} user (satu baris per user), ` +
        `${recap.day.posts.length} konten (satu kolom per konten), jumlah, status, dan tingkat; ` +
        'lembar Konten dan Divisi berisi rekap per konten dan per divisi.',
    });
  }
}
