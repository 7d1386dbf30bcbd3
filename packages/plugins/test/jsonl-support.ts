/**
 * Helpers of the jsonl plugin tests: run the built plugin over a string and read its batches
 * back as plain rows (int64 as bigint, date32 as day numbers, utf8 decoded), so tests compare
 * values, not buffers.
 */
import { findLibraryPlugin } from '../src/plugin-library.js';
import {
  readFormatSchema,
  runFormatReader,
  type FormatBatch,
  type FormatField,
  type FormatReaderOptions,
} from '../src/format-reader/run-format-reader.js';
import type { UdfColumn } from '../src/udf-host.js';
import type { LibraryPlugin } from '../src/plugin-library.js';

export type Value = bigint | number | boolean | string | null;

export function jsonlPlugin(): LibraryPlugin {
  const plugin = findLibraryPlugin('jsonl');
  if (!plugin) throw new Error('the jsonl plugin is not built: run npm run build:wasm');
  return plugin;
}

const bytesOf = (text: string | Uint8Array): Uint8Array =>
  typeof text === 'string' ? new TextEncoder().encode(text) : text;

export function schemaOf(
  text: string | Uint8Array,
  options: Partial<FormatReaderOptions> = {},
): FormatField[] {
  return readFormatSchema(jsonlPlugin(), bytesOf(text), { objectName: 't.jsonl', ...options });
}

export function batchesOf(
  text: string | Uint8Array,
  options: Partial<FormatReaderOptions> = {},
): FormatBatch[] {
  return [...runFormatReader(jsonlPlugin(), bytesOf(text), { objectName: 't.jsonl', ...options })];
}

/** Every row of the object, as objects keyed by column name. */
export function rowsOf(
  text: string | Uint8Array,
  options: Partial<FormatReaderOptions> = {},
): Record<string, Value>[] {
  const rows: Record<string, Value>[] = [];
  for (const batch of batchesOf(text, options)) {
    for (let r = 0; r < batch.rows; r++) {
      const row: Record<string, Value> = {};
      batch.schema.forEach((f, c) => (row[f.name] = valueAt(batch.columns[c]!, r)));
      rows.push(row);
    }
  }
  return rows;
}

function bit(bitmap: Uint8Array, i: number): boolean {
  return ((bitmap[i >> 3]! >> (i & 7)) & 1) === 1;
}

export function valueAt(col: UdfColumn, i: number): Value {
  if (col.validity && !bit(col.validity, i)) return null;
  if (col.type === 'utf8')
    return new TextDecoder().decode(col.data.subarray(col.offsets[i], col.offsets[i + 1]));
  if (col.type === 'bool') return bit(col.values as Uint8Array, i);
  const v = (col.values as BigInt64Array | Float64Array | Int32Array)[i]!;
  return v;
}
