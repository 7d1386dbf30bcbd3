/**
 * Our logical types (plan/types.ts) as Arrow types, and the helpers readers use to assemble
 * record batches from column `Data` without going through `vectorFromArray`.
 */
import {
  Bool,
  DateDay,
  Field as ArrowField,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema as ArrowSchema,
  Struct,
  Utf8,
  type Data,
  type DataType as ArrowDataType,
} from 'apache-arrow';
import type { DataType, Field } from '../plan/types.js';

/** The Arrow type a column of logical type `t` has in every batch a reader emits. */
export function arrowTypeOf(t: DataType): ArrowDataType {
  switch (t) {
    case 'bool':
      return new Bool();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'float64':
      return new Float64();
    case 'date32':
      return new DateDay();
    case 'utf8':
      return new Utf8();
  }
}

/** Arrow schema for `fields` (names, types, nullability as given). */
export function arrowSchemaOf(fields: readonly Field[]): ArrowSchema {
  return new ArrowSchema(fields.map((f) => new ArrowField(f.name, arrowTypeOf(f.type), f.nullable)));
}

/** A record batch of `length` rows from one `Data` per field of `schema` (zero columns allowed). */
export function batchOf(schema: ArrowSchema, length: number, columns: readonly Data[]): RecordBatch {
  const data = makeData({
    type: new Struct(schema.fields),
    length,
    nullCount: 0,
    children: columns as Data[],
  });
  return new RecordBatch(schema, data);
}
