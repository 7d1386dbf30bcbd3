/**
 * Aggregate UDFs in the engine, in this thread (the stats plugin from the registry): binding and
 * planning (types, errors, EXPLAIN), the partial aggregator's states against the plugin driven by
 * hand, a worker's recorded merges replayed equal to the serial answer bit for bit, and the final
 * aggregator merging partials of several fragments to the two-pass variance of all rows.
 */
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, type PushdownError } from '@pushdown/proto';
import { REFERENCE_AGGREGATES } from '@pushdown/plugins';
import { FinalAggregator, PartialAggregator } from '../src/exec/index.js';
import { partialStateColumns, type AggregateCall, type NamedExpr } from '../src/plan/aggregate.js';
import { bin, col, lit } from '../src/plan/expr.js';
import { explainQuery, planQuery } from '../src/index.js';
import { catalog } from './lineitem-catalog.js';
import { COLUMNS, makeTestBatch, randomRows, type V } from './exec-reference.js';

const schema = COLUMNS.map((c) => ({ name: c.name, type: c.type, nullable: true }));
const udf = (fn: string, size: number) => ({
  plugin: 'stats',
  function: fn,
  result: 'float64' as const,
  stateBytes: size,
});
const CALLS: AggregateCall[] = [
  { name: 'v', fn: 'udf', arg: col('f'), udf: udf('var_welford', 24) },
  { name: 'sd', fn: 'udf', arg: col('g'), udf: udf('stddev_welford', 24) },
  { name: 'n', fn: 'count', arg: null },
  { name: 's', fn: 'sum', arg: col('f') },
];
const GROUP_BY: NamedExpr[] = [{ name: 'j2', expr: bin('*', col('j'), col('j')) }];
const F = COLUMNS.findIndex((c) => c.name === 'f');
const J = COLUMNS.findIndex((c) => c.name === 'j');

const batches = (rows: V[][], size: number): RecordBatch[] =>
  Array.from({ length: Math.ceil(rows.length / size) }, (_, i) =>
    makeTestBatch(COLUMNS, rows.slice(i * size, (i + 1) * size)),
  );

function partial(bs: RecordBatch[], groupBy = GROUP_BY): RecordBatch {
  const p = new PartialAggregator({ groupBy, aggregates: CALLS }, schema);
  for (const b of bs) p.pushFiltered(b, bin('>', col('g'), lit(-0.5, 'float64')));
  return p.finish();
}

const bytesOf = (b: RecordBatch) =>
  CALLS.flatMap((c) => partialStateColumns(c)).map((n) => b.getChild(n)!.toArray());

describe('binding and planning', () => {
  test('a call is planned as a partial state at the base and merged at the intermediary', () => {
    const plan = planQuery(
      'SELECT l_returnflag, var_welford(l_extendedprice) AS v FROM lineitem GROUP BY l_returnflag',
      catalog,
    );
    expect(plan.fragment.aggregate!.aggregates).toEqual([
      { name: 'v', fn: 'udf', arg: col('l_extendedprice'), udf: udf('var_welford', 24) },
    ]);
    expect(plan.outputSchema).toEqual([
      { name: 'l_returnflag', type: 'utf8', nullable: false },
      { name: 'v', type: 'float64', nullable: true },
    ]);
    expect(explainQuery(plan)).toContain('aggregates=[var_welford(l_extendedprice) AS v]');
  });

  test('an integer argument widens to float64, like a scalar UDF argument', () => {
    const plan = planQuery('SELECT geomean(l_linenumber) FROM lineitem', catalog);
    expect(plan.fragment.aggregate!.aggregates[0]!.arg).toEqual({
      kind: 'cast',
      arg: col('l_linenumber'),
      to: 'float64',
    });
  });

  test.each([
    [
      'SELECT var_welford(l_comment) FROM lineitem',
      ErrorCode.INVALID_ARGUMENT,
      'argument 1 of var_welford() must be DOUBLE, but l_comment is VARCHAR',
    ],
    [
      'SELECT var_welford(l_tax, l_tax) FROM lineitem',
      ErrorCode.INVALID_ARGUMENT,
      'var_welford() takes 1 argument, got 2',
    ],
    [
      'SELECT l_tax FROM lineitem WHERE var_welford(l_tax) > 1',
      ErrorCode.INVALID_ARGUMENT,
      'aggregate functions are not allowed in WHERE',
    ],
    [
      'SELECT sum(var_welford(l_tax)) FROM lineitem',
      ErrorCode.INVALID_ARGUMENT,
      'aggregate functions cannot be nested',
    ],
    ['SELECT var_welfrd(l_tax) FROM lineitem', ErrorCode.PLAN, 'did you mean var_welford()?'],
  ])('%s fails: %s', (sql, code, message) => {
    let err: PushdownError | undefined;
    try {
      planQuery(sql, catalog);
    } catch (e) {
      err = e as PushdownError;
    }
    expect(err?.code).toBe(code);
    expect(err?.message).toContain(message);
  });
});

describe('execution', () => {
  const rows = randomRows(3000, 11);

  test('partial states are the plugin state of the kept rows, per group', () => {
    const out = partial(batches(rows, 3000), []);
    const ref = REFERENCE_AGGREGATES['stats.var_welford']!;
    const kept = rows.filter((r) => (r[COLUMNS.findIndex((c) => c.name === 'g')] as number) > -0.5);
    const x = Float64Array.from(kept, (r) => (r[F] as number | null) ?? 0);
    const validity = new Uint8Array((kept.length + 7) >>> 3);
    kept.forEach((r, i) => r[F] !== null && (validity[i >>> 3]! |= 1 << (i & 7)));
    // One slice: init + one update of every kept row, then one merge into the empty group state.
    const slice = ref.update(
      ref.init(1),
      new Int32Array(kept.length),
      [{ type: 'float64', values: x, validity }],
      kept.length,
    );
    const state = ref.merge(ref.init(1), slice);
    const words = partialStateColumns(CALLS[0]!).map((n) => out.getChild(n)!.get(0) as bigint);
    expect(new Uint8Array(BigInt64Array.from(words).buffer)).toEqual(state);
  });

  test("a worker's recorded merges, replayed in unit order, equal the serial partial bit for bit", () => {
    const bs = batches(rows, 256);
    const serial = partial(bs);
    const replayed = new PartialAggregator({ groupBy: GROUP_BY, aggregates: CALLS }, schema);
    for (const unit of [bs.slice(0, 5), bs.slice(5, 6), bs.slice(6)]) {
      const worker = new PartialAggregator({ groupBy: GROUP_BY, aggregates: CALLS }, schema, undefined, {
        record: true,
      });
      for (const b of unit) worker.pushFiltered(b, bin('>', col('g'), lit(-0.5, 'float64')));
      replayed.replay(structuredClone(worker.takeLog()));
    }
    expect(bytesOf(replayed.finish())).toEqual(bytesOf(serial));
  });

  test('the final aggregate over three fragments is the variance of all their rows', () => {
    const parts = [rows.slice(0, 1000), rows.slice(1000, 1001), rows.slice(1001)];
    const fin = new FinalAggregator(['j2'], CALLS);
    for (const p of parts) fin.push(partial(batches(p, 400)));
    const out = fin.finish();
    const groups = new Map<number, number[]>();
    for (const r of rows) {
      if ((r[COLUMNS.findIndex((c) => c.name === 'g')] as number) <= -0.5) continue;
      const k = (r[J] as number) ** 2;
      groups.set(k, [...(groups.get(k) ?? []), ...(r[F] === null ? [] : [r[F] as number])]);
    }
    expect(out.numRows).toBe(groups.size);
    for (let i = 0; i < out.numRows; i++) {
      const xs = groups.get(Number(out.getChild('j2')!.get(i)))!;
      const got = out.getChild('v')!.get(i) as number | null;
      if (xs.length < 2) {
        expect(got).toBeNull();
        continue;
      }
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
      expect(Math.abs(got! - variance) / variance).toBeLessThan(1e-9);
    }
  });

  test('no rows at all: one NULL row without GROUP BY, no rows with it', () => {
    const empty = new FinalAggregator([], CALLS);
    empty.push(partial([]));
    expect(
      empty
        .finish()
        .toArray()
        .map((r) => r.toJSON()),
    ).toEqual([{ v: null, sd: null, n: 0n, s: null }]);
    const grouped = new FinalAggregator(['j2'], CALLS);
    grouped.push(partial([]));
    expect(grouped.finish().numRows).toBe(0);
  });
});
