/**
 * The split between the base fragment and the upper stages: TPC-H Q1 and Q6 in their spec form,
 * LIMIT pushdown rules, hidden sort keys, aggregate deduplication, HAVING, output schema.
 */
import { bin, col, lit, partialStateColumns, planQuery } from '@pushdown/engine';
import { catalog } from './lineitem-catalog.js';
import { Q1, Q6 } from './tpch-queries.js';

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('TPC-H Q1', () => {
  const plan = planQuery(Q1, catalog);
  const disc = bin('*', col('l_extendedprice'), bin('-', lit(1, 'int64'), col('l_discount')));

  test('base fragment: WHERE with the folded date, partial aggregate with AVG kept as AVG', () => {
    expect(plan.fragment).toEqual({
      version: 1,
      table: 'lineitem',
      columns: [
        'l_quantity',
        'l_extendedprice',
        'l_discount',
        'l_tax',
        'l_returnflag',
        'l_linestatus',
        'l_shipdate',
      ],
      filter: bin('<=', col('l_shipdate'), lit(day('1998-09-02'), 'date32')),
      project: null,
      aggregate: {
        groupBy: [
          { name: 'l_returnflag', expr: col('l_returnflag') },
          { name: 'l_linestatus', expr: col('l_linestatus') },
        ],
        aggregates: [
          { name: 'sum_qty', fn: 'sum', arg: col('l_quantity') },
          { name: 'sum_base_price', fn: 'sum', arg: col('l_extendedprice') },
          { name: 'sum_disc_price', fn: 'sum', arg: disc },
          { name: 'sum_charge', fn: 'sum', arg: bin('*', disc, bin('+', lit(1, 'int64'), col('l_tax'))) },
          { name: 'avg_qty', fn: 'avg', arg: col('l_quantity') },
          { name: 'avg_price', fn: 'avg', arg: col('l_extendedprice') },
          { name: 'avg_disc', fn: 'avg', arg: col('l_discount') },
          { name: 'count_order', fn: 'count', arg: null },
        ],
      },
      limit: null,
    });
    expect(plan.fragment.aggregate!.aggregates.flatMap(partialStateColumns)).toContain('avg_qty$sum');
  });

  test('upper stages: final aggregate over the same calls, project by name, sort', () => {
    expect(plan.upper.finalAggregate).toEqual({
      groupBy: ['l_returnflag', 'l_linestatus'],
      aggregates: plan.fragment.aggregate!.aggregates,
    });
    expect(plan.upper.having).toBeNull();
    expect(plan.upper.project.map((p) => p.expr)).toEqual(plan.outputSchema.map((f) => col(f.name)));
    expect(plan.upper.orderBy).toEqual([
      { expr: col('l_returnflag'), desc: false, nullsFirst: false },
      { expr: col('l_linestatus'), desc: false, nullsFirst: false },
    ]);
    expect([plan.upper.limit, plan.upper.offset]).toEqual([null, 0]);
  });

  test('output schema', () => {
    expect(plan.outputSchema.map((f) => `${f.name}:${f.type}`)).toEqual([
      'l_returnflag:utf8',
      'l_linestatus:utf8',
      'sum_qty:float64',
      'sum_base_price:float64',
      'sum_disc_price:float64',
      'sum_charge:float64',
      'avg_qty:float64',
      'avg_price:float64',
      'avg_disc:float64',
      'count_order:int64',
    ]);
  });
});

describe('TPC-H Q6', () => {
  const plan = planQuery(Q6, catalog);
  test('base fragment: exact BETWEEN bounds, year interval folded, global partial sum', () => {
    expect(plan.fragment.columns).toEqual(['l_quantity', 'l_extendedprice', 'l_discount', 'l_shipdate']);
    expect(plan.fragment.filter).toEqual(
      bin(
        'and',
        bin(
          'and',
          bin(
            'and',
            bin('>=', col('l_shipdate'), lit(day('1994-01-01'), 'date32')),
            bin('<', col('l_shipdate'), lit(day('1995-01-01'), 'date32')),
          ),
          {
            kind: 'between',
            arg: col('l_discount'),
            low: lit(0.05, 'float64'),
            high: lit(0.07, 'float64'),
            negated: false,
          },
        ),
        bin('<', col('l_quantity'), lit(24, 'int64')),
      ),
    );
    expect(plan.fragment.aggregate).toEqual({
      groupBy: [],
      aggregates: [{ name: 'revenue', fn: 'sum', arg: bin('*', col('l_extendedprice'), col('l_discount')) }],
    });
    expect(plan.upper.finalAggregate).toEqual({
      groupBy: [],
      aggregates: plan.fragment.aggregate!.aggregates,
    });
    expect(plan.upper.project).toEqual([{ name: 'revenue', expr: col('revenue') }]);
    expect(plan.outputSchema).toEqual([{ name: 'revenue', type: 'float64', nullable: true }]);
  });
});

describe('LIMIT goes to the base only without ORDER BY and aggregation', () => {
  const cases: [sql: string, fragmentLimit: number | null, limit: number | null, offset: number][] = [
    ['select l_orderkey from lineitem limit 10', 10, 10, 0],
    ['select l_orderkey from lineitem limit 10 offset 5', 15, 10, 5],
    ['select l_orderkey from lineitem offset 5', null, null, 5],
    ['select l_orderkey from lineitem order by l_orderkey limit 10', null, 10, 0],
    ['select count(*) from lineitem limit 1', null, 1, 0],
    ['select l_returnflag from lineitem group by 1 limit 2', null, 2, 0],
  ];
  test.each(cases)('%s', (sql, fragmentLimit, limit, offset) => {
    const plan = planQuery(sql, catalog);
    expect([plan.fragment.limit, plan.upper.limit, plan.upper.offset]).toEqual([
      fragmentLimit,
      limit,
      offset,
    ]);
  });
});

describe('projection at the base', () => {
  test('identity select list → project null (the read columns as they are)', () => {
    const plan = planQuery('select l_orderkey, l_partkey from lineitem', catalog);
    expect(plan.fragment.project).toBeNull();
    expect(plan.fragment.columns).toEqual(['l_orderkey', 'l_partkey']);
  });

  test('ORDER BY keys outside the select list travel as hidden $sort columns', () => {
    const plan = planQuery(
      'select l_orderkey as k, l_tax * 2 as t2 from lineitem where l_quantity > 1 order by l_shipdate desc, k',
      catalog,
    );
    expect(plan.fragment.columns).toEqual(['l_orderkey', 'l_quantity', 'l_tax', 'l_shipdate']);
    expect(plan.fragment.project).toEqual([
      { name: 'k', expr: col('l_orderkey') },
      { name: 't2', expr: bin('*', col('l_tax'), lit(2, 'int64')) },
      { name: '$sort0', expr: col('l_shipdate') },
    ]);
    expect(plan.upper.project).toEqual([
      { name: 'k', expr: col('k') },
      { name: 't2', expr: col('t2') },
      { name: '$sort0', expr: col('$sort0') },
    ]);
    expect(plan.upper.orderBy).toEqual([
      { expr: col('$sort0'), desc: true, nullsFirst: false },
      { expr: col('k'), desc: false, nullsFirst: false },
    ]);
    // Only the visible columns are the result.
    expect(plan.outputSchema.map((f) => f.name)).toEqual(['k', 't2']);
  });
});

describe('aggregates', () => {
  test('identical calls are computed once, wherever they appear', () => {
    const plan = planQuery(
      'select l_returnflag, sum(l_quantity) as s, sum(l_quantity) / count(*) as mean from lineitem group by 1 having sum(l_quantity) > 10 order by count(*) desc',
      catalog,
    );
    expect(plan.fragment.aggregate!.aggregates).toEqual([
      { name: 's', fn: 'sum', arg: col('l_quantity') },
      { name: 'count_star()', fn: 'count', arg: null },
    ]);
    expect(plan.upper.having).toEqual(bin('>', col('s'), lit(10, 'int64')));
    expect(plan.upper.project).toEqual([
      { name: 'l_returnflag', expr: col('l_returnflag') },
      { name: 's', expr: col('s') },
      { name: 'mean', expr: bin('/', col('s'), col('count_star()')) },
      { name: '$sort0', expr: col('count_star()') },
    ]);
    expect(plan.outputSchema.map((f) => `${f.name}:${f.type}`)).toEqual([
      'l_returnflag:utf8',
      's:float64',
      'mean:float64',
    ]);
  });

  test('a name clash falls back to an internal $a name', () => {
    const plan = planQuery(
      'select sum(l_quantity) as "sum(l_tax)", sum(l_tax) + 1 as t from lineitem',
      catalog,
    );
    expect(plan.fragment.aggregate!.aggregates.map((a) => a.name)).toEqual(['sum(l_tax)', '$a1']);
    expect(plan.upper.project).toEqual([
      { name: 'sum(l_tax)', expr: col('sum(l_tax)') },
      { name: 't', expr: bin('+', col('$a1'), lit(1, 'int64')) },
    ]);
  });

  test('GROUP BY an expression computes it at the base under its alias', () => {
    const plan = planQuery('select l_quantity * 2 as q2, count(*) as n from lineitem group by q2', catalog);
    expect(plan.fragment.aggregate!.groupBy).toEqual([
      { name: 'q2', expr: bin('*', col('l_quantity'), lit(2, 'int64')) },
    ]);
    expect(plan.upper.finalAggregate!.groupBy).toEqual(['q2']);
    expect(plan.outputSchema.map((f) => `${f.name}:${f.type}`)).toEqual(['q2:float64', 'n:int64']);
  });
});
