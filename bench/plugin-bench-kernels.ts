/**
 * Section 2: the per-row cost of the same kernel as a WASM UDF, as plain TypeScript and in DuckDB,
 * over the same rows. The WASM side is timed twice: the in-thread host call (what a query pays:
 * copy in, compute, copy out) and the export alone on resident data (the kernel itself). DuckDB
 * runs `SELECT agg(f(x))` and the same scan and aggregate without f; the difference is the
 * function's share, so DuckDB's per-query and scan costs do not count against it.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { instantiateUdf, REFERENCE_UDFS, type UdfResult, type VerifiedPlugin } from '@pushdown/plugins';
import { assertSameResult, phasedCall } from './plugin-bench-abi.js';
import type { BenchData, Kernel } from './plugin-bench-data.js';
import {
  progress,
  timeEach,
  timeEachAsync,
  CLOCK_MODES,
  readClock,
  type ClockMode,
  type Timing,
  type PluginBenchOptions,
} from './plugin-bench-util.js';

export interface KernelRow {
  kernel: string;
  rows: number;
  /** ns per row. */
  wasmCall: number;
  wasmKernel: number;
  ts: number;
  duck1: number;
  duck2: number;
  /** The two DuckDB queries' whole times in ms, [with f, without] at threads 1 and 2. */
  duckQueryMs: { t1: [number, number]; t2: [number, number] };
  /** What the DuckDB figure computes, against the plugin. */
  duckNote: string;
  /** What was checked before timing. */
  checked: string;
}

export async function measureKernels(
  ks: Kernel[],
  plugins: Map<string, VerifiedPlugin>,
  data: BenchData,
  conn: DuckDBConnection,
  o: PluginBenchOptions,
): Promise<Record<ClockMode, KernelRow[]>> {
  const rows = data.rows;
  const out: Record<ClockMode, KernelRow[]> = { auto: [], wall: [], cpu: [] };
  for (const k of ks) {
    progress(`kernels: ${k.id} over ${rows} rows`);
    const plugin = plugins.get(k.plugin)!;
    const args = k.args(rows);
    const ref = REFERENCE_UDFS[k.id]!;
    const udf = instantiateUdf(plugin.module, plugin.manifest);
    const phased = phasedCall(plugin.module, plugin.manifest, k.fn, args, rows);

    // Every implementation must give the same answer before any of them is timed.
    const want = ref(args, rows);
    assertSameResult(`${k.id} host call vs TypeScript`, udf.call(k.fn, args, rows), want, rows);
    phased.copyIn();
    phased.compute();
    assertSameResult(`${k.id} resident call vs TypeScript`, phased.copyOut(), want, rows);
    const checked = await checkDuckDB(k, want, rows, conn);

    const [ts, wasmCall, wasmKernel] = timeEach(
      [() => ref(args, rows), () => udf.call(k.fn, args, rows), () => phased.compute()],
      o.minMs,
      o.reps,
    ) as [Timing, Timing, Timing];
    const duck: [Timing, Timing][] = [];
    for (const threads of [1, 2]) {
      await conn.run(`SET threads = ${threads}`);
      // One warm-up run each: the table is already in memory.
      const [f, base] = await timeEachAsync(
        [() => conn.run(k.duck.sql), () => conn.run(k.duck.base)],
        o.minMs,
        o.reps,
        1,
      );
      duck.push([f!, base!]);
    }
    await conn.run('SET threads = 1');
    for (const mode of CLOCK_MODES) {
      // DuckDB at threads=1 keeps one thread busy, like the JS and WASM loops; threads=2 overlaps two.
      const perRow = (t: Timing, threaded = false) => readClock(t, mode, threaded) / rows;
      const fn = ([f, base]: [Timing, Timing], threaded: boolean) =>
        Math.max(0, perRow(f, threaded) - perRow(base, threaded));
      const ms = ([f, base]: [Timing, Timing], threaded: boolean): [number, number] => [
        (perRow(f, threaded) * rows) / 1e6,
        (perRow(base, threaded) * rows) / 1e6,
      ];
      out[mode].push({
        kernel: k.id,
        rows,
        wasmCall: perRow(wasmCall),
        wasmKernel: perRow(wasmKernel),
        ts: perRow(ts),
        duck1: fn(duck[0]!, false),
        duck2: fn(duck[1]!, true),
        duckQueryMs: { t1: ms(duck[0]!, false), t2: ms(duck[1]!, true) },
        duckNote: k.duck.note,
        checked,
      });
    }
  }
  return out;
}

/**
 * Compares DuckDB's aggregate with the same aggregate over the plugin's answer where the two
 * compute the same function (geo: the sum of distances; contains: the number of matches).
 */
async function checkDuckDB(
  k: Kernel,
  want: UdfResult,
  rows: number,
  conn: DuckDBConnection,
): Promise<string> {
  const duck = (await conn.runAndReadAll(k.duck.sql)).getRowsJS()[0]?.[0];
  if (k.id === 'geo.geo_distance_to') {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += want.values[i] as number;
    const d = Number(duck);
    if (Math.abs(d - sum) > 1e-9 * Math.abs(sum))
      throw new Error(`${k.id}: DuckDB sums ${d}, the plugin ${sum}`);
    return 'WASM = TS; sum = DuckDB';
  }
  if (k.id === 'text_match.contains') {
    let hits = 0;
    for (let i = 0; i < rows; i++) hits += ((want.values[i >>> 3] as number) >>> (i & 7)) & 1;
    if (Number(duck) !== hits)
      throw new Error(`${k.id}: DuckDB counts ${String(duck)} matches, the plugin ${hits}`);
    return `WASM = TS; ${hits} matches = DuckDB`;
  }
  return 'WASM = TS (DuckDB hash differs)';
}
