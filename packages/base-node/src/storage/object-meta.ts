/**
 * The metadata sidecar kept next to each object (`<name>.meta.json`). Its presence is what
 * makes an object exist: it is renamed into place last on put and removed first on delete.
 */
import type { ObjectFormat, Schema } from '@pushdown/engine';
import { checkSchema } from '@pushdown/engine';

export interface ObjectMeta {
  readonly table: string;
  readonly name: string;
  readonly size: number;
  /** Lowercase hex SHA-256 of the bytes. */
  readonly sha256: string;
  readonly format: ObjectFormat;
  readonly modifiedMs: number;
  readonly schema: Schema;
  /** Rows in the object (Parquet footer, or counted at put for CSV); null if unknown. */
  readonly numRows: number | null;
}

export function encodeMeta(meta: ObjectMeta): string {
  return `${JSON.stringify(meta, null, 2)}\n`;
}

/** Parses a sidecar; throws a plain Error on anything malformed (the caller decides). */
export function decodeMeta(text: string): ObjectMeta {
  const v = JSON.parse(text) as Partial<Record<keyof ObjectMeta, unknown>>;
  const ok =
    typeof v.table === 'string' &&
    typeof v.name === 'string' &&
    typeof v.size === 'number' &&
    typeof v.sha256 === 'string' &&
    (v.format === 'parquet' || v.format === 'csv' || v.format === 'jsonl') &&
    typeof v.modifiedMs === 'number' &&
    (v.numRows === null || typeof v.numRows === 'number');
  if (!ok) throw new Error('sidecar is missing fields');
  return {
    table: v.table as string,
    name: v.name as string,
    size: v.size as number,
    sha256: v.sha256 as string,
    format: v.format as ObjectFormat,
    modifiedMs: v.modifiedMs as number,
    schema: checkSchema(v.schema, 'sidecar schema'),
    numRows: v.numRows as number | null,
  };
}
