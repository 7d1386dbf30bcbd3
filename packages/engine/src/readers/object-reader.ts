/**
 * The reader contract: one object (a Blob: `fs.openAsBlob` on a base node, pulled bytes on the
 * intermediary) in, Arrow record batches of exactly the asked columns out.
 *
 * Readers never filter rows; `filter` is only for pruning (Parquet row groups whose min/max
 * statistics prove no row can match). Column Arrow types follow `DataType` (see plan/types.ts).
 */
import type { RecordBatch } from 'apache-arrow';
import type { Expr } from '../plan/expr.js';
import type { ObjectFormat } from '../plan/fragment.js';
import type { Schema } from '../plan/types.js';

export interface ScanOptions {
  /** Columns to read; output batches have exactly these, in this order. */
  readonly columns: readonly string[];
  /** For pruning only. */
  readonly filter: Expr | null;
  /** Parquet: only these row groups (null = all that survive pruning). */
  readonly rowGroups: readonly number[] | null;
  /** Rows per output batch, at most (default 65 536). */
  readonly batchRows?: number;
  readonly signal?: AbortSignal;
  /**
   * CSV: scan only this unit range (a parallel scan's task; see csv-units.ts). `endState.aligned`
   * tells whether `end` was a record end. With `grid`, the range ends instead at the first
   * record end at or past that grid point, found while parsing; `endState.end` then says where,
   * and `endState.gridParity` the quote parity of [start, grid).
   */
  readonly csvUnit?: {
    readonly start: number;
    readonly end: number;
    readonly line: number;
    readonly grid?: number;
    readonly endState?: CsvUnitEndState;
  };
}

/** What a CSV unit scan found at its end (see ScanOptions.csvUnit). */
export interface CsvUnitEndState {
  aligned: boolean;
  end?: number;
  gridParity?: number;
}

/** Mutable counters a reader adds to while it scans. */
export interface ScanCounters {
  rowsScanned: number;
  bytesScanned: number;
  rowGroupsTotal: number;
  rowGroupsScanned: number;
  bytesCopied: number;
  decodeMs: number;
}

export function newScanCounters(): ScanCounters {
  return {
    rowsScanned: 0,
    bytesScanned: 0,
    rowGroupsTotal: 0,
    rowGroupsScanned: 0,
    bytesCopied: 0,
    decodeMs: 0,
  };
}

export interface ObjectReader {
  readonly format: ObjectFormat;
  /** The object's schema (Parquet footer; CSV declared or inferred from a sample). */
  schema(): Promise<Schema>;
  /** Row count when cheaply known (Parquet footer), else null. */
  numRows(): Promise<number | null>;
  scan(options: ScanOptions, counters: ScanCounters): AsyncGenerator<RecordBatch>;
}
