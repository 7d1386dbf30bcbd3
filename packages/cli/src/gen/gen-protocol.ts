/**
 * Messages between generateTable and its generator workers (gen-worker.ts), in one place. A
 * worker is handed one part at a time; it reports rows as batches are written, then the part's
 * files, or its error flattened ({name, code, message}) to be rebuilt as the same class.
 */
import type { SerializedError } from '@pushdown/proto';
import type { GenOptions } from './options.js';
import type { PartRange } from './part-plan.js';
import type { GeneratedFile } from './write-part.js';

/** workerData of a generator worker. */
export interface GenWorkerInit {
  readonly options: GenOptions;
}

export type ToGenWorker =
  | { readonly type: 'part'; readonly range: PartRange }
  /** Stop the part in hand (its temp files are removed) and reply with a CancelledError. */
  | { readonly type: 'abort' };

export type FromGenWorker =
  | { readonly type: 'rows'; readonly rows: number }
  | { readonly type: 'done'; readonly files: GeneratedFile[] }
  | { readonly type: 'error'; readonly error: SerializedError };
