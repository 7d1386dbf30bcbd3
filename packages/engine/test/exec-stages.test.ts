/**
 * runFragment over real objects (a CSV Blob through openObject) and runUpperStages (final
 * aggregate, projection, ORDER BY with NULLS FIRST/LAST and stability, OFFSET/LIMIT, streaming).
 */
import type { RecordBatch } from 'apache-arrow';
import { PartialAggregator, runFragment, runUpperStages } from '../src/exec/index.js';
import type { AggregateCall } from '../src/plan/aggregate.js';
import { bin, col, lit } from '../src/plan/expr.js';
import { FRAGMENT_VERSION, type Fragment, type OperatorMetrics } from '../src/plan/fragment.js';
import type { Schema } from '../src/plan/types.js';
import type { UpperStages } from '../src/planner/query-plan.js';
import { makeTestBatch, valuesOf, type V } from './exec-reference.js';

const schema: Schema = [
  { name: 'k', type: 'utf8', nullable: true },
  { name: 'q', type: 'float64', nullable: true },
  { name: 'n', type: 'int64', nullable: true },
];

const ROWS = 3000;
const rows: V[][] = Array.from({ length: ROWS }, (_, i) => [
  i % 7 === 0 ? null : ['A', 'N', 'R'][i % 3]!,
  (i % 50) / 2,
  BigInt(i),
]);
const csv = 'k,q,n\n' + rows.map((r) => `${r[0] ?? ''},${r[1]},${r[2]}`).join('\n') + '\n';

function fragment(over: Partial<Fragment>): Fragment {
  return {
    version: FRAGMENT_VERSION,
    table: 't',
    object: 'part-0.csv',
    format: 'csv',
    schema,
    columns: ['k', 'q', 'n'],
    filter: null,
    project: null,
    aggregate: null,
    limit: null,
    rowGroups: null,
    ...over,
  };
}

async function collect(gen: AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const b of gen) out.push(b);
  return out;
}

const col0 = (batches: RecordBatch[], i: number, type: 'utf8' | 'float64' | 'int64') =>
  batches.flatMap((b) => valuesOf(b.getChildAt(i)!, type));

describe('runFragment', () => {
  const blob = new Blob([csv]);

  test('filter + project, stats per stage', async () => {
    const run = runFragment(
      fragment({
        filter: bin('<', col('q'), lit(5, 'int32')),
        project: [
          { name: 'twice', expr: bin('*', col('q'), lit(2, 'int32')) },
          { name: 'n', expr: col('n') },
        ],
      }),
      blob,
      { batchRows: 1000 },
    );
    const batches = await collect(run.batches);
    const want = rows.filter((r) => (r[1] as number) < 5);
    expect(col0(batches, 1, 'int64')).toEqual(want.map((r) => r[2]));
    expect(col0(batches, 0, 'float64')).toEqual(want.map((r) => (r[1] as number) * 2));
    expect(run.stats.rowsScanned).toBe(ROWS);
    expect(run.stats.rowsOut).toBe(want.length);
    expect(run.stats.stages.map((s) => s.name)).toEqual(['scan', 'filter', 'project']);
    expect(run.stats.stages[1]).toMatchObject({ rowsIn: ROWS, rowsOut: want.length });
    expect(run.stats.stages[1]!.bytesCopied).toBeGreaterThan(0);
  });

  test('limit stops early', async () => {
    const run = runFragment(fragment({ limit: 5, filter: bin('>', col('n'), lit('10', 'int64')) }), blob, {
      batchRows: 100,
    });
    const batches = await collect(run.batches);
    expect(col0(batches, 2, 'int64')).toEqual([11n, 12n, 13n, 14n, 15n]);
    expect(run.stats.rowsOut).toBe(5);
  });

  test('filter + partial aggregate emit one batch that the final stage merges', async () => {
    const aggregates: AggregateCall[] = [
      { name: 'sum_q', fn: 'sum', arg: col('q') },
      { name: 'avg_q', fn: 'avg', arg: col('q') },
      { name: 'cnt', fn: 'count', arg: null },
    ];
    const filter = bin('>=', col('n'), lit('100', 'int64'));
    const parts = [0, 1].map(() =>
      runFragment(
        fragment({ filter, aggregate: { groupBy: [{ name: 'k', expr: col('k') }], aggregates } }),
        blob,
        { batchRows: 700 },
      ),
    );
    async function* partials() {
      for (const p of parts) yield* p.batches;
    }
    const upper: UpperStages = {
      finalAggregate: { groupBy: ['k'], aggregates },
      having: null,
      project: [
        { name: 'k', expr: col('k') },
        { name: 'mean', expr: bin('/', col('sum_q'), col('cnt')) },
        { name: 'avg_q', expr: col('avg_q') },
      ],
      orderBy: [{ expr: col('k'), desc: false, nullsFirst: false }],
      limit: null,
      offset: 0,
    };
    const metrics: OperatorMetrics[] = [];
    const out = await collect(runUpperStages(upper, partials(), metrics));
    const kept = rows.filter((r) => (r[2] as bigint) >= 100n);
    const keys = ['A', 'N', 'R', null];
    const mean = (k: V) => {
      const g = kept.filter((r) => r[0] === k).map((r) => r[1] as number);
      return g.reduce((s, x) => s + x, 0) / g.length;
    };
    expect(col0(out, 0, 'utf8')).toEqual(keys);
    expect(col0(out, 1, 'float64').map((x) => (x as number).toFixed(9))).toEqual(
      keys.map((k) => mean(k).toFixed(9)),
    );
    expect(col0(out, 2, 'float64').map((x) => (x as number).toFixed(9))).toEqual(
      keys.map((k) => mean(k).toFixed(9)),
    );
    expect(metrics.map((m) => m.name)).toEqual(['final_aggregate', 'project', 'sort']);
    expect(parts[0]!.stats.stages.map((s) => s.name)).toEqual(['scan', 'filter', 'partial_aggregate']);
    expect(parts[0]!.stats.stages[1]!.rowsOut).toBe(kept.length);
    expect(parts[0]!.stats.rowsOut).toBe(4);
  });
});

describe('runUpperStages', () => {
  const cols = [
    { name: 'a', type: 'int32' as const },
    { name: 'b', type: 'utf8' as const },
    { name: 'c', type: 'float64' as const },
  ];
  const data: V[][] = [
    [3, 'x', 1],
    [null, 'y', 2],
    [1, 'x', 3],
    [3, null, 4],
    [2, 'y', 5],
    [null, 'x', 6],
    [1, 'y', 7],
  ];
  async function* inputs() {
    yield makeTestBatch(cols, data.slice(0, 3));
    yield makeTestBatch(cols, []);
    yield makeTestBatch(cols, data.slice(3));
  }
  const base: UpperStages = {
    finalAggregate: null,
    having: null,
    project: [],
    orderBy: [],
    limit: null,
    offset: 0,
  };

  test.each<[string, Partial<UpperStages>, number[]]>([
    [
      'a ASC NULLS LAST, stable',
      { orderBy: [{ expr: col('a'), desc: false, nullsFirst: false }] },
      [3, 7, 5, 1, 4, 2, 6],
    ],
    [
      'a DESC NULLS FIRST',
      { orderBy: [{ expr: col('a'), desc: true, nullsFirst: true }] },
      [2, 6, 1, 4, 5, 3, 7],
    ],
    [
      'b ASC NULLS FIRST, a DESC NULLS LAST',
      {
        orderBy: [
          { expr: col('b'), desc: false, nullsFirst: true },
          { expr: col('a'), desc: true, nullsFirst: false },
        ],
      },
      [4, 1, 3, 6, 5, 7, 2],
    ],
    [
      'expression key -c, offset 2 limit 3',
      {
        orderBy: [{ expr: { kind: 'negate', arg: col('c') }, desc: false, nullsFirst: false }],
        offset: 2,
        limit: 3,
      },
      [5, 4, 3],
    ],
    ['no sort: offset 2 limit 3 streams across batches', { offset: 2, limit: 3 }, [3, 4, 5]],
    ['no sort: offset past the end', { offset: 10 }, []],
    ['limit 0', { limit: 0 }, []],
  ])('%s', async (_n, over, wantC) => {
    const out = await collect(runUpperStages({ ...base, ...over }, inputs()));
    expect(col0(out, 2, 'float64')).toEqual(wantC);
  });

  test('sort by an output alias after projection', async () => {
    const upper: UpperStages = {
      ...base,
      project: [{ name: 'neg', expr: { kind: 'negate', arg: col('c') } }],
      orderBy: [{ expr: col('neg'), desc: false, nullsFirst: false }],
      limit: 2,
    };
    const out = await collect(runUpperStages(upper, inputs()));
    expect(col0(out, 0, 'float64')).toEqual([-7, -6]);
  });

  test('final aggregate with no partials at all: one row, COUNT 0', async () => {
    const aggregates: AggregateCall[] = [
      { name: 'cnt', fn: 'count', arg: null },
      { name: 's', fn: 'sum', arg: col('c') },
    ];
    async function* none() {}
    const out = await collect(
      runUpperStages({ ...base, finalAggregate: { groupBy: [], aggregates } }, none()),
    );
    expect(out[0]!.numRows).toBe(1);
    expect(valuesOf(out[0]!.getChildAt(0)!, 'int64')).toEqual([0n]);
    expect(valuesOf(out[0]!.getChildAt(1)!, 'float64')).toEqual([null]);
  });

  test('partials from the PartialAggregator merge by group (NULL is a group)', async () => {
    const aggregates: AggregateCall[] = [{ name: 'm', fn: 'max', arg: col('c') }];
    const partial = (part: V[][]) => {
      const p = new PartialAggregator(
        { groupBy: [{ name: 'b', expr: col('b') }], aggregates },
        cols.map((c) => ({ ...c, nullable: true })),
      );
      p.push(makeTestBatch(cols, part));
      return p.finish();
    };
    async function* partials() {
      yield partial(data.slice(0, 4));
      yield partial(data.slice(4));
    }
    const out = await collect(
      runUpperStages(
        {
          ...base,
          finalAggregate: { groupBy: ['b'], aggregates },
          orderBy: [{ expr: col('b'), desc: false, nullsFirst: true }],
        },
        partials(),
      ),
    );
    expect(col0(out, 0, 'utf8')).toEqual([null, 'x', 'y']);
    expect(col0(out, 1, 'float64')).toEqual([4, 6, 7]);
  });
});
