/**
 * The wire form of a schema (ObjectInfo.schema_json, TableInfo.schema_json): a JSON array of
 * {"name", "type", "nullable"}, parsed by the engine's one parser; the catalog keeps a failure as
 * a reason instead of throwing.
 */
import { parseSchemaJson as parseWireSchema, type Schema } from '@pushdown/engine';

/** Parses schema JSON; returns a reason string instead of throwing, for catalog bookkeeping. */
export function parseSchemaJson(text: string): Schema | string {
  try {
    return parseWireSchema(text) ?? 'schema_json is empty';
  } catch (err) {
    return (err as Error).message;
  }
}

/** Same columns, names and types in the same order; nullability may differ (CSV infers it). */
export function sameColumns(a: Schema, b: Schema): boolean {
  return a.length === b.length && a.every((f, i) => f.name === b[i]!.name && f.type === b[i]!.type);
}

export function schemaText(schema: Schema): string {
  return `(${schema.map((f) => `${f.name} ${f.type}`).join(', ')})`;
}
