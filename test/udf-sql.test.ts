/**
 * Scalar UDFs in SQL through a real topology (two base nodes, an intermediary): each query's
 * answer under PUSHDOWN and NO_PUSHDOWN equals the same functions computed by the plain
 * TypeScript references (REFERENCE_UDFS) over the rows the query reads. Plus placement: a
 * fragment that calls a plugin goes only to nodes that list it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTable } from '@pushdown/cli';
import { planQuery, registryPlugins, type Fragment } from '@pushdown/engine';
import { decidePlacement, type BaseNodeState, type CatalogObject } from '@pushdown/intermediary';
import { InvalidArgumentError } from '@pushdown/proto';
import { REFERENCE_UDFS, type UdfColumn, type UdfResult } from '@pushdown/plugins';
import { serversBuilt, startCluster, type Cluster } from './support/cluster.js';

const describeIfBuilt = serversBuilt() ? describe : describe.skip;
const PLACEMENTS = ['pushdown', 'no-pushdown'] as const;
const enc = new TextEncoder();

function utf8(values: readonly string[]): UdfColumn {
  const parts = values.map((v) => enc.encode(v));
  const offsets = new Int32Array(values.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const data = new Uint8Array(offsets[values.length]!);
  parts.forEach((p, i) => data.set(p, offsets[i]!));
  return { type: 'utf8', offsets, data };
}
const f64 = (values: readonly number[]): UdfColumn => ({
  type: 'float64',
  values: Float64Array.from(values),
});
const bit = (bits: Uint8Array, i: number): boolean => ((bits[i >>> 3]! >>> (i & 7)) & 1) === 1;
/** Row values of a reference result (bool results are bit-packed like Arrow's). */
const valuesOf = (r: UdfResult): unknown[] =>
  Array.from({ length: r.type === 'bool' ? r.validity.length * 8 : r.values.length }, (_, i) =>
    !bit(r.validity, i) ? null : r.type === 'bool' ? bit(r.values as Uint8Array, i) : r.values[i],
  );
const ref = (fn: string, args: UdfColumn[], rows: number) => valuesOf(REFERENCE_UDFS[fn]!(args, rows));

describeIfBuilt('UDFs in SQL through a real topology', () => {
  let dir: string;
  let cluster: Cluster;
  type Row = {
    l_orderkey: bigint;
    l_linenumber: number;
    l_comment: string;
    l_quantity: number;
    l_discount: number;
  };
  let rows: Row[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pushdown-udf-'));
    const gen = await generateTable({
      table: 'lineitem',
      sf: 0.01,
      formats: ['parquet'],
      parts: 2,
      outDir: dir,
    });
    cluster = await startCluster(2);
    await cluster.load(
      'lineitem',
      gen.files.map((f) => f.path),
    );
    const { table } = await cluster.client.queryTable(
      'SELECT l_orderkey, l_linenumber, l_comment, l_quantity, l_discount FROM lineitem ORDER BY l_orderkey, l_linenumber',
      { placement: 'no-pushdown' },
    );
    rows = table.toArray().map((r) => r.toJSON() as Row);
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test.each(PLACEMENTS)('hash64_utf8 in SELECT, contains in WHERE, with %s', async (placement) => {
    const { table, stats } = await cluster.client.queryTable(
      "SELECT l_orderkey, l_linenumber, hash64_utf8(l_comment) AS h FROM lineitem WHERE contains(l_comment, 'special') ORDER BY l_orderkey, l_linenumber",
      { placement },
    );
    const matches = ref(
      'text_match.contains',
      [utf8(rows.map((r) => r.l_comment)), utf8(['special'])],
      rows.length,
    );
    const kept = rows.filter((_, i) => matches[i] === true);
    const hashes = ref('hash64.hash64_utf8', [utf8(kept.map((r) => r.l_comment))], kept.length);
    expect(kept.length).toBeGreaterThan(10);
    const got = table.toArray().map((r) => [r['l_orderkey'], r['l_linenumber'], r['h']]);
    expect(got).toEqual(kept.map((r, i) => [r.l_orderkey, r.l_linenumber, hashes[i]]));
    for (const f of stats.fragments)
      expect(f.placement).toBe(placement === 'pushdown' ? 'PLACEMENT_PUSHDOWN' : 'PLACEMENT_NO_PUSHDOWN');
  });

  test.each(PLACEMENTS)('geo_distance_to with constant arguments, with %s', async (placement) => {
    const { table } = await cluster.client.queryTable(
      'SELECT l_orderkey, l_linenumber, geo_distance_to(l_quantity, l_discount, 45.5, -73.5) AS d FROM lineitem WHERE l_quantity < 10 ORDER BY l_orderkey, l_linenumber',
      { placement },
    );
    const kept = rows.filter((r) => r.l_quantity < 10);
    const want = ref(
      'geo.geo_distance_to',
      [f64(kept.map((r) => r.l_quantity)), f64(kept.map((r) => r.l_discount)), f64([45.5]), f64([-73.5])],
      kept.length,
    ) as number[];
    const got = table.toArray().map((r) => r['d'] as number);
    expect(got.length).toBe(want.length);
    got.forEach((d, i) => expect(d).toBeCloseTo(want[i]!, 9));
  });

  test.each(PLACEMENTS)('a UDF as an aggregate argument, with %s', async (placement) => {
    const { table } = await cluster.client.queryTable(
      'SELECT l_linenumber, count(*) AS n, max(geo_distance_to(l_quantity, l_discount, 45.5, -73.5)) AS km FROM lineitem GROUP BY l_linenumber ORDER BY l_linenumber',
      { placement },
    );
    const d = ref(
      'geo.geo_distance_to',
      [f64(rows.map((r) => r.l_quantity)), f64(rows.map((r) => r.l_discount)), f64([45.5]), f64([-73.5])],
      rows.length,
    ) as number[];
    const want = new Map<number, { n: number; km: number }>();
    rows.forEach((r, i) => {
      const g = want.get(r.l_linenumber) ?? { n: 0, km: -Infinity };
      want.set(r.l_linenumber, { n: g.n + 1, km: Math.max(g.km, d[i]!) });
    });
    const got = table.toArray().map((r) => [r['l_linenumber'], Number(r['n']), r['km']]);
    expect(got.map((g) => g.slice(0, 2))).toEqual(
      [...want].sort((a, b) => a[0] - b[0]).map(([k, v]) => [k, v.n]),
    );
    got.forEach(([k, , km]) => expect(km).toBeCloseTo(want.get(k as number)!.km, 9));
  });

  test('EXPLAIN shows the call pushed to nodes that list the plugin', async () => {
    const text = await cluster.client.explain(
      "SELECT count(*) AS n FROM lineitem WHERE ends_with(l_comment, 'ly')",
    );
    expect(text).toContain("ends_with(l_comment, 'ly')");
    expect(text).toMatch(/PUSHDOWN/);
  });
});

describe('placement of fragments that call plugins', () => {
  const schema = [{ name: 'l_comment', type: 'utf8' as const, nullable: false }];
  const catalog = { tableSchema: () => schema, tableNames: () => ['t'] };
  const template = planQuery(
    "SELECT hash64_utf8(l_comment) AS h FROM t WHERE contains(l_comment, 'x')",
    catalog,
  ).fragment;
  const fragment = { ...template, format: 'parquet' } as Fragment;
  const object = {
    table: 't',
    name: 'o.parquet',
    format: 'parquet',
    nodes: ['b1'],
  } as unknown as CatalogObject;
  const nodeWith = (plugins: string[]): BaseNodeState =>
    ({
      id: 'b1',
      status: 'up',
      capabilities: {
        operators: ['scan', 'filter', 'project', 'partial_aggregate', 'udf'],
        formats: ['parquet'],
        plugins: plugins.map((name) => ({ ...registryPlugins().find((p) => p.name === name)!, name })),
      },
    }) as unknown as BaseNodeState;
  const registry = (node: BaseNodeState) => ({ get: () => node }) as never;

  test('AUTO runs it on the intermediary and says which plugin the node lacks', () => {
    const d = decidePlacement('AUTO', fragment, object, registry(nodeWith(['text_match'])));
    expect(d.placement).toBe('NO_PUSHDOWN');
    expect(d.reason).toBe('AUTO: base node b1 does not have plugin "hash64" (it has text_match)');
  });

  test('a plugin of the same name but another module does not count', () => {
    const node = nodeWith(['text_match', 'hash64']);
    expect(decidePlacement('AUTO', fragment, object, registry(node)).placement).toBe('PUSHDOWN');
    node.capabilities!.plugins[1]!.sha256 = '0'.repeat(64);
    const d = decidePlacement('AUTO', fragment, object, registry(node));
    expect(d.reason).toBe('AUTO: base node b1 does not have plugin "hash64" (it has text_match, hash64)');
  });

  test('explicit PUSHDOWN to a node without the plugin is INVALID_ARGUMENT naming it', () => {
    expect(() => decidePlacement('PUSHDOWN', fragment, object, registry(nodeWith([])))).toThrow(
      InvalidArgumentError,
    );
    expect(() => decidePlacement('PUSHDOWN', fragment, object, registry(nodeWith([])))).toThrow(
      /does not have plugin "text_match", "hash64"/,
    );
  });
});
