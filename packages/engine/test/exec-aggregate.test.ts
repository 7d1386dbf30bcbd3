/**
 * Partial and final aggregation against a reference GROUP BY: every aggregate function over
 * every type it accepts, NULLs, all-NULL columns, empty input, NULL as its own group, utf8 and
 * multi-column keys, low and high cardinality, inputs split across batches and fragments.
 */
import type { RecordBatch } from 'apache-arrow';
import { FinalAggregator, PartialAggregator } from '../src/exec/index.js';
import { partialStateColumns, type AggregateCall, type NamedExpr } from '../src/plan/aggregate.js';
import { bin, col, lit, type Expr } from '../src/plan/expr.js';
import type { DataType } from '../src/plan/types.js';
import { COLUMNS, makeTestBatch, randomRows, refEval, valuesOf, type V } from './exec-reference.js';

const types = Object.fromEntries(COLUMNS.map((c) => [c.name, c.type])) as Record<string, DataType>;
const schema = COLUMNS.map((c) => ({ name: c.name, type: c.type, nullable: true }));

const CALLS: AggregateCall[] = [
  { name: 'cnt', fn: 'count', arg: null },
  { name: 'cnt_f', fn: 'count', arg: col('f') },
  { name: 'cnt_z', fn: 'count', arg: col('z') },
  { name: 'sum_f', fn: 'sum', arg: col('f') },
  { name: 'sum_i', fn: 'sum', arg: col('i') },
  { name: 'sum_l', fn: 'sum', arg: col('l') },
  { name: 'sum_z', fn: 'sum', arg: col('z') },
  { name: 'sum_expr', fn: 'sum', arg: bin('*', col('g'), bin('-', lit(1, 'int32'), col('f'))) },
  { name: 'avg_g', fn: 'avg', arg: col('g') },
  { name: 'avg_i', fn: 'avg', arg: col('i') },
  { name: 'avg_z', fn: 'avg', arg: col('z') },
  { name: 'min_f', fn: 'min', arg: col('f') },
  { name: 'max_f', fn: 'max', arg: col('f') },
  { name: 'min_i', fn: 'min', arg: col('i') },
  { name: 'max_l', fn: 'max', arg: col('l') },
  { name: 'min_d', fn: 'min', arg: col('d') },
  { name: 'max_d', fn: 'max', arg: col('d') },
  { name: 'min_s', fn: 'min', arg: col('s') },
  { name: 'max_s', fn: 'max', arg: col('s') },
  { name: 'max_b', fn: 'max', arg: col('b') },
  { name: 'min_z', fn: 'min', arg: col('z') },
];

const enc = new TextEncoder();
const cmp = (a: V, b: V): number =>
  typeof a === 'string'
    ? Buffer.compare(Buffer.from(enc.encode(a)), Buffer.from(enc.encode(b as string)))
    : a! < b!
      ? -1
      : a! > b!
        ? 1
        : 0;

function refAggregate(rows: V[][], groupBy: NamedExpr[], calls: AggregateCall[], filter: Expr | null): V[][] {
  const env = (r: V[]) => Object.fromEntries(COLUMNS.map((c, k) => [c.name, r[k]!]));
  const groups = new Map<string, { key: V[]; rows: Record<string, V>[] }>();
  for (const r of rows) {
    const e = env(r);
    if (filter && refEval(filter, e, types) !== true) continue;
    const key = groupBy.map((g) => refEval(g.expr, e, types));
    const k = JSON.stringify(key, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    if (!groups.has(k)) groups.set(k, { key, rows: [] });
    groups.get(k)!.rows.push(e);
  }
  if (groupBy.length === 0 && groups.size === 0) groups.set('[]', { key: [], rows: [] });
  return [...groups.values()].map(({ key, rows: rs }) => [
    ...key,
    ...calls.map((c) => {
      if (!c.arg) return BigInt(rs.length);
      const vals = rs.map((e) => refEval(c.arg!, e, types)).filter((v) => v !== null);
      if (c.fn === 'count') return BigInt(vals.length);
      if (vals.length === 0) return null;
      if (c.fn === 'sum' || c.fn === 'avg') {
        const big =
          typeof vals[0] === 'bigint' ||
          (Number.isInteger(vals[0]) && types[(c.arg as { name?: string }).name ?? ''] === 'int32');
        const total = big
          ? vals.reduce((s: bigint, v) => s + BigInt(v as number), 0n)
          : vals.reduce((s: number, v) => s + Number(v), 0);
        return c.fn === 'avg' ? Number(total) / vals.length : total;
      }
      return vals.reduce((a, b) => ((c.fn === 'min' ? cmp(b, a) < 0 : cmp(b, a) > 0) ? b : a));
    }),
  ]);
}

function rowsOf(batch: RecordBatch): V[][] {
  const fields = batch.schema.fields;
  const cols = fields.map((f, i) =>
    valuesOf(
      batch.getChildAt(i)!,
      String(f.type) === 'Date32<DAY>' || String(f.type).startsWith('Date') ? 'date32' : 'float64',
    ),
  );
  return Array.from({ length: batch.numRows }, (_, r) => cols.map((c) => c[r]!));
}

const sortRows = (rows: V[][]) =>
  [...rows].sort((a, b) => {
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      if (a[i] === null) return -1;
      if (b[i] === null) return 1;
      const c = cmp(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return 0;
  });

/** Run partials over `parts` (each a list of batches: one fragment), then merge them. */
function aggregate(
  parts: RecordBatch[][],
  groupBy: NamedExpr[],
  calls: AggregateCall[],
  filter: Expr | null = null,
) {
  const partials = parts.map((batches) => {
    const p = new PartialAggregator({ groupBy, aggregates: calls }, schema);
    for (const b of batches) p.pushFiltered(b, filter);
    return p.finish();
  });
  const fin = new FinalAggregator(
    groupBy.map((g) => g.name),
    calls,
  );
  for (const p of partials) fin.push(p);
  return { partials, final: fin.finish() };
}

const GROUPINGS: [string, NamedExpr[]][] = [
  ['global', []],
  ['utf8 key (with NULL group)', [{ name: 'k', expr: col('s') }]],
  [
    'two keys utf8 x int32',
    [
      { name: 'k1', expr: col('t') },
      { name: 'k2', expr: col('i') },
    ],
  ],
  ['int64 key', [{ name: 'k', expr: col('l') }]],
  ['float64 key', [{ name: 'k', expr: col('f') }]],
  ['date key', [{ name: 'k', expr: col('d') }]],
  ['bool key', [{ name: 'k', expr: col('b') }]],
  ['expression key', [{ name: 'k', expr: bin('*', col('j'), lit(2, 'int32')) }]],
  [
    'three keys',
    [
      { name: 'a', expr: col('s') },
      { name: 'b', expr: col('d') },
      { name: 'c', expr: col('l') },
    ],
  ],
];

// Random data is generated once; the 70 000-row case (crossing a slice) runs for a few groupings.
const ALL_ROWS = randomRows(70_000, 77);
const BIG = new Set(['global', 'two keys utf8 x int32']);

describe.each(GROUPINGS)('group by %s', (name, groupBy) => {
  test.each([0, 1, 9, 1023, 70_000].filter((n) => n < 70_000 || BIG.has(name)))(
    '%i rows, split over 2 fragments of batches',
    (n) => {
      const rows = ALL_ROWS.slice(0, n);
      const cut = Math.floor(n / 3);
      const parts = [
        [makeTestBatch(COLUMNS, rows.slice(0, cut)), makeTestBatch(COLUMNS, [])],
        [makeTestBatch(COLUMNS, rows.slice(cut))],
      ];
      const { partials, final } = aggregate(parts, groupBy, CALLS);
      expect(partials[0]!.schema.fields.map((f) => f.name)).toEqual([
        ...groupBy.map((g) => g.name),
        ...CALLS.flatMap(partialStateColumns),
      ]);
      const want = sortRows(refAggregate(rows, groupBy, CALLS, null));
      const got = sortRows(rowsOf(final));
      expect(got.length).toBe(want.length);
      expect(got).toEqual(want);
    },
  );

  test('with a filter consumed in place', () => {
    const rows = ALL_ROWS.slice(0, 5000);
    const filter = bin('and', bin('>', col('g'), lit(-1, 'int32')), bin('<>', col('s'), lit('a', 'utf8')));
    const { final } = aggregate([[makeTestBatch(COLUMNS, rows)]], groupBy, CALLS, filter);
    expect(sortRows(rowsOf(final))).toEqual(sortRows(refAggregate(rows, groupBy, CALLS, filter)));
  });
});

test('high cardinality: one group per row', () => {
  const n = 30_000; // grows the dictionary tables several times within one slice
  const rows = ALL_ROWS.slice(0, n).map((r, i) => {
    const copy = [...r];
    copy[2] = BigInt(i * 7919); // l: unique
    return copy;
  });
  const groupBy = [
    { name: 'k', expr: col('l') },
    { name: 'k2', expr: col('t') },
  ];
  const calls = CALLS.slice(0, 6);
  const { final } = aggregate([[makeTestBatch(COLUMNS, rows)]], groupBy, calls);
  expect(final.numRows).toBe(n);
  expect(sortRows(rowsOf(final))).toEqual(sortRows(refAggregate(rows, groupBy, calls, null)));
});

test('global aggregate over zero rows yields one row: COUNT 0, SUM NULL', () => {
  const p = new PartialAggregator({ groupBy: [], aggregates: CALLS }, schema);
  const partial = p.finish();
  expect(partial.numRows).toBe(1);
  const fin = new FinalAggregator([], CALLS, partial.schema);
  const out = fin.finish();
  expect(out.numRows).toBe(1);
  expect(rowsOf(out)[0]![0]).toBe(0n);
  expect(rowsOf(out)[0]![3]).toBeNull();
  const grouped = new PartialAggregator(
    { groupBy: [{ name: 'k', expr: col('s') }], aggregates: CALLS },
    schema,
  );
  expect(grouped.finish().numRows).toBe(0);
});

test('partial state types follow partialStateColumns', () => {
  const p = new PartialAggregator({ groupBy: [], aggregates: CALLS }, schema);
  p.push(makeTestBatch(COLUMNS, randomRows(10, 1)));
  const types = Object.fromEntries(p.finish().schema.fields.map((f) => [f.name, String(f.type)]));
  expect(types).toMatchObject({
    cnt: 'Int64',
    sum_f: 'Float64',
    sum_i: 'Int64',
    sum_l: 'Int64',
    avg_i$sum: 'Float64',
    avg_i$count: 'Int64',
    min_i: 'Int32',
    max_l: 'Int64',
    min_s: 'Utf8',
    max_b: 'Bool',
  });
  expect(types['min_d']).toMatch(/^Date/);
  expect(p.metrics()).toMatchObject({ name: 'partial_aggregate', rowsIn: 10, rowsOut: 1 });
});

test('SUM of a string is an InvalidArgumentError', () => {
  expect(
    () =>
      new PartialAggregator({ groupBy: [], aggregates: [{ name: 'x', fn: 'sum', arg: col('s') }] }, schema),
  ).toThrow(/SUM needs a number but s is utf8/);
});
