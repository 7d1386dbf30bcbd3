/**
 * `generateTable`: makes one TPC-H table as part files in the asked formats.
 *
 * Per part: one batch at a time is filled with whole units (orders), then handed to every
 * format's sink, so both formats hold the same rows and memory is bounded by one batch plus
 * one Parquet row group, whatever the scale factor. Every file is written to a temp name and
 * renamed when complete; on any failure or abort all open temp files are removed and the error
 * is rethrown (files of parts already finished stay: each is complete on its own).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError } from '@pushdown/proto';
import type { BatchSink } from './batch-sink.js';
import { ColumnBatch } from './column-batch.js';
import { CsvSink } from './csv-sink.js';
import {
  resolveGenOptions,
  type GenFormat,
  type GenOptions,
  type GenOptionsInput,
  type GenProgress,
} from './options.js';
import { ParquetSink } from './parquet-sink.js';
import { partFileName, partRange } from './part-plan.js';
import { getTable } from './table-registry.js';
import type { TableGenerator } from './table-generator.js';

export interface GenHooks {
  /** Called after every batch and after each part's files are in place. Keep it cheap. */
  onProgress?: (progress: GenProgress) => void;
  /** Aborting stops at the next batch, removes unfinished files, and rejects with CancelledError. */
  signal?: AbortSignal;
}

export interface GeneratedFile {
  readonly path: string;
  readonly format: GenFormat;
  readonly part: number;
  readonly rows: number;
  readonly bytes: number;
}

export interface GenResult {
  readonly options: GenOptions;
  readonly files: readonly GeneratedFile[];
  /** Rows per format (each format holds the same rows). */
  readonly rows: number;
  readonly elapsedMs: number;
}

/**
 * Generates a table. Options are validated first (InvalidArgumentError on bad input).
 *
 * @example
 * const result = await generateTable({ table: 'lineitem', sf: 0.1, formats: 'parquet,csv', parts: 2,
 *   outDir: 'data/sf0.1' }, { onProgress: (p) => console.log(p.rowsDone, '/', p.rowsTotal) });
 */
export async function generateTable(
  input: GenOptionsInput | GenOptions,
  hooks: GenHooks = {},
): Promise<GenResult> {
  const options = resolveGenOptions(input as GenOptionsInput);
  const started = performance.now();
  const table = getTable(options.table);
  const units = table.unitCount(options.sf);
  const selected = options.onlyParts ?? Array.from({ length: options.parts }, (_, p) => p);
  const ranges = selected.map((p) => partRange(units, options.parts, p));
  const partRows = ranges.map((r) => table.rowCount(options.sf, options.seed, r.from, r.to));
  const rowsTotal = partRows.reduce((a, b) => a + b, 0);

  await mkdir(options.outDir, { recursive: true });
  const files: GeneratedFile[] = [];
  const batch = new ColumnBatch(
    table.schema,
    options.batchRows + table.maxRowsPerUnit,
    table.utf8BytesPerRow,
  );
  const filler = table.open(options.sf, options.seed);
  let rowsDone = 0;
  const report = (partsDone: number): void =>
    hooks.onProgress?.({
      table: table.name,
      rowsDone,
      rowsTotal,
      partsDone,
      partsTotal: ranges.length,
      elapsedMs: performance.now() - started,
    });

  for (const [i, range] of ranges.entries()) {
    const sinks = await openSinks(table, options, range.part);
    try {
      let rows = 0;
      for (let unit = range.from; unit < range.to; unit++) {
        filler.fill(batch, unit);
        if (batch.length >= options.batchRows || unit === range.to - 1) {
          if (hooks.signal?.aborted) throw new CancelledError(`generating ${table.name} was cancelled`);
          for (const sink of sinks) await sink.write(batch);
          rows += batch.length;
          rowsDone += batch.length;
          batch.reset();
          report(i);
        }
      }
      for (const [k, sink] of sinks.entries()) {
        const bytes = await sink.close();
        files.push({ path: sink.path, format: options.formats[k]!, part: range.part, rows, bytes });
      }
    } catch (err) {
      batch.reset();
      await Promise.all(sinks.map((s) => s.abort().catch(() => undefined)));
      throw err;
    }
    report(i + 1);
  }
  return { options, files, rows: rowsDone, elapsedMs: performance.now() - started };
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

/** Footer metadata saying how the file was made (deterministic: no timestamps). */
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
