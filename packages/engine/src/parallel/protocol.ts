/**
 * The typed message protocol between a ScanPool and its workers, in one place. Only plain data,
 * Arrow IPC bytes and shared memory cross the boundary; errors cross flattened
 * ({name, code, message}) and are rebuilt as the same PushdownError class on the other side.
 */
import type { SerializedError } from '@pushdown/proto';
import type { AggUnitLog } from '../exec/agg-log.js';
import type { Fragment, OperatorMetrics } from '../plan/fragment.js';
import type { ScanCounters } from '../readers/object-reader.js';
import type { CsvUnit, IntervalSplit } from '../readers/csv-units.js';
import type { OpenObjectOptions } from '../readers/open-object.js';

/**
 * Where a worker finds the object: a file it opens itself (base nodes), or bytes in a
 * SharedArrayBuffer every worker reads in place (pulled objects on the intermediary). `key`
 * names the content, so a worker can keep one open reader per object across tasks.
 */
export type ObjectSource =
  | { readonly kind: 'file'; readonly key: string; readonly path: string }
  | { readonly kind: 'bytes'; readonly key: string; readonly bytes: SharedArrayBuffer };

/** One unit of a fragment: Parquet row groups or one CSV unit (csv-units.ts). */
export type ScanUnit = { readonly rowGroups: number[] } | { readonly csv: CsvUnit };

export interface ScanUnitTask {
  readonly kind: 'scan-unit';
  readonly fragment: Fragment;
  readonly source: ObjectSource;
  readonly unit: ScanUnit;
  readonly batchRows?: number;
  readonly reader?: OpenObjectOptions;
  /** Tests only: the worker exits mid-task, as a crash would. */
  readonly crashForTest?: boolean;
}

/** Quote and LF census of one CSV grid interval [start, end). */
export interface CsvSplitTask {
  readonly kind: 'csv-split';
  readonly source: ObjectSource;
  readonly start: number;
  readonly end: number;
}

export type WorkerTask = ScanUnitTask | CsvSplitTask;

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
  /** Which worker thread ran it, for the stats and the tests. */
  readonly threadId: number;
}

export type WorkerReply<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SerializedError };

export type UnitReply = WorkerReply<UnitOutcome>;
export type SplitReply = WorkerReply<IntervalSplit>;

/** What every worker gets at start: the operator modules, compiled once by the pool's owner. */
export interface WorkerInit {
  readonly operatorModules: Readonly<Record<string, WebAssembly.Module>>;
  readonly csvModule: WebAssembly.Module | null;
}
