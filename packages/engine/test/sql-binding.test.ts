/**
 * SQL front end: every supported construct binds to the expected IR, output name (DuckDB's
 * naming for unaliased items) and type. One table of cases per concern.
 */
import {
  exprToString,
  formatLogicalPlan,
  parseSql,
  planQuery,
  type DataType,
  type Expr,
} from '@pushdown/engine';
import { catalog } from './lineitem-catalog.js';

/** The first output column of `SELECT <expr> FROM lineitem`: its name, type and the expression computing it. */
function selectOne(expr: string): { name: string; type: DataType; text: string } {
  const plan = planQuery(`SELECT ${expr} FROM lineitem`, catalog);
  const out = plan.outputSchema[0]!;
  const computed: Expr = plan.fragment.aggregate
    ? plan.upper.project[0]!.expr
    : (plan.fragment.project?.[0]?.expr ?? { kind: 'column', name: plan.fragment.columns[0]! });
  return { name: out.name, type: out.type, text: exprToString(computed) };
}

describe('select items: output name (DuckDB naming), type and bound expression', () => {
  const cases: [sql: string, name: string, type: DataType, text: string][] = [
    ['L_QUANTITY', 'l_quantity', 'float64', 'l_quantity'],
    ['"L_Quantity"', 'l_quantity', 'float64', 'l_quantity'],
    ['lineitem.l_tax', 'l_tax', 'float64', 'l_tax'],
    ['l_quantity + 1', '(l_quantity + 1)', 'float64', '(l_quantity + 1)'],
    [
      'l_linenumber + l_linenumber',
      '(l_linenumber + l_linenumber)',
      'int64',
      '(l_linenumber + l_linenumber)',
    ],
    ['l_orderkey / 2', '(l_orderkey / 2)', 'float64', '(l_orderkey / 2)'],
    ['l_linenumber * 1.5', '(l_linenumber * 1.5)', 'float64', '(l_linenumber * 1.5)'],
    ['l_quantity * 2 + 1', '((l_quantity * 2) + 1)', 'float64', '((l_quantity * 2) + 1)'],
    ['-l_quantity', '-(l_quantity)', 'float64', '(-l_quantity)'],
    ['-(l_quantity + 1)', '-((l_quantity + 1))', 'float64', '(-(l_quantity + 1))'],
    ['l_quantity - -1', '(l_quantity - -1)', 'float64', '(l_quantity - -1)'],
    ['(l_quantity)', 'l_quantity', 'float64', 'l_quantity'],
    ['cast(l_orderkey as integer)', 'CAST(l_orderkey AS INTEGER)', 'int32', 'CAST(l_orderkey AS INT32)'],
    ['l_linenumber::bigint', 'CAST(l_linenumber AS BIGINT)', 'int64', 'CAST(l_linenumber AS INT64)'],
    [
      'cast(l_linenumber as double)',
      'CAST(l_linenumber AS DOUBLE)',
      'float64',
      'CAST(l_linenumber AS FLOAT64)',
    ],
    ['cast(l_quantity as decimal(12,2))', 'CAST(l_quantity AS DOUBLE)', 'float64', 'l_quantity'],
    ['1', '1', 'int64', '1'],
    ['-1', '-1', 'int64', '-1'],
    ['1.5', '1.5', 'float64', '1.5'],
    ["'x'", "'x'", 'utf8', "'x'"],
    ["'it''s'", "'it''s'", 'utf8', "'it''s'"],
    ['true', 'true', 'bool', 'true'],
    ["date '1998-12-01'", "DATE '1998-12-01'", 'date32', "DATE '1998-12-01'"],
    ['l_quantity between 1 and 2', '(l_quantity BETWEEN 1 AND 2)', 'bool', '(l_quantity BETWEEN 1 AND 2)'],
    [
      'l_quantity not between 1 and 2',
      '(NOT (l_quantity BETWEEN 1 AND 2))',
      'bool',
      '(l_quantity NOT BETWEEN 1 AND 2)',
    ],
    ["l_returnflag like 'A%'", "(l_returnflag ~~ 'A%')", 'bool', "(l_returnflag LIKE 'A%')"],
    ["l_returnflag not like 'A%'", "(l_returnflag !~~ 'A%')", 'bool', "(l_returnflag NOT LIKE 'A%')"],
    ["l_returnflag in ('A', 'B')", "(l_returnflag IN ('A', 'B'))", 'bool', "(l_returnflag IN ('A', 'B'))"],
    ['l_orderkey not in (1, 2)', '(l_orderkey NOT IN (1, 2))', 'bool', '(l_orderkey NOT IN (1, 2))'],
    ['l_quantity is null', '(l_quantity IS NULL)', 'bool', '(l_quantity IS NULL)'],
    ['l_quantity is not null', '(l_quantity IS NOT NULL)', 'bool', '(l_quantity IS NOT NULL)'],
    ['not (l_quantity > 1)', '(NOT (l_quantity > 1))', 'bool', '(NOT (l_quantity > 1))'],
    ['not l_quantity > 1', '(NOT (l_quantity > 1))', 'bool', '(NOT (l_quantity > 1))'],
    ['l_quantity <> 1', '(l_quantity != 1)', 'bool', '(l_quantity <> 1)'],
    ['l_quantity != 1', '(l_quantity != 1)', 'bool', '(l_quantity <> 1)'],
    [
      'l_quantity = 1 or l_quantity = 2 and l_tax = 3',
      '((l_quantity = 1) OR ((l_quantity = 2) AND (l_tax = 3)))',
      'bool',
      '((l_quantity = 1) OR ((l_quantity = 2) AND (l_tax = 3)))',
    ],
    ["l_shipdate > '1998-01-01'", "(l_shipdate > '1998-01-01')", 'bool', "(l_shipdate > DATE '1998-01-01')"],
    ['sum(l_quantity)', 'sum(l_quantity)', 'float64', 'sum(l_quantity)'],
    ['sum(l_linenumber)', 'sum(l_linenumber)', 'int64', 'sum(l_linenumber)'],
    ['count(*)', 'count_star()', 'int64', 'count_star()'],
    ['count(l_orderkey)', 'count(l_orderkey)', 'int64', 'count(l_orderkey)'],
    ['avg(l_linenumber)', 'avg(l_linenumber)', 'float64', 'avg(l_linenumber)'],
    ['min(l_shipdate)', 'min(l_shipdate)', 'date32', 'min(l_shipdate)'],
    ['max(l_linenumber)', 'max(l_linenumber)', 'int32', 'max(l_linenumber)'],
    ['max(l_comment)', 'max(l_comment)', 'utf8', 'max(l_comment)'],
    [
      'sum(l_extendedprice * (1 - l_discount))',
      'sum((l_extendedprice * (1 - l_discount)))',
      'float64',
      'sum((l_extendedprice * (1 - l_discount)))',
    ],
    [
      'sum(l_quantity) / count(*)',
      '(sum(l_quantity) / count_star())',
      'float64',
      '(sum(l_quantity) / count_star())',
    ],
    ['sum(l_quantity) as total', 'total', 'float64', 'total'],
    ['l_quantity AS "Mixed Case"', 'Mixed Case', 'float64', 'l_quantity'],
  ];
  test.each(cases)('%s → %s %s', (sql, name, type, text) => {
    expect(selectOne(sql)).toEqual({ name, type, text });
  });
});

describe('constant folding is exact for decimal literals and dates', () => {
  const cases: [sql: string, text: string, type: DataType][] = [
    ['0.06 + 0.01', '0.07', 'float64'],
    ['0.06 - 0.01', '0.05', 'float64'],
    ['0.1 + 0.2', '0.3', 'float64'],
    ['1.1 * 1.1', '1.21', 'float64'],
    ['1 + 2 * 3', '7', 'int64'],
    ['7 / 2', '3.5', 'float64'],
    ['1 / 0', 'NULL', 'float64'],
    ['-(2.5)', '-2.5', 'float64'],
    ['9007199254740993 + 0', '9007199254740993', 'int64'],
    ['1.5e-3 + 1', '1.0015', 'float64'],
    ['cast(2.5 as integer)', '3', 'int32'],
    ['cast(-2.5 as bigint)', '-3', 'int64'],
    ["cast('1998-12-01' as date)", "DATE '1998-12-01'", 'date32'],
    ["date '1998-12-01' - interval '90' day", "DATE '1998-09-02'", 'date32'],
    ["date '1994-01-01' + interval '1' year", "DATE '1995-01-01'", 'date32'],
    ["date '1994-01-31' + interval '1' month", "DATE '1994-02-28'", 'date32'],
    ["date '1996-03-31' - interval 1 month", "DATE '1996-02-29'", 'date32'],
    ["interval '3 days' + date '1994-01-01'", "DATE '1994-01-04'", 'date32'],
  ];
  test.each(cases)('%s folds to %s', (sql, text, type) => {
    const got = selectOne(sql);
    expect([got.text, got.type]).toEqual([text, type]);
  });

  test('0.06 + 0.01 is the double nearest 0.07, not 0.06999999999999999', () => {
    const plan = planQuery(
      'SELECT * FROM lineitem WHERE l_discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01',
      catalog,
    );
    expect(plan.fragment.filter).toMatchObject({
      kind: 'between',
      low: { value: 0.05 },
      high: { value: 0.07 },
    });
    expect(0.06 + 0.01).not.toBe(0.07); // why the folding must not use doubles
  });

  test('int64 literals beyond 2^53 stay exact as decimal strings', () => {
    const plan = planQuery('SELECT * FROM lineitem WHERE l_orderkey = 9007199254740993', catalog);
    expect(plan.fragment.filter).toMatchObject({
      right: { kind: 'literal', value: '9007199254740993', type: 'int64' },
    });
  });
});

describe('clauses', () => {
  const cases: [sql: string, plan: string][] = [
    [
      'select * from LINEITEM where l_quantity < 24 limit 5 offset 10',
      `1 Limit: 5 OFFSET 10
2   Project: l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice, l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate, l_commitdate, l_receiptdate, l_shipinstruct, l_shipmode, l_comment
3     Filter: (l_quantity < 24)
4       Scan: lineitem [l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice, l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate, l_commitdate, l_receiptdate, l_shipinstruct, l_shipmode, l_comment]`,
    ],
    [
      'select l.l_orderkey as k from lineitem l offset 3',
      `1 Limit: ALL OFFSET 3
2   Project: l_orderkey AS k
3     Scan: lineitem [l_orderkey]`,
    ],
    [
      "select l_orderkey from lineitem where l_shipmode in ('AIR', 'MAIL') and l_comment like '%fur%' and l_tax is not null and not l_discount > 0.1 limit all",
      `1 Project: l_orderkey
2   Filter: ((((l_shipmode IN ('AIR', 'MAIL')) AND (l_comment LIKE '%fur%')) AND (l_tax IS NOT NULL)) AND (NOT (l_discount > 0.1)))
3     Scan: lineitem [l_orderkey, l_discount, l_tax, l_shipmode, l_comment]`,
    ],
    [
      'select l_returnflag as rf, count(*) as n from lineitem group by rf order by n desc, 1 nulls first',
      `1 Sort: n DESC, rf NULLS FIRST
2   Project: l_returnflag AS rf, n
3     Aggregate: groupBy=[l_returnflag] aggregates=[count(*) AS n]
4       Scan: lineitem [l_returnflag]`,
    ],
    [
      'select l_returnflag, l_linestatus, sum(l_quantity) from lineitem group by 1, 2 order by 2 desc nulls last, sum(l_quantity)',
      `1 Sort: l_linestatus DESC, sum(l_quantity)
2   Project: l_returnflag, l_linestatus, sum(l_quantity)
3     Aggregate: groupBy=[l_returnflag, l_linestatus] aggregates=[sum(l_quantity)]
4       Scan: lineitem [l_quantity, l_returnflag, l_linestatus]`,
    ],
    [
      'select l_shipmode, max(l_quantity) - min(l_quantity) as spread from lineitem group by l_shipmode having count(*) > 10 and avg(l_tax) < 0.5 order by count(*) desc limit 3',
      `1 Project: l_shipmode, spread
2   Limit: 3
3     Sort: $sort0 DESC
4       Project: l_shipmode, (max(l_quantity) - min(l_quantity)) AS spread, count_star() AS $sort0
5         Filter: ((count_star() > 10) AND (avg(l_tax) < 0.5))
6           Aggregate: groupBy=[l_shipmode] aggregates=[max(l_quantity), min(l_quantity), count(*) AS count_star(), avg(l_tax)]
7             Scan: lineitem [l_quantity, l_tax, l_shipmode]`,
    ],
    [
      'select l_quantity + 1 as q1 from lineitem group by l_quantity + 1 order by q1',
      `1 Sort: q1
2   Project: q1
3     Aggregate: groupBy=[(l_quantity + 1) AS q1] aggregates=[]
4       Scan: lineitem [l_quantity]`,
    ],
    [
      'select l_orderkey from lineitem order by l_extendedprice * (1 - l_discount) desc, l_orderkey',
      `1 Project: l_orderkey
2   Sort: $sort0 DESC, l_orderkey
3     Project: l_orderkey, (l_extendedprice * (1 - l_discount)) AS $sort0
4       Scan: lineitem [l_orderkey, l_extendedprice, l_discount]`,
    ],
    [
      'select count(*) from lineitem',
      `1 Project: count_star()
2   Aggregate: groupBy=[] aggregates=[count(*) AS count_star()]
3     Scan: lineitem []`,
    ],
    [
      'select sum(l_tax) as a, sum(l_tax) as b, sum(l_tax) / count(*) as c from lineitem',
      `1 Project: a, a AS b, (a / count_star()) AS c
2   Aggregate: groupBy=[] aggregates=[sum(l_tax) AS a, count(*) AS count_star()]
3     Scan: lineitem [l_tax]`,
    ],
    [
      // The alias clashes with the group column: the aggregate keeps its own name.
      'select sum(l_quantity) as l_returnflag from lineitem group by l_returnflag',
      `1 Project: sum(l_quantity) AS l_returnflag
2   Aggregate: groupBy=[l_returnflag] aggregates=[sum(l_quantity)]
3     Scan: lineitem [l_quantity, l_returnflag]`,
    ],
  ];
  test.each(cases)('%s', (sql, expected) => {
    expect(formatLogicalPlan(parseSql(sql, catalog))).toBe(expected);
  });
});
