/**
 * Every error the front end raises: its class (which fixes the gRPC status) and its message,
 * with the position, pinned. Syntax errors and bad input are InvalidArgumentError, valid SQL we
 * cannot run is PlanError, an unknown table is NotFoundError.
 */
import { InvalidArgumentError, NotFoundError, PlanError } from '@pushdown/proto';
import { planQuery } from '@pushdown/engine';
import { catalog } from './lineitem-catalog.js';

type ErrorClass = typeof InvalidArgumentError | typeof PlanError | typeof NotFoundError;

const COLUMNS =
  'Columns of lineitem: l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice, l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate, l_commitdate, l_receiptdate, l_shipinstruct, l_shipmode, l_comment';

function expectError(sql: string, cls: ErrorClass, message: string): void {
  let caught: unknown;
  try {
    planQuery(sql, catalog);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(cls);
  expect((caught as Error).message).toBe(message);
}

describe('syntax errors say what was expected, where, and show the text', () => {
  const cases: [string, string][] = [
    [
      'select l_quantity from lineitem where',
      'syntax error at line 1, column 38: expected an expression but found end of input\n  select l_quantity from lineitem where\n                                       ^',
    ],
    [
      'select l_quantity form lineitem',
      'syntax error at line 1, column 24: expected INTO, FROM, WHERE, GROUP, HAVING, ORDER, LIMIT, OFFSET, WINDOW, UNION, ..., "(", ",", ";" or end of input but found "lineitem"\n  select l_quantity form lineitem\n                         ^',
    ],
    [
      'select sum(l_quantity from lineitem',
      'syntax error at line 1, column 23: expected "(", ")", "," or an operator but found "from"\n  select sum(l_quantity from lineitem\n                        ^',
    ],
    [
      "select 'abc from lineitem",
      "syntax error at line 1, column 26: expected a closing ' (the string literal is not terminated) but found end of input\n  select 'abc from lineitem\n                           ^",
    ],
    [
      'select *\nfrom lineitem\nwhere l_quantity >',
      'syntax error at line 3, column 19: expected an expression but found end of input\n  where l_quantity >\n                    ^',
    ],
  ];
  test.each(cases)('%s', (sql, message) => expectError(sql, InvalidArgumentError, message));
});

describe('valid SQL that is not supported → PlanError naming the construct', () => {
  const cases: [string, string][] = [
    [
      'select * from lineitem l join orders o on l.l_orderkey = o.o_orderkey',
      'JOIN is not supported yet (line 1, column 26); query one table at a time',
    ],
    [
      'select * from lineitem, orders',
      'JOIN is not supported yet (several tables in FROM, line 1, column 23); query one table at a time',
    ],
    [
      'select * from lineitem union select * from lineitem',
      'UNION is not supported yet (line 1, column 24); run each SELECT separately',
    ],
    [
      'with x as (select 1) select * from x',
      'WITH (common table expressions) is not supported yet (line 1, column 1)',
    ],
    ['select distinct l_returnflag from lineitem', 'SELECT DISTINCT is not supported yet (line 1, column 8)'],
    [
      'select * from (select * from lineitem) s',
      'subqueries in FROM are not supported yet (line 1, column 16)',
    ],
    [
      'select * from lineitem where l_orderkey in (select o_orderkey from orders)',
      'IN (subquery) is not supported yet (line 1, column 45)',
    ],
    [
      'select * from lineitem where exists (select 1)',
      'EXISTS (subquery) is not supported yet (line 1, column 30)',
    ],
    [
      'select row_number() over (order by l_orderkey) from lineitem',
      'window functions are not supported yet (line 1, column 21)',
    ],
    [
      'select upper(l_comment) from lineitem',
      'function upper() is not supported (line 1, column 8); supported functions: count, sum, avg, min, max, cast, geo_distance, geo_distance_to, hash64_utf8, hash64_int64, var_welford, stddev_welford, geomean, contains, starts_with_ci, ends_with, upper_ascii, replace_all',
    ],
    [
      'select case when l_tax > 0 then 1 else 0 end from lineitem',
      'CASE expressions are not supported yet (line 1, column 8)',
    ],
    [
      'select count(distinct l_returnflag) from lineitem',
      'COUNT(DISTINCT ...) is not supported yet (line 1, column 8)',
    ],
    ['select l_orderkey % 2 from lineitem', 'operator % is not supported (line 1, column 8)'],
    [
      "select * from lineitem where l_shipdate + interval '1' day > date '1998-01-01'",
      "date arithmetic on l_shipdate is not supported yet (line 1, column 30); only DATE 'yyyy-mm-dd' ± INTERVAL folds to a constant",
    ],
    [
      "select interval '1' hour from lineitem",
      "INTERVAL '1' hour is not supported (line 1, column 8); use INTERVAL 'n' DAY, MONTH or YEAR",
    ],
    [
      'select cast(l_comment as double) from lineitem',
      'CAST from VARCHAR to DOUBLE is not supported (line 1, column 8); columns cast between numeric types only',
    ],
    [
      'select cast(l_quantity as varchar) from lineitem',
      'CAST to VARCHAR is not supported (line 1, column 8); cast to INTEGER, BIGINT, DOUBLE, DECIMAL or DATE',
    ],
    [
      "select * from lineitem where l_comment like 'a!%' escape '!'",
      'LIKE ... ESCAPE is not supported yet (line 1, column 51)',
    ],
    [
      'select * from lineitem where l_quantity is true',
      'IS TRUE is not supported (line 1, column 30); only IS [NOT] NULL',
    ],
    ['select 1; select 2', 'only one statement per query is supported; found 2 (line 1, column 9)'],
    ['insert into lineitem values (1)', 'INSERT statements are not supported; only SELECT queries can run'],
    ['select 1', 'a query needs FROM <table>: SELECT without FROM is not supported'],
    [
      'select * from db.lineitem',
      'schema-qualified table names (db.lineitem) are not supported (line 1, column 18)',
    ],
  ];
  test.each(cases)('%s', (sql, message) => expectError(sql, PlanError, message));
});

describe('binding errors', () => {
  const cases: [string, ErrorClass, string][] = [
    [
      'select * from lineitems',
      NotFoundError,
      'table "lineitems" not found (line 1, column 15); did you mean "lineitem"? Known tables: lineitem, orders',
    ],
    [
      'select * from nope',
      NotFoundError,
      'table "nope" not found (line 1, column 15). Known tables: lineitem, orders',
    ],
    [
      'select l_quantiy from lineitem',
      InvalidArgumentError,
      `column "l_quantiy" not found in table lineitem (line 1, column 8); did you mean "l_quantity"? ${COLUMNS}`,
    ],
    [
      'select * from lineitem\nwhere l_quantity > 1\n  and l_bogus = 2',
      InvalidArgumentError,
      `column "l_bogus" not found in table lineitem (line 3, column 7). ${COLUMNS}`,
    ],
    [
      'select x.l_quantity from lineitem',
      InvalidArgumentError,
      'unknown table "x" in x.l_quantity (line 1, column 8); the query reads lineitem',
    ],
    [
      "select * from lineitem where l_quantity > 'a'",
      InvalidArgumentError,
      "cannot compare l_quantity (float64) with 'a' (utf8) in (l_quantity > 'a') (line 1, column 30); compare numbers with numbers and text with quoted strings",
    ],
    [
      "select * from lineitem where l_shipdate > 'abc'",
      InvalidArgumentError,
      "cannot compare a DATE with 'abc' (line 1, column 30): expected a date as 'YYYY-MM-DD'",
    ],
    [
      'select * from lineitem where l_shipdate = 1',
      InvalidArgumentError,
      'cannot compare l_shipdate (date32) with 1 (int64) in (l_shipdate = 1) (line 1, column 30)',
    ],
    [
      "select * from lineitem where date '1998-02-30' < l_shipdate",
      InvalidArgumentError,
      "invalid DATE literal '1998-02-30' (line 1, column 35): expected 'YYYY-MM-DD'",
    ],
    [
      'select l_returnflag + 1 from lineitem',
      InvalidArgumentError,
      'expected a number but l_returnflag is utf8 in (l_returnflag + 1) (line 1, column 8)',
    ],
    [
      'select avg(l_comment) from lineitem',
      InvalidArgumentError,
      'expected a number but l_comment is utf8 in avg(l_comment) (line 1, column 8)',
    ],
    [
      'select * from lineitem where l_quantity',
      InvalidArgumentError,
      'expected a boolean condition but l_quantity is float64 in WHERE (line 1, column 24)',
    ],
    [
      "select l_orderkey like 'a%' from lineitem",
      InvalidArgumentError,
      'LIKE needs text but l_orderkey is int64 (line 1, column 8)',
    ],
    [
      'select * from lineitem where sum(l_quantity) > 1',
      InvalidArgumentError,
      'aggregate functions are not allowed in WHERE (line 1, column 30)',
    ],
    [
      'select l_quantity from lineitem group by sum(l_quantity)',
      InvalidArgumentError,
      'aggregate functions are not allowed in GROUP BY (line 1, column 42)',
    ],
    [
      'select sum(sum(l_quantity)) from lineitem',
      InvalidArgumentError,
      'aggregate functions cannot be nested (line 1, column 12)',
    ],
    [
      'select sum(*) from lineitem',
      InvalidArgumentError,
      'SUM(*) is not valid; only COUNT(*) (line 1, column 8)',
    ],
    [
      'select l_quantity, sum(l_tax) from lineitem',
      InvalidArgumentError,
      'column "l_quantity" must appear in the GROUP BY clause or be used in an aggregate function (in select item l_quantity) (line 1, column 8)',
    ],
    [
      'select l_returnflag from lineitem group by l_returnflag order by l_tax',
      InvalidArgumentError,
      'column "l_tax" must appear in the GROUP BY clause or be used in an aggregate function (in ORDER BY) (line 1, column 66)',
    ],
    [
      'select * from lineitem order by 20',
      InvalidArgumentError,
      'ORDER BY position 20 is not in the select list (line 1, column 33); use 1 to 16',
    ],
    [
      'select l_returnflag from lineitem group by 3',
      InvalidArgumentError,
      'GROUP BY position 3 is not in the select list (line 1, column 44); use 1 to 1',
    ],
    [
      'select count(*) from lineitem group by 1',
      InvalidArgumentError,
      'GROUP BY cannot use an aggregate (count_star()) (line 1, column 8)',
    ],
    [
      'select * from lineitem limit -1',
      InvalidArgumentError,
      'LIMIT must be a non-negative integer (line 1, column 24); got -1',
    ],
    [
      'select * from lineitem limit 1.5',
      InvalidArgumentError,
      'LIMIT must be a non-negative integer (line 1, column 24); got 1.5',
    ],
    [
      'select l_quantity as x, l_tax as x from lineitem',
      InvalidArgumentError,
      'duplicate output column name "x" (select items 1 and 2) (line 1, column 34); give each one a distinct alias with AS',
    ],
    [
      'select l_quantity as "a$b" from lineitem',
      InvalidArgumentError,
      'alias "a$b" may not contain "$" (line 1, column 22): it is reserved for internal columns',
    ],
    [
      'select 9223372036854775807 + 1 from lineitem',
      InvalidArgumentError,
      'integer constant 9223372036854775808 is out of the BIGINT range (line 1, column 8)',
    ],
  ];
  test.each(cases)('%s', (sql, cls, message) => expectError(sql, cls, message));
});
