/**
 * DuckDB as the correctness oracle: the same SQL over the same files, and a comparison that
 * holds integers and strings exactly and floats to 1e-9 relative.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DataType as ArrowType, type Table } from 'apache-arrow';

export type Cell = number | string | boolean | null;

export interface ResultSet {
  columns: string[];
  rows: Cell[][];
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function normalize(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return isoDate(v.getTime());
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}

export async function openOracle(views: Record<string, string>): Promise<DuckDBConnection> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  for (const [name, from] of Object.entries(views)) {
    await conn.run(`CREATE VIEW ${name} AS SELECT * FROM ${from}`);
  }
  return conn;
}

export async function duckdbResult(conn: DuckDBConnection, sql: string): Promise<ResultSet> {
  const reader = await conn.runAndReadAll(sql);
  return { columns: reader.columnNames(), rows: reader.getRowsJS().map((r) => r.map(normalize)) };
}

/** Rows of an Arrow table (dates as yyyy-mm-dd, int64 as numbers). */
export function arrowResult(table: Table): ResultSet {
  const columns = table.schema.fields.map((f) => f.name);
  const isDate = table.schema.fields.map((f) => ArrowType.isDate(f.type));
  const rows: Cell[][] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row = table.get(i);
    const values = columns.map((c, j) => {
      const v = row?.[c];
      if (v === null || v === undefined) return null;
      if (isDate[j]) return isoDate(v instanceof Date ? v.getTime() : Number(v));
      return normalize(v);
    });
    rows.push(values);
  }
  return { columns, rows };
}

/** Rows of a JSON Lines result. */
export function jsonLinesResult(text: string, columns: string[]): ResultSet {
  const rows = text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      return columns.map((c) => normalize(o[c]));
    });
  return { columns, rows };
}

function sortKey(row: Cell[]): string {
  return JSON.stringify(
    row.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(8)) : v)),
  );
}

function cellsEqual(a: Cell, b: Cell): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b) && Math.abs(a) < 2 ** 53) return a === b;
    const scale = Math.max(Math.abs(a), Math.abs(b));
    return Math.abs(a - b) <= 1e-9 * scale || Math.abs(a - b) < 1e-12;
  }
  return a === b;
}

/** A readable description of the first difference, or null when the results agree. */
export function diffResults(actual: ResultSet, expected: ResultSet, ordered: boolean): string | null {
  if (actual.columns.join(',') !== expected.columns.join(',')) {
    return `columns differ: got [${actual.columns.join(', ')}], DuckDB has [${expected.columns.join(', ')}]`;
  }
  if (actual.rows.length !== expected.rows.length) {
    return `row count differs: got ${actual.rows.length}, DuckDB has ${expected.rows.length}`;
  }
  const a = ordered ? actual.rows : [...actual.rows].sort((x, y) => sortKey(x).localeCompare(sortKey(y)));
  const e = ordered ? expected.rows : [...expected.rows].sort((x, y) => sortKey(x).localeCompare(sortKey(y)));
  for (let i = 0; i < a.length; i++) {
    const ra = a[i]!;
    const re = e[i]!;
    for (let j = 0; j < ra.length; j++) {
      if (!cellsEqual(ra[j] ?? null, re[j] ?? null)) {
        return `row ${i}, column ${actual.columns[j]}: got ${JSON.stringify(ra[j])}, DuckDB has ${JSON.stringify(re[j])}\n  got row ${JSON.stringify(ra)}\n  DuckDB ${JSON.stringify(re)}`;
      }
    }
  }
  return null;
}
