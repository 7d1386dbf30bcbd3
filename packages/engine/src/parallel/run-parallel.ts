/**
 * A fragment over many workers: the object splits into units (Parquet: runs of the row groups
 * that survive pruning; CSV: one task per grid interval, each finding its own unit of
 * csv-units.ts while it parses), each unit runs on a worker (read, filter, then partial-aggregate
 * or project), and the results are consumed in unit order: rows are yielded in that order,
 * aggregate merges are replayed in that order. Units are the same ones a serial scan cuts its
 * batches at, so the answer is the serial one, bit for bit. At most `parallelism` units of a
 * query run at once; a worker that finishes early starts the next unit at once (not when the
 * results before it have been consumed), with at most a window of finished results held.
 *
 * Returns false (having yielded nothing) when parallelism cannot pay (one unit) or a CSV unit
 * boundary turned out not to be a record end; the caller then runs the serial path.
 */
import { tableFromIPC, type RecordBatch } from 'apache-arrow';
import { CancelledError, deserializeError } from '@pushdown/proto';
import type { Fragment, FragmentStats, OperatorMetrics } from '../plan/fragment.js';
import { CsvObjectReader } from '../readers/csv-reader.js';
import { gridPoints } from '../readers/csv-units.js';
import { filePathOf } from '../readers/file-blob.js';
import { newScanCounters, type ObjectReader, type ScanCounters } from '../readers/object-reader.js';
import { openObject, type OpenObjectOptions } from '../readers/open-object.js';
import { ParquetObjectReader } from '../readers/parquet-reader.js';
import { PluginObjectReader } from '../readers/plugin-reader.js';
import { pruneRowGroups } from '../readers/parquet-pruning.js';
import { batchBytes } from '../exec/arrow-columns.js';
import { newMetrics } from '../exec/metrics.js';
import { PartialAggregator } from '../exec/partial-aggregator.js';
import type { CsvGridUnit, ObjectSource, ScanUnit, ScanUnitTask, UnitReply } from './protocol.js';
import type { ScanPool } from './scan-pool.js';

export interface ParallelRunOptions {
  readonly parallelism: number;
  readonly pool: ScanPool;
  readonly signal?: AbortSignal | undefined;
  readonly batchRows?: number | undefined;
  readonly reader?: OpenObjectOptions;
  /** Use the pool even with one worker. */
  readonly forceWorkers?: boolean;
  /** Tests only: the worker running this unit index exits mid-task. */
  readonly crashUnitForTest?: number;
}

export async function* executeParallel(
  fragment: Fragment,
  object: Blob,
  options: ParallelRunOptions,
  stats: FragmentStats,
): AsyncGenerator<RecordBatch, boolean> {
  const t0 = performance.now();
  const p = Math.min(options.parallelism, options.pool.threads);
  if (p < 2 && !options.forceWorkers) return false;
  const source = await sourceOf(object);
  const counters = newScanCounters();
  const units = await planUnits(fragment, object, source, options, counters);
  if (!units || (units.length < 2 && !options.forceWorkers)) return false;

  const scanMetrics = newMetrics('scan');
  const filterMetrics = newMetrics('filter');
  const projectMetrics = newMetrics('project');
  let aggregator: PartialAggregator | null = null;
  let sawProject = false;
  const threads = new Set<number>();
  stats.parallelism = p;

  const abort = new AbortController();
  const onAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const results: Promise<UnitReply>[] = [];
  const taskFor = (i: number, unit: ScanUnit): ScanUnitTask => ({
    kind: 'scan-unit',
    fragment,
    source,
    unit,
    ...(options.batchRows !== undefined ? { batchRows: options.batchRows } : {}),
    ...(options.reader ? { reader: options.reader } : {}),
    ...(options.crashUnitForTest === i ? { crashForTest: true } : {}),
  });
  // Units start as workers free up; finished results wait (at most `window` of them) for their turn.
  const window = Math.max(2, RESULT_WINDOW_PER_WORKER * p);
  let launched = 0;
  let running = 0;
  let consumed = 0;
  let stopped = false;
  const settle = () => {
    running--;
    pump();
  };
  const pump = () => {
    while (!stopped && launched < units.length && running < p && launched < consumed + window) {
      const i = launched++;
      running++;
      const r = options.pool.run<UnitReply>(taskFor(i, units[i]!), abort.signal);
      r.then(settle, settle); // awaited in order below
      results.push(r);
    }
  };
  let remaining = fragment.aggregate ? Infinity : (fragment.limit ?? Infinity);
  let yielded = false;
  // CSV: the true quote parity at the next task's grid point, and where its unit starts.
  let parity = 0;
  const u0 = units[0];
  const firstCsv = u0 && 'csv' in u0 ? u0.csv : null;
  let csvStart = firstCsv?.grid ?? 0;
  try {
    pump();
    for (let i = 0; i < units.length; i++) {
      if (options.signal?.aborted)
        throw new CancelledError(`fragment on ${fragment.table}/${fragment.object} cancelled`);
      let reply = await results[i]!;
      consumed++;
      pump();
      const unit = units[i]!;
      // A guess of the quote parity at the grid point that the chain proves wrong: run again.
      if ('csv' in unit && unit.csv.parity !== parity)
        reply = await options.pool.run<UnitReply>(taskFor(i, { csv: { ...unit.csv, parity } }), abort.signal);
      // A CSV unit that failed (its error would name a line the worker could not know) or that
      // did not end on a record end: the serial path takes over from its start, and says why.
      const csvRetry = 'csv' in unit && (!reply.ok || !reply.value.aligned);
      if (csvRetry) {
        if (!yielded) return false;
        // Rows so far were right (every unit before this one ended on a record end).
        yield* serialTail(fragment, object, firstCsv!, csvStart, counters, remaining, options.reader ?? {});
        break;
      }
      if (!reply.ok) throw deserializeError(reply.error);
      const u = reply.value;
      if (u.csv) {
        parity ^= u.csv.quoteParity;
        if (u.csv.end >= 0) csvStart = u.csv.end;
      }
      threads.add(u.threadId);
      addCounters(counters, u.counters);
      if (u.filter) addMetrics(filterMetrics, u.filter);
      if (u.project) {
        sawProject = true;
        addMetrics(projectMetrics, u.project);
      }
      if (fragment.aggregate) {
        aggregator ??= new PartialAggregator(fragment.aggregate, inputSchema(fragment));
        aggregator.replay(u.agg!);
        continue;
      }
      if (!u.ipc) continue;
      for (const batch of tableFromIPC(u.ipc).batches) {
        let b = batch;
        if (b.numRows > remaining) b = b.slice(0, remaining);
        remaining -= b.numRows;
        stats.rowsOut += b.numRows;
        stats.bytesOut += batchBytes(b);
        yielded = true;
        yield b;
        if (remaining <= 0) break;
      }
      if (remaining <= 0) break;
    }
    stats.stages = [
      {
        ...scanMetrics,
        rowsIn: counters.rowsScanned,
        bytesIn: counters.bytesScanned,
        bytesCopied: counters.bytesCopied,
        computeMs: counters.decodeMs,
        rowsOut: counters.rowsScanned,
      },
      ...(fragment.filter ? [filterMetrics] : []),
      ...(sawProject ? [projectMetrics] : []),
    ];
    stats.rowsScanned = counters.rowsScanned;
    stats.bytesScanned = counters.bytesScanned;
    stats.rowGroupsTotal = counters.rowGroupsTotal;
    stats.rowGroupsScanned = counters.rowGroupsScanned;
    stats.workerThreads = threads.size;
    if (fragment.aggregate) {
      aggregator ??= new PartialAggregator(fragment.aggregate, inputSchema(fragment));
      const out = aggregator.finish();
      stats.stages.push(aggregator.metrics());
      stats.rowsOut += out.numRows;
      stats.bytesOut += batchBytes(out);
      stats.elapsedMs = performance.now() - t0;
      yield out;
      return true;
    }
    stats.elapsedMs = performance.now() - t0;
    return true;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stopped = true;
    abort.abort(); // units still queued or running for this query are not needed any more
  }
}

/** The schema the serial path would give the aggregator when it sees no batch. */
function inputSchema(fragment: Fragment) {
  return fragment.columns.map((c) => {
    const f = fragment.schema.find((x) => x.name === c);
    return f ?? { name: c, type: 'float64' as const, nullable: true };
  });
}

async function planUnits(
  fragment: Fragment,
  object: Blob,
  source: ObjectSource,
  options: ParallelRunOptions,
  counters: ScanCounters,
): Promise<ScanUnit[] | null> {
  const { reader, forget } = plannerReader(object, source, fragment, options.reader ?? {});
  try {
    return await planUnitsWith(reader, fragment, source, options, counters);
  } catch (err) {
    forget(); // a failed footer or header read is not remembered for the next query
    throw err;
  }
}

async function planUnitsWith(
  reader: ObjectReader,
  fragment: Fragment,
  source: ObjectSource,
  options: ParallelRunOptions,
  counters: ScanCounters,
): Promise<ScanUnit[] | null> {
  if (reader instanceof ParquetObjectReader) {
    const meta = await reader.metadata();
    const groups = meta.metadata.row_groups;
    // Anything unusual (bad row group numbers, unreadable columns): the serial path says why.
    if ((fragment.rowGroups ?? []).some((rg) => !Number.isInteger(rg) || rg < 0 || rg >= groups.length))
      return null;
    if (fragment.columns.some((c) => meta.unsupported.some((u) => u.name === c))) return null;
    const keep = pruneRowGroups(meta, fragment.filter, fragment.rowGroups);
    counters.rowGroupsTotal = fragment.rowGroups?.length ?? groups.length;
    counters.rowGroupsScanned = keep.length;
    return rowGroupRanges(keep, Math.min(options.parallelism, options.pool.threads));
  }
  // A plugin-read object is one unit: in the pool only so the watchdog can stop the plugin.
  if (reader instanceof PluginObjectReader) return options.forceWorkers ? [{ whole: true }] : null;
  if (reader instanceof CsvObjectReader) {
    const { dataOffset, firstLine, unitBytes, size } = await reader.layout();
    // One unit: the serial path, unless the fragment must run in a worker (it calls a plugin).
    if (size - dataOffset <= unitBytes && !options.forceWorkers) return null;
    counters.bytesScanned += dataOffset;
    const grid = gridPoints(dataOffset, unitBytes, size);
    if (grid.length === 0) grid.push(dataOffset); // no data: one empty task
    // Every task guesses an even quote parity at its grid point; the chain checks it (above).
    return grid.map((g, k) => ({
      csv: { grid: g, nextGrid: g + unitBytes, parity: 0, first: k === 0, line: firstLine },
    }));
  }
  return null;
}

/**
 * Tasks per worker a Parquet scan aims for. Each task pays a thread hop, a structured clone of
 * the fragment, a result transfer and one row group read without prefetch (a few ms at SF 1);
 * too few tasks leave one worker idle at the end when ranges cost unequal time (pruning, a core
 * shared with other processes). Since a worker that finishes starts the next task at once
 * (RESULT_WINDOW_PER_WORKER), smaller tasks cost little: six each measured best of 1/3/6/12
 * for Q6 at SF 1 (2 workers, 46 row groups).
 */
export const TASKS_PER_WORKER = 6;

/**
 * Finished results a query may hold per worker while an earlier unit is still running: enough
 * that a worker never waits for a slow neighbour, few enough to bound the rows held in memory.
 */
export const RESULT_WINDOW_PER_WORKER = 2;

/**
 * The surviving row groups in contiguous runs, about TASKS_PER_WORKER per worker: each run is
 * scanned in row group order by one worker, so batches, merges and rows come back exactly in
 * the serial order.
 */
export function rowGroupRanges(keep: readonly number[], workers: number): ScanUnit[] {
  const tasks = Math.max(1, Math.min(keep.length, Math.max(1, workers) * TASKS_PER_WORKER));
  const out: ScanUnit[] = [];
  for (let t = 0; t < tasks; t++) {
    const from = Math.floor((t * keep.length) / tasks);
    const to = Math.floor(((t + 1) * keep.length) / tasks);
    if (to > from) out.push({ rowGroups: keep.slice(from, to) });
  }
  return out;
}

const PLANNER_READERS_MAX = 4;
const plannerReaders = new Map<string, ObjectReader>();

/**
 * The reader units are planned with, kept per object (the source key names its content: path,
 * size, mtime and inode): re-parsing an SF 1 footer costs ~20 ms of serial work per query.
 */
function plannerReader(
  object: Blob,
  source: ObjectSource,
  fragment: Fragment,
  readerOptions: OpenObjectOptions,
): { reader: ObjectReader; forget: () => void } {
  const key = `${source.key}\0${fragment.format}\0${JSON.stringify(fragment.schema)}\0${JSON.stringify(readerOptions)}`;
  let r = plannerReaders.get(key);
  if (!r) {
    r = openObject(object, fragment.format, fragment.schema, readerOptions);
    plannerReaders.set(key, r);
    if (plannerReaders.size > PLANNER_READERS_MAX) plannerReaders.delete(plannerReaders.keys().next().value!);
  }
  return { reader: r, forget: () => plannerReaders.delete(key) };
}

/** Rows of the object from CSV offset `start` to its end, on this thread (the fallback). */
async function* serialTail(
  fragment: Fragment,
  object: Blob,
  first: CsvGridUnit,
  start: number,
  counters: ScanCounters,
  limit: number,
  readerOptions: OpenObjectOptions,
): AsyncGenerator<RecordBatch> {
  // The line the tail starts on, for error messages: count the line feeds before it.
  const before = Buffer.from(await object.slice(first.grid, start).arrayBuffer());
  let line = first.line;
  for (let p = before.indexOf(0x0a); p >= 0; p = before.indexOf(0x0a, p + 1)) line++;
  const { runUnit } = await import('../exec/run-unit.js');
  const reader = openObject(object, fragment.format, fragment.schema, readerOptions);
  const r = await runUnit({ ...fragment, limit: Number.isFinite(limit) ? limit : null }, reader, {
    csv: { start, end: object.size, line },
  });
  addCounters(counters, r.counters);
  if (r.ipc) yield* tableFromIPC(r.ipc).batches;
}

const sourceKeys = new WeakMap<Blob, ObjectSource>();
let nextKey = 0;

/** A file path when the Blob has one; else the bytes, copied once into shared memory. */
async function sourceOf(object: Blob): Promise<ObjectSource> {
  const hit = sourceKeys.get(object);
  if (hit) return hit;
  const path = filePathOf(object);
  let source: ObjectSource;
  if (path) {
    const { stat } = await import('node:fs/promises');
    const st = await stat(path);
    source = { kind: 'file', path, key: `${path}\0${st.size}\0${st.mtimeMs}\0${st.ino}` };
  } else {
    const bytes = new SharedArrayBuffer(object.size);
    new Uint8Array(bytes).set(new Uint8Array(await object.arrayBuffer()));
    source = { kind: 'bytes', bytes, key: `bytes:${process.pid}:${nextKey++}` };
  }
  sourceKeys.set(object, source);
  return source;
}

function addCounters(into: ScanCounters, c: ScanCounters): void {
  into.rowsScanned += c.rowsScanned;
  into.bytesScanned += c.bytesScanned;
  into.bytesCopied += c.bytesCopied;
  into.decodeMs += c.decodeMs;
}

function addMetrics(into: OperatorMetrics, m: OperatorMetrics): void {
  into.rowsIn += m.rowsIn;
  into.rowsOut += m.rowsOut;
  into.bytesIn += m.bytesIn;
  into.bytesOut += m.bytesOut;
  into.bytesCopied += m.bytesCopied;
  into.computeMs += m.computeMs;
}
