/**
 * `npm run bench:import`: imports 10,000 generated members (a CSV with every column
 * filled) into an empty client on each backend, then the same file again (nothing
 * changes), then a file changing one field of every tenth member. Target: the first
 * import under 10 s on PostgreSQL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Actor } from '../src/audit/change-log.js';
import { importMembersFile } from '../src/import/import-members.js';
import { benchDatabases } from './lib.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const TARGET_MS = 10_000;
const DIVISIONS = ['BAG OPS', 'SAT LANTAS', 'SAT RESKRIM', 'SAT SAMAPTA', 'SIE HUMAS', 'POLSEK KOTA'];
const RANKS = ['AIPTU', 'BRIPKA', 'BRIPTU', 'BRIPDA', 'IPTU', 'AKP'];

function memberFile(dir: string, name: string, edit: (i: number) => string | null = () => null): string {
  const lines = ['NRP,nama,pangkat,divisi,jabatan,status,instagram,tiktok,whatsapp'];
  for (let i = 0; i < ROWS; i += 1) {
    const nrp = String(80_000_000 + i);
    const jabatan = edit(i) ?? `BANIT ${i % 40}`;
    lines.push(
      [nrp, `Anggota ${i}`, RANKS[i % RANKS.length], DIVISIONS[i % DIVISIONS.length], jabatan, 'aktif', `@anggota.${i}`,
        `https://www.tiktok.com/@anggota_${i}`, `0857${String(i).padStart(8, '0')}`].join(','),
    );
  }
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const actor: Actor = { source: 'cli', id: 'bench', role: 'cli' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'cicero-bench-import-'));
const full = memberFile(dir, 'members.csv');
const tenth = memberFile(dir, 'members-edited.csv', (i) => (i % 10 === 0 ? 'KANIT' : null));
console.log(`import of ${ROWS} generated members (CSV, every column filled)`);
let failed = false;
for (const bench of await benchDatabases()) {
  try {
    await bench.db.query(`INSERT INTO clients (client_id, nama) VALUES ('BENCH', 'POLRES BENCH')`);
    const time = async (file: string) => {
      const start = performance.now();
      const result = await importMembersFile(bench.db, file, { clientId: 'BENCH', deactivateMissing: true, actor, now: new Date() });
      return { ms: performance.now() - start, result };
    };
    const first = await time(full);
    const again = await time(full);
    const edited = await time(tenth);
    const line = (label: string, r: typeof first) =>
      `  ${label.padEnd(28)} ${(r.ms / 1000).toFixed(2).padStart(6)} s  (${r.result.inserted} inserted, ${r.result.updated} updated, ` +
      `${r.result.unchanged} unchanged, ${r.result.rejected.length} rejected, ${r.result.changes} change_log rows)`;
    console.log(`${bench.name}:`);
    console.log(line('first import (all new)', first));
    console.log(line('same file again', again));
    console.log(line('one field of every 10th', edited));
    if (bench.name === 'postgres') {
      const ok = first.ms < TARGET_MS;
      console.log(`  target: first import under ${TARGET_MS / 1000} s on PostgreSQL: ${ok ? 'met' : 'MISSED'}`);
      failed ||= !ok;
    }
    if (first.result.inserted !== ROWS || again.result.changes !== 0 || edited.result.updated !== Math.ceil(ROWS / 10)) {
      console.log('  unexpected counts');
      failed = true;
    }
  } finally {
    await bench.drop();
  }
}
rmSync(dir, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
