/**
 * The schema JSON of the wire contract: an array of {"name", "type", "nullable"} (nullable
 * optional on input, default true). Used for declared CSV schemas at put, in ObjectInfo and in
 * TableInfo; one parser for both tiers.
 */
import { DATA_TYPES, type DataType, type Field, type Schema } from './types.js';
import { InvalidArgumentError } from '@pushdown/proto';

/** Parses a declared schema; '' (or whitespace) means none. */
export function parseSchemaJson(text: string | undefined): Schema | null {
  if (text === undefined || text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`schema_json is not valid JSON: ${(err as Error).message}`, {
      hint: 'give a JSON array like [{"name":"a","type":"int64"}]',
    });
  }
  return checkSchema(value, 'schema_json');
}

/** Checks an untrusted value is a Schema; `where` names it in messages. */
export function checkSchema(value: unknown, where: string): Schema {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidArgumentError(`${where} must be a non-empty JSON array of {"name","type"} objects`);
  }
  const seen = new Set<string>();
  return value.map((raw: unknown, i): Field => {
    const f = raw as { name?: unknown; type?: unknown; nullable?: unknown } | null;
    if (typeof f !== 'object' || f === null || typeof f.name !== 'string' || f.name === '') {
      throw new InvalidArgumentError(`${where}[${i}] needs a non-empty string "name"`);
    }
    if (typeof f.type !== 'string' || !(DATA_TYPES as readonly string[]).includes(f.type)) {
      throw new InvalidArgumentError(
        `${where}[${i}] ("${f.name}") has unknown type ${JSON.stringify(f.type)}`,
        {
          hint: `use one of ${DATA_TYPES.join(', ')}`,
        },
      );
    }
    if (f.nullable !== undefined && typeof f.nullable !== 'boolean') {
      throw new InvalidArgumentError(`${where}[${i}] ("${f.name}") has a non-boolean "nullable"`);
    }
    if (seen.has(f.name)) throw new InvalidArgumentError(`${where} names column "${f.name}" twice`);
    seen.add(f.name);
    return { name: f.name, type: f.type as DataType, nullable: f.nullable ?? true };
  });
}

export function schemaToJson(schema: Schema): string {
  return JSON.stringify(schema.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable })));
}
