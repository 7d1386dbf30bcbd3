/**
 * Makes one row group's bytes from nothing but its job: regenerates the units it covers, cuts
 * them to the group's rows, and encodes them as a standalone one-row-group Parquet file
 * (parquet-wasm `writeParquet`, the same writer properties as the streaming writer) and/or as
 * CSV rows. Runs in generator workers (gen-worker.ts) and, with one thread, on the main thread:
 * same code, so the same bytes. parquet-stitch.ts turns the small files into the part's file.
 *
 * Memory: one ColumnBatch of a row group (~16 MiB for 128Ki lineitem rows), its Arrow copy,
 * and the wasm writer's buffers for one group. The wasm memory grows to its high-water mark
 * and never shrinks, which is why the pool reports `wasmBytes` and recycles workers.
 */
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { arrowSchemaOf, toArrowBatch } from './arrow-batch.js';
import { ColumnBatch } from './column-batch.js';
import { CsvSink } from './csv-sink.js';
import type { GenOptions } from './options.js';
import { parquetWriterProperties } from './parquet-props.js';
import { groupRowsOf, type RowGroupJob } from './row-group-plan.js';
import type { TableGenerator, UnitFiller } from './table-generator.js';

export interface EncodedGroup {
  readonly seq: number;
  readonly rows: number;
  /** A complete Parquet file holding this one row group, when Parquet is asked. */
  readonly parquet: Uint8Array | undefined;
  /** The group's CSV records (no header), when CSV is asked. */
  readonly csv: Uint8Array | undefined;
  /** Size of parquet-wasm's memory after the job (it only grows). */
  readonly wasmBytes: number;
}

export class RowGroupEncoder {
  private readonly batch: ColumnBatch;
  private readonly filler: UnitFiller;
  private readonly arrowSchema: arrow.Schema;
  private readonly csv: Pick<CsvSink, 'encode'> | undefined;

  constructor(
    private readonly table: TableGenerator,
    private readonly options: GenOptions,
  ) {
    // Room for a group plus a unit split at either end.
    const capacity = groupRowsOf(options) + 2 * table.maxRowsPerUnit;
    this.batch = new ColumnBatch(table.schema, capacity, table.utf8BytesPerRow);
    this.filler = table.open(options.sf, options.seed);
    this.arrowSchema = arrowSchemaOf(table.schema);
    this.csv = options.formats.includes('csv') ? CsvSink.encoder(table.schema) : undefined;
  }

  encode(job: RowGroupJob): EncodedGroup {
    const { batch, filler } = this;
    batch.reset();
    for (let unit = job.fromUnit; batch.length < job.skip + job.rows; unit++) filler.fill(batch, unit);
    batch.keep(job.skip, job.rows);
    const parquet = this.options.formats.includes('parquet') ? this.parquet(job.part) : undefined;
    // slice: the encoder's buffer is reused by the next group.
    const csv = this.csv?.encode(batch).slice();
    batch.reset();
    return { seq: job.seq, rows: job.rows, parquet, csv, wasmBytes: wasmBytes() };
  }

  private parquet(part: number): Uint8Array {
    const ipc = arrow.tableToIPC(new arrow.Table([toArrowBatch(this.batch, this.arrowSchema)]), 'stream');
    const props = parquetWriterProperties(this.table.schema, {
      compression: this.options.compression,
      rowGroupSize: this.options.rowGroupSize,
      metadata: provenance(this.options, part),
    });
    // writeParquet frees the wasm table; the returned bytes are a JS copy.
    return pw.writeParquet(pw.Table.fromIPCStream(ipc), props);
  }
}

/** Bytes of parquet-wasm's linear memory in this thread. */
export function wasmBytes(): number {
  return pw.wasmMemory().buffer.byteLength;
}

/** Footer metadata saying how the file was made (deterministic: no timestamps, no thread count). */
export function provenance(options: GenOptions, part: number): Map<string, string> {
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
