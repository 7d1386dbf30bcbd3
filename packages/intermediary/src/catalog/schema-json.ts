/**
 * The wire form of a schema (ObjectInfo.schema_json, TableInfo.schema_json): a JSON array of
 * {"name", "type", "nullable"}. Parsed leniently about `nullable` (default true), strictly
 * about types, since the planner relies on them.
 */
import { DATA_TYPES, type DataType, type Schema } from '@pushdown/engine';

/** Parses schema JSON; returns a reason string instead of throwing, for catalog bookkeeping. */
export function parseSchemaJson(text: string): Schema | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `schema_json is not valid JSON (${(err as Error).message})`;
  }
  if (!Array.isArray(value) || value.length === 0) return 'schema_json is not a non-empty array';
  const out = [];
  for (const [i, raw] of value.entries()) {
    const f = raw as { name?: unknown; type?: unknown; nullable?: unknown } | null;
    if (typeof f !== 'object' || f === null || typeof f.name !== 'string' || f.name === '') {
      return `schema_json[${i}] has no name`;
    }
    if (typeof f.type !== 'string' || !(DATA_TYPES as readonly string[]).includes(f.type)) {
      return `column "${f.name}" has unknown type ${JSON.stringify(f.type)}`;
    }
    out.push({ name: f.name, type: f.type as DataType, nullable: f.nullable !== false });
  }
  return out;
}

export function schemaToJson(schema: Schema): string {
  return JSON.stringify(schema.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable })));
}

/** Same columns, names and types in the same order; nullability may differ (CSV infers it). */
export function sameColumns(a: Schema, b: Schema): boolean {
  return a.length === b.length && a.every((f, i) => f.name === b[i]!.name && f.type === b[i]!.type);
}

export function schemaText(schema: Schema): string {
  return `(${schema.map((f) => `${f.name} ${f.type}`).join(', ')})`;
}
