/**
 * Proves an object is what its format says before it is published: the engine's reader opens
 * it, reads its schema and row count. CSV and JSON Lines (read by the jsonl plugin) have no
 * footer, so they are scanned once in full, which both counts rows and surfaces a bad row as
 * CorruptDataError (naming the line) at put time rather than at the first query.
 */
import { newScanCounters, openObject, type ObjectFormat, type Schema, openFileBlob } from '@pushdown/engine';
import { CorruptDataError, isPushdownError } from '@pushdown/proto';

export interface ObjectInspection {
  readonly schema: Schema;
  readonly numRows: number | null;
}

export async function inspectObject(
  path: string,
  format: ObjectFormat,
  declared: Schema | null,
  label: string,
  signal?: AbortSignal,
): Promise<ObjectInspection> {
  try {
    const reader = openObject(await openFileBlob(path), format, declared, { objectName: label });
    const schema = await reader.schema();
    let numRows = await reader.numRows();
    // No footer (CSV, JSON Lines): one full scan counts the rows and finds a bad line now.
    if (numRows === null) {
      const counters = newScanCounters();
      const options = {
        columns: schema.map((f: { name: string }) => f.name),
        filter: null,
        rowGroups: null,
        ...(signal ? { signal } : {}),
      };
      numRows = 0;
      for await (const batch of reader.scan(options, counters)) numRows += batch.numRows;
    }
    return { schema, numRows };
  } catch (err) {
    // Bugs stay bugs (INTERNAL), not blamed on the user's bytes.
    if (isPushdownError(err) || err instanceof TypeError || err instanceof ReferenceError) throw err;
    // Anything else a reader (or parquet-wasm below it) throws means the bytes are not a valid object.
    throw new CorruptDataError(
      `object ${label} is not valid ${format}: ${(err as Error)?.message ?? String(err)}`,
      {
        cause: err,
      },
    );
  }
}
