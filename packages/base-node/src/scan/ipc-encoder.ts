/**
 * Encodes record batches into ONE Arrow IPC stream, handing back the bytes each step produced
 * so the caller can send them as they are made (with backpressure) instead of buffering the
 * whole result.
 *
 * apache-arrow's writer pushes its output into an AsyncByteQueue; a subclass that keeps the
 * pieces in an array lets us take them synchronously after each write.
 */
import {
  AsyncByteQueue,
  DataType,
  RecordBatch,
  RecordBatchStreamWriter,
  type Schema as ArrowSchema,
} from 'apache-arrow';
import { ExecutionError } from '@pushdown/proto';

export const MAX_CHUNK_BYTES = 1024 * 1024;

class CollectingSink extends AsyncByteQueue {
  pieces: Uint8Array[] = [];
  override write(value: Uint8Array | ArrayBufferView | ArrayBuffer): void {
    const bytes =
      value instanceof Uint8Array
        ? value
        : ArrayBuffer.isView(value)
          ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
          : new Uint8Array(value);
    if (bytes.byteLength > 0) this.pieces.push(bytes);
  }
  take(): Uint8Array {
    const pieces = this.pieces;
    this.pieces = [];
    if (pieces.length === 1) return pieces[0] as Uint8Array;
    return Buffer.concat(pieces);
  }
}

export class IpcStreamEncoder {
  readonly #sink = new CollectingSink();
  readonly #writer = new RecordBatchStreamWriter();
  #started = false;
  #schema: ArrowSchema | null = null;

  constructor() {
    this.#writer.reset(this.#sink);
  }

  /** True once a schema message has been written. */
  get started(): boolean {
    return this.#started;
  }

  /** Writes one batch (the schema message first, on the first call); returns the new bytes. */
  write(batch: RecordBatch): Uint8Array {
    this.#schema ??= batch.schema;
    // The writer starts a NEW stream (EOS, schema) whenever a batch's schema object differs,
    // which a reader would silently stop at. Keep one schema for the whole stream.
    this.#writer.write(batch.schema === this.#schema ? batch : conform(batch, this.#schema));
    this.#started = true;
    return this.#sink.take();
  }

  /**
   * Ends the stream and returns the last bytes. With no batch written, `schema` is written first
   * so the stream is still valid and says what the columns would have been.
   */
  finish(schema: ArrowSchema | null): Uint8Array {
    if (!this.#started && schema) {
      this.#writer.reset(this.#sink, schema);
      this.#started = true;
    }
    this.#writer.close();
    return this.#sink.take();
  }
}

/** The batch under `schema` if only nullability or metadata differ; otherwise an ExecutionError. */
function conform(batch: RecordBatch, schema: ArrowSchema): RecordBatch {
  const got = batch.schema.fields;
  const want = schema.fields;
  const same =
    got.length === want.length &&
    got.every(
      (f, i) =>
        f.name === want[i]?.name &&
        String(f.type) === String(want[i]?.type) &&
        !DataType.isDictionary(f.type),
    );
  if (!same) {
    const show = (s: ArrowSchema) => s.fields.map((f) => `${f.name}: ${f.type}`).join(', ');
    throw new ExecutionError(
      `fragment output changed shape mid-stream: (${show(schema)}) then (${show(batch.schema)})`,
    );
  }
  return new RecordBatch(schema, batch.data);
}

/** Splits bytes into views of at most `max` bytes (no copies). */
export function* chunksOf(bytes: Uint8Array, max = MAX_CHUNK_BYTES): Generator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += max) {
    yield bytes.subarray(at, Math.min(at + max, bytes.byteLength));
  }
}
