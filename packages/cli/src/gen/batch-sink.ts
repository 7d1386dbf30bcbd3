/**
 * One output file of one format, fed batch by batch. Sinks own an AtomicFile: `close` publishes
 * the file, `abort` removes every trace of it.
 */
import type { ColumnBatch } from './column-batch.js';

export interface BatchSink {
  readonly path: string;
  write(batch: ColumnBatch): Promise<void>;
  /** Finishes the file and renames it into place; returns its size in bytes. */
  close(): Promise<number>;
  abort(): Promise<void>;
}
