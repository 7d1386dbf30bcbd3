/**
 * The typed message protocol between a ScanPool and its workers, in one place. Only plain data,
 * Arrow IPC bytes and shared memory cross the boundary; errors cross flattened
 * ({name, code, message}) and are rebuilt as the same PushdownError class on the other side.
 */
import type { SerializedError } from '@pushdown/proto';
import type { AggUnitLog } from '../exec/agg-log.js';
import type { Fragment, OperatorMetrics } from '../plan/fragment.js';
import type { ScanCounters } from '../readers/object-reader.js';
import type { OpenObjectOptions } from '../readers/open-object.js';
import type { WatchdogInit } from './watchdog-guard.js';
import type { WorkerPlugins } from './worker-plugins.js';

/**
 * Where a worker finds the object: a file it opens itself (base nodes), or bytes in a
 * SharedArrayBuffer every worker reads in place (pulled objects on the intermediary). `key`
 * names the content, so a worker can keep one open reader per object across tasks.
 */
export type ObjectSource =
  | { readonly kind: 'file'; readonly key: string; readonly path: string }
  | { readonly kind: 'bytes'; readonly key: string; readonly bytes: SharedArrayBuffer };

/**
 * One CSV task: the grid interval [grid, nextGrid). Its unit is [E(grid), E(nextGrid))
 * (csv-units.ts), found by the worker in the same pass that parses it.
 */
export interface CsvGridUnit {
  readonly grid: number;
  readonly nextGrid: number;
  /** Quote parity assumed at `grid`: 0 first; the coordinator reruns with 1 if the chain says so. */
  readonly parity: number;
  /** The first task: its unit starts at `grid` (the first data byte), on line `line`. */
  readonly first: boolean;
  readonly line: number;
}

/**
 * One unit of a fragment: Parquet row groups, one CSV grid interval, or a whole object (formats
 * read by a plugin, which has no boundaries to split at).
 */
export type ScanUnit =
  { readonly rowGroups: number[] } | { readonly csv: CsvGridUnit } | { readonly whole: true };

export interface ScanUnitTask {
  readonly kind: 'scan-unit';
  readonly fragment: Fragment;
  readonly source: ObjectSource;
  readonly unit: ScanUnit;
  readonly batchRows?: number;
  readonly reader?: OpenObjectOptions;
  /** Tests only: the worker exits mid-task, as a crash would. */
  readonly crashForTest?: boolean;
  /** Set by the pool: the watchdog's id of this task (watchdog.ts). */
  readonly watchId?: number;
  /** Set by the pool: where the owner finds the plugins the fragment calls (worker-plugins.ts). */
  readonly plugins?: WorkerPlugins;
}

export type WorkerTask = ScanUnitTask;

export interface UnitOutcome {
  /** Aggregating fragments: the merges to replay; else the output batches as one IPC stream. */
  readonly agg: AggUnitLog | null;
  readonly ipc: Uint8Array | null;
  readonly rowsOut: number;
  readonly counters: ScanCounters;
  readonly filter: OperatorMetrics | null;
  readonly project: OperatorMetrics | null;
  /** CSV: the unit ended on a record end (false: the quote parity was fooled; rerun serially). */
  readonly aligned: boolean;
  /**
   * CSV: the unit found ([start, end), both -1 when a record spans the whole interval) and the
   * quote parity of the interval's bytes, which the coordinator chains to check the guess.
   */
  readonly csv?: { readonly start: number; readonly end: number; readonly quoteParity: number };
  /** Which worker thread ran it, for the stats and the tests. */
  readonly threadId: number;
}

export type WorkerReply<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SerializedError };

export type UnitReply = WorkerReply<UnitOutcome>;

/** What every worker gets at start: the operator modules, compiled once by the pool's owner. */
export interface WorkerInit {
  readonly operatorModules: Readonly<Record<string, WebAssembly.Module>>;
  readonly csvModule: WebAssembly.Module | null;
  /** The slot table of the pool's watchdog (watchdog-guard.ts). */
  readonly watchdog?: WatchdogInit;
}
