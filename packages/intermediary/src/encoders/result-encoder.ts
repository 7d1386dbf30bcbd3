/**
 * A result encoder turns the upper stages' record batches into the bytes of one result format;
 * the service sends what `write` and `finish` return as `data` messages, in order.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import { InvalidArgumentError } from '@pushdown/proto';
import { ArrowIpcEncoder } from './arrow-ipc-encoder.js';
import { DEFAULT_CHUNK_BYTES } from './chunk-buffer.js';
import { CsvEncoder } from './csv-encoder.js';
import { JsonLinesEncoder } from './json-lines-encoder.js';

export type ResultFormatName = 'arrow' | 'csv' | 'json';

export interface ResultEncoder {
  readonly format: ResultFormatName;
  /** Encodes one batch; returns the chunks (each ≤ the chunk size) that are ready. */
  write(batch: RecordBatch): Uint8Array[];
  /** Ends the result (Arrow: schema if no batch came, then end-of-stream) and returns the rest. */
  finish(): Uint8Array[];
}

/**
 * @param schema used for the header or Arrow schema when no batch arrives.
 * @example
 * const enc = createResultEncoder('csv', arrowSchemaOf(plan.outputSchema));
 * for await (const b of batches) for (const c of enc.write(b)) send(c);
 * for (const c of enc.finish()) send(c);
 */
export function createResultEncoder(
  format: ResultFormatName,
  schema: Schema,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): ResultEncoder {
  switch (format) {
    case 'arrow':
      return new ArrowIpcEncoder(schema, chunkBytes);
    case 'csv':
      return new CsvEncoder(schema, chunkBytes);
    case 'json':
      return new JsonLinesEncoder(schema, chunkBytes);
    default:
      throw new InvalidArgumentError(`unknown result format "${String(format)}"`, {
        hint: 'use arrow, csv or json',
      });
  }
}

/** The proto enum (string or number form) as a format name. */
export function resultFormatOf(value: unknown): ResultFormatName {
  switch (value) {
    case undefined:
    case null:
    case 0:
    case 'RESULT_FORMAT_ARROW':
      return 'arrow';
    case 1:
    case 'RESULT_FORMAT_CSV':
      return 'csv';
    case 2:
    case 'RESULT_FORMAT_JSON':
      return 'json';
    default:
      throw new InvalidArgumentError(`unknown result format ${JSON.stringify(value)}`, {
        hint: 'use RESULT_FORMAT_ARROW, RESULT_FORMAT_CSV or RESULT_FORMAT_JSON',
      });
  }
}
