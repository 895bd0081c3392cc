import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID } from '../../src/seed/demo-organisation.js';
import { seedDemo } from '../../src/seed/demo.js';
import { backend, useTestDatabase } from '../helpers/db.js';

const ZONE = 'Asia/Jakarta';

describe(`demo seed (${backend})`, () => {
  const database = useTestDatabase();

  it('builds a realistic Polres whose posts were published today in Jakarta', async () => {
    const { db } = database();
    const now = DateTime.fromISO('2026-11-25T14:20:00', { zone: ZONE }).toJSDate();
    const summary = await seedDemo(db, now, ZONE);

    const members = await db.query<{ active: number; inactive: number; exception: number; divisions: number; ranks: number }>(
      `SELECT count(*) FILTER (WHERE status) AS active, count(*) FILTER (WHERE NOT status) AS inactive,
              count(*) FILTER (WHERE status AND exception) AS exception,
              count(DISTINCT divisi) AS divisions, count(DISTINCT title) AS ranks
         FROM "user" WHERE client_id = $1`,
      [DEMO_CLIENT_ID],
    );
    const m = members.rows[0]!;
    expect(m.active).toBeGreaterThanOrEqual(200);
    expect(m.inactive).toBeGreaterThan(0);
    expect(m.exception).toBeGreaterThan(0);
    expect(m.divisions).toBeGreaterThanOrEqual(10);
    expect(m.ranks).toBeGreaterThanOrEqual(8);
    expect(summary).toMatchObject({ activeMembers: m.active, inactiveMembers: m.inactive, exceptionMembers: m.exception });

    const handles = await db.query<{ plain: number; at: number; url: number; missing: number; tiktok_missing: number }>(
      `SELECT count(*) FILTER (WHERE insta ~ '^[a-z0-9._]+$') AS plain,
              count(*) FILTER (WHERE insta LIKE '@%') AS at,
              count(*) FILTER (WHERE insta LIKE '%instagram.com/%') AS url,
              count(*) FILTER (WHERE insta IS NULL) AS missing,
              count(*) FILTER (WHERE tiktok IS NULL) AS tiktok_missing
         FROM "user" WHERE client_id = $1`,
      [DEMO_CLIENT_ID],
    );
    for (const [form, n] of Object.entries(handles.rows[0]!)) expect(n, form).toBeGreaterThan(0);

    const posts = await db.query<{ created_at: Date; likes: unknown[] | null }>(
      `SELECT p.created_at, l.likes FROM insta_post p LEFT JOIN insta_like l USING (shortcode)
        WHERE p.client_id = $1 ORDER BY p.created_at`,
      [DEMO_CLIENT_ID],
    );
    const times = posts.rows.map((r) => DateTime.fromJSDate(r.created_at, { zone: ZONE }));
    expect(times[0]!.toFormat('yyyy-LL-dd HH:mm:ss')).toBe('2026-11-25 00:00:30');
    for (const t of times) {
      expect(t.toISODate()).toBe('2026-11-25');
      expect(t.toMillis()).toBeLessThanOrEqual(now.getTime());
    }
    const liked = posts.rows.filter((r) => r.likes !== null);
    expect(liked.length).toBeGreaterThanOrEqual(2);
    // Likes come both as plain usernames and as objects from the data-mining job.
    const forms = new Set(liked.flatMap((r) => r.likes!.map((l) => typeof l)));
    expect(forms).toEqual(new Set(['string', 'object']));

    const videos = await db.query<{ n: number; commented: number }>(
      `SELECT count(*) AS n, count(c.video_id) AS commented FROM tiktok_post p LEFT JOIN tiktok_comment c USING (video_id)
        WHERE p.client_id = $1 AND p.created_at >= $2`,
      [DEMO_CLIENT_ID, DateTime.fromJSDate(now, { zone: ZONE }).startOf('day').toJSDate()],
    );
    expect(videos.rows[0]!.n).toBeGreaterThan(0);
    expect(videos.rows[0]!.commented).toBe(videos.rows[0]!.n);
  });

  it('names a number or member to try each role with, as the database has them', async () => {
    const { db } = database();
    const { tryAs } = await seedDemo(db, new Date(), ZONE);
    const member = async (nrp: string) =>
      (
        await db.query<{ whatsapp: string | null; status: boolean; exception: boolean; name: string }>(
          `SELECT whatsapp, status, exception, concat_ws(' ', title, nama) AS name FROM "user" WHERE user_id = $1 AND client_id = $2`,
          [nrp, DEMO_CLIENT_ID],
        )
      ).rows[0];
    expect(await member(tryAs.boundMember.nrp)).toEqual({
      whatsapp: tryAs.boundMember.whatsapp,
      status: true,
      exception: false,
      name: tryAs.boundMember.name,
    });
    expect(await member(tryAs.unboundMember.nrp)).toEqual({ whatsapp: null, status: true, exception: false, name: tryAs.unboundMember.name });
    const { rows } = await db.query<{ phone: string }>(
      `SELECT whatsapp AS phone FROM "user" WHERE whatsapp IS NOT NULL UNION SELECT client_operator FROM clients`,
    );
    const taken = new Set(rows.map((r) => r.phone));
    expect(taken.has(tryAs.operator)).toBe(true);
    expect(tryAs.operator).toBe('6289910000001');
    // Admins are configuration: the suggested admin and the unused number belong to nobody in the data.
    expect(tryAs.admin).toBe('6281100000001');
    expect(tryAs.unusedNumber).toBe('6289920000001');
    expect(taken.has(tryAs.admin)).toBe(false);
    expect(taken.has(tryAs.unusedNumber)).toBe(false);
  });

  it('seeded a minute after midnight, still publishes everything between 00:00:30 and now', async () => {
    const { db } = database();
    const now = DateTime.fromISO('2026-11-26T00:01:00', { zone: ZONE }).toJSDate();
    await seedDemo(db, now, ZONE);
    const { rows } = await db.query<{ first: Date; last: Date }>(
      `SELECT min(created_at) AS first, max(created_at) AS last FROM (
         SELECT created_at FROM insta_post WHERE client_id = $1 UNION ALL SELECT created_at FROM tiktok_post WHERE client_id = $1) t`,
      [DEMO_CLIENT_ID],
    );
    expect(DateTime.fromJSDate(rows[0]!.first, { zone: ZONE }).toISO()).toBe('2026-11-26T00:00:30.000+07:00');
    expect(rows[0]!.last.getTime()).toBe(now.getTime());
  });

  it('replaces the previous demo instead of adding to it, and leaves other clients alone', async () => {
    const { db } = database();
    await db.query(`INSERT INTO clients (client_id, nama) VALUES ('OTHER', 'POLRES LAIN')`);
    await db.query(`INSERT INTO "user" (user_id, client_id) VALUES ('99999999', 'OTHER')`);
    const now = new Date();
    await seedDemo(db, now, ZONE);
    const count = async (): Promise<number[]> => {
      const { rows } = await db.query<{ users: number; posts: number; links: number }>(
        `SELECT (SELECT count(*) FROM "user") AS users, (SELECT count(*) FROM insta_post) AS posts,
                (SELECT count(*) FROM link_report) AS links`,
      );
      return Object.values(rows[0]!);
    };
    const once = await count();
    await seedDemo(db, now, ZONE);
    expect(await count()).toEqual(once);
    const other = await db.query(`SELECT user_id FROM "user" WHERE client_id = 'OTHER'`);
    expect(other.rows).toEqual([{ user_id: '99999999' }]);
  });
});
