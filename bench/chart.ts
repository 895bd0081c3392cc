/**
 * The division chart picture: 40 divisions (a full picture) rendered 20 times. Prints the
 * median and p90 of one picture, its PNG size, and how RSS and heap grew over the runs.
 *
 *   npx tsx bench/chart.ts
 *   CHART_EXAMPLE=docs/img/chart-example.png npx tsx bench/chart.ts   # also writes the docs picture
 *
 * Target: ≤ 300 ms median.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import { CHART_MAX_DIVISIONS, type ChartDivision, renderDivisionCharts } from '../src/reports/chart.js';
import { ms, percentile } from './lib.js';

const RUNS = 20;
const TARGET_MS = 300;
const SUBTITLE = 'Selasa, 01 Desember 2026 · syarat sudah: minimal 2 dari 3 konten';

const divisions: ChartDivision[] = Array.from({ length: CHART_MAX_DIVISIONS }, (_, i) => ({
  divisi: i % 7 === 0 ? `POLSEK KECAMATAN NOMOR ${i + 1} SELATAN` : `POLSEK ${i + 1}`,
  sudah: i * 2,
  kurang: (i * 7) % 11,
  belum: 80 - i * 2,
}));
const input = { title: 'Likes Instagram · POLRES DEMO', subtitle: SUBTITLE, divisions };

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

await renderDivisionCharts(input); // warm-up: module loading, first font parse, JIT
const before = process.memoryUsage();
const cpuBefore = process.cpuUsage();
const times: number[] = [];
let size = 0;
for (let run = 0; run < RUNS; run++) {
  const start = performance.now();
  const [png] = await renderDivisionCharts(input);
  times.push(performance.now() - start);
  size = png!.length;
  // resvg's pixmaps are freed by N-API finalizers that only run once the event loop turns,
  // so a tight synchronous loop would pile them up (~10 MB each) unlike the bot does.
  await tick();
}
const after = process.memoryUsage();
const cpu = process.cpuUsage(cpuBefore);
times.sort((a, b) => a - b);
const median = percentile(times, 50);

console.log(`chart, ${CHART_MAX_DIVISIONS} divisions, ${RUNS} runs`);
console.log(`  median ${ms(median)}, p90 ${ms(percentile(times, 90))} (target ≤ ${TARGET_MS} ms)`);
// Wall-clock figures suffer when the machine is busy; CPU time per picture says what it costs.
console.log(`  CPU ${ms((cpu.user + cpu.system) / 1000 / RUNS)} per picture (all threads)`);
console.log(`  PNG ${(size / 1024).toFixed(1)} KB`);
console.log(`  growth over the runs: RSS ${mb(after.rss - before.rss)}, heap ${mb(after.heapUsed - before.heapUsed)}`);
if (median > TARGET_MS) process.exitCode = 1;

if (process.env.CHART_EXAMPLE) {
  const names = ['PIMPINAN', 'BAG OPS', 'BAG SDM', 'SAT LANTAS', 'SAT RESKRIM', 'SAT INTELKAM', 'SAT SAMAPTA'];
  names.push('SI PROPAM', 'SPKT', 'POLSEK KOTA', 'POLSEK UTARA', 'POLSEK SELATAN');
  // Counts picked to show every shape: all belum, a mix, all sudah, worst first.
  const counts = [
    [0, 0, 6],
    [3, 4, 11],
    [5, 3, 9],
    [12, 6, 14],
    [15, 5, 10],
    [11, 2, 6],
    [24, 6, 8],
    [9, 1, 2],
    [14, 2, 2],
    [19, 1, 2],
    [22, 1, 0],
    [18, 0, 0],
  ] as const;
  const example = names.map((divisi, i) => {
    const [sudah, kurang, belum] = counts[i]!;
    return { divisi, sudah, kurang, belum };
  });
  const [png] = await renderDivisionCharts({ title: 'Likes Instagram · POLRES DEMO', subtitle: SUBTITLE, divisions: example });
  writeFileSync(process.env.CHART_EXAMPLE, png!);
  console.log(`  example written to ${process.env.CHART_EXAMPLE}`);
}
