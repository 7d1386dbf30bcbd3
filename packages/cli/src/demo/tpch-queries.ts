/**
 * TPC-H Q1 and Q6 as the spec writes them (substitution parameters at their validation values),
 * over `lineitem` by default. Tests and benchmarks reuse these exact texts.
 */

/** TPC-H Q1, pricing summary report (DELTA = 90). */
export const Q1_SQL = `select
  l_returnflag,
  l_linestatus,
  sum(l_quantity) as sum_qty,
  sum(l_extendedprice) as sum_base_price,
  sum(l_extendedprice * (1 - l_discount)) as sum_disc_price,
  sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) as sum_charge,
  avg(l_quantity) as avg_qty,
  avg(l_extendedprice) as avg_price,
  avg(l_discount) as avg_disc,
  count(*) as count_order
from lineitem
where l_shipdate <= date '1998-12-01' - interval '90' day
group by l_returnflag, l_linestatus
order by l_returnflag, l_linestatus`;

/** TPC-H Q6, forecasting revenue change (DATE = 1994-01-01, DISCOUNT = 0.06, QUANTITY = 24). */
export const Q6_SQL = `select
  sum(l_extendedprice * l_discount) as revenue
from lineitem
where l_shipdate >= date '1994-01-01'
  and l_shipdate < date '1994-01-01' + interval '1' year
  and l_discount between 0.06 - 0.01 and 0.06 + 0.01
  and l_quantity < 24`;

export interface TpchQuery {
  name: string;
  sql: string;
}

export const TPCH_QUERIES: readonly TpchQuery[] = [
  { name: 'Q1', sql: Q1_SQL },
  { name: 'Q6', sql: Q6_SQL },
];

/** The query's SQL over another table with lineitem's columns (e.g. `lineitem_csv`). */
export function overTable(sql: string, table: string): string {
  return sql.replace(/\bfrom lineitem\b/, `from ${table}`);
}
