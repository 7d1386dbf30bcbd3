/**
 * The engine's logical types as Arrow types (see plan/types.ts for the mapping), for the
 * result schema when a query returns no batches.
 */
import {
  Bool,
  DateDay,
  Field,
  Float64,
  Int32,
  Int64,
  Schema,
  Utf8,
  type DataType as ArrowType,
} from 'apache-arrow';
import type { DataType, Schema as EngineSchema } from '@pushdown/engine';

export function arrowTypeOf(t: DataType): ArrowType {
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

export function arrowSchemaOf(schema: EngineSchema): Schema {
  return new Schema(schema.map((f) => new Field(f.name, arrowTypeOf(f.type), f.nullable)));
}
