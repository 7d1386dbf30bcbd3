/**
 * The executor against DuckDB (the oracle) over the same Parquet file: a filtered, grouped
 * partial aggregate merged by the final stage, and a filtered projection with arithmetic,
 * division by zero, LIKE and IN, sorted and limited.
 */
import { mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { RecordBatch } from 'apache-arrow';
import { runFragment, runUpperStages } from '../src/exec/index.js';
import type { AggregateCall } from '../src/plan/aggregate.js';
import { bin, col, lit, type Expr } from '../src/plan/expr.js';
import { FRAGMENT_VERSION, type Fragment } from '../src/plan/fragment.js';
import type { Schema } from '../src/plan/types.js';
import type { UpperStages } from '../src/planner/query-plan.js';
import { valuesOf, type V } from './exec-reference.js';

let dir: string;
let file: string;
let conn: DuckDBConnection;

const schema: Schema = [
  { name: 'i', type: 'int32', nullable: false },
  { name: 'l', type: 'int64', nullable: false },
  { name: 'f', type: 'float64', nullable: true },
  { name: 'd', type: 'date32', nullable: false },
  { name: 's', type: 'utf8', nullable: true },
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'exec-duckdb-'));
  file = join(dir, 't.parquet');
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`create table t as select
      i::INTEGER as i,
      (i * 7 % 101 - 50)::BIGINT as l,
      (case when i % 9 = 0 then null else (i % 37) / 4.0 end)::DOUBLE as f,
      (DATE '1994-01-01' + (i % 400)::INTEGER) as d,
      case when i % 11 = 0 then null else chr((65 + (i % 3))::INTEGER) || repeat('x', (i % 4)::INTEGER) end as s
    from range(20000) r(i)`);
  await conn.run(`copy t to '${file}' (format parquet, row_group_size 4096)`);
});

afterAll(() => {
  conn?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function duckRows(sql: string): Promise<V[][]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRows().map((r) =>
    r.map((v) => {
      if (
        v === null ||
        typeof v === 'number' ||
        typeof v === 'string' ||
        typeof v === 'bigint' ||
        typeof v === 'boolean'
      )
        return v;
      // DuckDB dates come back as value objects with `days`.
      const days = (v as { days?: number }).days;
      return days ?? Number(String(v));
    }),
  );
}

function fragment(over: Partial<Fragment>): Fragment {
  return {
    version: FRAGMENT_VERSION,
    table: 't',
    object: 't.parquet',
    format: 'parquet',
    schema,
    columns: ['i', 'l', 'f', 'd', 's'],
    filter: null,
    project: null,
    aggregate: null,
    limit: null,
    rowGroups: null,
    ...over,
  };
}

async function rowsOf(gen: AsyncIterable<RecordBatch>, types: Schema[number]['type'][]): Promise<V[][]> {
  const out: V[][] = [];
  for await (const b of gen) {
    const cols = types.map((t, i) => valuesOf(b.getChildAt(i)!, t));
    for (let r = 0; r < b.numRows; r++) out.push(cols.map((c) => c[r]!));
  }
  return out;
}

const approx = (rows: V[][]) =>
  rows.map((r) =>
    r.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v)),
  );

test('filtered GROUP BY with every aggregate matches DuckDB', async () => {
  const filter: Expr = bin(
    'and',
    bin('>=', col('d'), lit('1994-06-01', 'utf8')),
    bin('<', col('f'), lit(5, 'int32')),
  );
  const aggregates: AggregateCall[] = [
    { name: 'cnt', fn: 'count', arg: null },
    { name: 'cnt_f', fn: 'count', arg: col('f') },
    { name: 'sum_f', fn: 'sum', arg: col('f') },
    { name: 'sum_l', fn: 'sum', arg: col('l') },
    { name: 'avg_l', fn: 'avg', arg: col('l') },
    { name: 'min_d', fn: 'min', arg: col('d') },
    { name: 'max_i', fn: 'max', arg: col('i') },
    { name: 'sum_x', fn: 'sum', arg: bin('*', col('f'), bin('-', lit(1, 'int32'), col('l'))) },
  ];
  const blob = await openAsBlob(file);
  const runs = [0, 1].map(() =>
    runFragment(
      fragment({ filter, aggregate: { groupBy: [{ name: 's', expr: col('s') }], aggregates } }),
      blob,
      { batchRows: 3000 },
    ),
  );
  async function* partials() {
    for (const r of runs) yield* r.batches;
  }
  const upper: UpperStages = {
    finalAggregate: { groupBy: ['s'], aggregates },
    having: null,
    project: [{ name: 's', expr: col('s') }, ...aggregates.map((a) => ({ name: a.name, expr: col(a.name) }))],
    orderBy: [{ expr: col('s'), desc: false, nullsFirst: false }],
    limit: null,
    offset: 0,
  };
  const got = await rowsOf(runUpperStages(upper, partials()), [
    'utf8',
    'int64',
    'int64',
    'float64',
    'int64',
    'float64',
    'date32',
    'int32',
    'float64',
  ]);
  // Both fragments read the whole file, so every count and sum is doubled.
  const want =
    await duckRows(`select s, 2 * count(*), 2 * count(f), 2 * sum(f), 2 * sum(l), avg(l), min(d), max(i), 2 * sum(f * (1 - l))
    from t where d >= '1994-06-01' and f < 5 group by s order by s nulls last`);
  expect(approx(got)).toEqual(
    approx(
      want.map((r) => r.map((v, i) => (i === 1 || i === 2 || i === 4 ? BigInt(v as number | bigint) : v))),
    ),
  );
  expect(got.length).toBe(13); // A, Ax, Axx, Axxx, B, ..., Cxxx and the NULL group
  expect(runs[0]!.stats.rowGroupsTotal).toBe(5);
  expect(runs[0]!.stats.rowsScanned).toBe(20_000);
});

test('filtered projection with arithmetic, division by zero, LIKE, IN, sorted and limited', async () => {
  const filter: Expr = bin(
    'or',
    { kind: 'like', arg: col('s'), pattern: 'Ax%', negated: false },
    {
      kind: 'in',
      arg: col('i'),
      list: [lit(1, 'int32'), lit(2, 'int32'), lit(3, 'int32')],
      negated: false,
    },
  );
  const project = [
    { name: 'i', expr: col('i') },
    {
      name: 'q',
      expr: bin(
        '/',
        col('l'),
        bin('-', col('i'), bin('*', bin('/', col('i'), lit(3, 'int32')), lit(0, 'int32'))),
      ),
    },
    { name: 'z', expr: bin('/', col('f'), bin('-', col('l'), col('l'))) },
    { name: 'e', expr: bin('-', bin('*', col('f'), lit(2, 'int32')), col('l')) },
    { name: 's', expr: col('s') },
  ];
  const blob = await openAsBlob(file);
  const run = runFragment(fragment({ filter, project }), blob);
  const upper: UpperStages = {
    finalAggregate: null,
    having: null,
    project: project.map((p) => ({ name: p.name, expr: col(p.name) })),
    orderBy: [
      { expr: col('e'), desc: true, nullsFirst: true },
      { expr: col('i'), desc: false, nullsFirst: false },
    ],
    limit: 40,
    offset: 5,
  };
  const got = await rowsOf(runUpperStages(upper, run.batches), [
    'int32',
    'float64',
    'float64',
    'float64',
    'utf8',
  ]);
  const want = await duckRows(`select i, l / (i - (i / 3) * 0), f / (l - l), f * 2 - l as e, s from t
    where s like 'Ax%' or i in (1, 2, 3) order by e desc nulls first, i limit 40 offset 5`);
  expect(approx(got)).toEqual(approx(want));
  expect(got.length).toBe(40);
  expect(got.every((r) => r[2] === null)).toBe(true); // x / 0 is NULL, as in DuckDB
  expect(run.stats.rowsOut).toBeGreaterThan(40);
});
