/**
 * A small SVG line chart: axes with ticks and grid lines, optional log scales, one path plus
 * markers per series, and a legend. Self-contained SVG 1.1 (no CSS, no scripts, fonts named
 * with fallbacks), so browsers show it inline and resvg rasterizes it the same way.
 *
 * Every series is a `<g class="series" data-label="...">` holding one `<path>`, which is what
 * tests look for.
 *
 * @example
 * const svg = lineChart({
 *   title: 'Q6 p50 latency', xLabel: 'CPU quota (cores)', yLabel: 'ms', yLog: true,
 *   series: [{ label: 'pushdown', points: [{ x: 1, y: 12 }, { x: 0.1, y: 95 }] }],
 * });
 */
import { linearScale, logScale, tickText, type Scale } from './scale.js';

export interface ChartPoint {
  x: number;
  y: number;
}

export interface ChartSeries {
  label: string;
  points: readonly ChartPoint[];
  color?: string;
  dashed?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  xLog?: boolean;
  yLog?: boolean;
  width?: number;
  height?: number;
}

/** Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
];
export const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

const MARGIN = { top: 36, right: 16, bottom: 48, left: 64 };
const LEGEND_WIDTH = 170;

export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 380;
  const plotW = width - MARGIN.left - MARGIN.right - LEGEND_WIDTH;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const usable = (v: number, log: boolean | undefined) => Number.isFinite(v) && (!log || v > 0);
  const series = o.series.map((s) => ({
    ...s,
    points: s.points.filter((p) => usable(p.x, o.xLog) && usable(p.y, o.yLog)).sort((a, b) => a.x - b.x),
  }));
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  const range = (v: number[], log: boolean | undefined): [number, number] =>
    v.length === 0 ? (log ? [1, 10] : [0, 1]) : [Math.min(...v), Math.max(...v)];
  const [x0, x1] = range(xs, o.xLog);
  const [y0, y1] = range(ys, o.yLog);
  const xs_: Scale = o.xLog ? logScale(x0, x1, plotW) : linearScale(x0, x1, plotW);
  const ys_: Scale = o.yLog ? logScale(y0, y1, plotH, true) : linearScale(y0, y1, plotH, true);
  const X = (v: number) => (MARGIN.left + xs_.map(v)).toFixed(1);
  const Y = (v: number) => (MARGIN.top + ys_.map(v)).toFixed(1);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="14" font-weight="bold">${esc(o.title)}</text>`,
  );
  // Grid and ticks.
  out.push('<g class="axes" stroke="#dddddd" stroke-width="1">');
  for (const t of xs_.ticks)
    out.push(`<line x1="${X(t)}" x2="${X(t)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}"/>`);
  for (const t of ys_.ticks)
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${Y(t)}" y2="${Y(t)}"/>`);
  out.push('</g>');
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333333"/>`,
  );
  out.push('<g class="ticks" fill="#333333">');
  for (const t of xs_.ticks) {
    out.push(`<text x="${X(t)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${tickText(t)}</text>`);
  }
  for (const t of ys_.ticks) {
    out.push(`<text x="${MARGIN.left - 6}" y="${Number(Y(t)) + 4}" text-anchor="end">${tickText(t)}</text>`);
  }
  out.push('</g>');
  const xTitle = `${o.xLabel}${o.xLog ? ' (log)' : ''}`;
  const yTitle = `${o.yLabel}${o.yLog ? ' (log)' : ''}`;
  out.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${esc(xTitle)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(yTitle)}</text>`,
  );
  // Series.
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${X(p.x)} ${Y(p.y)}`).join(' ');
    out.push(`<g class="series" data-label="${esc(s.label)}">`);
    out.push(
      `<path d="${d || 'M0 0'}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}${d ? '' : ' visibility="hidden"'}/>`,
    );
    for (const p of s.points) out.push(`<circle cx="${X(p.x)}" cy="${Y(p.y)}" r="3.5" fill="${color}"/>`);
    out.push('</g>');
  });
  // Legend.
  const lx = width - MARGIN.right - LEGEND_WIDTH + 12;
  out.push('<g class="legend">');
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const y = MARGIN.top + 10 + i * 18;
    out.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${lx + 28}" y="${y + 4}">${esc(s.label)}</text>`,
    );
  });
  if (all.length === 0) {
    out.push(
      `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH / 2}" text-anchor="middle" fill="#888888">no data</text>`,
    );
  }
  out.push('</g>', '</svg>');
  return out.join('\n');
}

/** Lays charts out in a grid, each as a nested <svg>, under an optional overall title. */
export function chartGrid(charts: readonly string[], columns: number, title?: string): string {
  const sizes = charts.map((c) => {
    const m = /width="(\d+)" height="(\d+)"/.exec(c);
    return { w: Number(m?.[1] ?? 640), h: Number(m?.[2] ?? 380) };
  });
  const cellW = Math.max(...sizes.map((s) => s.w), 1);
  const cellH = Math.max(...sizes.map((s) => s.h), 1);
  const cols = Math.max(1, Math.min(columns, charts.length));
  const rows = Math.ceil(charts.length / cols);
  const top = title ? 32 : 0;
  const width = cols * cellW;
  const height = top + rows * cellH;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (title) out.push(`<text x="12" y="22" font-size="16" font-weight="bold">${esc(title)}</text>`);
  charts.forEach((c, i) => {
    const x = (i % cols) * cellW;
    const y = top + Math.floor(i / cols) * cellH;
    out.push(c.replace('<svg ', `<svg x="${x}" y="${y}" `));
  });
  out.push('</svg>');
  return out.join('\n');
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
