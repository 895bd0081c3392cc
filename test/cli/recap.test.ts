/** `cicero recap run` and `cicero jadwal` on the demo organisation, as an operator of the server runs them. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID } from '../../src/seed/demo-organisation.js';
import { queryCliDatabase, runCli, runCliAsync } from '../helpers/cli.js';
import { backend, createTestDatabase, type TestDatabase } from '../helpers/db.js';

const GROUP = '120363000000000001@g.us';
const OPERATOR = '6289910000001@c.us';

describe(`cicero recap run and cicero jadwal (${backend})`, () => {
  let env: Record<string, string | undefined>;
  let target: TestDatabase | undefined;

  beforeAll(async () => {
    target = backend === 'postgres' ? await createTestDatabase({ migrated: false }) : undefined;
    env = {
      CICERO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'cicero-recap-')),
      DATABASE_URL: target?.url,
      ADMIN_WHATSAPP: '0811-0000-0001',
    };
    expect(runCli(['seed', 'demo'], env).status).toBe(0);
  });
  afterAll(async () => {
    await target?.drop();
  });

  const outboxRows = async () =>
    (await queryCliDatabase<{ n: number }>(target, env.CICERO_DATA_DIR!, `SELECT count(*)::int AS n FROM outbox`))[0]!.n;

  /** The printed messages: `→ <chatId>`, the text, a blank line. */
  const messages = (stdout: string) =>
    stdout
      .split(/\n\n(?=→ )/)
      .map((block) => ({ chatId: block.slice(2, block.indexOf('\n')), text: block.slice(block.indexOf('\n') + 1) }));

  it('prints what the group and the operator would receive, and queues nothing', async () => {
    const before = await outboxRows();
    const result = await runCliAsync(['recap', 'run', 'likes', '--client', 'polresdemo'], env);
    expect(result.status).toBe(0);
    expect(result.stdout.startsWith(`→ ${GROUP}\nMohon ijin Komandan,`)).toBe(true);
    const printed = messages(result.stdout);
    const group = printed.filter((m) => m.chatId === GROUP).map((m) => m.text).join('\n');
    const operator = printed.filter((m) => m.chatId === OPERATOR).map((m) => m.text).join('\n');
    expect(group).toContain('❌ *Belum melaksanakan* (');
    expect(group).not.toContain('✅ *Sudah melaksanakan* (');
    expect(operator).toContain('✅ *Sudah melaksanakan* (');
    expect(new Set(printed.map((m) => m.chatId))).toEqual(new Set([GROUP, OPERATOR]));
    expect(result.stderr).toMatch(/likes POLRESDEMO: ambil data dilewati \(RAPIDAPI_KEY belum diatur\); belum \d+ dari 318 user; 2 penerima/);
    expect(await outboxRows()).toBe(before);
  });

  it('queues them with --enqueue on the named number, replacing an earlier unsent run', async () => {
    const refused = await runCliAsync(['recap', 'run', 'links', '--client', DEMO_CLIENT_ID, '--enqueue'], env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('no running bot sends on WhatsApp: name the number to send from with --number');
    const first = await runCliAsync(['recap', 'run', 'registration', '--client', DEMO_CLIENT_ID, '--enqueue', '--number', '0812-1111-2222'], env);
    expect(first.status).toBe(0);
    const queued = Number(/^(\d+) message part\(s\) queued on whatsapp:6281211112222 for 2 recipient\(s\)\n$/.exec(first.stdout)?.[1]);
    expect(queued).toBeGreaterThan(1);
    const rows = await queryCliDatabase<{ endpoint: string; origin: string; n: number }>(
      target,
      env.CICERO_DATA_DIR!,
      `SELECT endpoint, origin, count(*)::int AS n FROM outbox WHERE message_key LIKE 'jadwal:%' GROUP BY 1, 2`,
    );
    expect(rows).toEqual([{ endpoint: 'whatsapp:6281211112222', origin: 'broadcast', n: queued }]);
    const again = await runCliAsync(['recap', 'run', 'registration', '--client', DEMO_CLIENT_ID, '--enqueue', '--number', '0812-1111-2222'], env);
    expect(again.stdout).toBe(`${queued} message part(s) queued on whatsapp:6281211112222 for 2 recipient(s); 2 unsent message(s) of an earlier run removed\n`);
    // A past day's recap neither replaces today's nor is replaced by it.
    const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Jakarta' });
    const past = await runCliAsync(
      ['recap', 'run', 'registration', '--client', DEMO_CLIENT_ID, '--date', yesterday, '--enqueue', '--number', '0812-1111-2222'],
      env,
    );
    expect(past.stdout).toMatch(/^\d+ message part\(s\) queued on whatsapp:6281211112222 for 2 recipient\(s\)\n$/);
    const today = await queryCliDatabase<{ n: number }>(
      target,
      env.CICERO_DATA_DIR!,
      `SELECT count(*)::int AS n FROM outbox WHERE message_key LIKE 'jadwal:%' AND status = 'pending'`,
    );
    expect(today[0]!.n).toBe(queued);
  });

  it('refuses a bad job, client or date', async () => {
    const job = await runCliAsync(['recap', 'run', 'rekap', '--client', DEMO_CLIENT_ID], env);
    expect(job.status).toBe(2);
    expect(job.stderr).toContain('Expected one of fetch, likes, comments, registration, links.');
    const client = await runCliAsync(['recap', 'run', 'likes', '--client', 'NOPE'], env);
    expect(client.status).toBe(2);
    expect(client.stderr).toContain('unknown client NOPE; clients: POLRESDEMO');
    const date = await runCliAsync(['recap', 'run', 'likes', '--client', DEMO_CLIENT_ID, '--date', '2026-02-31'], env);
    expect(date.status).toBe(2);
    expect(date.stderr).toContain('Expected a date as YYYY-MM-DD.');
  });

  it('lists the jobs', async () => {
    const result = await runCliAsync(['jadwal', '--client', DEMO_CLIENT_ID], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('🗓️ *Jadwal POLRESDEMO* (POLRES DEMO)\nPenerima: 1 grup, 1 nomor');
    expect(result.stdout).toContain('*registration*: Rekap registrasi akun (aktif)\nJam: 09.00');
  });
});
