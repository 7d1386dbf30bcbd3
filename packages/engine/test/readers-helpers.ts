// Shared by the readers-*.test.ts files: run a scan to plain rows, and ask DuckDB (the oracle).
import { DuckDBInstance } from '@duckdb/node-api';
import { Type, type RecordBatch } from 'apache-arrow';
import { newScanCounters, type ObjectReader, type ScanCounters, type ScanOptions } from '@pushdown/engine';

export type Row = Record<string, unknown>;

/** A JS value in DuckDB's getRowObjectsJson() shape: int64 as string, date32 as 'YYYY-MM-DD'. */
function valueAt(batch: RecordBatch, c: number, i: number): unknown {
  const v = batch.getChildAt(c)!;
  if (!v.isValid(i)) return null;
  const data = v.data[0]!;
  if (v.type.typeId === Type.Date) {
    const days = (data.values as Int32Array)[i]!;
    return new Date(days * 86_400_000).toISOString().slice(0, 10);
  }
  const x = v.get(i) as unknown;
  return typeof x === 'bigint' ? x.toString() : x;
}

export function rowsOf(batches: readonly RecordBatch[]): Row[] {
  const out: Row[] = [];
  for (const b of batches) {
    const names = b.schema.fields.map((f) => f.name);
    for (let i = 0; i < b.numRows; i++) {
      const row: Row = {};
      names.forEach((n, c) => (row[n] = valueAt(b, c, i)));
      out.push(row);
    }
  }
  return out;
}

export async function scanAll(
  reader: ObjectReader,
  options: Partial<ScanOptions> & { columns: readonly string[] },
  counters: ScanCounters = newScanCounters(),
): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  for await (const b of reader.scan({ filter: null, rowGroups: null, ...options }, counters)) batches.push(b);
  return batches;
}

let db: Promise<DuckDBInstance> | null = null;

export async function duck(sql: string): Promise<Row[]> {
  db ??= DuckDBInstance.create(':memory:');
  const c = await (await db).connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjectsJson() as Row[];
  } finally {
    c.closeSync();
  }
}

/** Numbers compared exactly (DuckDB's JSON keeps doubles as numbers). */
export function expectRowsEqual(actual: Row[], expected: Row[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (JSON.stringify(actual[i]) !== JSON.stringify(expected[i]))
      expect({ row: i, ...actual[i] }).toEqual({ row: i, ...expected[i] });
  }
}
