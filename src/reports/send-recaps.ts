/**
 * The registration recap and the day's link recap, sent to the chat: shared by their
 * commands (`absensiregistrasi`, `rekaplink`) and the operator menu.
 */
import type { BaseContext } from '../bot/context.js';
import type { ComplianceClient } from '../compliance/clients.js';
import { loadDayLinks } from '../compliance/links.js';
import { loadRegistration } from '../compliance/registration.js';
import { dayWindowOf } from '../time/day.js';
import { noContentText } from './absensi-text.js';
import { registrationWorkbook, XLSX_MIME } from './excel.js';
import { dayLinksDocument, REKAPLINK_FILE } from './link-excel.js';
import { renderDayLinks } from './link-text.js';
import { renderRegistration } from './registration-text.js';
import { ensureSourceEnabled } from './run-absensi.js';

export async function sendRegistration(
  ctx: BaseContext,
  client: ComplianceClient,
  mode: 'all' | 'sudah' | 'belum',
  excel: boolean,
): Promise<void> {
  const { db, now, timezone, reportMaxLines, messageMaxChars } = ctx.services;
  const members = await loadRegistration(db, client);
  const at = now();
  const rendered = renderRegistration(members, { client, filter: mode, now: at, timezone, maxLines: reportMaxLines, maxChars: messageMaxChars });
  for (const message of rendered.messages) await ctx.reply(message);
  if (excel || rendered.summarised) {
    await ctx.replyDocument({
      fileName: `registrasi-${client.clientId.toLowerCase()}.xlsx`,
      mimeType: XLSX_MIME,
      data: await registrationWorkbook(members, { client, now: at, timezone }),
      caption: `📎 Absensi registrasi ${client.nama}: ${members.length} user, satu baris per user (WhatsApp, Instagram, TikTok, status).`,
    });
  }
}

/**
 * The links members reported on `date` (a Jakarta day, `YYYY-MM-DD`), paged; with `excel`,
 * every link as an .xlsx file after the text. Throws a refusal when the client's link recaps are off.
 */
export async function sendDayLinks(ctx: BaseContext, client: ComplianceClient, date: string, excel = false): Promise<void> {
  const { db, now, timezone, messageMaxChars } = ctx.services;
  ensureSourceEnabled(client, 'links');
  const day = dayWindowOf(date, timezone);
  const links = await loadDayLinks(db, client, day);
  if (links.posts.length === 0) {
    await ctx.reply(noContentText('links', client, day.start, timezone));
    return;
  }
  const at = now();
  const rendered = renderDayLinks(links, { client, day: day.start, now: at, timezone, maxChars: messageMaxChars });
  for (const message of rendered.messages) await ctx.reply(message);
  // The file follows the text, built after it is queued (again from the database after a crash).
  if (excel) ctx.attachLater(REKAPLINK_FILE, { clientId: client.clientId, date }, async () => [{ document: await dayLinksDocument(links, client, date, at) }]);
}
