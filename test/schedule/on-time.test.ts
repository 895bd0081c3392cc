/**
 * One client's 15.00 recaps reach every recipient within 5 minutes with the default
 * pacing (issue 14), on the demo organisation (318 members: recaps of several pages).
 * Time is simulated: the outbox's clock moves 3 s per step, the per-chat gap and the
 * worst-case jitter added to the global gap, so the figure is an upper bound.
 */
import { describe, expect, it } from 'vitest';
import { findClient } from '../../src/compliance/clients.js';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_SETTINGS } from '../../src/outbox/outbox.js';
import { createRapidApis, RAPIDAPI_VARIABLES } from '../../src/rapidapi/services.js';
import { deliver } from '../../src/schedule/deliver.js';
import { listJobs } from '../../src/schedule/jobs.js';
import { runJob } from '../../src/schedule/run-job.js';
import { DEMO_CLIENT_ID } from '../../src/seed/demo-organisation.js';
import { seedDemo } from '../../src/seed/demo.js';
import { dayWindow } from '../../src/time/day.js';
import { backend, useTestDatabase } from '../helpers/db.js';
import { createTestOutbox } from '../helpers/outbox.js';

const ZONE = 'Asia/Jakarta';
const wib = (hhmm: string) => new Date(`2026-11-25T${hhmm}:00+07:00`);
const STEP_MS = 3000;

describe(`scheduled recaps on time (${backend})`, () => {
  const database = useTestDatabase();

  it("sends one client's likes and comments recaps to a group and two numbers within 5 minutes", async () => {
    const { db } = database();
    await seedDemo(db, wib('14:50'), ZONE);
    await db.query(`UPDATE clients SET client_super = '0812-5555-0001' WHERE client_id = $1`, [DEMO_CLIENT_ID]);
    const { pacing } = DEFAULT_SETTINGS;
    const t = await createTestOutbox(db, {
      pacing: { ...pacing, globalMs: pacing.globalMs + pacing.jitterMs, jitterMs: 0 },
      budgetPerHour: DEFAULT_SETTINGS.budgetPerHour,
    });
    const start = wib('15:00');
    t.clock.now = start;
    const deps = {
      db,
      apis: createRapidApis(loadConfig(RAPIDAPI_VARIABLES, {})),
      now: () => t.clock.now,
      timezone: ZONE,
      reportMaxLines: 400,
      messageMaxChars: 4000,
      sendComplete: false,
      sendChart: true,
    };
    expect((await findClient(db, DEMO_CLIENT_ID))?.active).toBe(true);
    const jobs = (await listJobs(db, DEMO_CLIENT_ID)).filter((j) => j.job === 'likes' || j.job === 'comments');
    let pages = 0;
    for (const job of jobs) {
      const outcome = await runJob(deps, job, dayWindow(start, ZONE));
      pages += (await deliver(db, t.outbox, { clientId: job.clientId, job: job.job, at: start }, outcome.messages, start)).queued;
    }
    expect(pages).toBeGreaterThan(12); // several pages per recipient: the parts rule is under test

    const recipients = new Set<string>();
    let sentPages = 0;
    let last = start;
    for (let i = 0; i < 1000 && (await t.outbox.stats()).depth > 0; i++) {
      await t.outbox.step();
      const sent = t.transport.takeSent();
      if (sent.length > 0) last = t.clock.now;
      sentPages += sent.length;
      for (const m of sent) recipients.add(m.chatId);
      t.advance(STEP_MS);
    }
    expect(sentPages).toBe(pages);
    expect(recipients).toEqual(new Set(['120363000000000001@g.us', '6289910000001@c.us', '6281255550001@c.us']));
    const minutes = (last.getTime() - start.getTime()) / 60_000;
    expect(minutes).toBeLessThanOrEqual(5);
  });
});
