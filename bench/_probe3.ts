import { performance } from 'node:perf_hooks';
import { findClient } from '../src/compliance/clients.js';
import { loadEngagement } from '../src/compliance/engagement.js';
import { buildRecap } from '../src/compliance/recap.js';
import { PostgresDb } from '../src/db/postgres.js';
import { renderAbsensi } from '../src/reports/absensi-text.js';
import { dayWindow } from '../src/time/day.js';
const patch = process.argv[2] === 'patch';
if (patch) {
  const cache = new Map<string, Intl.Collator>();
  const orig = String.prototype.localeCompare;
  String.prototype.localeCompare = function (this: string, that: string, locales?: string | string[], options?: Intl.CollatorOptions) {
    if (locales === undefined && options === undefined) return orig.call(this, that);
    const key = JSON.stringify([locales, options]);
    let c = cache.get(key);
    if (!c) cache.set(key, (c = new Intl.Collator(locales, options)));
    return c.compare(this, that);
  } as typeof orig;
}
const db = await PostgresDb.open('postgres://postgres@127.0.0.1:5432/cicero_probe');
const NOW = new Date('2026-11-25T05:00:00Z');
for (const kind of ['accumulated', 'per_content'] as const) {
  for (let run = 0; run < 6; run++) {
    const t = [performance.now()];
    const client = (await findClient(db, 'provinsi'))!;
    t.push(performance.now());
    const data = await loadEngagement(db, client, 'likes', dayWindow(NOW, 'Asia/Jakarta'));
    t.push(performance.now());
    const recap = buildRecap(data, client.threshold);
    t.push(performance.now());
    renderAbsensi(recap, { client, kind, filter: 'all', now: NOW, timezone: 'Asia/Jakarta', maxLines: 400 });
    t.push(performance.now());
    console.log(kind, patch ? 'patched' : 'as is', t.slice(1).map((x, i) => (x - t[i]!).toFixed(1)).join(' '), 'total', (t.at(-1)! - t[0]!).toFixed(1));
  }
}
await db.close();
