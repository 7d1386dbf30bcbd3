/**
 * Arrow: one IPC stream (schema, record batches, end-of-stream) across all `data` chunks.
 *
 * apache-arrow's RecordBatchStreamWriter writes into a byte queue; handing it our own queue whose
 * `write` collects the bytes lets us take each batch's bytes right after it is written, with no
 * async pump and no copy of the whole stream.
 */
import {
  AsyncByteQueue,
  RecordBatch,
  RecordBatchStreamWriter,
  Struct,
  makeData,
  type Schema,
} from 'apache-arrow';
import { ExecutionError } from '@pushdown/proto';
import { ChunkBuffer } from './chunk-buffer.js';
import type { ResultEncoder } from './result-encoder.js';

class CollectingSink extends AsyncByteQueue {
  readonly collected: Uint8Array[] = [];
  override write(value: Uint8Array | ArrayBufferView | ArrayBuffer): void {
    const bytes =
      value instanceof Uint8Array
        ? value
        : ArrayBuffer.isView(value)
          ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
          : new Uint8Array(value);
    // The writer reuses no buffers after write, but small prefix arrays are fresh each time.
    if (bytes.byteLength > 0) this.collected.push(bytes);
  }
  drain(): Uint8Array[] {
    return this.collected.splice(0, this.collected.length);
  }
}

export class ArrowIpcEncoder implements ResultEncoder {
  readonly format = 'arrow' as const;
  readonly #fallbackSchema: Schema;
  readonly #out: ChunkBuffer;
  readonly #sink = new CollectingSink();
  #writer: RecordBatchStreamWriter | null = null;
  #schema: Schema | null = null;

  constructor(schema: Schema, chunkBytes?: number) {
    this.#fallbackSchema = schema;
    this.#out = new ChunkBuffer(chunkBytes);
  }

  write(batch: RecordBatch): Uint8Array[] {
    const writer = this.#start(batch.schema);
    writer.write(this.#conform(batch));
    this.#move();
    return this.#out.take();
  }

  finish(): Uint8Array[] {
    const writer = this.#start(this.#fallbackSchema);
    writer.close();
    this.#move();
    return this.#out.takeAll();
  }

  #start(schema: Schema): RecordBatchStreamWriter {
    if (!this.#writer) {
      // The first batch's schema wins: it is what the batches really carry.
      this.#schema = schema;
      this.#writer = new RecordBatchStreamWriter({ autoDestroy: false });
      this.#writer.reset(this.#sink, schema);
    }
    return this.#writer;
  }

  /** Batches must carry the stream's schema object, or the writer would start a new stream. */
  #conform(batch: RecordBatch): RecordBatch {
    const schema = this.#schema!;
    if (batch.schema === schema) return batch;
    const fields = schema.fields;
    const theirs = batch.schema.fields;
    if (
      theirs.length !== fields.length ||
      theirs.some((f, i) => f.name !== fields[i]!.name || f.type.typeId !== fields[i]!.type.typeId)
    ) {
      throw new ExecutionError(
        `result batch schema [${theirs.map((f) => `${f.name}: ${String(f.type)}`).join(', ')}] does not match ` +
          `the result schema [${fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ')}]`,
      );
    }
    const data = makeData({
      type: new Struct(fields),
      length: batch.numRows,
      nullCount: 0,
      children: batch.data.children,
    });
    return new RecordBatch(schema, data);
  }

  #move(): void {
    for (const b of this.#sink.drain()) this.#out.pushBytes(b);
  }
}
