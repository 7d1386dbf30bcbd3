/**
 * Arrow column helpers for the executor: type mapping, reading single values, building columns
 * from JS values or typed arrays, gather (take by index) and concatenation. Columns are built
 * straight from buffers with `makeData` (never `vectorFromArray`, which is slow on strings).
 */
import {
  Field as ArrowField,
  makeData,
  RecordBatch,
  Schema as ArrowSchema,
  Struct,
  Type,
  Utf8,
  type Data,
  type DataType as ArrowDataType,
  type DateDay,
  type Float64,
  type Int32,
  type Int64,
} from 'apache-arrow';
import { InvalidArgumentError } from '@pushdown/proto';
import type { DataType, Field, Schema } from '../plan/types.js';
import { arrowTypeOf } from '../readers/arrow-schema.js';

/** A single SQL value in JS: int64 as bigint, date32 as days, NULL as null. */
export type JsValue = number | bigint | string | boolean | null;

/** The Arrow type of a logical type: the readers' one mapping. */
export const arrowType: (t: DataType) => ArrowDataType = arrowTypeOf;

/** The logical type of an Arrow column, or an InvalidArgumentError naming the column. */
export function logicalType(t: ArrowDataType, column: string): DataType {
  switch (t.typeId) {
    case Type.Bool:
      return 'bool';
    case Type.Int: {
      const it = t as Int32 | Int64;
      if (it.isSigned && it.bitWidth === 32) return 'int32';
      if (it.isSigned && it.bitWidth === 64) return 'int64';
      break;
    }
    case Type.Float:
      if ((t as Float64).precision === 2) return 'float64';
      break;
    case Type.Date:
      if ((t as DateDay).unit === 0) return 'date32';
      break;
    case Type.Utf8:
      return 'utf8';
  }
  throw new InvalidArgumentError(
    `column "${column}" has Arrow type ${String(t)}, which the executor does not support`,
  );
}

export function schemaOfBatch(batch: RecordBatch): Schema {
  return batch.schema.fields.map((f) => ({
    name: f.name,
    type: logicalType(f.type, f.name),
    nullable: f.nullable,
  }));
}

export function columnData(batch: RecordBatch, i: number): Data {
  return batch.data.children[i]!;
}

export function isValidAt(data: Data, i: number): boolean {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return true;
  const bit = data.offset + i;
  return ((data.nullBitmap[bit >> 3]! >> (bit & 7)) & 1) === 1;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function readValue(data: Data, type: DataType, i: number): JsValue {
  if (!isValidAt(data, i)) return null;
  switch (type) {
    case 'bool': {
      const bit = data.offset + i;
      return ((data.values[bit >> 3]! >> (bit & 7)) & 1) === 1;
    }
    case 'utf8': {
      const offs = data.valueOffsets as Int32Array;
      return decoder.decode((data.values as Uint8Array).subarray(offs[i]!, offs[i + 1]!));
    }
    default:
      return data.values[i] as number | bigint;
  }
}

/** The UTF-8 bytes of row i of a utf8 column (a view, no copy). */
export function readBytes(data: Data, i: number): Uint8Array {
  const offs = data.valueOffsets as Int32Array;
  return (data.values as Uint8Array).subarray(offs[i]!, offs[i + 1]!);
}

type Values = Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** A column from ready buffers; `validity` is an Arrow bitmap (or null when nullCount is 0). */
export function makeColumn(
  type: DataType,
  length: number,
  values: Values,
  validity: Uint8Array | null,
  nullCount: number,
  valueOffsets?: Int32Array,
): Data {
  const nullBitmap = nullCount > 0 ? validity : null;
  if (type === 'utf8') {
    return makeData({
      type: new Utf8(),
      length,
      nullCount,
      nullBitmap,
      valueOffsets: valueOffsets!,
      data: values as Uint8Array,
    });
  }
  return makeData({ type: arrowType(type), length, nullCount, nullBitmap, data: values } as never) as Data;
}

export function makeBatch(
  fields: readonly { name: string; type: DataType }[],
  columns: readonly Data[],
  length: number,
): RecordBatch {
  const arrowFields = fields.map((f, i) => new ArrowField(f.name, columns[i]!.type, true));
  const schema = new ArrowSchema(arrowFields);
  const data = makeData({ type: new Struct(arrowFields), length, nullCount: 0, children: columns as Data[] });
  return new RecordBatch(schema, data);
}

export function emptyBatch(schema: Schema): RecordBatch {
  return makeBatch(
    schema,
    schema.map((f) => columnFromValues(f.type, [])),
    0,
  );
}

export function batchBytes(batch: RecordBatch): number {
  let n = 0;
  for (const child of batch.data.children) n += child.byteLength;
  return n;
}

export function fieldsOf(schema: Schema): Field[] {
  return schema.map((f) => ({ ...f }));
}

/** Build a column from JS values (output of aggregates and sorts: small). */
export function columnFromValues(type: DataType, values: readonly JsValue[]): Data {
  const n = values.length;
  const validity = new Uint8Array(((n + 63) & ~63) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (values[i] === null) nulls++;
    else validity[i >> 3]! |= 1 << (i & 7);
  }
  switch (type) {
    case 'bool': {
      const bits = new Uint8Array(validity.length);
      for (let i = 0; i < n; i++) if (values[i] === true) bits[i >> 3]! |= 1 << (i & 7);
      return makeColumn(type, n, bits, validity, nulls);
    }
    case 'int32':
    case 'date32':
      return makeColumn(
        type,
        n,
        Int32Array.from(values, (v) => (v === null ? 0 : Number(v))),
        validity,
        nulls,
      );
    case 'float64':
      return makeColumn(
        type,
        n,
        Float64Array.from(values, (v) => (v === null ? 0 : Number(v))),
        validity,
        nulls,
      );
    case 'int64':
      return makeColumn(
        type,
        n,
        BigInt64Array.from(values, (v) => (v === null ? 0n : BigInt(v as number | bigint))),
        validity,
        nulls,
      );
    case 'utf8': {
      const parts = values.map((v) => (v === null ? new Uint8Array(0) : encoder.encode(String(v))));
      const offsets = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + parts[i]!.length;
      const bytes = new Uint8Array(offsets[n]!);
      for (let i = 0; i < n; i++) bytes.set(parts[i]!, offsets[i]!);
      return makeColumn(type, n, bytes, validity, nulls, offsets);
    }
  }
}

/** Rows `idx` of `data`, in that order (filter compaction, sort, limit). */
export function gatherColumn(type: DataType, data: Data, idx: ArrayLike<number>): Data {
  const k = idx.length;
  let validity: Uint8Array | null = null;
  let nulls = 0;
  if (data.nullCount > 0 && data.nullBitmap) {
    validity = new Uint8Array(((k + 63) & ~63) >> 3);
    const src = data.nullBitmap;
    const off = data.offset;
    for (let j = 0; j < k; j++) {
      const bit = off + idx[j]!;
      if ((src[bit >> 3]! >> (bit & 7)) & 1) validity[j >> 3]! |= 1 << (j & 7);
      else nulls++;
    }
  }
  switch (type) {
    case 'bool': {
      const out = new Uint8Array(((k + 63) & ~63) >> 3);
      const src = data.values as Uint8Array;
      for (let j = 0; j < k; j++) {
        const bit = data.offset + idx[j]!;
        if ((src[bit >> 3]! >> (bit & 7)) & 1) out[j >> 3]! |= 1 << (j & 7);
      }
      return makeColumn(type, k, out, validity, nulls);
    }
    case 'utf8': {
      const offs = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      const offsets = new Int32Array(k + 1);
      for (let j = 0; j < k; j++) {
        const r = idx[j]!;
        offsets[j + 1] = offsets[j]! + (offs[r + 1]! - offs[r]!);
      }
      const out = new Uint8Array(offsets[k]!);
      for (let j = 0; j < k; j++) {
        const r = idx[j]!;
        const s = offs[r]!;
        const len = offs[r + 1]! - s;
        const d = offsets[j]!;
        if (len <= 16) for (let b = 0; b < len; b++) out[d + b] = bytes[s + b]!;
        else out.set(bytes.subarray(s, s + len), d);
      }
      return makeColumn(type, k, out, validity, nulls, offsets);
    }
    default: {
      const src = data.values as Float64Array | Int32Array | BigInt64Array;
      const out = new (src.constructor as new (n: number) => typeof src)(k);
      for (let j = 0; j < k; j++) out[j] = src[idx[j]!]!;
      return makeColumn(type, k, out, validity, nulls);
    }
  }
}

/** One column from several chunks (for sorting across batches). */
export function concatColumn(type: DataType, chunks: readonly Data[]): Data {
  if (chunks.length === 1) return chunks[0]!;
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const idx = new Int32Array(total);
  // Gather chunk by chunk into one set of buffers: simple and copies each byte once.
  const parts = chunks.map((c) => gatherColumn(type, c, identity(c.length, idx)));
  if (type === 'utf8') {
    const offsets = new Int32Array(total + 1);
    const size = parts.reduce((s, p) => s + (p.values as Uint8Array).length, 0);
    const bytes = new Uint8Array(size);
    let row = 0;
    let pos = 0;
    for (const p of parts) {
      const po = p.valueOffsets as Int32Array;
      for (let i = 0; i < p.length; i++) offsets[row + i + 1] = pos + po[i + 1]!;
      bytes.set(p.values as Uint8Array, pos);
      pos += (p.values as Uint8Array).length;
      row += p.length;
    }
    return makeColumn(type, total, bytes, concatValidity(parts, total), countNulls(parts), offsets);
  }
  if (type === 'bool') {
    const out = new Uint8Array(((total + 63) & ~63) >> 3);
    let row = 0;
    for (const p of parts) {
      for (let i = 0; i < p.length; i++, row++)
        if ((p.values[i >> 3]! >> (i & 7)) & 1) out[row >> 3]! |= 1 << (row & 7);
    }
    return makeColumn(type, total, out, concatValidity(parts, total), countNulls(parts));
  }
  const first = parts[0]!.values as Float64Array | Int32Array | BigInt64Array;
  const out = new (first.constructor as new (n: number) => typeof first)(total);
  let row = 0;
  for (const p of parts) {
    out.set(p.values as never, row);
    row += p.length;
  }
  return makeColumn(type, total, out, concatValidity(parts, total), countNulls(parts));
}

function identity(n: number, scratch: Int32Array): Int32Array {
  const idx = scratch.subarray(0, n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx;
}

function countNulls(parts: readonly Data[]): number {
  return parts.reduce((s, p) => s + p.nullCount, 0);
}

function concatValidity(parts: readonly Data[], total: number): Uint8Array | null {
  if (countNulls(parts) === 0) return null;
  const out = new Uint8Array(((total + 63) & ~63) >> 3);
  let row = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++, row++) if (isValidAt(p, i)) out[row >> 3]! |= 1 << (row & 7);
  }
  return out;
}
