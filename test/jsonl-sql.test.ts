/**
 * JSON Lines objects in SQL, read by the jsonl format-reader plugin: the same lineitem rows as
 * JSON Lines, CSV and Parquet tables on a real topology, queried under PUSHDOWN and NO_PUSHDOWN
 * and compared with DuckDB's read_json over the very same .jsonl files (and with the CSV and
 * Parquet copies). Also: put refuses a malformed .jsonl naming the line and keeps nothing, and
 * Capabilities lists the format.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { BaseNodeAdmin, generateTable, listObjects } from '@pushdown/cli';
import { serversBuilt, startCluster, type Cluster } from './support/cluster.js';
import { arrowResult, diffResults, duckdbResult, openOracle } from './support/oracle.js';

const COLUMNS =
  'l_orderkey, l_linenumber, l_quantity, l_extendedprice, l_discount, l_returnflag, l_linestatus, l_shipdate, l_shipmode, l_comment';
const PLACEMENTS = ['pushdown', 'no-pushdown'] as const;
const QUERIES: { name: string; sql: string; ordered: boolean }[] = [
  { name: 'count', sql: 'SELECT count(*) AS n FROM {T}', ordered: false },
  {
    name: 'filter + projection',
    sql: "SELECT l_orderkey, l_linenumber, l_quantity, l_comment FROM {T} WHERE l_quantity > 45 AND l_shipmode = 'AIR' ORDER BY l_orderkey, l_linenumber",
    ordered: true,
  },
  {
    name: 'group-by aggregate',
    sql: 'SELECT l_returnflag, l_linestatus, count(*) AS c, sum(l_quantity) AS q, avg(l_extendedprice) AS p, min(l_shipdate) AS d FROM {T} GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus',
    ordered: true,
  },
  {
    name: 'date range revenue',
    sql: "SELECT sum(l_extendedprice * l_discount) AS revenue FROM {T} WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24",
    ordered: false,
  },
];

const describeIfBuilt = serversBuilt() ? describe : describe.skip;

describeIfBuilt('JSON Lines tables in SQL (jsonl format-reader plugin)', () => {
  let dir: string;
  let cluster: Cluster;
  let oracle: DuckDBConnection;
  const parts = [0, 1];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pushdown-jsonl-'));
    const gen = await generateTable({
      table: 'lineitem',
      sf: 0.01,
      formats: ['parquet'],
      parts: 1,
      outDir: dir,
    });
    oracle = await openOracle({});
    // Two parts of 2,500 rows each, in three formats, written by DuckDB from the same rows.
    const source = `read_parquet('${gen.files[0]!.path}')`;
    for (const p of parts) {
      const rows = `SELECT ${COLUMNS} FROM ${source} ORDER BY l_orderkey, l_linenumber LIMIT 2500 OFFSET ${p * 2500}`;
      await oracle.run(`COPY (${rows}) TO '${dir}/ev-${p}.jsonl' (FORMAT json)`);
      await oracle.run(`COPY (${rows}) TO '${dir}/ev-${p}.csv' (HEADER)`);
      await oracle.run(`COPY (${rows}) TO '${dir}/ev-${p}.parquet' (FORMAT parquet)`);
    }
    const list = (ext: string) => parts.map((p) => `'${dir}/ev-${p}.${ext}'`).join(', ');
    await oracle.run(
      `CREATE VIEW ev AS SELECT * FROM read_json([${list('jsonl')}], format = 'newline_delimited')`,
    );
    cluster = await startCluster(2);
    for (const ext of ['jsonl', 'csv', 'parquet']) {
      await cluster.load(
        `ev_${ext}`,
        parts.map((p) => `${dir}/ev-${p}.${ext}`),
      );
    }
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    oracle?.closeSync();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('puts .jsonl objects with the schema and row count the plugin read', async () => {
    const objects = await listObjects(cluster.nodes.b1!, 'ev_jsonl');
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({ format: 'jsonl', numRows: 2500 });
    const schema = JSON.parse(objects[0]!.schemaJson) as { name: string; type: string }[];
    expect(Object.fromEntries(schema.map((f) => [f.name, f.type]))).toMatchObject({
      l_orderkey: 'int64',
      l_extendedprice: 'float64',
      l_shipdate: 'date32',
      l_comment: 'utf8',
    });
  });

  it('lists jsonl in Capabilities.formats', async () => {
    const admin = new BaseNodeAdmin(cluster.nodes.b2!);
    try {
      expect((await admin.capabilities()).formats).toEqual(['parquet', 'csv', 'jsonl']);
    } finally {
      admin.close();
    }
  });

  it.each(QUERIES.flatMap((q) => PLACEMENTS.map((p) => [q.name, p, q] as const)))(
    '%s with %s answers as DuckDB read_json and as the CSV and Parquet copies',
    async (_name, placement, query) => {
      const expected = await duckdbResult(oracle, query.sql.replaceAll('{T}', 'ev'));
      for (const table of ['ev_jsonl', 'ev_csv', 'ev_parquet']) {
        const { table: result, stats } = await cluster.client.queryTable(query.sql.replaceAll('{T}', table), {
          placement,
        });
        expect([table, diffResults(arrowResult(result), expected, query.ordered)]).toEqual([table, null]);
        const want = placement === 'pushdown' ? 'PLACEMENT_PUSHDOWN' : 'PLACEMENT_NO_PUSHDOWN';
        for (const f of stats.fragments) expect(f.placement).toBe(want);
      }
    },
  );

  it('refuses a malformed .jsonl at put, naming the line, and keeps nothing', async () => {
    const bad = join(dir, 'broken.jsonl');
    await writeFile(bad, '{"a":1}\n{"a":2}\n{"a":3,}\n');
    const admin = new BaseNodeAdmin(cluster.nodes.b1!);
    try {
      await expect(admin.putObject(bad, { table: 'broken' })).rejects.toThrow(
        /broken\.jsonl line 3: .*expected a quoted key/,
      );
      expect(await listObjects(cluster.nodes.b1!, 'broken')).toEqual([]);
    } finally {
      admin.close();
    }
  });
});
