/** The TPC-H lineitem schema the SQL and planner tests bind against. */
import { catalogFromSchemas, type Schema } from '@pushdown/engine';

export const LINEITEM: Schema = (
  [
    ['l_orderkey', 'int64'],
    ['l_partkey', 'int64'],
    ['l_suppkey', 'int64'],
    ['l_linenumber', 'int32'],
    ['l_quantity', 'float64'],
    ['l_extendedprice', 'float64'],
    ['l_discount', 'float64'],
    ['l_tax', 'float64'],
    ['l_returnflag', 'utf8'],
    ['l_linestatus', 'utf8'],
    ['l_shipdate', 'date32'],
    ['l_commitdate', 'date32'],
    ['l_receiptdate', 'date32'],
    ['l_shipinstruct', 'utf8'],
    ['l_shipmode', 'utf8'],
    ['l_comment', 'utf8'],
  ] as const
).map(([name, type]) => ({ name, type, nullable: false }));

export const catalog = catalogFromSchemas({
  lineitem: LINEITEM,
  orders: [{ name: 'o_orderkey', type: 'int64', nullable: false }],
});
