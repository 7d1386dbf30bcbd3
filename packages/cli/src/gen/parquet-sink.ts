/**
 * The serial reference writer: `pushdown gen` now encodes row groups apart and stitches them
 * (parquet-stitch.ts), and tests pin that its files equal this writer's byte for byte.
 *
 * Streaming Parquet output through parquet-wasm 0.8: each batch goes Arrow → IPC → a wasm
 * RecordBatch into `transformParquetStream`, whose byte stream is written to the file as it
 * comes. The wasm writer (arrow-rs ArrowWriter) re-chunks input batches into row groups of
 * exactly `rowGroupSize` rows and flushes each as soon as it is full, so memory stays at about
 * one row group however large the file. (`writeParquet` would need the whole table in wasm
 * memory, which never shrinks.)
 *
 * Backpressure: batches pass through an identity TransformStream whose writable side holds one
 * batch; `write` waits on `writer.ready`, so the generator runs at most one batch ahead.
 */
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { ExecutionError } from '@pushdown/proto';
import { AtomicFile } from './atomic-file.js';
import { arrowSchemaOf, toArrowBatch } from './arrow-batch.js';
import type { BatchSink } from './batch-sink.js';
import type { ColumnBatch, GenSchema } from './column-batch.js';
import { parquetWriterProperties, type ParquetSinkOptions } from './parquet-props.js';

export type { ParquetSinkOptions } from './parquet-props.js';

export class ParquetSink implements BatchSink {
  private readonly writer: WritableStreamDefaultWriter<pw.RecordBatch>;
  private readonly pump: Promise<void>;
  private failure: unknown;
  private failed = false;

  private constructor(
    private readonly file: AtomicFile,
    private readonly schema: arrow.Schema,
    fields: GenSchema,
    options: ParquetSinkOptions,
  ) {
    const props = parquetWriterProperties(fields, options);
    const passthrough = new TransformStream<pw.RecordBatch, pw.RecordBatch>(
      {},
      { highWaterMark: 1 },
      { highWaterMark: 0 },
    );
    this.writer = passthrough.writable.getWriter();
    this.pump = (async () => {
      const out = await pw.transformParquetStream(passthrough.readable, props);
      for await (const chunk of out as ReadableStream<Uint8Array>) await file.write(chunk);
    })().catch((err: unknown) => {
      this.failed = true;
      this.failure = err;
      // Unblock a writer waiting on backpressure: the reader side is gone.
      this.writer.abort(err).catch(() => undefined);
    });
  }

  get path(): string {
    return this.file.path;
  }

  static async create(path: string, schema: GenSchema, options: ParquetSinkOptions): Promise<ParquetSink> {
    return new ParquetSink(await AtomicFile.create(path), arrowSchemaOf(schema), schema, options);
  }

  async write(batch: ColumnBatch): Promise<void> {
    if (batch.length === 0) return;
    this.check();
    const ipc = arrow.tableToIPC(new arrow.Table([toArrowBatch(batch, this.schema)]), 'stream');
    const table = pw.Table.fromIPCStream(ipc);
    const batches = table.recordBatches();
    table.free();
    for (const b of batches) {
      await this.writer.ready.catch(() => undefined);
      this.check();
      await this.writer.write(b).catch(() => this.check());
    }
  }

  async close(): Promise<number> {
    this.check();
    await this.writer.close().catch(() => undefined);
    await this.pump;
    this.check();
    await this.file.commit();
    return this.file.bytesWritten;
  }

  async abort(): Promise<void> {
    await this.writer.abort(new Error('aborted')).catch(() => undefined);
    await this.pump.catch(() => undefined);
    await this.file.abort();
  }

  private check(): void {
    if (this.failed) {
      // parquet-wasm rejects with strings as often as with Errors; give it a code and the path.
      const reason = this.failure instanceof Error ? this.failure.message : String(this.failure);
      throw new ExecutionError(`writing Parquet file ${this.file.path} failed: ${reason}`, {
        cause: this.failure,
      });
    }
  }
}
