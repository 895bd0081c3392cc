/**
 * Pruning on a schedule: sent outbox rows, dead letters, inbound message ids,
 * conversations that expired and could not be announced, and audit rows, each
 * kept for its own configurable time, the rows of processes that died a day
 * ago, expired chat sign-in sessions, sign-in failures older than two days, claims
 * of scheduled jobs older than a month, attachments still pending after two days
 * (too old to still be right; logged as a warning), and outbox file pieces no row refers
 * to after a day. Runs hourly (and once at start-up).
 */
import { schedule } from 'node-cron';
import { PendingAttachmentStore } from '../bot/attachments.js';
import { CommandAudit } from '../bot/audit.js';
import { ConversationStore } from '../bot/conversation.js';
import { InboundLog } from '../bot/inbound-log.js';
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import { deleteCounting } from '../db/delete-counting.js';
import { Presence } from '../db/presence.js';
import { SignIn } from '../identity/sign-in.js';
import type { Logger } from '../log.js';
import { OutboxStore } from '../outbox/store.js';

export const HOUSEKEEPING_VARIABLES = [
  'CICERO_OUTBOX_RETENTION_DAYS',
  'CICERO_DEAD_LETTER_RETENTION_DAYS',
  'CICERO_DEDUP_RETENTION_HOURS',
  'CICERO_EXPIRED_CONVERSATION_RETENTION_HOURS',
  'CICERO_AUDIT_RETENTION_DAYS',
  'CICERO_TIMEZONE',
] as const;
export type HousekeepingConfig = Config<(typeof HOUSEKEEPING_VARIABLES)[number]>;

export interface PruneCounts {
  outbox: number;
  inbound: number;
  conversations: number;
  audit: number;
  /** `bot_worker` rows of processes that died without leaving. */
  workers: number;
  /** Expired chat sign-in sessions and old sign-in failures. */
  signIn: number;
  /** Claims of scheduled job occurrences older than a month (the job keeps its last result). */
  schedule: number;
  /** Attachments promised two days ago or more and never built: dropped. */
  attachments: number;
  /** Outbox files stored in pieces a day ago or more that no row refers to. */
  files: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Long past any catch-up: a claim only matters until its occurrence can no longer run. */
const SCHEDULE_RUN_DAYS = 31;
/** An attachment still pending after this long can no longer be right (a report of days ago). */
const PENDING_ATTACHMENT_DAYS = 2;

export async function prune(db: Db, config: HousekeepingConfig, now: Date): Promise<PruneCounts> {
  const ago = (ms: number): Date => new Date(now.getTime() - ms);
  const outbox = await new OutboxStore(db).prune(
    ago(config.CICERO_OUTBOX_RETENTION_DAYS * DAY),
    ago(config.CICERO_DEAD_LETTER_RETENTION_DAYS * DAY),
  );
  const inbound = await new InboundLog(db).prune(ago(config.CICERO_DEDUP_RETENTION_HOURS * HOUR));
  const conversations = await new ConversationStore(db).pruneExpired(
    ago(config.CICERO_EXPIRED_CONVERSATION_RETENTION_HOURS * HOUR),
  );
  const audit = await new CommandAudit(db).prune(ago(config.CICERO_AUDIT_RETENTION_DAYS * DAY));
  const workers = await Presence.prune(db, ago(DAY));
  // Failures count for at most two login windows (a window is at most a day).
  const signIn = await SignIn.prune(db, now, ago(2 * DAY));
  const schedule = await deleteCounting(db, 'DELETE FROM schedule_run WHERE claimed_at < $1', [ago(SCHEDULE_RUN_DAYS * DAY)]);
  const attachments = await new PendingAttachmentStore(db).prune(ago(PENDING_ATTACHMENT_DAYS * DAY));
  // After the outbox rows: their files go in the same pass. A day is long past any build still storing its pieces.
  const files = await new OutboxStore(db).pruneFiles(ago(DAY));
  return { outbox, inbound, conversations, audit, workers, signIn, schedule, attachments, files };
}

export function scheduleHousekeeping(db: Db, config: HousekeepingConfig, log: Logger): { stop(): void } {
  const run = async (): Promise<void> => {
    try {
      const counts = await prune(db, config, new Date());
      log.info(counts, 'housekeeping done');
      if (counts.attachments > 0) {
        log.warn({ dropped: counts.attachments }, `pending attachments older than ${PENDING_ATTACHMENT_DAYS} days dropped unbuilt`);
      }
    } catch (error) {
      log.error({ err: error }, 'housekeeping failed');
    }
  };
  void run();
  const job = schedule('17 * * * *', run, { timezone: config.CICERO_TIMEZONE, noOverlap: true, name: 'housekeeping' });
  return { stop: () => void job.stop() };
}
