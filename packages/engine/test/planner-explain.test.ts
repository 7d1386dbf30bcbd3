/**
 * Golden EXPLAIN texts (DataFusion .slt style): the logical plan, the base fragment, the upper
 * stages, the output schema and placement lines. Change them only with a deliberate plan change.
 */
import { explainQuery, planQuery } from '@pushdown/engine';
import { catalog } from './lineitem-catalog.js';
import { Q1, Q6 } from './tpch-queries.js';

const PLACEMENTS = [
  {
    object: 'lineitem/part-0.parquet',
    node: 'base-1',
    placement: 'PUSHDOWN',
    reason: 'forced by the request',
  },
  {
    object: 'lineitem/part-1.csv',
    node: 'base-2',
    placement: 'NO_PUSHDOWN',
    reason: 'base-2 has 0.1 CPU; pulling 1.2 MB is cheaper',
  },
];

const cases: [title: string, sql: string, withPlacements: boolean, explain: string][] = [
  [
    'TPC-H Q1',
    Q1,
    false,
    `Logical plan:
1 Sort: l_returnflag, l_linestatus
2   Project: l_returnflag, l_linestatus, sum_qty, sum_base_price, sum_disc_price, sum_charge, avg_qty, avg_price, avg_disc, count_order
3     Aggregate: groupBy=[l_returnflag, l_linestatus] aggregates=[sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price, sum((l_extendedprice * (1 - l_discount))) AS sum_disc_price, sum(((l_extendedprice * (1 - l_discount)) * (1 + l_tax))) AS sum_charge, avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order]
4       Filter: (l_shipdate <= DATE '1998-09-02')
5         Scan: lineitem [l_quantity, l_extendedprice, l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate]

Base fragment (per object of lineitem):
  read: l_quantity, l_extendedprice, l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate
  filter: (l_shipdate <= DATE '1998-09-02')
  partial aggregate: groupBy=[l_returnflag, l_linestatus] aggregates=[sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price, sum((l_extendedprice * (1 - l_discount))) AS sum_disc_price, sum(((l_extendedprice * (1 - l_discount)) * (1 + l_tax))) AS sum_charge, avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order]
  output: l_returnflag, l_linestatus, sum_qty, sum_base_price, sum_disc_price, sum_charge, avg_qty$sum, avg_qty$count, avg_price$sum, avg_price$count, avg_disc$sum, avg_disc$count, count_order

Upper stages (intermediary):
1 Sort: l_returnflag, l_linestatus
2   Project: l_returnflag, l_linestatus, sum_qty, sum_base_price, sum_disc_price, sum_charge, avg_qty, avg_price, avg_disc, count_order
3     FinalAggregate: groupBy=[l_returnflag, l_linestatus] aggregates=[sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price, sum((l_extendedprice * (1 - l_discount))) AS sum_disc_price, sum(((l_extendedprice * (1 - l_discount)) * (1 + l_tax))) AS sum_charge, avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order]
4       Merge: base fragments of lineitem

Output: l_returnflag utf8, l_linestatus utf8, sum_qty float64, sum_base_price float64, sum_disc_price float64, sum_charge float64, avg_qty float64, avg_price float64, avg_disc float64, count_order int64`,
  ],
  [
    'TPC-H Q6',
    Q6,
    false,
    `Logical plan:
1 Project: revenue
2   Aggregate: groupBy=[] aggregates=[sum((l_extendedprice * l_discount)) AS revenue]
3     Filter: ((((l_shipdate >= DATE '1994-01-01') AND (l_shipdate < DATE '1995-01-01')) AND (l_discount BETWEEN 0.05 AND 0.07)) AND (l_quantity < 24))
4       Scan: lineitem [l_quantity, l_extendedprice, l_discount, l_shipdate]

Base fragment (per object of lineitem):
  read: l_quantity, l_extendedprice, l_discount, l_shipdate
  filter: ((((l_shipdate >= DATE '1994-01-01') AND (l_shipdate < DATE '1995-01-01')) AND (l_discount BETWEEN 0.05 AND 0.07)) AND (l_quantity < 24))
  partial aggregate: groupBy=[] aggregates=[sum((l_extendedprice * l_discount)) AS revenue]
  output: revenue

Upper stages (intermediary):
1 Project: revenue
2   FinalAggregate: groupBy=[] aggregates=[sum((l_extendedprice * l_discount)) AS revenue]
3     Merge: base fragments of lineitem

Output: revenue float64`,
  ],
  [
    'top-N with a hidden sort key',
    "select l_orderkey, l_extendedprice * (1 - l_discount) as revenue from lineitem where l_shipmode in ('AIR', 'REG AIR') order by revenue desc, l_shipdate limit 10",
    false,
    `Logical plan:
1 Project: l_orderkey, revenue
2   Limit: 10
3     Sort: revenue DESC, $sort0
4       Project: l_orderkey, (l_extendedprice * (1 - l_discount)) AS revenue, l_shipdate AS $sort0
5         Filter: (l_shipmode IN ('AIR', 'REG AIR'))
6           Scan: lineitem [l_orderkey, l_extendedprice, l_discount, l_shipdate, l_shipmode]

Base fragment (per object of lineitem):
  read: l_orderkey, l_extendedprice, l_discount, l_shipdate, l_shipmode
  filter: (l_shipmode IN ('AIR', 'REG AIR'))
  project: l_orderkey, (l_extendedprice * (1 - l_discount)) AS revenue, l_shipdate AS $sort0

Upper stages (intermediary):
1 Limit: 10
2   Sort: revenue DESC, $sort0
3     Project: l_orderkey, revenue, $sort0
4       Merge: base fragments of lineitem

Output: l_orderkey int64, revenue float64`,
  ],
  [
    'LIMIT/OFFSET pushed to the base as LIMIT + OFFSET',
    "select l_comment from lineitem where l_comment like 'special%' limit 5 offset 5",
    false,
    `Logical plan:
1 Limit: 5 OFFSET 5
2   Project: l_comment
3     Filter: (l_comment LIKE 'special%')
4       Scan: lineitem [l_comment]

Base fragment (per object of lineitem):
  read: l_comment
  filter: (l_comment LIKE 'special%')
  project: (read columns as they are)
  limit: 10

Upper stages (intermediary):
1 Limit: 5 OFFSET 5
2   Project: l_comment
3     Merge: base fragments of lineitem

Output: l_comment utf8`,
  ],
  [
    'HAVING over the final aggregate',
    'select l_shipmode, avg(l_quantity) as q from lineitem group by l_shipmode having count(*) > 100 order by q desc nulls first',
    false,
    `Logical plan:
1 Sort: q DESC NULLS FIRST
2   Project: l_shipmode, q
3     Filter: (count_star() > 100)
4       Aggregate: groupBy=[l_shipmode] aggregates=[avg(l_quantity) AS q, count(*) AS count_star()]
5         Scan: lineitem [l_quantity, l_shipmode]

Base fragment (per object of lineitem):
  read: l_quantity, l_shipmode
  partial aggregate: groupBy=[l_shipmode] aggregates=[avg(l_quantity) AS q, count(*) AS count_star()]
  output: l_shipmode, q$sum, q$count, count_star()

Upper stages (intermediary):
1 Sort: q DESC NULLS FIRST
2   Project: l_shipmode, q
3     Having: (count_star() > 100)
4       FinalAggregate: groupBy=[l_shipmode] aggregates=[avg(l_quantity) AS q, count(*) AS count_star()]
5         Merge: base fragments of lineitem

Output: l_shipmode utf8, q float64`,
  ],
  [
    'count(*) with placements',
    'select count(*) from lineitem',
    true,
    `Logical plan:
1 Project: count_star()
2   Aggregate: groupBy=[] aggregates=[count(*) AS count_star()]
3     Scan: lineitem []

Base fragment (per object of lineitem):
  read: (no columns: row counts only)
  partial aggregate: groupBy=[] aggregates=[count(*) AS count_star()]
  output: count_star()

Upper stages (intermediary):
1 Project: count_star()
2   FinalAggregate: groupBy=[] aggregates=[count(*) AS count_star()]
3     Merge: base fragments of lineitem

Output: count_star() int64
Placement:
  lineitem/part-0.parquet on base-1: PUSHDOWN (forced by the request)
  lineitem/part-1.csv on base-2: NO_PUSHDOWN (base-2 has 0.1 CPU; pulling 1.2 MB is cheaper)`,
  ],
];

test.each(cases)('EXPLAIN %s', (_title, sql, withPlacements, expected) => {
  expect(explainQuery(planQuery(sql, catalog), withPlacements ? PLACEMENTS : undefined)).toBe(expected);
});

test('the logical plan section numbers one line per node, indented by depth', () => {
  const text = explainQuery(planQuery('select l_tax from lineitem order by l_tax desc limit 10', catalog));
  expect(text.split('\n').slice(0, 5)).toEqual([
    'Logical plan:',
    '1 Limit: 10',
    '2   Sort: l_tax DESC',
    '3     Project: l_tax',
    '4       Scan: lineitem [l_tax]',
  ]);
});
