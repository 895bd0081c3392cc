/** `jadwal` as text, one message per client: shared by the chat command and `cicero jadwal`. */
import type { Queryable } from '../db/db.js';
import { listJobs } from './jobs.js';
import { nextOccurrence } from './occurrences.js';
import { loadRecipients } from './recipients.js';
import { jobListText } from './texts.js';

export async function jobListings(
  db: Queryable,
  clients: ReadonlyArray<{ clientId: string; nama: string }>,
  now: Date,
  zone: string,
): Promise<string[]> {
  const jobs = await listJobs(db, clients.length === 1 ? clients[0]!.clientId : undefined);
  // Clients mostly share the default times: each distinct set is looked ahead once.
  const next = new Map<string, Date | null>();
  const nextOf = (cron: string[]): Date | null => {
    const key = cron.join('|');
    if (!next.has(key)) next.set(key, nextOccurrence(cron, zone, now));
    return next.get(key) ?? null;
  };
  const texts: string[] = [];
  for (const client of clients) {
    const own = jobs.filter((j) => j.clientId === client.clientId);
    const recipients = (await loadRecipients(db, client.clientId, [])) ?? { groups: [], people: [], unusable: [] };
    const lines = own.map((job) => ({ job, next: job.enabled ? nextOf(job.cron) : null }));
    texts.push(jobListText(client, lines, recipients, zone));
  }
  return texts;
}
