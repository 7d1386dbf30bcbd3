/**
 * Section 3: copy against compute as the batch grows. For each batch size the call is taken
 * apart (plugin-bench-abi.ts): the argument copy into plugin memory, the export, the result copy
 * out, each timed in its own loop; and the whole host call (instantiateUdf) is timed too, so
 * "boundary" = host call minus compute covers the copies plus the fixed per-call work (argument
 * checks, views, allocation, the JS-to-WASM transition). Users want the batch size below which
 * that boundary outweighs the function itself.
 */
import { chartGrid, lineChart, type ChartSeries } from '@pushdown/cli';
import { instantiateUdf, REFERENCE_UDFS, type VerifiedPlugin } from '@pushdown/plugins';
import { assertSameResult, phasedCall } from './plugin-bench-abi.js';
import type { Kernel } from './plugin-bench-data.js';
import {
  CLOCK_MODES,
  readClock,
  progress,
  timeEach,
  type ClockMode,
  type PluginBenchOptions,
} from './plugin-bench-util.js';

export interface CopyRow {
  kernel: string;
  rows: number;
  bytesPerRow: number;
  /** ns per row of each phase, and of the whole host call. */
  copyIn: number;
  copyOut: number;
  compute: number;
  hostCall: number;
  /** copy / (copy + compute): the data movement alone. */
  copyShare: number;
  /** (host call - compute) / host call: everything that is not the function. */
  boundaryShare: number;
}

/** 1, 16, 256, 4k, 64k rows, then the full data set (1M by default). */
export function batchSizes(maxRows: number): number[] {
  return [...[1, 16, 256, 4096, 65536].filter((n) => n < maxRows), maxRows];
}

export function measureCopy(
  ks: Kernel[],
  plugins: Map<string, VerifiedPlugin>,
  maxRows: number,
  o: PluginBenchOptions,
): Record<ClockMode, CopyRow[]> {
  const out: Record<ClockMode, CopyRow[]> = { auto: [], wall: [], cpu: [] };
  for (const k of ks) {
    const plugin = plugins.get(k.plugin)!;
    const udf = instantiateUdf(plugin.module, plugin.manifest);
    for (const rows of batchSizes(maxRows)) {
      progress(`copy vs compute: ${k.id}, ${rows} rows`);
      const args = k.args(rows);
      const p = phasedCall(plugin.module, plugin.manifest, k.fn, args, rows);
      p.copyIn();
      p.compute();
      assertSameResult(`${k.id} on ${rows} rows`, p.copyOut(), REFERENCE_UDFS[k.id]!(args, rows), rows);
      const times = timeEach(
        [() => p.copyIn(), () => p.compute(), () => p.copyOut(), () => udf.call(k.fn, args, rows)],
        o.minMs,
        o.reps,
      );
      // All four phases run on this thread alone.
      for (const mode of CLOCK_MODES) {
        const [copyIn, compute, copyOut, hostCall] = times.map((t) => readClock(t, mode, false) / rows) as [
          number,
          number,
          number,
          number,
        ];
        const copy = copyIn + copyOut;
        out[mode].push({
          kernel: k.id,
          rows,
          bytesPerRow: (p.bytesIn + p.bytesOut) / rows,
          copyIn,
          copyOut,
          compute,
          hostCall,
          copyShare: copy / (copy + compute),
          boundaryShare: Math.max(0, hostCall - compute) / hostCall,
        });
      }
    }
  }
  return out;
}

/**
 * The batch size where `share` (boundary or copy) falls to one half, interpolated on log(rows)
 * between the two measured sizes around it; null if it never crosses downwards.
 */
export function crossover(rows: CopyRow[], kernel: string, share: (r: CopyRow) => number): number | null {
  const pts = rows.filter((r) => r.kernel === kernel);
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    const [sa, sb] = [share(a), share(b)];
    if (sa >= 0.5 && sb < 0.5) {
      const f = (sa - 0.5) / (sa - sb);
      return Math.round(Math.exp(Math.log(a.rows) + f * (Math.log(b.rows) - Math.log(a.rows))));
    }
  }
  return null;
}

// One colour per kernel (Okabe-Ito, as the experiment charts), so copy and compute pair up.
const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7'];

/** Two charts side by side: ns per row of copy and compute, and the boundary's share. */
export function copyChart(rows: CopyRow[], subtitle: string): string {
  const names = [...new Set(rows.map((r) => r.kernel))];
  // The plugin name: the legend column is narrow and there is one kernel per plugin here.
  const short = (k: string) => k.split('.')[0]!;
  const series = (pick: (r: CopyRow) => number, label: string, dashed: boolean): ChartSeries[] =>
    names.map((k, i) => ({
      label: `${short(k)} ${label}`,
      color: COLORS[i % COLORS.length]!,
      dashed,
      points: rows.filter((r) => r.kernel === k).map((r) => ({ x: r.rows, y: pick(r) })),
    }));
  const perRow = lineChart({
    title: 'ns per row: copy (dashed) vs compute',
    xLabel: 'batch rows',
    yLabel: 'ns per row',
    xLog: true,
    yLog: true,
    width: 720,
    height: 420,
    series: [
      ...series((r) => r.compute, 'compute', false),
      ...series((r) => r.copyIn + r.copyOut, 'copy', true),
    ],
  });
  const share = lineChart({
    title: 'share of a host call that is not compute',
    xLabel: 'batch rows',
    yLabel: '% of call time',
    xLog: true,
    width: 720,
    height: 420,
    series: [
      ...series((r) => 100 * r.boundaryShare, 'boundary', false),
      ...series((r) => 100 * r.copyShare, 'copy only', true),
    ],
  });
  return chartGrid([perRow, share], 2, `WASM UDF: copy vs compute by batch size (${subtitle})`);
}
