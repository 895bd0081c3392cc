/** Compliance recap as a picture: one stacked bar per division, drawn without a browser. */
import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

/** Member counts (exceptions excluded). */
export interface ChartDivision {
  divisi: string;
  sudah: number;
  kurang: number;
  belum: number;
}

export interface ChartInput {
  title: string;
  subtitle: string;
  /** Already ordered worst first by the caller. */
  divisions: readonly ChartDivision[];
}

export const CHART_MAX_DIVISIONS = 40;

const WIDTH = 1080;
const HEADER = 160; // title, subtitle and legend
const ROW = 44;
const FOOTER = 56; // x axis labels
// Fixed margins (not ECharts' label-fitting) so that chartLayout() is where the bars really are.
const PLOT_LEFT = 360; // room for a 22-char name at 22 px
const PLOT_RIGHT = WIDTH - 100; // room for the "100%" label
const NAME_MAX = 22;
const FONT = 'DejaVu Sans';

export interface ChartLayout {
  width: number;
  height: number;
  plotLeft: number;
  plotRight: number;
  /** Centre y of each bar, first division at the top. */
  barCentres: number[];
}

/** Where a picture of `n` divisions puts things, in output pixels (the picture is rendered 1:1). */
export function chartLayout(n: number): ChartLayout {
  const rows = Math.max(n, 1);
  return {
    width: WIDTH,
    height: HEADER + ROW * rows + FOOTER,
    plotLeft: PLOT_LEFT,
    plotRight: PLOT_RIGHT,
    barCentres: Array.from({ length: n }, (_, i) => HEADER + ROW * i + ROW / 2),
  };
}

let fontFiles: string[] | undefined;
function fonts(): string[] {
  if (!fontFiles) {
    const require = createRequire(import.meta.url);
    fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
  }
  return fontFiles;
}

const shortName = (name: string): string => (name.length > NAME_MAX ? `${name.slice(0, NAME_MAX - 1)}…` : name);

/**
 * The header has fixed room and ECharts without a canvas only guesses text widths, so rather than
 * being clipped at the edge a long line shrinks (down to `min` px) and then loses its middle.
 * Widths are estimated per character, on the wide side for DejaVu Sans capitals (`em`: bold 0.72,
 * regular 0.64); the tail is kept because it holds the " (1/2)" page.
 */
function fitLine(text: string, max: number, min: number, em: number): { text: string; size: number } {
  const room = WIDTH - 2 * 24;
  const size = Math.max(min, Math.min(max, Math.floor(room / (em * Math.max(text.length, 1)))));
  const chars = Math.floor(room / (em * size));
  if (text.length <= chars) return { text, size };
  const tail = 8;
  return { text: `${text.slice(0, chars - tail - 1)}…${text.slice(-tail)}`, size };
}

async function renderOne(title: string, subtitle: string, divisions: readonly ChartDivision[]): Promise<Buffer> {
  const layout = chartLayout(divisions.length);
  const head = fitLine(title, 34, 24, 0.72);
  const sub = fitLine(subtitle, 22, 18, 0.64);
  // A division with nobody judged gets zeros (an empty bar), not 0/0.
  const share = (d: ChartDivision, k: number): number => {
    const total = d.sudah + d.kurang + d.belum;
    return total > 0 ? (100 * k) / total : 0;
  };
  const series = (
    [
      ['Sudah', '#2e7d32', 'sudah'],
      ['Kurang', '#f9a825', 'kurang'],
      ['Belum', '#c62828', 'belum'],
    ] as const
  ).map(([name, color, key]) => ({
    type: 'bar' as const,
    name,
    stack: 'all',
    barWidth: 28,
    itemStyle: { color },
    // A grey track, so that an empty division still shows where its bar would be.
    showBackground: key === 'sudah',
    backgroundStyle: { color: '#eeeeee' },
    data: divisions.map((d) => share(d, d[key])),
  }));
  const categoryAxis = { type: 'category' as const, inverse: true, axisTick: { show: false } };

  let svg: string;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: layout.width, height: layout.height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT },
      title: {
        text: head.text,
        subtext: sub.text,
        left: 24,
        top: 20,
        textStyle: { fontFamily: FONT, fontSize: head.size, fontWeight: 'bold', color: '#212121' },
        subtextStyle: { fontFamily: FONT, fontSize: sub.size, color: '#555555' },
      },
      legend: {
        top: 112,
        left: 24,
        itemWidth: 28,
        itemHeight: 18,
        itemGap: 28,
        textStyle: { fontFamily: FONT, fontSize: 22, color: '#212121' },
      },
      grid: {
        left: layout.plotLeft,
        right: layout.width - layout.plotRight,
        top: HEADER,
        bottom: FOOTER,
        outerBoundsMode: 'none',
      },
      xAxis: {
        type: 'value',
        min: 0,
        max: 100,
        interval: 25,
        axisLabel: { formatter: '{value}%', fontFamily: FONT, fontSize: 20, color: '#555555' },
      },
      yAxis: [
        {
          ...categoryAxis,
          data: divisions.map((d) => shortName(d.divisi)),
          axisLabel: { fontFamily: FONT, fontSize: 22, color: '#212121' },
        },
        {
          // The sudah percent on the right of each bar, as a second category axis: it stays put
          // whatever the segments are, even for an empty bar.
          ...categoryAxis,
          position: 'right',
          axisLine: { show: false },
          data: divisions.map((d) =>
            d.sudah + d.kurang + d.belum > 0 ? `${Math.round(share(d, d.sudah))}%` : '–',
          ),
          axisLabel: { fontFamily: FONT, fontSize: 22, fontWeight: 'bold', color: '#2e7d32' },
        },
      ],
      series,
    });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  // Drawn on libuv's thread pool: a picture takes 100-200 ms of CPU, which must not hold
  // up the chats the bot is answering meanwhile.
  const picture = await renderAsync(svg, {
    font: { fontFiles: fonts(), loadSystemFonts: false, defaultFontFamily: FONT },
    fitTo: { mode: 'width', value: WIDTH },
  });
  return picture.asPng();
}

/**
 * One PNG per CHART_MAX_DIVISIONS divisions (the order kept); the title gets " (1/2)" etc. when
 * there is more than one. No divisions still gives one picture, with an empty plot.
 */
export async function renderDivisionCharts(input: ChartInput): Promise<Buffer[]> {
  const pages: (readonly ChartDivision[])[] = [];
  for (let i = 0; i < input.divisions.length; i += CHART_MAX_DIVISIONS) {
    pages.push(input.divisions.slice(i, i + CHART_MAX_DIVISIONS));
  }
  if (pages.length === 0) pages.push([]);
  const pictures: Buffer[] = [];
  for (const [i, page] of pages.entries()) {
    pictures.push(await renderOne(pages.length > 1 ? `${input.title} (${i + 1}/${pages.length})` : input.title, input.subtitle, page));
  }
  return pictures;
}
