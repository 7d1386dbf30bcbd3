/** Shared by the gen-*.test.ts files: temp dirs, DuckDB queries, generation at SF 0.01. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTable, type GenHooks, type GenOptionsInput, type GenResult } from '../src/gen/index.js';

export const SF = 0.01;

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `pushdown-gen-${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Generates lineitem at SF 0.01 into `outDir`. */
export function genLineitem(
  outDir: string,
  extra: Partial<GenOptionsInput> = {},
  hooks: GenHooks = {},
): Promise<GenResult> {
  return generateTable({ table: 'lineitem', sf: SF, formats: 'parquet,csv', outDir, ...extra }, hooks);
}

export async function bytesOf(path: string): Promise<Buffer> {
  return readFile(path);
}

/** Runs SQL statements in an in-memory DuckDB and returns the rows of the last one (JS values, bigint → number). */
export async function duck(...statements: string[]): Promise<Record<string, unknown>[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    let rows: Record<string, unknown>[] = [];
    for (const sql of statements) rows = (await conn.runAndReadAll(sql)).getRowObjectsJS();
    // Counts and BIGINT sums come back as bigint; tests compare plain numbers.
    return rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A DuckDB table expression reading a generated file (CSV with explicit lineitem types). */
export function source(path: string): string {
  if (path.endsWith('.parquet')) return `read_parquet('${path}')`;
  return (
    `read_csv('${path}', header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, ` +
    `columns = {'l_orderkey': 'BIGINT', 'l_partkey': 'BIGINT', 'l_suppkey': 'BIGINT', ` +
    `'l_linenumber': 'INTEGER', 'l_quantity': 'DOUBLE', 'l_extendedprice': 'DOUBLE', 'l_discount': 'DOUBLE', ` +
    `'l_tax': 'DOUBLE', 'l_returnflag': 'VARCHAR', 'l_linestatus': 'VARCHAR', 'l_shipdate': 'DATE', ` +
    `'l_commitdate': 'DATE', 'l_receiptdate': 'DATE', 'l_shipinstruct': 'VARCHAR', 'l_shipmode': 'VARCHAR', ` +
    `'l_comment': 'VARCHAR'})`
  );
}
