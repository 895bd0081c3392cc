/**
 * The attachment builders of the running bot, by the name handlers give to
 * `ctx.attachLater(name, args)` (src/bot/attachments.ts). A builder makes the
 * attachment again from its stored `args` alone (after a restart, or a failed
 * build), so it reloads what it needs; register every name a handler uses, or a
 * rebuild ends in a line telling the chat the attachment could not be made.
 */
import type { AttachmentBuilders } from '../bot/attachments.js';
import { REKAPLINK_FILE, rekaplinkFileBuilder } from '../reports/link-excel.js';
import { ABSENSI_FILES, absensiFilesBuilder } from '../reports/recap-files.js';

export const ATTACHMENT_BUILDERS: AttachmentBuilders = {
  [ABSENSI_FILES]: absensiFilesBuilder,
  [REKAPLINK_FILE]: rekaplinkFileBuilder,
};
