import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CHART_MAX_DIVISIONS, type ChartDivision, chartLayout, renderDivisionCharts } from '../../src/reports/chart.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const division = (divisi: string, sudah: number, kurang: number, belum: number): ChartDivision => ({
  divisi,
  sudah,
  kurang,
  belum,
});

function pixel(png: PNG, x: number, y: number): [number, number, number] {
  const i = (png.width * Math.round(y) + Math.round(x)) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
}

// Colour families, loose enough for anti-aliasing: green #2e7d32, amber #f9a825, red #c62828.
const isGreen = ([r, g, b]: number[]) => g! > 100 && r! < 80 && b! < 80;
const isAmber = ([r, g, b]: number[]) => r! > 200 && g! > 140 && b! < 80;
const isRed = ([r, g, b]: number[]) => r! > 160 && g! < 80 && b! < 80;

describe('renderDivisionCharts', () => {
  it('draws each division bar in its colours where chartLayout says', async () => {
    const divisions = [
      division('SAT LANTAS', 0, 0, 7),
      division('POLSEK KOTA SELATAN DAN SEKITARNYA', 2, 1, 1),
      division('PIMPINAN', 5, 0, 0),
      division('KOSONG', 0, 0, 0),
    ];
    const pngs = await renderDivisionCharts({ title: 'Likes Instagram · POLRES DEMO', subtitle: 'Selasa', divisions });
    expect(pngs).toHaveLength(1);
    const buffer = pngs[0]!;
    expect(buffer.subarray(0, 8).equals(SIGNATURE)).toBe(true);

    const png = PNG.sync.read(buffer);
    const layout = chartLayout(divisions.length);
    expect(png.width).toBeGreaterThanOrEqual(1080);
    expect(png.width).toBe(layout.width);
    expect(png.height).toBe(layout.height);

    const at = (share: number) => layout.plotLeft + share * (layout.plotRight - layout.plotLeft);
    const [red, mixed, green, empty] = layout.barCentres as [number, number, number, number];
    expect(isRed(pixel(png, at(0.1), red))).toBe(true);
    expect(isRed(pixel(png, at(0.9), red))).toBe(true);
    expect(isGreen(pixel(png, at(0.25), mixed))).toBe(true);
    expect(isAmber(pixel(png, at(0.62), mixed))).toBe(true);
    expect(isRed(pixel(png, at(0.9), mixed))).toBe(true);
    expect(isGreen(pixel(png, at(0.1), green))).toBe(true);
    expect(isGreen(pixel(png, at(0.9), green))).toBe(true);
    for (const share of [0.1, 0.5, 0.9]) {
      const colour = pixel(png, at(share), empty);
      expect(isGreen(colour) || isAmber(colour) || isRed(colour)).toBe(false);
    }
  });

  it('splits 45 divisions into pictures of 40 and 5, order kept', async () => {
    // Division i is all sudah when even, all belum when odd, so the order shows in the colours.
    const divisions = Array.from({ length: 45 }, (_, i) =>
      division(`DIVISI ${i + 1}`, i % 2 === 0 ? 3 : 0, 0, i % 2 === 0 ? 0 : 3),
    );
    const pngs = await renderDivisionCharts({ title: 'Komentar TikTok', subtitle: 'Rabu', divisions });
    expect(pngs).toHaveLength(2);
    const sizes = [CHART_MAX_DIVISIONS, 5];
    pngs.forEach((buffer, page) => {
      const png = PNG.sync.read(buffer);
      const layout = chartLayout(sizes[page]!);
      expect(png.height).toBe(layout.height);
      const x = (layout.plotLeft + layout.plotRight) / 2;
      layout.barCentres.forEach((y, i) => {
        const even = (page * CHART_MAX_DIVISIONS + i) % 2 === 0;
        expect(even ? isGreen(pixel(png, x, y)) : isRed(pixel(png, x, y))).toBe(true);
      });
    });
    expect(PNG.sync.read(pngs[0]!).height).toBeGreaterThan(PNG.sync.read(pngs[1]!).height);
  });

  it('renders a picture with no divisions', async () => {
    const pngs = await renderDivisionCharts({ title: 'Likes Instagram', subtitle: 'Kamis', divisions: [] });
    expect(pngs).toHaveLength(1);
    expect(pngs[0]!.subarray(0, 8).equals(SIGNATURE)).toBe(true);
  });
});
