/**
 * Copies one parsed batch out of the CSV parser's memory into Arrow `Data` (fresh, 8-byte
 * aligned buffers: the parser reuses its buffers for the next batch). Validity bitmaps are only
 * copied for columns that have NULLs in this batch.
 */
import { Bool, DateDay, Float64, Int32, Int64, makeData, Utf8, type Data } from 'apache-arrow';
import type { DataType } from '../plan/types.js';
import type { CsvWasmInstance } from './csv-wasm.js';

/** Where one requested column's output buffers live in operator memory. */
export interface CsvColumnBuffers {
  readonly fileIndex: number;
  readonly type: DataType;
  values: number;
  validity: number;
  offsets: number;
  data: number;
  dataCap: number;
}

export interface CopiedColumn {
  readonly data: Data;
  readonly bytes: number;
}

export function copyColumn(w: CsvWasmInstance, col: CsvColumnBuffers, rows: number): CopiedColumn {
  const buf = w.memory.buffer;
  const nulls = w.exports.nullCount(col.fileIndex);
  const bitmapBytes = (rows + 7) >>> 3;
  const nullBitmap =
    nulls > 0 ? new Uint8Array(buf.slice(col.validity, col.validity + bitmapBytes)) : undefined;
  let bytes = nullBitmap ? bitmapBytes : 0;
  const base = { length: rows, nullCount: nulls, ...(nullBitmap ? { nullBitmap } : {}) };
  switch (col.type) {
    case 'bool': {
      bytes += bitmapBytes;
      const data = new Uint8Array(buf.slice(col.values, col.values + bitmapBytes));
      return { data: makeData({ type: new Bool(), ...base, data }), bytes };
    }
    case 'int32': {
      bytes += rows * 4;
      const data = new Int32Array(buf.slice(col.values, col.values + rows * 4));
      return { data: makeData({ type: new Int32(), ...base, data }), bytes };
    }
    case 'date32': {
      bytes += rows * 4;
      const data = new Int32Array(buf.slice(col.values, col.values + rows * 4));
      return { data: makeData({ type: new DateDay(), ...base, data }), bytes };
    }
    case 'int64': {
      bytes += rows * 8;
      const data = new BigInt64Array(buf.slice(col.values, col.values + rows * 8));
      return { data: makeData({ type: new Int64(), ...base, data }), bytes };
    }
    case 'float64': {
      bytes += rows * 8;
      const data = new Float64Array(buf.slice(col.values, col.values + rows * 8));
      return { data: makeData({ type: new Float64(), ...base, data }), bytes };
    }
    case 'utf8': {
      const valueOffsets = new Int32Array(buf.slice(col.offsets, col.offsets + (rows + 1) * 4));
      const used = valueOffsets[rows]!;
      const data = new Uint8Array(buf.slice(col.data, col.data + used));
      bytes += (rows + 1) * 4 + used;
      return { data: makeData({ type: new Utf8(), ...base, valueOffsets, data }), bytes };
    }
  }
}
