import { performance } from 'node:perf_hooks';
import { findClient } from '../src/compliance/clients.js';
import { loadEngagement } from '../src/compliance/engagement.js';
import { buildRecap, perPost } from '../src/compliance/recap.js';
import { PostgresDb } from '../src/db/postgres.js';
import { dayWindow } from '../src/time/day.js';
const db = await PostgresDb.open('postgres://postgres@127.0.0.1:5432/cicero_probe');
const NOW = new Date('2026-11-25T05:00:00Z');
const client = (await findClient(db, 'provinsi'))!;
const data = await loadEngagement(db, client, 'likes', dayWindow(NOW, 'Asia/Jakarta'));
await db.close();
const recap = buildRecap(data, client.threshold);
const lens = recap.members.map((m) => m.engaged.length);
console.log('engaged lengths avg', lens.reduce((a, b) => a + b, 0) / lens.length, '%HasFastProperties n/a');
for (let i = 0; i < 3; i++) { const t = performance.now(); perPost(recap); console.log('perPost real', (performance.now() - t).toFixed(0)); }
const plain = { ...recap, members: recap.members.map((m) => ({ ...m, engaged: [...m.engaged] })) };
for (let i = 0; i < 3; i++) { const t = performance.now(); perPost(plain); console.log('perPost copied', (performance.now() - t).toFixed(0)); }
const t = performance.now();
let n = 0;
for (let p = 0; p < 20; p++) for (const m of recap.members) if (m.engaged.includes(p)) n++;
console.log('raw includes loop', (performance.now() - t).toFixed(0), n);
const nat = (code: string, x: unknown) => new Function('x', `return ${code}(x)`)(x);
const a = recap.members.find((m) => m.engaged.length > 3)!.engaged;
console.log('smi', nat('%HasSmiElements', a), 'double', nat('%HasDoubleElements', a), 'dict', nat('%HasDictionaryElements', a), 'holey', nat('%HasHoleyElements', a), 'fastprops', nat('%HasFastProperties', a));
const b = [...a];
console.log('copy smi', nat('%HasSmiElements', b), 'double', nat('%HasDoubleElements', b), 'holey', nat('%HasHoleyElements', b));
const raw = data.members.find((m) => m.engaged.length > 3)!.engaged;
console.log('member engaged smi', nat('%HasSmiElements', raw), 'double', nat('%HasDoubleElements', raw));
const objOnly = { ...recap, members: recap.members.map((m) => ({ ...m })) };
const arrOnly = { ...recap, members: recap.members.map((m) => Object.assign(m, { engaged: [...m.engaged] })) };
for (let i = 0; i < 2; i++) { const t = performance.now(); perPost(objOnly); console.log('perPost objects copied', (performance.now() - t).toFixed(0)); }
for (let i = 0; i < 2; i++) { const t = performance.now(); perPost(arrOnly); console.log('perPost arrays copied', (performance.now() - t).toFixed(0)); }
console.log('proto', Object.getPrototypeOf(recap.members[0]) === Object.prototype, 'recap member fastprops', nat('%HasFastProperties', recap.members[0]));
