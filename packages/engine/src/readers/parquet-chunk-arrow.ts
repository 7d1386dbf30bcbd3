/**
 * A decoded column chunk (physical Parquet layout, see parquet-values.ts) as Arrow `Data` of its
 * logical type. The common cases (INT32 → Int32/DateDay, INT64 → Int64, DOUBLE → Float64, strings)
 * hand over the decode buffers as they are; conversions match parquet-normalize.ts value for
 * value, so both decode paths give identical results.
 */
import { makeData, type Data } from 'apache-arrow';
import { isUtf8 } from 'node:buffer';
import type { DataType } from '../plan/types.js';
import { arrowTypeOf } from './arrow-schema.js';
import { PageFormatError } from './parquet-page-header.js';
import type { ByteColumn, Fixed } from './parquet-values.js';

export interface ChunkTarget {
  readonly target: DataType;
  /** DECIMAL columns: unscaled / 10^scale as float64. */
  readonly decimalScale: number | null;
  /** INT32 annotated UINT_32: read as unsigned into int64. */
  readonly unsigned32: boolean;
}

export function toArrowData(
  spec: ChunkTarget,
  rows: number,
  fixed: Fixed | Uint8Array | null,
  strings: ByteColumn | null,
  levels: Uint8Array | null,
  nulls: number,
): { data: Data; bytes: number } {
  const type = arrowTypeOf(spec.target) as never;
  const validity = nulls > 0 && levels ? bitmapOf(levels, rows) : undefined;
  const base = validity
    ? { length: rows, nullCount: nulls, nullBitmap: validity }
    : { length: rows, nullCount: 0 };
  const extra = validity?.byteLength ?? 0;
  if (strings) {
    const bytes = strings.bytes.subarray(0, strings.used);
    checkUtf8(bytes, strings.offsets, rows);
    return {
      data: makeData({ type, ...base, valueOffsets: strings.offsets, data: bytes } as never),
      bytes: bytes.byteLength + strings.offsets.byteLength + extra,
    };
  }
  const values = converted(spec, fixed!, rows);
  return {
    data: makeData({ type, ...base, data: values } as never),
    bytes: values.byteLength + extra,
  };
}

function converted(spec: ChunkTarget, v: Fixed | Uint8Array, rows: number): Fixed | Uint8Array {
  if (spec.target === 'bool') return bitmapOf(v as Uint8Array, rows);
  if (spec.decimalScale !== null) {
    const p = 10 ** spec.decimalScale;
    const out = new Float64Array(rows);
    if (v instanceof Int32Array) for (let i = 0; i < rows; i++) out[i] = v[i]! / p;
    else {
      // Like parquet-normalize's Decimal128 path: exact below 2^53, else the rounded BigInt.
      const w = new Int32Array(v.buffer, v.byteOffset, rows * 2);
      const big = v as BigInt64Array;
      for (let i = 0; i < rows; i++) {
        const hi = w[2 * i + 1]!;
        const x = Math.abs(hi) < 0x200000 ? hi * 4294967296 + (w[2 * i]! >>> 0) : Number(big[i]!);
        out[i] = x / p;
      }
    }
    return out;
  }
  if (v instanceof Float32Array) return Float64Array.from(v);
  if (spec.unsigned32 && v instanceof Int32Array) {
    const out = new BigInt64Array(rows);
    for (let i = 0; i < rows; i++) out[i] = BigInt(v[i]! >>> 0);
    return out;
  }
  return v;
}

function bitmapOf(bits: Uint8Array, rows: number): Uint8Array {
  const out = new Uint8Array((rows + 7) >> 3);
  for (let i = 0; i < rows; i++) out[i >> 3]! |= (bits[i]! & 1) << (i & 7);
  return out;
}

/** Arrow (and parquet-wasm) refuse strings that are not UTF-8; so do we. */
function checkUtf8(bytes: Uint8Array, offsets: Int32Array, rows: number): void {
  if (!isUtf8(bytes)) throw new PageFormatError('a string column holds invalid UTF-8');
  // Valid as a whole: each string is valid unless one starts inside a character.
  for (let i = 1; i < rows; i++) {
    const o = offsets[i]!;
    if (o < bytes.length && (bytes[o]! & 0xc0) === 0x80)
      throw new PageFormatError('a string column holds invalid UTF-8');
  }
}
