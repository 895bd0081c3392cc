import { performance } from 'node:perf_hooks';
import { findClient } from '../src/compliance/clients.js';
import { loadEngagement } from '../src/compliance/engagement.js';
import { buildRecap, perPost, divisionScores } from '../src/compliance/recap.js';
import { PostgresDb } from '../src/db/postgres.js';
import { renderAbsensi } from '../src/reports/absensi-text.js';
import { dayWindow } from '../src/time/day.js';
if (process.argv[2] === 'patch') {
  const orig = String.prototype.localeCompare;
  const id = new Intl.Collator('id', { sensitivity: 'base' });
  String.prototype.localeCompare = function (this: string, that: string, locales?: string) {
    return locales === 'id' ? id.compare(this, that) : orig.call(this, that);
  } as typeof orig;
}
const db = await PostgresDb.open('postgres://postgres@127.0.0.1:5432/cicero_probe');
const NOW = new Date('2026-11-25T05:00:00Z');
const client = (await findClient(db, 'provinsi'))!;
const data = await loadEngagement(db, client, 'likes', dayWindow(NOW, 'Asia/Jakarta'));
await db.close();
for (let i = 0; i < 4; i++) {
  let t = performance.now();
  const recap = buildRecap(data, client.threshold);
  const b = performance.now() - t;
  t = performance.now();
  perPost(recap);
  const pp = performance.now() - t;
  t = performance.now();
  divisionScores(recap);
  const ds = performance.now() - t;
  t = performance.now();
  renderAbsensi(recap, { client, kind: 'per_content', filter: 'all', now: NOW, timezone: 'Asia/Jakarta', maxLines: 400 });
  const pc = performance.now() - t;
  t = performance.now();
  renderAbsensi(recap, { client, kind: 'accumulated', filter: 'all', now: NOW, timezone: 'Asia/Jakarta', maxLines: 400 });
  console.log('buildRecap', b.toFixed(0), 'perPost', pp.toFixed(0), 'divisionScores', ds.toFixed(0), 'render per-content', pc.toFixed(0), 'accumulated', (performance.now() - t).toFixed(0));
}
