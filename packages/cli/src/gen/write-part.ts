/**
 * One part of a table, in every asked format: batches of whole units are filled and handed to
 * each format's sink, so all formats hold the same rows and memory stays at one batch plus one
 * Parquet row group. The same function runs on the main thread (one thread) and in each
 * generator worker (gen-worker.ts), so a part's bytes cannot depend on where it was made.
 */
import { join } from 'node:path';
import { CancelledError } from '@pushdown/proto';
import type { BatchSink } from './batch-sink.js';
import { ColumnBatch } from './column-batch.js';
import { CsvSink } from './csv-sink.js';
import type { GenFormat, GenOptions } from './options.js';
import { ParquetSink } from './parquet-sink.js';
import { partFileName, type PartRange } from './part-plan.js';
import type { TableGenerator } from './table-generator.js';

export interface GeneratedFile {
  readonly path: string;
  readonly format: GenFormat;
  readonly part: number;
  readonly rows: number;
  readonly bytes: number;
}

export interface PartWriter {
  /**
   * Writes the part's files; `onRows` gets the rows of every batch as it is written. On any
   * failure or abort the part's temp files are removed and the error is rethrown.
   */
  write(range: PartRange, onRows: (rows: number) => void, signal?: AbortSignal): Promise<GeneratedFile[]>;
}

/** A writer that reuses one batch buffer and one filler for every part it writes. */
export function partWriter(table: TableGenerator, options: GenOptions): PartWriter {
  const batch = new ColumnBatch(
    table.schema,
    options.batchRows + table.maxRowsPerUnit,
    table.utf8BytesPerRow,
  );
  const filler = table.open(options.sf, options.seed);
  return {
    async write(range, onRows, signal) {
      const sinks = await openSinks(table, options, range.part);
      try {
        let rows = 0;
        for (let unit = range.from; unit < range.to; unit++) {
          filler.fill(batch, unit);
          if (batch.length >= options.batchRows || unit === range.to - 1) {
            if (signal?.aborted) throw new CancelledError(`generating ${table.name} was cancelled`);
            for (const sink of sinks) await sink.write(batch);
            rows += batch.length;
            onRows(batch.length);
            batch.reset();
          }
        }
        const files: GeneratedFile[] = [];
        for (const [k, sink] of sinks.entries()) {
          const bytes = await sink.close();
          files.push({ path: sink.path, format: options.formats[k]!, part: range.part, rows, bytes });
        }
        return files;
      } catch (err) {
        batch.reset();
        await Promise.all(sinks.map((s) => s.abort().catch(() => undefined)));
        throw err;
      }
    },
  };
}

async function openSinks(table: TableGenerator, options: GenOptions, part: number): Promise<BatchSink[]> {
  const sinks: BatchSink[] = [];
  try {
    for (const format of options.formats) {
      const path = join(options.outDir, partFileName(table.name, part, options.parts, format));
      sinks.push(
        format === 'csv'
          ? await CsvSink.create(path, table.schema)
          : await ParquetSink.create(path, table.schema, {
              compression: options.compression,
              rowGroupSize: options.rowGroupSize,
              metadata: provenance(options, part),
            }),
      );
    }
  } catch (err) {
    await Promise.all(sinks.map((s) => s.abort().catch(() => undefined)));
    throw err;
  }
  return sinks;
}

/** Footer metadata saying how the file was made (deterministic: no timestamps, no thread count). */
function provenance(options: GenOptions, part: number): Map<string, string> {
  return new Map([
    [
      'pushdown.gen',
      JSON.stringify({
        table: options.table,
        sf: options.sf,
        seed: options.seed,
        part,
        parts: options.parts,
      }),
    ],
  ]);
}
