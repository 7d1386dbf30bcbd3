/**
 * ObjectReader for CSV objects (RFC 4180, header line required). The schema is the declared one
 * (checked against the header) or inferred from a sample; scans run the WASM parser over the
 * object read by ranges. CSV has no statistics, so `filter` never prunes and numRows() is null.
 */
import type { RecordBatch } from 'apache-arrow';
import { InvalidArgumentError } from '@pushdown/proto';
import type { Schema } from '../plan/types.js';
import type { ObjectReader, ScanCounters, ScanOptions } from './object-reader.js';
import { arrowSchemaOf } from './arrow-schema.js';
import { describeCsv, type CsvLayoutInfo } from './csv-infer.js';
import { resolveCsvOptions, type CsvReaderOptions, type ResolvedCsvOptions } from './csv-options.js';
import { scanCsv } from './csv-scan.js';
import { resolveBatchRows, resolveColumns } from './scan-options.js';

export class CsvObjectReader implements ObjectReader {
  readonly format = 'csv' as const;
  private readonly opts: ResolvedCsvOptions;
  private info: Promise<CsvLayoutInfo> | null = null;

  constructor(
    private readonly blob: Blob,
    private readonly declared: Schema | null = null,
    options: CsvReaderOptions = {},
  ) {
    this.opts = resolveCsvOptions(options);
  }

  /** Where the data starts, its first line and the unit grid (for a parallel scan's split). */
  async layout(): Promise<{ dataOffset: number; firstLine: number; unitBytes: number; size: number }> {
    const info = await this.describe();
    return {
      dataOffset: info.header.dataOffset,
      firstLine: info.firstLine,
      unitBytes: this.opts.unitBytes,
      size: this.blob.size,
    };
  }

  private describe(): Promise<CsvLayoutInfo> {
    this.info ??= describeCsv(this.blob, this.declared, this.opts);
    return this.info;
  }

  async schema(): Promise<Schema> {
    return (await this.describe()).fields;
  }

  async numRows(): Promise<number | null> {
    return null;
  }

  async *scan(options: ScanOptions, counters: ScanCounters): AsyncGenerator<RecordBatch> {
    const info = await this.describe();
    const outputs = resolveColumns(info.fields, options.columns, 'CSV object');
    const batchRows = resolveBatchRows(options.batchRows);
    if (batchRows > 1 << 22)
      throw new InvalidArgumentError('batchRows must be at most 4194304 for CSV objects');
    yield* scanCsv(
      {
        blob: this.blob,
        fileFields: info.fields,
        inferred: info.inferred,
        delimiter: this.opts.delimiter,
        dataOffset: options.csvUnit?.start ?? info.header.dataOffset,
        firstLine: options.csvUnit?.line ?? info.firstLine,
        unitBytes: this.opts.unitBytes,
        ...(options.csvUnit
          ? {
              endOffset: options.csvUnit.end,
              ...(options.csvUnit.grid !== undefined ? { grid: options.csvUnit.grid } : {}),
              ...(options.csvUnit.endState ? { endState: options.csvUnit.endState } : {}),
            }
          : {}),
        outputs,
        arrowSchema: arrowSchemaOf(outputs.map((i) => info.fields[i]!)),
        batchRows,
        chunkBytes: this.opts.chunkBytes,
        signal: options.signal,
      },
      counters,
    );
  }
}
