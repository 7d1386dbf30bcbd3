/**
 * ColumnBatch → apache-arrow RecordBatch, built with makeData straight from the column buffers
 * (no vectorFromArray: it is slow on strings and turns them into dictionaries), and the Arrow
 * schema of a generated table.
 */
import * as arrow from 'apache-arrow';
import type { DataType } from '@pushdown/engine';
import type { ColumnBatch, GenSchema, Utf8Column } from './column-batch.js';

const TWO_POW_32 = 4294967296;
// Bound once: global lookups are slow inside vm contexts (jest) in this per-value loop.
const { floor } = Math;

function arrowType(type: DataType): arrow.DataType {
  switch (type) {
    case 'bool':
      return new arrow.Bool();
    case 'int32':
      return new arrow.Int32();
    case 'int64':
      return new arrow.Int64();
    case 'float64':
      return new arrow.Float64();
    case 'date32':
      return new arrow.DateDay();
    case 'utf8':
      return new arrow.Utf8();
  }
}

export function arrowSchemaOf(schema: GenSchema): arrow.Schema {
  return new arrow.Schema(schema.map((f) => new arrow.Field(f.name, arrowType(f.type), f.nullable)));
}

/**
 * Copies the first `batch.length` rows into a RecordBatch that owns its buffers, so the
 * ColumnBatch can be refilled while Arrow data is still in flight.
 */
export function toArrowBatch(batch: ColumnBatch, schema: arrow.Schema): arrow.RecordBatch {
  const n = batch.length;
  const children = schema.fields.map((field, c) => {
    const col = batch.columns[c]!;
    const type = field.type as arrow.DataType;
    if (arrow.DataType.isUtf8(type)) {
      const u = col as Utf8Column;
      const base = u.offsets[0]!;
      const valueOffsets = new Int32Array(n + 1);
      for (let i = 0; i <= n; i++) valueOffsets[i] = u.offsets[i]! - base;
      const data = u.bytes.slice(base, u.offsets[n]!);
      return arrow.makeData({ type, length: n, nullCount: 0, valueOffsets, data });
    }
    if (arrow.DataType.isInt(type) && type.bitWidth === 64) {
      // Exact integers held in doubles → int64 by writing the two 32-bit halves (little-endian):
      // no BigInt per value.
      const src = col as Float64Array;
      const data = new BigInt64Array(n);
      const words = new Int32Array(data.buffer);
      for (let i = 0; i < n; i++) {
        const v = src[i]!;
        words[2 * i] = v >>> 0;
        words[2 * i + 1] = floor(v / TWO_POW_32);
      }
      return arrow.makeData({ type: type as arrow.Int64, length: n, nullCount: 0, data });
    }
    const data = (col as Int32Array | Float64Array).slice(0, n);
    return arrow.makeData({ type: type as arrow.Int32, length: n, nullCount: 0, data: data as Int32Array });
  });
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children });
  return new arrow.RecordBatch(schema, struct);
}
