/**
 * Scalar UDFs in SQL: binding against the registry's function catalog (types from manifests,
 * constArgs, clear errors) and evaluation through runFragment, compared value for value with
 * the plain-TypeScript reference of each function.
 */
import type { RecordBatch } from 'apache-arrow';
import { InvalidArgumentError, PlanError } from '@pushdown/proto';
import { planQuery, exprToString, fragmentPlugins, type Expr } from '@pushdown/engine';
import { REFERENCE_UDFS, type UdfColumn } from '@pushdown/plugins';
import { runFragment } from '../src/exec/index.js';
import { FRAGMENT_VERSION, type Fragment } from '../src/plan/fragment.js';
import type { Schema } from '../src/plan/types.js';
import { catalog } from './lineitem-catalog.js';

function errorOf(sql: string): Error {
  try {
    planQuery(sql, catalog);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`no error for ${sql}`);
}

describe('binding UDF calls', () => {
  test('SELECT and WHERE calls become call expressions with manifest types', () => {
    const plan = planQuery(
      "SELECT l_orderkey, hash64_utf8(l_comment) AS h FROM lineitem WHERE contains(l_comment, 'special')",
      catalog,
    );
    const f = plan.fragment;
    expect(exprToString(f.filter as Expr)).toBe("contains(l_comment, 'special')");
    expect(f.project?.map((p) => exprToString(p.expr))).toEqual(['l_orderkey', 'hash64_utf8(l_comment)']);
    expect(f.project?.[1]?.expr).toMatchObject({ kind: 'call', plugin: 'hash64', type: 'int64' });
    expect(fragmentPlugins(f)).toEqual(['text_match', 'hash64']);
  });

  test('numbers widen to the manifest types', () => {
    const plan = planQuery(
      'SELECT geo_distance_to(l_quantity, l_discount, 1, 2) AS d FROM lineitem',
      catalog,
    );
    const e = plan.fragment.project?.[0]?.expr;
    expect(e).toMatchObject({
      kind: 'call',
      args: [{}, {}, { value: 1, type: 'float64' }, { type: 'float64' }],
    });
    const widened = planQuery('SELECT hash64_int64(l_linenumber) AS h FROM lineitem', catalog);
    expect(exprToString(widened.fragment.project![0]!.expr)).toBe(
      'hash64_int64(CAST(l_linenumber AS INT64))',
    );
  });

  const errors: [string, typeof PlanError | typeof InvalidArgumentError, RegExp][] = [
    [
      'SELECT hash64_utf9(l_comment) FROM lineitem',
      PlanError,
      /function hash64_utf9\(\) is not supported .*did you mean hash64_utf8\(\)\?/,
    ],
    [
      'SELECT contains(l_comment) FROM lineitem',
      InvalidArgumentError,
      /contains\(\) takes 2 arguments, got 1 .*contains\(VARCHAR, VARCHAR\) from plugin text_match/,
    ],
    [
      'SELECT hash64_utf8(l_quantity) FROM lineitem',
      InvalidArgumentError,
      /argument 1 of hash64_utf8\(\) must be VARCHAR, but l_quantity is DOUBLE/,
    ],
    [
      'SELECT 1 FROM lineitem WHERE contains(l_comment, l_shipmode)',
      InvalidArgumentError,
      /argument 2 of contains\(\) must be a constant, but l_shipmode is not/,
    ],
    [
      'SELECT geo_distance(l_comment, 1, 2, 3) FROM lineitem',
      InvalidArgumentError,
      /argument 1 of geo_distance\(\) must be DOUBLE/,
    ],
  ];
  test.each(errors)('%s', (sql, cls, message) => {
    const err = errorOf(sql);
    expect(err).toBeInstanceOf(cls);
    expect(err.message).toMatch(message);
  });
});

const schema: Schema = [
  { name: 's', type: 'utf8', nullable: true },
  { name: 'x', type: 'float64', nullable: true },
];
const ROWS = 2500;
const strings = Array.from({ length: ROWS }, (_, i) =>
  i % 11 === 0 ? null : `row ${i} ${i % 3 === 0 ? 'special' : 'plain'} Ünïcode`,
);
const xs = Array.from({ length: ROWS }, (_, i) => (i % 13 === 0 ? null : (i % 180) - 90));
const csv = 's,x\n' + strings.map((s, i) => `${s === null ? '' : `"${s}"`},${xs[i] ?? ''}`).join('\n') + '\n';

function fragment(over: Partial<Fragment>): Fragment {
  return {
    version: FRAGMENT_VERSION,
    table: 't',
    object: 'part-0.csv',
    format: 'csv',
    schema,
    columns: ['s', 'x'],
    filter: null,
    project: null,
    aggregate: null,
    limit: null,
    rowGroups: null,
    ...over,
  };
}

async function run(f: Fragment): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const b of runFragment(f, new Blob([csv]), { batchRows: 1000 }).batches) out.push(b);
  return out;
}

const enc = new TextEncoder();
function utf8Column(values: readonly (string | null)[]): UdfColumn {
  const parts = values.map((v) => enc.encode(v ?? ''));
  const offsets = new Int32Array(values.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const data = new Uint8Array(offsets[values.length]!);
  parts.forEach((p, i) => data.set(p, offsets[i]!));
  const validity = new Uint8Array((values.length + 7) >>> 3);
  values.forEach((v, i) => v !== null && (validity[i >>> 3]! |= 1 << (i & 7)));
  return { type: 'utf8', offsets, data, validity };
}

describe('evaluating UDF calls', () => {
  test('a UDF in SELECT and WHERE equals the TypeScript reference', async () => {
    const plan = planQuery(
      "SELECT hash64_utf8(s) AS h, geo_distance_to(x, x, 10, 20) AS d FROM t WHERE contains(s, 'special')",
      { tableSchema: (n) => (n === 't' ? schema : undefined), tableNames: () => ['t'] },
    );
    const batches = await run(fragment({ filter: plan.fragment.filter, project: plan.fragment.project }));
    const got = batches.flatMap((b) => b.toArray().map((r) => [r['h'], r['d']]));

    const kept = strings.map((s, i) => i).filter((i) => strings[i]?.includes('special'));
    const hash = REFERENCE_UDFS['hash64.hash64_utf8']!(
      [utf8Column(kept.map((i) => strings[i]!))],
      kept.length,
    );
    const pts = new Float64Array(kept.map((i) => xs[i] ?? 0));
    const validity = new Uint8Array((kept.length + 7) >>> 3);
    kept.forEach((i, j) => xs[i] !== null && (validity[j >>> 3]! |= 1 << (j & 7)));
    const dist = REFERENCE_UDFS['geo.geo_distance_to']!(
      [
        { type: 'float64', values: pts, validity },
        { type: 'float64', values: pts, validity },
        { type: 'float64', values: Float64Array.of(10) },
        { type: 'float64', values: Float64Array.of(20) },
      ],
      kept.length,
    );
    const valid = (bits: Uint8Array, j: number) => ((bits[j >>> 3]! >>> (j & 7)) & 1) === 1;
    const want = kept.map((_, j) => [
      valid(hash.validity, j) ? (hash.values as BigInt64Array)[j] : null,
      valid(dist.validity, j) ? (dist.values as Float64Array)[j] : null,
    ]);
    expect(got.length).toBeGreaterThan(100);
    expect(got).toEqual(want);
  });
});
