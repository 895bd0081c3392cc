/**
 * What `absensilikes`, `absensikomentar` and `absensilink` do: read the request,
 * check the scope and the client's settings, load the day, classify, answer with
 * the text; then, when asked or when the lists are too long for a phone, the Excel
 * file, and the chart pictures when asked (`grafik`).
 */
import type { Context } from '../bot/context.js';
import { UserError } from '../bot/errors.js';
import type { ComplianceClient } from '../compliance/clients.js';
import { loadEngagement, type Source } from '../compliance/engagement.js';
import { buildRecap } from '../compliance/recap.js';
import { dayWindowOf } from '../time/day.js';
import { noContentText, renderAbsensi } from './absensi-text.js';
import { ABSENSI_FILES, type AbsensiFilesArgs, absensiFiles } from './recap-files.js';
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
  const recap = buildRecap(data, client.threshold, client.divisionOrder);
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
  // The files follow the text: built after it is queued, so the text never waits for them.
  const want = { excel: request.excel || rendered.summarised, chart: request.chart };
  if (want.excel || want.chart) {
    const args: AbsensiFilesArgs = { source, clientId: client.clientId, date: request.date, at: at.toISOString(), ...want };
    // The worker lets go of this function once it has called it, and absensiFiles takes from
    // the recap what it needs at once: the recap lives no longer than its files need it.
    ctx.attachLater(ABSENSI_FILES, args, () => absensiFiles(recap, { client, now: at, timezone }, want));
  }
}
