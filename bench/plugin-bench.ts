/**
 * `npm run bench:plugins`: what a WASM plugin call costs, side by side in one run.
 *
 * 1. Per-call overhead: a 1-row call of hash64_int64 in plain TypeScript, through the in-thread
 *    host, through the worker sandbox, and a SQL query with the UDF against the same without it.
 * 2. Per-row cost of the same kernel (geo distance, substring match, two hashes) as a WASM UDF, as
 *    TypeScript (REFERENCE_UDFS) and in DuckDB (threads=1, and 2), over the same 1M rows.
 * 3. Copy vs compute as the batch grows (1 row to 1M): per row and as a share of the call, with
 *    an SVG and PNG plot, and the batch size below which the boundary dominates.
 *
 * Answers are checked (WASM = TypeScript, and DuckDB where it computes the same function) before
 * anything is timed; every figure is the best of --reps rounds, on two clocks: wall time, and the
 * CPU time of the process, which time spent preempted by other processes does not inflate (on a
 * shared machine the steadier one) but which sums threads. The default `--clock auto` shows the
 * smaller of the two for work on one thread and wall time where threads overlap (sandbox, SQL,
 * DuckDB threads=2): see readClock. `wall` or `cpu` show one clock throughout; the JSON holds
 * all three. Flags or environment:
 * --rows/BENCH_ROWS (1000000), --reps/BENCH_REPS (9), --min-ms/BENCH_MIN_MS (5, per round),
 * --out/BENCH_OUT (data/bench/plugins), --only/BENCH_ONLY (overhead,kernels,copy),
 * --clock/BENCH_CLOCK (auto, wall or cpu; default auto).
 * Example: `npm run bench:plugins -- --rows 200000 --only kernels,copy`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { svgToPng } from '@pushdown/cli';
import { BUILD_DIR, verifyPlugin, type VerifiedPlugin } from '@pushdown/plugins';
import { copyChart, crossover, measureCopy, type CopyRow } from './plugin-bench-copy.js';
import { kernels, loadIntoDuckDB, makeBenchData } from './plugin-bench-data.js';
import { measureKernels, type KernelRow } from './plugin-bench-kernels.js';
import { measureOverhead, type OverheadRow } from './plugin-bench-overhead.js';
import {
  benchOptions,
  fmt,
  progress,
  textTable,
  type ClockMode,
  type PluginBenchOptions,
} from './plugin-bench-util.js';

// The example plugins cap their memory at 1024 pages (64 MiB); 1.5M comment strings still fit.
const MAX_ROWS = 1_500_000;
// Section 3 plots three kernels from cheap-per-byte (hash) to compute-heavy (geo): four crowd it.
const COPY_KERNELS = ['hash64.hash64_int64', 'text_match.contains', 'geo.geo_distance_to'];

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const o = benchOptions();
  if (o.rows > MAX_ROWS)
    throw new Error(`--rows ${o.rows} is above ${MAX_ROWS}, which the plugins' 64 MiB memory cap holds`);
  const loadBefore = load();
  console.error(
    `plugin bench: ${o.rows} rows, best of ${o.reps} rounds of >= ${o.minMs} ms, sections ${o.only.join(',')}; ` +
      `${availableParallelism()} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadBefore}`,
  );
  const plugins = new Map<string, VerifiedPlugin>();
  for (const name of ['hash64', 'geo', 'text_match'])
    plugins.set(name, await verifyPlugin(join(BUILD_DIR, `${name}.wasm`)));

  // Every section measures on both clocks; the tables and the plot show --clock, the JSON all modes.
  let overhead: Record<ClockMode, OverheadRow[]> = { auto: [], wall: [], cpu: [] };
  let kernelRows: Record<ClockMode, KernelRow[]> = { auto: [], wall: [], cpu: [] };
  let copyRows: Record<ClockMode, CopyRow[]> = { auto: [], wall: [], cpu: [] };
  if (o.only.includes('overhead')) overhead = await measureOverhead(plugins.get('hash64')!, o);

  const needData = o.only.includes('kernels') || o.only.includes('copy');
  progress(needData ? `generating ${o.rows} rows` : 'no data needed');
  const data = makeBenchData(needData ? o.rows : 0);
  const ks = kernels(data);
  if (o.only.includes('kernels')) {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      progress('loading the rows into DuckDB');
      await loadIntoDuckDB(conn, data);
      kernelRows = await measureKernels(ks, plugins, data, conn, o);
    } finally {
      conn.closeSync();
    }
  }
  if (o.only.includes('copy')) {
    copyRows = measureCopy(
      ks.filter((k) => COPY_KERNELS.includes(k.id)),
      plugins,
      o.rows,
      o,
    );
  }
  const loadAfter = load();
  report(overhead[o.clock], kernelRows[o.clock], copyRows[o.clock], o);

  mkdirSync(o.out, { recursive: true });
  const machine = `${availableParallelism()} CPUs, load ${loadBefore} → ${loadAfter}`;
  const json = {
    options: { ...o },
    machine: { cpus: availableParallelism(), loadBefore, loadAfter },
    overhead,
    kernels: kernelRows,
    copy: copyRows,
  };
  writeFileSync(join(o.out, 'plugin-bench.json'), JSON.stringify(json, null, 2));
  if (copyRows[o.clock].length > 0) {
    const svg = copyChart(copyRows[o.clock], `${o.clock} clock, ${machine}`);
    writeFileSync(join(o.out, 'copy-vs-compute.svg'), svg);
    writeFileSync(join(o.out, 'copy-vs-compute.png'), svgToPng(svg));
  }
  console.log(
    `\nload average (1, 5, 15 min): ${loadBefore} before, ${loadAfter} after; ${availableParallelism()} CPUs shared`,
  );
  console.log(
    `results: ${join(o.out, 'plugin-bench.json')}${copyRows[o.clock].length > 0 ? `, plots: ${join(o.out, 'copy-vs-compute.{svg,png}')}` : ''}`,
  );
}

/** DuckDB's share of a row; at or under 0 the function's time was lost in the noise of the scan. */
const duckCell = (ns: number) => (ns > 0 ? fmt(ns) : '~0');

function report(overhead: OverheadRow[], ks: KernelRow[], copy: CopyRow[], o: PluginBenchOptions): void {
  const rows = o.rows;
  const clock = (threaded: string) =>
    o.clock === 'wall'
      ? 'wall clock'
      : o.clock === 'cpu'
        ? 'CPU time (all threads)'
        : `min(CPU, wall); ${threaded}`;
  if (overhead.length > 0) {
    console.log(
      `\n1. Per-call overhead: one call on 1 row of hash64_int64, best of rounds, ${clock('sandbox and SQL: wall')}`,
    );
    console.log(
      textTable(
        ['path', 'µs/call', 'extra µs', 'what'],
        overhead.map((r) => [r.path, fmt(r.usPerCall), fmt(r.extraUs), r.note]),
      ),
    );
    console.log('   extra: over the TypeScript floor, or (SQL) over the plain query run on this thread');
  }
  if (ks.length > 0) {
    console.log(
      `\n2. Per-row cost of the same kernel over ${rows} rows, ns/row, ${clock('DuckDB t=2: wall')} (DuckDB: with f minus without f)`,
    );
    console.log(
      textTable(
        [
          'kernel',
          'WASM call',
          'WASM kernel',
          'TS',
          'DuckDB t=1',
          'DuckDB t=2',
          'WASM/TS',
          'kernel/TS',
          'WASM/DuckDB1',
          'DuckDB equivalent',
          'checked',
        ],
        ks.map((r) => [
          r.kernel,
          fmt(r.wasmCall),
          fmt(r.wasmKernel),
          fmt(r.ts),
          duckCell(r.duck1),
          duckCell(r.duck2),
          fmt(r.wasmCall / r.ts),
          fmt(r.wasmKernel / r.ts),
          r.duck1 > 0 ? fmt(r.wasmCall / r.duck1) : '-',
          r.duckNote,
          r.checked,
        ]),
      ),
    );
    console.log(
      '   WASM call = in-thread host call (copy in + compute + copy out); WASM kernel = the export alone',
    );
  }
  if (copy.length > 0) {
    console.log(
      `\n3. Copy vs compute by batch size, ns/row, ${clock('all on one thread')} (boundary = host call minus compute)`,
    );
    console.log(
      textTable(
        ['kernel', 'rows', 'B/row', 'copy in', 'copy out', 'compute', 'host call', 'copy %', 'boundary %'],
        copy.map((r) => [
          r.kernel,
          r.rows,
          fmt(r.bytesPerRow),
          fmt(r.copyIn),
          fmt(r.copyOut),
          fmt(r.compute),
          fmt(r.hostCall),
          (100 * r.copyShare).toFixed(0),
          (100 * r.boundaryShare).toFixed(0),
        ]),
      ),
    );
    const when = (k: string, share: (r: CopyRow) => number) => {
      const x = crossover(copy, k, share);
      if (x !== null) return `below about ${x} rows`;
      return share(copy.find((r) => r.kernel === k)!) < 0.5
        ? 'never (not even at 1 row)'
        : `up to ${rows} rows`;
    };
    console.log('   where the boundary (or the copy alone) takes more than half of a host call:');
    for (const k of new Set(copy.map((r) => r.kernel)))
      console.log(
        `   ${k}: boundary ${when(k, (r) => r.boundaryShare)}; copy alone ${when(k, (r) => r.copyShare)}`,
      );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
