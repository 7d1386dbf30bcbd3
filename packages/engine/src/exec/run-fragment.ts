/**
 * Runs one plan fragment next to the data (the same code on a base node and, over pulled
 * bytes, on the intermediary): scan the asked columns, keep rows where the filter is TRUE, then
 * project or partially aggregate. With an aggregate, filter and aggregate share the slice in
 * operator memory (the filter's mask is consumed in place); with a limit, reading stops early.
 */
import type { RecordBatch } from 'apache-arrow';
import { CancelledError } from '@pushdown/proto';
import {
  fragmentPlugins,
  type Fragment,
  type FragmentStats,
  type OperatorMetrics,
} from '../plan/fragment.js';
import { newScanCounters } from '../readers/object-reader.js';
import { batchBytes, schemaOfBatch } from './arrow-columns.js';
import { FilterOperator, ProjectOperator } from './batch-ops.js';
import { newMetrics } from './metrics.js';
import { PartialAggregator } from './partial-aggregator.js';
import type { ScanPool } from '../parallel/scan-pool.js';
import type { OpenObjectOptions } from '../readers/open-object.js';

export interface FragmentRun {
  batches: AsyncGenerator<RecordBatch>;
  /** Complete once `batches` is exhausted (or returned early). */
  stats: FragmentStats;
}

export interface RunFragmentOptions {
  signal?: AbortSignal;
  batchRows?: number;
  /**
   * Worker threads this scan may use (default 1: this thread). Capped by the pool's size; the
   * answer is the same bit for bit (see parallel/run-parallel.ts).
   */
  parallelism?: number;
  /** The pool to run on (default: the process-wide one, sized by the CPU budget). */
  pool?: ScanPool;
  /** Run on the pool even at parallelism 1 (benchmarks: the cost of the thread hop). */
  forceWorkers?: boolean;
  /** Reader options (CSV dialect and unit grid, Parquet decoder), the same on every thread. */
  reader?: OpenObjectOptions;
  /** Tests only: the worker running this unit exits mid-task. */
  crashUnitForTest?: number;
}

export function runFragment(fragment: Fragment, object: Blob, options: RunFragmentOptions = {}): FragmentRun {
  const stats: FragmentStats = {
    rowsScanned: 0,
    bytesScanned: 0,
    rowsOut: 0,
    bytesOut: 0,
    rowGroupsTotal: 0,
    rowGroupsScanned: 0,
    elapsedMs: 0,
    stages: [],
    parallelism: 1,
    workerThreads: 0,
  };
  return { batches: execute(fragment, object, options, stats), stats };
}

async function* execute(
  fragment: Fragment,
  object: Blob,
  options: RunFragmentOptions,
  stats: FragmentStats,
): AsyncGenerator<RecordBatch> {
  // A plugin call cannot be interrupted on this thread; in a scan worker the watchdog can stop
  // it (parallel/watchdog.ts). So a fragment that calls a plugin always runs in the pool.
  const callsPlugin = fragmentPlugins(fragment).length > 0;
  if ((options.parallelism ?? 1) > 1 || options.forceWorkers || callsPlugin) {
    // Loaded on first use, like the readers: a serial scan never starts a worker.
    const { executeParallel } = await import('../parallel/run-parallel.js');
    const { defaultScanPool } = await import('../parallel/scan-pool.js');
    const done = yield* executeParallel(
      fragment,
      object,
      {
        parallelism: options.parallelism ?? 1,
        ...(options.forceWorkers || callsPlugin ? { forceWorkers: true } : {}),
        pool: options.pool ?? defaultScanPool(),
        signal: options.signal,
        batchRows: options.batchRows,
        ...(options.reader ? { reader: options.reader } : {}),
        ...(options.crashUnitForTest !== undefined ? { crashUnitForTest: options.crashUnitForTest } : {}),
      },
      stats,
    );
    if (done) return;
    stats.parallelism = 1;
  }
  const t0 = performance.now();
  const counters = newScanCounters();
  const scanMetrics = newMetrics('scan');
  const filter = fragment.filter ? new FilterOperator(fragment.filter) : null;
  const filterMetrics: OperatorMetrics = filter ? filter.metrics : newMetrics('filter');
  const project = !fragment.aggregate && fragment.project ? new ProjectOperator(fragment.project) : null;
  let aggregator: PartialAggregator | null = null;
  stats.stages = [scanMetrics, ...(filter ? [filterMetrics] : []), ...(project ? [project.metrics] : [])];
  const finishStats = () => {
    stats.rowsScanned = counters.rowsScanned;
    stats.bytesScanned = counters.bytesScanned;
    stats.rowGroupsTotal = counters.rowGroupsTotal;
    stats.rowGroupsScanned = counters.rowGroupsScanned;
    scanMetrics.bytesIn = counters.bytesScanned;
    scanMetrics.rowsIn = counters.rowsScanned;
    scanMetrics.bytesCopied = counters.bytesCopied;
    scanMetrics.computeMs = counters.decodeMs;
    if (aggregator) stats.stages.push(aggregator.metrics());
    stats.elapsedMs = performance.now() - t0;
  };
  // Loaded on first use: the readers pull in parquet-wasm and friends, which the row
  // operators (and whoever imports only them) do not need.
  const { openObject } = await import('../readers/open-object.js');
  const reader = openObject(object, fragment.format, fragment.schema, options.reader ?? {});
  const scan = reader.scan(
    {
      columns: fragment.columns,
      filter: fragment.filter,
      rowGroups: fragment.rowGroups,
      ...(options.batchRows !== undefined ? { batchRows: options.batchRows } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    counters,
  );
  let remaining = fragment.aggregate ? Infinity : (fragment.limit ?? Infinity);
  const emit = (b: RecordBatch) => {
    stats.rowsOut += b.numRows;
    stats.bytesOut += batchBytes(b);
    return b;
  };
  try {
    for await (const batch of scan) {
      if (options.signal?.aborted)
        throw new CancelledError(`fragment on ${fragment.table}/${fragment.object} cancelled`);
      scanMetrics.rowsOut += batch.numRows;
      scanMetrics.bytesOut += batchBytes(batch);
      if (fragment.aggregate) {
        aggregator ??= new PartialAggregator(fragment.aggregate, schemaOfBatch(batch));
        if (fragment.filter) {
          filterMetrics.bytesIn += batchBytes(batch);
          aggregator.pushFiltered(batch, fragment.filter, filterMetrics);
        } else aggregator.push(batch);
        continue;
      }
      let out = filter ? filter.apply(batch) : batch;
      if (out.numRows === 0) continue;
      if (out.numRows > remaining) out = out.slice(0, remaining);
      remaining -= out.numRows;
      yield emit(project ? project.apply(out) : out);
      if (remaining <= 0) break;
    }
    if (fragment.aggregate) {
      aggregator ??= new PartialAggregator(
        fragment.aggregate,
        fragment.columns.map((c) => {
          const f = fragment.schema.find((x) => x.name === c);
          return f ?? { name: c, type: 'float64' as const, nullable: true };
        }),
      );
      const out = aggregator.finish();
      finishStats();
      yield emit(out);
      return;
    }
  } finally {
    if (stats.elapsedMs === 0) finishStats();
    await scan.return(undefined);
  }
}
