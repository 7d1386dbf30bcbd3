/**
 * The generator's in-memory batch: columns in Arrow layout, filled in place by a table's row
 * generator and read by every output writer (Parquet via Arrow, CSV byte by byte), so both
 * formats are made from the very same rows in one pass.
 *
 * Physical layout per logical type (engine DataType):
 *   int32, date32 → Int32Array
 *   int64         → Float64Array holding exact integers (< 2^53; TPC-H keys are far below).
 *                   Doubles keep the hot loop free of BigInt; the Arrow writer converts.
 *   float64       → Float64Array
 *   utf8          → Arrow offsets (Int32Array, length+1) + bytes (Uint8Array, grown on demand)
 * Generated tables have no nulls, so there are no validity bitmaps.
 */
import type { DataType, Field } from '@pushdown/engine';

/** A column of a generated table: an engine Field plus how CSV prints it. */
export interface GenField extends Field {
  /** float64 only: digits after the decimal point in CSV (TPC-H money and rates: 2). */
  readonly scale?: number;
  /**
   * Parquet: false turns dictionary encoding off for a high-cardinality column, where the
   * writer would build a dictionary only to fall back to plain (smaller and faster without).
   */
  readonly dictionary?: boolean;
}

export type GenSchema = readonly GenField[];

export type NumericColumn = Int32Array | Float64Array;

export interface Utf8Column {
  offsets: Int32Array;
  bytes: Uint8Array;
}

export type Column = NumericColumn | Utf8Column;

export class ColumnBatch {
  readonly schema: GenSchema;
  readonly capacity: number;
  readonly columns: Column[];
  /** Rows filled so far. */
  length = 0;

  constructor(schema: GenSchema, capacity: number, utf8BytesPerRow = 16) {
    this.schema = schema;
    this.capacity = capacity;
    this.columns = schema.map((f) => allocate(f.type, capacity, utf8BytesPerRow));
  }

  /** Empties the batch for reuse; buffers are kept (and stay grown). */
  reset(): void {
    this.length = 0;
  }

  /**
   * Keeps rows [from, from + count) and moves them to the front: a row group that starts in
   * the middle of a unit (an order's lines span two groups) is filled from the unit's first
   * row, then cut to its own rows.
   */
  keep(from: number, count: number): void {
    if (from + count > this.length) throw new RangeError(`keep(${from}, ${count}) past ${this.length} rows`);
    if (from > 0) {
      for (const [c, col] of this.columns.entries()) {
        if (this.schema[c]!.type !== 'utf8') {
          const n = col as NumericColumn;
          n.copyWithin(0, from, from + count);
          continue;
        }
        const u = col as Utf8Column;
        const base = u.offsets[from]!;
        u.bytes.copyWithin(0, base, u.offsets[from + count]!);
        for (let i = 0; i <= count; i++) u.offsets[i] = u.offsets[from + i]! - base;
      }
    }
    this.length = count;
  }

  int32(i: number): Int32Array {
    return this.columns[i] as Int32Array;
  }

  float64(i: number): Float64Array {
    return this.columns[i] as Float64Array;
  }

  utf8(i: number): Utf8Column {
    return this.columns[i] as Utf8Column;
  }
}

function allocate(type: DataType, capacity: number, utf8BytesPerRow: number): Column {
  switch (type) {
    case 'int32':
    case 'date32':
      return new Int32Array(capacity);
    case 'int64':
    case 'float64':
      return new Float64Array(capacity);
    case 'utf8':
      return { offsets: new Int32Array(capacity + 1), bytes: new Uint8Array(capacity * utf8BytesPerRow) };
    case 'bool':
      throw new TypeError('bool columns are not used by the TPC-H generator');
  }
}

/**
 * Appends `len` bytes of `src` (from `start`) as value number `row` of a utf8 column.
 * Rows must be appended in order: offsets[row] must already be set (offsets[0] = 0).
 */
export function appendUtf8(col: Utf8Column, row: number, src: Uint8Array, start: number, len: number): void {
  const at = col.offsets[row]!;
  const end = at + len;
  if (end > col.bytes.length) {
    const grown = new Uint8Array(Math.max(end, col.bytes.length * 2));
    grown.set(col.bytes.subarray(0, at));
    col.bytes = grown;
  }
  const bytes = col.bytes;
  for (let i = 0; i < len; i++) bytes[at + i] = src[start + i]!;
  col.offsets[row + 1] = end;
}

/** ASCII bytes of a string constant (TPC-H enumerations), for appendUtf8. */
export function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
