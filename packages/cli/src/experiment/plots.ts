/**
 * The three standard plots of a run, built from the summary rows. Each is a grid of panels:
 * one panel per combination of the dimensions that are neither the x axis nor the series
 * (placement), one line per placement in each panel.
 *
 * - latency-vs-cpu: p50 (solid) and p99 (dashed) latency against the base CPU quota. Where the
 *   pushdown line crosses above no-pushdown, pushing work to the weak node stopped paying.
 * - latency-vs-load: the same latencies against the offered load; the knee is where queueing
 *   starts (the open-loop generator keeps sending, so the knee is not hidden).
 * - bytes-vs-selectivity: mean bytes shipped from base to intermediary per query.
 */
import type { PlacementName } from '../client/options.js';
import { chartGrid, lineChart, PALETTE, type ChartSeries } from './chart/line-chart.js';
import type { PointSummary } from './summary.js';

export interface Plot {
  /** File name stem: `<name>.svg`, `<name>.png`. */
  name: string;
  title: string;
  caption: string;
  svg: string;
}

type Dim = 'query' | 'format' | 'cpus' | 'selectivity' | 'parallelism' | 'offeredQps';

const DIM_TEXT: Record<Dim, (r: PointSummary) => string> = {
  query: (r) => r.query,
  format: (r) => r.format,
  cpus: (r) => `${r.cpus} cpu`,
  selectivity: (r) => (r.selectivity === null ? '' : `sel ${r.selectivity}`),
  parallelism: (r) => `par ${r.parallelism === 0 ? 'default' : r.parallelism}`,
  offeredQps: (r) => `${r.offeredQps} q/s`,
};

/** At most this many panels per plot; a bigger sweep shows the first ones (the CSV has all). */
export const MAX_PANELS = 16;

export function buildPlots(rows: readonly PointSummary[]): Plot[] {
  return [
    {
      name: 'latency-vs-cpu',
      title: 'Latency vs base CPU quota',
      caption:
        'p50 (solid) and p99 (dashed) latency from the scheduled send time, per placement. Lower is better; where the pushdown line rises above no-pushdown, pushing work to the weak node stopped paying.',
      svg: latencyPlot(rows, 'cpus', 'base CPU quota (cores)', 'Latency vs base CPU quota', true),
    },
    {
      name: 'latency-vs-load',
      title: 'Latency vs offered load',
      caption:
        'p50 (solid) and p99 (dashed) latency against the offered load (open loop). The knee is where queries start to queue.',
      svg: latencyPlot(rows, 'offeredQps', 'offered load (queries/s)', 'Latency vs offered load', false),
    },
    {
      name: 'bytes-vs-selectivity',
      title: 'Bytes shipped vs selectivity',
      caption:
        'Mean bytes shipped from the base nodes to the intermediary per query. Pushdown ships filtered, projected Arrow; no-pushdown ships the raw objects.',
      svg: bytesPlot(rows),
    },
  ];
}

function latencyPlot(
  rows: readonly PointSummary[],
  x: Dim,
  xLabel: string,
  title: string,
  xLog: boolean,
): string {
  const panels = panelsOf(rows, x);
  const charts = panels.map(([label, group]) =>
    lineChart({
      title: label,
      xLabel,
      yLabel: 'latency (ms)',
      xLog,
      yLog: true,
      series: placementsOf(group).flatMap((placement, i): ChartSeries[] => {
        const own = group.filter((r) => r.placement === placement);
        const color = PALETTE[i % PALETTE.length]!;
        const pts = (pick: (r: PointSummary) => number) =>
          own.map((r) => ({ x: xValue(r, x), y: pick(r) })).filter((p) => Number.isFinite(p.y));
        return [
          { label: `${placement} p50`, points: pts((r) => r.p50Ms), color },
          { label: `${placement} p99`, points: pts((r) => r.p99Ms), color, dashed: true },
        ];
      }),
    }),
  );
  return chartGrid(charts, 2, title);
}

function bytesPlot(rows: readonly PointSummary[]): string {
  // Bytes do not depend on CPU quota, load or parallelism: one panel per query and format,
  // taken at the first value of the others.
  const templ = rows.filter((r) => r.selectivity !== null);
  const first = <K extends keyof PointSummary>(k: K) => templ[0]?.[k];
  const chosen = templ.filter(
    (r) =>
      r.cpus === first('cpus') &&
      r.offeredQps === first('offeredQps') &&
      r.parallelism === first('parallelism'),
  );
  const groups = groupBy(chosen, (r) => `${r.query} · ${r.format}`);
  const charts = [...groups].slice(0, MAX_PANELS).map(([label, group]) =>
    lineChart({
      title: label,
      xLabel: 'selectivity (fraction of rows)',
      yLabel: 'bytes shipped per query',
      yLog: true,
      series: placementsOf(group).map((placement) => ({
        label: placement,
        points: group
          .filter((r) => r.placement === placement)
          .map((r) => ({ x: r.selectivityActual ?? r.selectivity!, y: r.bytesShippedMean })),
      })),
    }),
  );
  if (charts.length === 0) {
    charts.push(
      lineChart({
        title: 'no selectivity sweep in this spec',
        xLabel: 'selectivity (fraction of rows)',
        yLabel: 'bytes shipped per query',
        series: [],
      }),
    );
  }
  return chartGrid(charts, 2, 'Bytes shipped vs selectivity');
}

/** Groups rows by every dimension except `x` (and placement, the series). */
function panelsOf(rows: readonly PointSummary[], x: Dim): [string, PointSummary[]][] {
  const dims = (Object.keys(DIM_TEXT) as Dim[]).filter((d) => d !== x);
  // Dimensions with a single value in the whole run stay out of the titles, except query and
  // format, which say what the panel is about.
  const shown = dims.filter(
    (d) => d === 'query' || d === 'format' || new Set(rows.map(DIM_TEXT[d])).size > 1,
  );
  const groups = groupBy(rows, (r) =>
    shown
      .map((d) => DIM_TEXT[d](r))
      .filter((t) => t !== '')
      .join(' · '),
  );
  return [...groups].slice(0, MAX_PANELS);
}

function placementsOf(rows: readonly PointSummary[]): PlacementName[] {
  return [...new Set(rows.map((r) => r.placement))];
}

function xValue(r: PointSummary, x: Dim): number {
  return x === 'cpus' ? r.cpus : r.offeredQps;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
