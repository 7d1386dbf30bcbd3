/**
 * The format-reader calling convention (ABI version 1), shared by plugin authors and hosts.
 *
 * A format reader turns one object (a file in some format) into Arrow column batches. It reads
 * the object itself, through the WASI preview-1 calls it imports (declared in its manifest):
 * the host mounts the object read-only at a path under `/data` and tells the module where.
 * The module imports `env.memory` (created by the host, capped at `manifest.limits.memoryPages`)
 * and exports the global `ABI_VERSION` (= 1) and these functions, all `i32` unless noted:
 *
 *   open() → status                 read the environment and the schema, open the object
 *   schema() → ptr                  [u32 length][UTF-8 JSON `[{"name","type","nullable"}, ...]`]
 *   next_batch(max_rows) → rows     fill the next batch (≤ max_rows rows); 0 at the end, <0 a status
 *   batch_column(i) → ptr           descriptor of column i of the last batch (below), 0 if no such column
 *   error_message() → ptr           [u32 length][UTF-8] reason of the last failure
 *   error_line() → i64              1-based line (or record) of the object the failure is about, 0 if none
 *   close() → status
 *
 * Environment the host sets (WASI `environ_get`):
 *   PUSHDOWN_OBJECT      guest path of the object, e.g. `/data/part-0.jsonl` (always)
 *   PUSHDOWN_SCHEMA      the declared schema, same JSON as schema() returns (when the user gave one;
 *                        otherwise the module infers it from the start of the object)
 *   PUSHDOWN_CHUNK_BYTES bytes per fd_read (optional; tests make it tiny)
 *   PUSHDOWN_SAMPLE_ROWS rows inference looks at (optional)
 *
 * Statuses: 0 ok, -1 the data is malformed (error_line says where: the host raises
 * CorruptDataError naming the object and line), -2 the host's arguments are wrong
 * (InvalidArgumentError), -3 a WASI call failed, -4 calls out of order (PluginError).
 *
 * Column descriptor: 8 little-endian i32 at the returned pointer:
 *   type (index into FORMAT_READER_TYPES), rows, null count, values, validity, offsets, data, data bytes.
 * Buffers follow the scalar-UDF ABI's layout rules (udf-abi.ts): int32/date32 4 bytes per row,
 * int64/float64 8, bool and validity bit-packed LSB first; utf8 has int32 offsets (rows + 1) and
 * data, and values 0. Validity is always given. The buffers stay valid until the next call of
 * next_batch or close: the host copies them out.
 */
import type { PluginDataType } from '../manifest-types.js';

/** The format-reader ABI version hosts in this package speak. */
export const FORMAT_READER_ABI_VERSION = 1;

/** Functions a format reader must export (besides the ABI_VERSION global). */
export const FORMAT_READER_EXPORTS = [
  'open',
  'schema',
  'next_batch',
  'batch_column',
  'error_message',
  'error_line',
  'close',
] as const;

/** Type codes of column descriptors, in this order. */
export const FORMAT_READER_TYPES: readonly PluginDataType[] = [
  'bool',
  'int32',
  'int64',
  'float64',
  'date32',
  'utf8',
];

export const FORMAT_READER_STATUS = { ok: 0, data: -1, argument: -2, io: -3, state: -4 } as const;

/** Environment variable names of the ABI. */
export const FORMAT_READER_ENV = {
  object: 'PUSHDOWN_OBJECT',
  schema: 'PUSHDOWN_SCHEMA',
  chunkBytes: 'PUSHDOWN_CHUNK_BYTES',
  sampleRows: 'PUSHDOWN_SAMPLE_ROWS',
} as const;

/** A column descriptor as batch_column returns it. */
export interface ColumnDescriptor {
  type: PluginDataType;
  rows: number;
  nullCount: number;
  values: number;
  validity: number;
  offsets: number;
  data: number;
  dataBytes: number;
}

/** Reads a descriptor at `ptr`; throws when its type code is unknown. */
export function readDescriptor(memory: WebAssembly.Memory, ptr: number): ColumnDescriptor {
  const v = new DataView(memory.buffer, ptr, 32);
  const i = (k: number): number => v.getInt32(k * 4, true);
  const type = FORMAT_READER_TYPES[i(0)];
  if (!type) throw new RangeError(`column descriptor has unknown type code ${i(0)}`);
  return {
    type,
    rows: i(1),
    nullCount: i(2),
    values: i(3),
    validity: i(4),
    offsets: i(5),
    data: i(6),
    dataBytes: i(7),
  };
}

/** The UTF-8 text of a [u32 length][bytes] block at `ptr` ('' for a null pointer). */
export function readLengthPrefixed(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return '';
  const len = new DataView(memory.buffer).getUint32(ptr, true);
  return new TextDecoder().decode(new Uint8Array(memory.buffer, ptr + 4, len));
}
