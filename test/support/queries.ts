/**
 * The correctness suite's query table. `{L}` is the lineitem table and `{N}` the table with
 * NULLs; each query runs over the Parquet and the CSV copy of both, under every placement, and
 * is compared with DuckDB on the same files.
 *
 * `ordered: true` means the query has an ORDER BY that fixes the row order completely, so rows
 * are compared in order; otherwise both sides are sorted first.
 */
import { Q1_SQL, Q6_SQL, overTable } from '@pushdown/cli';

export interface CorrectnessQuery {
  readonly name: string;
  readonly sql: string;
  readonly ordered: boolean;
}

/** TPC-H Q1 and Q6 exactly as the demo and the benchmark run them. */
export const TPCH_Q1 = overTable(Q1_SQL, '{L}');
export const TPCH_Q6 = overTable(Q6_SQL, '{L}');

const q = (name: string, sql: string, ordered = false): CorrectnessQuery => ({ name, sql, ordered });

export const CORRECTNESS_QUERIES: readonly CorrectnessQuery[] = [
  q('tpch-q1', TPCH_Q1, true),
  q('tpch-q6', TPCH_Q6),
  q(
    'tpch-q1-literal-date',
    `SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, count(*) AS n FROM {L}
     WHERE l_shipdate <= DATE '1998-09-02' GROUP BY l_returnflag, l_linestatus ORDER BY 1, 2`,
    true,
  ),
  q('count-star', `SELECT count(*) AS n FROM {L}`),
  q('high-selectivity-filter', `SELECT count(*) AS n, sum(l_quantity) AS q FROM {L} WHERE l_quantity < 49`),
  q(
    'low-selectivity-rows',
    `SELECT l_orderkey, l_linenumber, l_extendedprice FROM {L} WHERE l_orderkey < 100 ORDER BY l_orderkey, l_linenumber`,
    true,
  ),
  q(
    'group-by-string',
    `SELECT l_shipmode, count(*) AS n, avg(l_discount) AS d FROM {L} GROUP BY l_shipmode ORDER BY l_shipmode`,
    true,
  ),
  q(
    'group-by-two-keys',
    `SELECT l_returnflag, l_linestatus, count(*) AS n FROM {L} GROUP BY l_returnflag, l_linestatus ORDER BY 1, 2`,
    true,
  ),
  q(
    'group-by-int',
    `SELECT l_linenumber, count(*) AS n, max(l_extendedprice) AS mx FROM {L} GROUP BY l_linenumber ORDER BY l_linenumber`,
    true,
  ),
  q('min-max-dates', `SELECT min(l_shipdate) AS a, max(l_shipdate) AS b, min(l_receiptdate) AS c FROM {L}`),
  q(
    'date-between',
    `SELECT count(*) AS n FROM {L} WHERE l_shipdate BETWEEN DATE '1995-01-01' AND DATE '1995-03-31'`,
  ),
  q(
    'in-list',
    `SELECT l_shipmode, sum(l_quantity) AS q FROM {L} WHERE l_shipmode IN ('AIR', 'MAIL', 'SHIP') GROUP BY l_shipmode ORDER BY 1`,
    true,
  ),
  q('like-prefix', `SELECT count(*) AS n FROM {L} WHERE l_shipinstruct LIKE 'DELIVER%'`),
  q('not-or', `SELECT count(*) AS n FROM {L} WHERE NOT (l_returnflag = 'N') OR l_discount > 0.08`),
  q(
    'order-by-limit',
    `SELECT l_orderkey, l_linenumber, l_extendedprice FROM {L} ORDER BY l_extendedprice DESC, l_orderkey, l_linenumber LIMIT 10`,
    true,
  ),
  q(
    'limit-offset',
    `SELECT l_orderkey, l_linenumber FROM {L} ORDER BY l_orderkey DESC, l_linenumber DESC LIMIT 5 OFFSET 3`,
    true,
  ),
  q(
    'arithmetic-projection',
    `SELECT l_orderkey, l_linenumber, l_extendedprice * (1 - l_discount) AS net, l_quantity + 1 AS q1
     FROM {L} WHERE l_orderkey BETWEEN 1000 AND 1100 ORDER BY l_orderkey, l_linenumber`,
    true,
  ),
  q(
    'empty-aggregate',
    `SELECT count(*) AS n, sum(l_quantity) AS s, avg(l_quantity) AS a, min(l_shipdate) AS m FROM {L} WHERE l_quantity > 1000`,
  ),
  q('empty-rows', `SELECT l_orderkey, l_comment FROM {L} WHERE l_quantity < 0`),
  q('column-vs-column', `SELECT count(*) AS n FROM {L} WHERE l_commitdate < l_receiptdate`),
  q('expression-over-aggregates', `SELECT sum(l_extendedprice) / sum(l_quantity) AS avg_price FROM {L}`),
  q('string-min-max', `SELECT max(l_comment) AS a, min(l_shipinstruct) AS b FROM {L}`),
  q(
    'not-in-not-between',
    `SELECT count(*) AS n FROM {L} WHERE l_shipmode NOT IN ('AIR', 'RAIL') AND l_quantity NOT BETWEEN 10 AND 40`,
  ),
  q(
    'interval-month',
    `SELECT l_returnflag, sum(l_quantity) AS q FROM {L} WHERE l_shipdate > DATE '1998-01-01' - INTERVAL '1' MONTH GROUP BY 1 ORDER BY 1`,
    true,
  ),
  q(
    'group-by-expression',
    `SELECT l_quantity * 2 AS dq, count(*) AS n FROM {L} WHERE l_quantity < 5 GROUP BY l_quantity * 2 ORDER BY dq`,
    true,
  ),
  q(
    'having',
    `SELECT l_shipmode, sum(l_quantity) AS q FROM {L} GROUP BY l_shipmode HAVING count(*) > 8000 AND avg(l_discount) > 0.04 ORDER BY l_shipmode`,
    true,
  ),
  q(
    'order-by-column-not-selected',
    `SELECT l_orderkey, l_linenumber FROM {L} WHERE l_orderkey < 50 ORDER BY l_extendedprice DESC, l_orderkey, l_linenumber`,
    true,
  ),
  q(
    'order-by-aggregate-not-selected',
    `SELECT l_returnflag, avg(l_tax) AS t FROM {L} GROUP BY l_returnflag ORDER BY max(l_discount) DESC, l_returnflag`,
    true,
  ),
  q(
    'nulls-aggregates',
    `SELECT count(*) AS n, count(i) AS ni, sum(i) AS si, avg(f) AS af, min(s) AS ms, max(d) AS md FROM {N}`,
  ),
  q('nulls-group-by', `SELECT s, count(*) AS n, sum(f) AS sf FROM {N} GROUP BY s ORDER BY s`, true),
  q('nulls-is-null-or', `SELECT id, i, f FROM {N} WHERE i IS NULL OR f > 0.5 ORDER BY id`, true),
  q('nulls-three-valued-not', `SELECT id FROM {N} WHERE s IS NOT NULL AND NOT (i > 5) ORDER BY id`, true),
  q('nulls-arithmetic', `SELECT id, i + f AS x, i * 2 AS y FROM {N} WHERE id < 50 ORDER BY id`, true),
  q('nulls-star-limit', `SELECT * FROM {N} ORDER BY id LIMIT 7`, true),
  q('nulls-order-desc', `SELECT id, d FROM {N} WHERE id < 40 ORDER BY d DESC, id`, true),
];

/** SQL of the table with NULLs, written by DuckDB as Parquet and CSV for the suite. */
export const NULLS_TABLE_SQL = `SELECT
  range::INTEGER AS id,
  CASE WHEN range % 5 = 0 THEN NULL ELSE (range * 7) % 13 END::BIGINT AS i,
  CASE WHEN range % 7 = 0 THEN NULL ELSE ((range * 37) % 100) / 100.0 END::DOUBLE AS f,
  CASE WHEN range % 4 = 0 THEN NULL ELSE 'str' || (range % 9)::VARCHAR END AS s,
  CASE WHEN range % 6 = 0 THEN NULL ELSE DATE '1995-01-01' + (range % 365)::INTEGER END AS d
FROM range(1000)`;
