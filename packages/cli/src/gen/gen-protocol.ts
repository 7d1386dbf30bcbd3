/**
 * Messages between the row-group pool (row-group-pool.ts) and its generator workers
 * (gen-worker.ts), in one place. A worker is handed one row group at a time and answers with
 * its encoded bytes (transferred, not copied) or its error flattened ({name, code, message})
 * to be rebuilt as the same class.
 */
import type { SerializedError } from '@pushdown/proto';
import type { GenOptions } from './options.js';
import type { EncodedGroup } from './row-group-encoder.js';
import type { RowGroupJob } from './row-group-plan.js';

/** workerData of a generator worker. */
export interface GenWorkerInit {
  readonly options: GenOptions;
}

export type ToGenWorker = { readonly type: 'group'; readonly job: RowGroupJob };

export type FromGenWorker =
  | { readonly type: 'group'; readonly group: EncodedGroup }
  | { readonly type: 'error'; readonly seq: number; readonly error: SerializedError };
