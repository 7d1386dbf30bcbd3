// The stats plugin's aggregate UDFs, built to WASM and driven phase by phase (init, update on
// several random batches, merge of split states, finalize) against the TypeScript references
// doing the same calls: states equal byte for byte (var/stddev: same IEEE operations), results
// equal (geomean: to 1e-12 relative, its log/exp are each runtime's own). Edge cases: NULLs,
// skipped rows (negative ids), groups with no rows, a group of one row.
import { join } from 'node:path';
import {
  BUILD_DIR,
  instantiateAggregateUdf,
  manifestProblems,
  moduleProblems,
  readWasmModuleInfo,
  REFERENCE_AGGREGATES,
  verifyPlugin,
  type AggregateUdfInstance,
  type PluginManifest,
  type UdfResult,
} from '@pushdown/plugins';
import { float64Column, isValid, randomValidity, rng } from './udf-random-batches.js';

const FUNCTIONS = ['var_welford', 'stddev_welford', 'geomean'] as const;
let agg: AggregateUdfInstance;
let manifest: PluginManifest;
let bytes: Uint8Array;

beforeAll(async () => {
  const v = await verifyPlugin(join(BUILD_DIR, 'stats.wasm'));
  agg = instantiateAggregateUdf(v.module, v.manifest);
  manifest = v.manifest;
  bytes = v.bytes;
});

/** A random batch: values in (0, 100] (geomean needs positives), ids in [-1, groups). */
function batch(seed: number, rows: number, groups: number, nullRate: number) {
  const rand = rng(seed);
  const values = Float64Array.from({ length: rows }, () => 1e-3 + rand() * 100);
  // Group `groups - 1` never gets a row: an empty group must finalize to NULL.
  const ids = Int32Array.from({ length: rows }, () => Math.floor(rand() * groups) - 1);
  for (let i = 0; i < rows; i++) if (ids[i]! >= groups - 1) ids[i] = -1;
  return { ids, col: float64Column(values, randomValidity(rand, rows, nullRate)), rows };
}

function values(r: UdfResult): (number | null)[] {
  return Array.from(r.values as Float64Array, (v, g) => (isValid(r.validity, g) ? v : null));
}

describe.each(FUNCTIONS)('stats.%s against its TypeScript reference', (fn) => {
  const ref = () => REFERENCE_AGGREGATES[`stats.${fn}`]!;
  const exact = fn !== 'geomean';

  function expectSame(wasm: UdfResult, ts: UdfResult): void {
    expect(wasm.nullCount).toBe(ts.nullCount);
    expect(Array.from(wasm.validity)).toEqual(Array.from(ts.validity));
    const [w, t] = [values(wasm), values(ts)];
    if (exact) expect(w).toEqual(t);
    else w.forEach((v, g) => (v === null ? expect(t[g]).toBeNull() : expect(v).toBeCloseTo(t[g]!, 9)));
  }

  test.each([
    [1, 1000, 5, 0],
    [2, 4096, 17, 0.1],
    [3, 1, 2, 0],
    [4, 3, 4, 0.5],
  ])('seed %i: %i rows, %i groups, null rate %f', (seed, rows, groups, nullRate) => {
    const size = ref().stateBytes;
    expect(agg.signature(fn).stateBytes).toBe(size);
    // Two batches into one state, and the same two into separate states merged afterwards.
    const [a, b] = [batch(seed, rows, groups, nullRate), batch(seed + 100, rows, groups, nullRate)];
    let wasm = agg.init(fn, groups);
    let ts = ref().init(groups);
    expect(wasm).toEqual(ts);
    for (const x of [a, b]) {
      wasm = agg.update(fn, wasm, x.ids, [x.col], x.rows);
      ts = ref().update(ts, x.ids, [x.col], x.rows);
    }
    if (exact) expect(wasm).toEqual(ts);
    expectSame(agg.finalize(fn, wasm), ref().finalize(ts));

    const split = (x: typeof a) => agg.update(fn, agg.init(fn, groups), x.ids, [x.col], x.rows);
    const merged = agg.merge(fn, split(a), split(b));
    const tsSplit = (x: typeof a) => ref().update(ref().init(groups), x.ids, [x.col], x.rows);
    const tsMerged = ref().merge(tsSplit(a), tsSplit(b));
    if (exact) expect(merged).toEqual(tsMerged);
    const out = agg.finalize(fn, merged);
    expectSame(out, ref().finalize(tsMerged));
    expect(isValid(out.validity, groups - 1)).toBe(false);
  });
});

test('known values: sample variance, standard deviation and geometric mean', () => {
  const col = float64Column(Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9, 8));
  const ids = Int32Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1);
  const run = (fn: string) => values(agg.finalize(fn, agg.update(fn, agg.init(fn, 2), ids, [col], 9)));
  // Eight values with mean 5 and squared deviations summing to 32: 32/7; one value: NULL.
  expect(run('var_welford')).toEqual([32 / 7, null]);
  expect(run('stddev_welford')).toEqual([Math.sqrt(32 / 7), null]);
  const g = run('geomean');
  expect(g[0]).toBeCloseTo((2 * 4 * 4 * 4 * 5 * 5 * 7 * 9) ** (1 / 8), 12);
  expect(g[1]).toBeCloseTo(8, 12);
});

test('a merge of an empty state changes nothing, either way round', () => {
  const x = batch(7, 50, 3, 0);
  const full = agg.update('var_welford', agg.init('var_welford', 3), x.ids, [x.col], x.rows);
  const empty = agg.init('var_welford', 3);
  expect(agg.merge('var_welford', full, empty)).toEqual(full);
  expect(agg.merge('var_welford', empty, full)).toEqual(full);
});

describe('manifest and module checks for aggregate UDFs', () => {
  const source = (fn: Record<string, unknown>) => ({
    ...manifest,
    exports: [{ name: 'var_welford', args: ['float64'], result: 'float64', stateBytes: 24, ...fn }],
  });

  test.each([
    [{ stateBytes: 12 }, 'manifest.exports[0].stateBytes must be a multiple of 8 from 8 to 4096 (got 12)'],
    [
      { stateBytes: 8192 },
      'manifest.exports[0].stateBytes must be a multiple of 8 from 8 to 4096 (got 8192)',
    ],
    [{ stateBytes: undefined }, 'manifest.exports[0].stateBytes is required in an aggregate-udf'],
    [
      { result: 'utf8' },
      'manifest.exports[0].result must be a fixed-width type in an aggregate-udf (got "utf8")',
    ],
    [{ constArgs: [0] }, 'manifest.exports[0].constArgs is not allowed in an aggregate-udf'],
  ])('%j is refused', (fn, message) => {
    expect(manifestProblems(JSON.parse(JSON.stringify(source(fn))))).toContain(message);
  });

  test('stateBytes outside an aggregate-udf is refused', () => {
    const scalar = { ...source({}), kind: 'scalar-udf' };
    expect(manifestProblems(scalar)).toContain(
      'manifest.exports[0].stateBytes is only allowed in an aggregate-udf',
    );
  });

  test('a manifest naming an aggregate the module does not implement is refused at verification', () => {
    const info = readWasmModuleInfo(bytes, 'stats');
    expect(moduleProblems(manifest, info)).toEqual([]);
    const more = {
      ...manifest,
      exports: [...manifest.exports, { name: 'median', args: ['float64'], result: 'float64', stateBytes: 8 }],
    } as PluginManifest;
    expect(moduleProblems(more, info)).toEqual(
      ['init', 'update', 'merge', 'finalize'].map(
        (p) => `aggregate "median" needs the export "median_${p}", which the module lacks`,
      ),
    );
  });
});
