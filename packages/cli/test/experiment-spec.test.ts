/**
 * The experiment spec validator (messages pinned), the sweep expansion, the open-loop
 * generator's schedule, and the chart module's SVG/PNG output. No processes: see
 * experiment-runner.test.ts for the runner end to end.
 */
import { Resvg } from '@resvg/resvg-js';
import {
  chartGrid,
  expandSweep,
  LatencyHistogram,
  lineChart,
  parseSpec,
  runOpenLoop,
  svgToPng,
  validateSpec,
} from '../src/index.js';
import { sqlFor } from '../src/experiment/sweep.js';

const BASE = {
  name: 'tiny',
  topology: { baseNodes: [{ id: 'b1' }] },
  queries: [{ name: 'Q6', sql: 'tpch:Q6' }],
};

describe('experiment spec validation', () => {
  const cases: [string, unknown, string][] = [
    ['not a mapping', [], 'spec: must be a mapping with at least name, topology, queries and sweep'],
    [
      'bad name',
      { ...BASE, name: 'a b' },
      `spec: name must be 1-64 letters, digits, '.', '-' or '_' (it names the output folder); got "a b"`,
    ],
    ['misspelled top key', { ...BASE, sweeps: {} }, 'spec: unknown key "sweeps"; did you mean "sweep"?'],
    [
      'misspelled sweep key',
      { ...BASE, sweep: { cpu: [1] } },
      'spec: unknown key "sweep.cpu"; did you mean "sweep.cpus"?',
    ],
    [
      'no topology',
      { ...BASE, topology: 3 },
      'spec: topology must be a topology file path or an inline mapping like {baseNodes: [{id: b1}, {id: b2}]}',
    ],
    [
      'no queries',
      { ...BASE, queries: [] },
      'spec: queries must be a non-empty list like [{name: Q6, sql: tpch:Q6}]',
    ],
    [
      'unknown builtin',
      { ...BASE, queries: [{ name: 'x', sql: 'tpch:Q99' }] },
      'spec: queries[0].sql "tpch:Q99" is not a built-in query; known: tpch:Q1, tpch:Q6',
    ],
    [
      'zero quota',
      { ...BASE, sweep: { cpus: [1, 0] } },
      'spec: sweep.cpus[1] must be a CPU quota in cores, > 0 and <= 64 (0.5 = half a core); got 0',
    ],
    [
      'bad placement',
      { ...BASE, sweep: { placement: ['push'] } },
      'spec: sweep.placement[0] must be one of auto, pushdown, no-pushdown; got "push"',
    ],
    [
      'bad format',
      { ...BASE, sweep: { format: ['orc'] } },
      'spec: sweep.format[0] must be one of parquet, csv; got "orc"',
    ],
    ['duplicate load', { ...BASE, sweep: { load: [1, 1] } }, 'spec: sweep.load lists a value twice: [1,1]'],
    [
      'bad arrival',
      { ...BASE, run: { arrival: 'burst' } },
      'spec: run.arrival must be one of poisson, fixed; got "burst"',
    ],
    [
      'negative warmup',
      { ...BASE, run: { warmup: -1 } },
      'spec: run.warmup must be a number of seconds >= 0; got -1',
    ],
    [
      'fractional repetitions',
      { ...BASE, run: { repetitions: 1.5 } },
      'spec: run.repetitions must be an integer in 1..1000; got 1.5',
    ],
    ['bad sf', { ...BASE, data: { sf: 0 } }, 'spec: data.sf must be a number in (0, 100]; got 0'],
    [
      'template without mapping',
      {
        ...BASE,
        queries: [{ name: 's', sql: 'select count(*) as n from lineitem where l_quantity < {q}' }],
        sweep: { selectivity: [0.5] },
      },
      'spec: queries[0].selectivity must say how a selectivity becomes {q}: {calibrate: l_quantity} or {values: {0.1: 6, 0.5: 26}}',
    ],
    [
      'template without selectivities',
      {
        ...BASE,
        queries: [
          {
            name: 's',
            sql: 'select count(*) as n from lineitem where l_quantity < {q}',
            selectivity: { calibrate: 'l_quantity' },
          },
        ],
      },
      'spec: query "s" has a {q} parameter, so sweep.selectivity must list at least one value',
    ],
    [
      'selectivities without template',
      { ...BASE, sweep: { selectivity: [0.1] } },
      'spec: sweep.selectivity is set but no query has a {param} template to apply it to',
    ],
    [
      'value map missing a selectivity',
      {
        ...BASE,
        queries: [
          {
            name: 's',
            sql: 'select count(*) as n from lineitem where l_quantity < {q}',
            selectivity: { values: { 0.1: 6 } },
          },
        ],
        sweep: { selectivity: [0.1, 0.5] },
      },
      'spec: s: selectivity.values has no entry for 0.5 (listed in sweep.selectivity)',
    ],
    [
      'not over lineitem',
      { ...BASE, queries: [{ name: 'x', sql: 'select 1 from orders' }] },
      "spec: queries[0].sql must read from lineitem (the runner points it at the swept format's table)",
    ],
  ];
  it.each(cases)('%s', (_name, input, message) => {
    expect(() => validateSpec(input)).toThrow(message);
  });

  it('fills defaults and resolves built-in queries', () => {
    const spec = validateSpec(BASE);
    expect(spec.sweep).toEqual({
      cpus: [1],
      placement: ['pushdown', 'no-pushdown'],
      format: ['parquet'],
      selectivity: [],
      parallelism: [0],
      load: [1],
    });
    expect(spec.run).toMatchObject({ arrival: 'poisson', duration: 10, warmup: 2, repetitions: 1 });
    expect(spec.queries[0]!.sql).toMatch(/^select\s+sum\(l_extendedprice \* l_discount\)/);
    expect(spec.topology).toEqual({ inline: { baseNodes: [{ id: 'b1' }] } });
  });

  it('reports YAML syntax errors with the source', () => {
    expect(() => parseSpec('name: [unclosed', 'x.yaml')).toThrow(/^x\.yaml: not valid YAML/);
  });
});

describe('sweep expansion', () => {
  const spec = validateSpec({
    ...BASE,
    queries: [
      { name: 'Q6', sql: 'tpch:Q6' },
      {
        name: 'sel',
        sql: 'select count(*) as n from lineitem where l_quantity < {q}',
        selectivity: { calibrate: 'l_quantity' },
      },
    ],
    sweep: { cpus: [1, 0.5], format: ['parquet', 'csv'], selectivity: [0.1, 0.9], load: [1, 4] },
  });

  it('runs the cartesian product, quota outermost and placement innermost', () => {
    const points = expandSweep(spec);
    // cpus 2 × format 2 × (Q6 once + sel twice) × load 2 × placement 2
    expect(points).toHaveLength(2 * 2 * 3 * 2 * 2);
    expect(points.map((p) => p.index)).toEqual(points.map((_, i) => i));
    expect(points.slice(0, 24).every((p) => p.cpus === 1)).toBe(true);
    expect(points[0]!.placement).toBe('pushdown');
    expect(points[1]!.placement).toBe('no-pushdown');
    expect(points.filter((p) => p.query === 'Q6').every((p) => p.selectivity === null)).toBe(true);
  });

  it('points the SQL at the format table and fills the parameter', () => {
    expect(sqlFor(spec.queries[1]!, 'csv', '26')).toBe(
      'select count(*) as n from lineitem_csv where l_quantity < 26',
    );
    expect(sqlFor(spec.queries[1]!, 'parquet', '26')).toBe(
      'select count(*) as n from lineitem where l_quantity < 26',
    );
  });
});

describe('open-loop load generator', () => {
  it('sends on schedule regardless of answers, and drops at the outstanding cap', async () => {
    // Every answer takes 200 ms; at 50 q/s fixed a closed loop would send ~5 in 1 s.
    const result = await runOpenLoop({
      rate: 50,
      arrival: 'fixed',
      warmupMs: 0,
      durationMs: 400,
      maxOutstanding: 5,
      seed: 1,
      send: () => new Promise<number>((r) => setTimeout(() => r(1), 200)),
    });
    expect(result.records).toHaveLength(20);
    const scheduled = result.records.map((r) => r.scheduledMs);
    expect(scheduled[1]! - scheduled[0]!).toBeCloseTo(20, 5);
    const dropped = result.records.filter((r) => r.status === 'dropped').length;
    expect(dropped).toBeGreaterThan(5);
    expect(result.records.filter((r) => r.status === 'ok').length).toBe(20 - dropped);
    for (const r of result.records.filter((x) => x.status === 'ok')) {
      expect(r.latencyMs!).toBeGreaterThanOrEqual(r.serviceMs! - 1e-6);
      expect(r.serviceMs!).toBeGreaterThanOrEqual(195);
    }
  });

  it('records failures as errors and marks warm-up queries', async () => {
    const result = await runOpenLoop({
      rate: 20,
      arrival: 'poisson',
      warmupMs: 200,
      durationMs: 300,
      maxOutstanding: 100,
      seed: 7,
      send: (seq) => (seq % 2 === 0 ? Promise.resolve(seq) : Promise.reject(new Error('boom'))),
    });
    expect(result.records.some((r) => r.status === 'error')).toBe(true);
    expect(result.records.some((r) => r.warmup)).toBe(true);
    expect(result.records.every((r) => r.warmup === r.scheduledMs < 200)).toBe(true);
  });

  it('HDR histogram percentiles are exact to 3 significant digits', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i);
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(500, -0.5);
    expect(s.p99).toBeCloseTo(990, -0.5);
    expect(s.max).toBeCloseTo(1000, -0.5);
  });
});

describe('chart module', () => {
  const svg = lineChart({
    title: 'Q6 <parquet>',
    xLabel: 'CPU quota',
    yLabel: 'ms',
    xLog: true,
    yLog: true,
    series: [
      {
        label: 'pushdown p50',
        points: [
          { x: 1, y: 12 },
          { x: 0.1, y: 95 },
        ],
      },
      {
        label: 'no-pushdown p50',
        points: [
          { x: 1, y: 30 },
          { x: 0.1, y: 40 },
        ],
        dashed: true,
      },
    ],
  });

  it('writes well-formed SVG with one path and legend entry per series', () => {
    expect(() => new Resvg(svg)).not.toThrow();
    expect(svg.match(/<g class="series"/g)).toHaveLength(2);
    expect(svg).toContain('data-label="pushdown p50"');
    expect(svg).toContain('>no-pushdown p50</text>');
    expect(svg).toContain('Q6 &lt;parquet&gt;');
    expect(() => new Resvg('<svg><g></svg>')).toThrow();
  });

  it('rasterizes to a PNG of the scaled size', () => {
    const png = svgToPng(chartGrid([svg, svg], 2, 'two'), { scale: 1 });
    expect(Buffer.from(png.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(16)).toBe(1280);
    expect(view.getUint32(20)).toBe(380 + 32);
  });
});
