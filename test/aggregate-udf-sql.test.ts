/**
 * Aggregate UDFs (the stats plugin) in SQL through a real topology (two base nodes, an
 * intermediary): partial states at the base nodes (PUSHDOWN) or on pulled bytes at the
 * intermediary (NO_PUSHDOWN), merged at the intermediary. Answers match DuckDB's var_samp and
 * stddev_samp over the same files to 1e-9 relative, and are the same bits under every placement
 * and scan parallelism (states merge in scan and fragment order). Errors name what to change.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { generateTable } from '@pushdown/cli';
import type { Table } from 'apache-arrow';
import { serversBuilt, startCluster, type Cluster } from './support/cluster.js';
import { grpcFailure } from './support/errors.js';
import { duckdbResult, openOracle, type Cell } from './support/oracle.js';

const describeIfBuilt = serversBuilt() ? describe : describe.skip;

/** Each query beside its DuckDB form (the built-in aggregates the UDFs stand for). */
const QUERIES: { name: string; sql: string; duckdb: string }[] = [
  {
    name: 'grouped',
    sql: 'SELECT l_returnflag, var_welford(l_extendedprice) AS v, stddev_welford(l_extendedprice) AS sd FROM lineitem GROUP BY l_returnflag ORDER BY l_returnflag',
    duckdb:
      'SELECT l_returnflag, var_samp(l_extendedprice) AS v, stddev_samp(l_extendedprice) AS sd FROM lineitem GROUP BY l_returnflag ORDER BY l_returnflag',
  },
  {
    name: 'ungrouped',
    sql: 'SELECT var_welford(l_extendedprice) AS v, stddev_welford(l_discount) AS sd FROM lineitem',
    duckdb: 'SELECT var_samp(l_extendedprice) AS v, stddev_samp(l_discount) AS sd FROM lineitem',
  },
  {
    name: 'mixed with built-in aggregates, filtered',
    sql: "SELECT l_linestatus, count(*) AS n, sum(l_quantity) AS q, avg(l_discount) AS d, var_welford(l_quantity) AS v, max(l_tax) AS t FROM lineitem WHERE l_shipdate < DATE '1995-06-01' GROUP BY l_linestatus ORDER BY l_linestatus",
    duckdb:
      "SELECT l_linestatus, count(*) AS n, sum(l_quantity) AS q, avg(l_discount) AS d, var_samp(l_quantity) AS v, max(l_tax) AS t FROM lineitem WHERE l_shipdate < DATE '1995-06-01' GROUP BY l_linestatus ORDER BY l_linestatus",
  },
  {
    name: 'no row passes the filter',
    sql: 'SELECT var_welford(l_extendedprice) AS v, count(*) AS n FROM lineitem WHERE l_quantity > 1000',
    duckdb: 'SELECT var_samp(l_extendedprice) AS v, count(*) AS n FROM lineitem WHERE l_quantity > 1000',
  },
];

/** Rows as plain values; float64 cells keep every bit (compared with toEqual, which uses Object.is). */
function cells(table: Table): Cell[][] {
  return table
    .toArray()
    .map((r) => Object.values(r.toJSON()).map((v) => (typeof v === 'bigint' ? Number(v) : (v as Cell))));
}

function expectClose(got: Cell[][], want: Cell[][]): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, i) =>
    row.forEach((v, j) => {
      const w = want[i]![j]!;
      if (typeof v === 'number' && typeof w === 'number' && !Number.isInteger(w)) {
        expect(Math.abs(v - w) / Math.max(Math.abs(w), 1e-300)).toBeLessThan(1e-9);
      } else expect(v).toEqual(w);
    }),
  );
}

describeIfBuilt('aggregate UDFs in SQL through a real topology', () => {
  let dir: string;
  let cluster: Cluster;
  let duck: DuckDBConnection;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pushdown-agg-udf-'));
    const gen = await generateTable({
      table: 'lineitem',
      sf: 0.01,
      formats: ['parquet'],
      parts: 2,
      outDir: dir,
    });
    const files = gen.files.map((f) => f.path);
    cluster = await startCluster(2);
    await cluster.load('lineitem', files);
    duck = await openOracle({ lineitem: `read_parquet([${files.map((f) => `'${f}'`).join(', ')}])` });
  }, 120_000);

  afterAll(async () => {
    duck?.closeSync();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test.each(QUERIES)(
    '$name: DuckDB within 1e-9, the same bits under every placement',
    async ({ sql, duckdb }) => {
      const want = (await duckdbResult(duck, duckdb)).rows;
      const runs: [string, Cell[][]][] = [];
      for (const [placement, parallelism] of [
        ['pushdown', 1],
        ['pushdown', 2],
        ['no-pushdown', 1],
      ] as const) {
        const { table, stats } = await cluster.client.queryTable(sql, { placement, parallelism });
        for (const f of stats.fragments)
          expect(f.placement).toBe(placement === 'pushdown' ? 'PLACEMENT_PUSHDOWN' : 'PLACEMENT_NO_PUSHDOWN');
        runs.push([`${placement} x${parallelism}`, cells(table)]);
      }
      expectClose(runs[0]![1], want);
      for (const [label, rows] of runs.slice(1)) expect([label, rows]).toEqual([label, runs[0]![1]]);
    },
  );

  test('EXPLAIN shows the aggregate UDF in the partial and the final aggregate', async () => {
    const text = await cluster.client.explain('SELECT var_welford(l_tax) AS v FROM lineitem');
    expect(text).toContain('partial aggregate: groupBy=[] aggregates=[var_welford(l_tax) AS v]');
    expect(text).toContain('FinalAggregate: groupBy=[] aggregates=[var_welford(l_tax) AS v]');
  });

  test.each([
    [
      'SELECT var_welford(l_comment) FROM lineitem',
      'INVALID_ARGUMENT',
      'argument 1 of var_welford() must be DOUBLE, but l_comment is VARCHAR',
    ],
    ['SELECT stddev_welfrd(l_tax) FROM lineitem', 'INVALID_ARGUMENT', 'did you mean stddev_welford()?'],
    [
      'SELECT l_tax FROM lineitem WHERE geomean(l_tax) > 0',
      'INVALID_ARGUMENT',
      'aggregate functions are not allowed in WHERE',
    ],
  ])('%s fails with %s', async (sql, status, message) => {
    const failure = await grpcFailure(cluster.client.queryTable(sql, { placement: 'pushdown' }));
    expect(failure.status).toBe(status);
    expect(failure.message).toContain(message);
  });
});
