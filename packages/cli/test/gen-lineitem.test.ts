/**
 * lineitem at SF 0.01, checked by DuckDB (the oracle) reading both formats: schema, row count,
 * identical aggregates from Parquet and CSV, and the value rules of TPC-H 4.2.3.
 */
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { join } from 'node:path';
import { bytesOf, duck, genLineitem, makeTempDir, removeDir, source } from './gen-helpers.js';
import type { GenResult } from '../src/gen/index.js';

let dir: string;
let result: GenResult;
let parquet: string;
let csv: string;

beforeAll(async () => {
  dir = await makeTempDir('lineitem');
  result = await genLineitem(dir);
  parquet = join(dir, 'lineitem-00000-of-00001.parquet');
  csv = join(dir, 'lineitem-00000-of-00001.csv');
});
afterAll(() => removeDir(dir));

describe('lineitem generation', () => {
  it('writes one file per format, named by part, with the row count it reports', () => {
    expect(result.files.map((f) => [f.path, f.format, f.part])).toEqual([
      [parquet, 'parquet', 0],
      [csv, 'csv', 0],
    ]);
    // ~4 lines per order, 15,000 orders at SF 0.01.
    expect(result.rows).toBeGreaterThan(58_000);
    expect(result.rows).toBeLessThan(62_000);
    for (const f of result.files) expect(f.rows).toBe(result.rows);
  });

  it('has the spec schema with engine types in Parquet', async () => {
    const schema = arrow.tableFromIPC(pw.readSchema(await bytesOf(parquet)).intoIPCStream()).schema;
    const types = schema.fields.map((f) => [f.name, String(f.type), f.nullable]);
    expect(types).toEqual([
      ['l_orderkey', 'Int64', false],
      ['l_partkey', 'Int64', false],
      ['l_suppkey', 'Int64', false],
      ['l_linenumber', 'Int32', false],
      ['l_quantity', 'Float64', false],
      ['l_extendedprice', 'Float64', false],
      ['l_discount', 'Float64', false],
      ['l_tax', 'Float64', false],
      ['l_returnflag', 'Utf8', false],
      ['l_linestatus', 'Utf8', false],
      ['l_shipdate', 'Date32<DAY>', false],
      ['l_commitdate', 'Date32<DAY>', false],
      ['l_receiptdate', 'Date32<DAY>', false],
      ['l_shipinstruct', 'Utf8', false],
      ['l_shipmode', 'Utf8', false],
      ['l_comment', 'Utf8', false],
    ]);
    const [meta] = await duck(`SELECT sum(row_group_num_rows) AS n, count(*) AS groups
      FROM (SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata('${parquet}'))`);
    expect(meta).toEqual({ n: result.rows, groups: 1 });
  });

  it('CSV has a header line and spec-formatted values', async () => {
    const text = (await bytesOf(csv)).subarray(0, 4096).toString('utf8');
    const [header, first] = text.split('\n');
    expect(header).toBe(
      'l_orderkey,l_partkey,l_suppkey,l_linenumber,l_quantity,l_extendedprice,l_discount,l_tax,' +
        'l_returnflag,l_linestatus,l_shipdate,l_commitdate,l_receiptdate,l_shipinstruct,l_shipmode,l_comment',
    );
    expect(first).toMatch(
      /^1,\d+,\d+,1,\d+\.00,\d+\.\d\d,0\.\d\d,0\.0\d,[RAN],[OF],\d{4}-\d\d-\d\d,\d{4}-\d\d-\d\d,\d{4}-\d\d-\d\d,[A-Z ]+,[A-Z ]+,/,
    );
  });

  it('DuckDB reads the same rows and aggregates from Parquet and CSV', async () => {
    const agg = (path: string): string =>
      `SELECT count(*) AS n, sum(l_orderkey) AS ok, sum(l_partkey) AS pk, sum(l_suppkey) AS sk,
              sum(l_linenumber) AS ln, sum(l_quantity) AS q, round(sum(l_extendedprice), 2) AS ep,
              round(sum(l_discount), 2) AS d, round(sum(l_tax), 2) AS t,
              sum(epoch(l_shipdate)) AS sd, sum(epoch(l_commitdate)) AS cd, sum(epoch(l_receiptdate)) AS rd,
              string_agg(l_returnflag || l_linestatus, '' ORDER BY l_orderkey, l_linenumber) = '' AS flags_empty,
              md5(string_agg(l_returnflag || l_linestatus || l_shipinstruct || l_shipmode || l_comment, '|'
                  ORDER BY l_orderkey, l_linenumber)) AS text_hash
       FROM ${source(path)}`;
    const [fromParquet] = await duck(agg(parquet));
    const [fromCsv] = await duck(agg(csv));
    expect(fromParquet!.n).toBe(result.rows);
    expect(fromCsv).toEqual(fromParquet);
    // Row by row, not only in aggregate: the two formats hold exactly the same values.
    const [diff] = await duck(
      `SELECT count(*) AS n FROM (SELECT * FROM ${source(parquet)} EXCEPT ALL SELECT * FROM ${source(csv)})`,
    );
    expect(diff!.n).toBe(0);
  });

  it('follows the value rules of TPC-H 4.2.3', async () => {
    const [r] = await duck(`
      SELECT
        count(*) FILTER (WHERE l_quantity NOT BETWEEN 1 AND 50 OR l_quantity <> floor(l_quantity)) AS bad_quantity,
        count(*) FILTER (WHERE l_discount NOT BETWEEN 0 AND 0.10 OR abs(l_discount * 100 - round(l_discount * 100)) > 1e-9)
          AS bad_discount,
        count(*) FILTER (WHERE l_tax NOT BETWEEN 0 AND 0.08) AS bad_tax,
        count(*) FILTER (WHERE l_partkey NOT BETWEEN 1 AND 2000) AS bad_partkey,
        count(*) FILTER (WHERE l_suppkey NOT BETWEEN 1 AND 100) AS bad_suppkey,
        count(*) FILTER (WHERE l_suppkey <> (l_partkey + s * (100 // 4 + (l_partkey - 1) // 100)) % 100 + 1)
          AS bad_suppkey_formula,
        count(*) FILTER (WHERE round(l_extendedprice * 100) <> l_quantity *
          (90000 + ((l_partkey // 10) % 20001) + 100 * (l_partkey % 1000))) AS bad_extendedprice,
        count(*) FILTER (WHERE l_receiptdate - l_shipdate NOT BETWEEN 1 AND 30) AS bad_receipt,
        count(*) FILTER (WHERE l_shipdate < DATE '1992-01-02' OR l_shipdate > DATE '1998-12-01') AS bad_ship_range,
        count(*) FILTER (WHERE l_returnflag <> CASE WHEN l_receiptdate <= DATE '1995-06-17'
          THEN l_returnflag ELSE 'N' END OR l_returnflag NOT IN ('R', 'A', 'N')
          OR (l_receiptdate <= DATE '1995-06-17' AND l_returnflag = 'N')) AS bad_returnflag,
        count(*) FILTER (WHERE l_linestatus <> CASE WHEN l_shipdate > DATE '1995-06-17' THEN 'O' ELSE 'F' END)
          AS bad_linestatus,
        count(*) FILTER (WHERE l_shipinstruct NOT IN ('DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN'))
          AS bad_instruct,
        count(*) FILTER (WHERE l_shipmode NOT IN ('REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'))
          AS bad_mode,
        count(*) FILTER (WHERE length(l_comment) NOT BETWEEN 10 AND 43) AS bad_comment,
        count(*) FILTER (WHERE l_orderkey IS NULL OR l_comment IS NULL OR l_shipdate IS NULL) AS nulls,
        count(DISTINCT l_shipinstruct) AS instructs, count(DISTINCT l_shipmode) AS modes,
        count(*) FILTER (WHERE l_returnflag = 'R') AS r, count(*) FILTER (WHERE l_returnflag = 'A') AS a
      FROM (SELECT *, list_position([(l_partkey + s2 * (100 // 4 + (l_partkey - 1) // 100)) % 100 + 1
                                     FOR s2 IN range(4)], l_suppkey) - 1 AS s
            FROM ${source(parquet)})`);
    expect(r).toMatchObject({
      bad_quantity: 0,
      bad_discount: 0,
      bad_tax: 0,
      bad_partkey: 0,
      bad_suppkey: 0,
      bad_suppkey_formula: 0,
      bad_extendedprice: 0,
      bad_receipt: 0,
      bad_ship_range: 0,
      bad_returnflag: 0,
      bad_linestatus: 0,
      bad_instruct: 0,
      bad_mode: 0,
      bad_comment: 0,
      nulls: 0,
      instructs: 4,
      modes: 7,
    });
    // R and A split 50/50 among returned lines (binomial, ~15k lines: 45..55% is > 10 sigma).
    const share = (r!.r as number) / ((r!.r as number) + (r!.a as number));
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
  });

  it('derives every line of an order from one order date, and uses the sparse order keys', async () => {
    const [r] = await duck(`
      WITH o AS (
        SELECT l_orderkey, count(*) AS lines, max(l_linenumber) AS maxline, min(l_linenumber) AS minline,
               max(l_shipdate - 1) AS od_hi_ship, min(l_shipdate - 121) AS od_lo_ship,
               max(l_commitdate - 30) AS od_hi_commit, min(l_commitdate - 90) AS od_lo_commit
        FROM ${source(parquet)} GROUP BY l_orderkey)
      SELECT count(*) AS orders, min(lines) AS min_lines, max(lines) AS max_lines,
             count(*) FILTER (WHERE maxline <> lines OR minline <> 1) AS bad_linenumbers,
             -- some single order date must satisfy all ship and commit windows of its lines
             count(*) FILTER (WHERE greatest(od_lo_ship, od_lo_commit) > least(od_hi_ship, od_hi_commit))
               AS no_common_orderdate,
             count(*) FILTER (WHERE (l_orderkey - 1) % 32 >= 8) AS bad_keys,
             max(l_orderkey) AS max_key
      FROM o`);
    expect(r).toMatchObject({
      orders: 15_000,
      min_lines: 1,
      max_lines: 7,
      bad_linenumbers: 0,
      no_common_orderdate: 0,
      bad_keys: 0,
      // order 14,999 → floor(14999/8)*32 + 14999%8 + 1
      max_key: 1874 * 32 + 7 + 1,
    });
  });
});
