/**
 * The experiment runner end to end on a tiny spec: real base nodes and intermediary (via
 * launchTopology), SF 0.01, four short sweep points. Every output file must exist; the CSV has
 * the pinned columns and one row per point; the SVGs parse and hold one series per placement;
 * the PNGs are real PNGs of the plot's size.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { runExperiment, SUMMARY_COLUMNS, type ExperimentResult } from '../src/index.js';
import { defaultServerScripts } from '../src/topology/server-scripts.js';

const built = existsSync(defaultServerScripts().baseNode) && existsSync(defaultServerScripts().intermediary);
const maybe = built ? describe : describe.skip;

const SPEC = `
name: tiny
description: runner test
topology:
  baseNodes: [{ id: b1, cpus: 1.0 }, { id: b2, cpus: 1.0 }]
  intermediary: { port: 0 }
data: { sf: 0.01, parts: 2 }
queries:
  - name: sel
    sql: "select sum(l_extendedprice) as s, count(*) as n from lineitem where l_quantity < {q}"
    selectivity: { calibrate: l_quantity }
sweep:
  cpus: [1.0]
  placement: [pushdown, no-pushdown]
  selectivity: [0.2, 1.0]
  load: [5]
run: { duration: 1, warmup: 0.2, arrival: fixed, settle: 0 }
`;

maybe('pushdown experiment on a tiny spec', () => {
  let dir: string;
  let result: ExperimentResult;
  let stderr = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pushdown-exp-'));
    writeFileSync(join(dir, 'tiny.yaml'), SPEC);
    result = await runExperiment({
      specFile: 'tiny.yaml',
      cwd: dir,
      outDir: 'out',
      workDir: 'work',
      stderr: { write: (s: string) => (stderr += s) },
    });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const out = (f: string) => join(dir, 'out', f);

  it('writes every output file', () => {
    for (const f of [
      'raw.jsonl',
      'summary.csv',
      'report.html',
      'run.json',
      ...['latency-vs-cpu', 'latency-vs-load', 'bytes-vs-selectivity'].flatMap((p) => [
        `${p}.svg`,
        `${p}.png`,
      ]),
      'logs/b1.log',
    ]) {
      expect(existsSync(out(f))).toBe(true);
    }
    expect(stderr).toMatch(/point 4\/4/);
  });

  it('records every query in raw.jsonl with latency from its scheduled time', () => {
    const lines = readFileSync(out('raw.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const measured = lines.filter((r) => !r.warmup);
    // 5 q/s fixed for 1 s per point, 4 points.
    expect(measured.length).toBe(20);
    const ok = measured.filter((r) => r.status === 'ok');
    expect(ok.length).toBeGreaterThan(15);
    for (const r of ok) {
      expect(r.latencyMs).toBeGreaterThanOrEqual(r.serviceMs);
      expect(r.bytesShipped).toBeGreaterThan(0);
      expect(r.pushdown + r.noPushdown).toBe(2);
      expect(r.placement === 'pushdown' ? r.pushdown : r.noPushdown).toBe(2);
    }
  });

  it('summary.csv has the pinned columns and one row per sweep point', () => {
    const [header, ...rows] = readFileSync(out('summary.csv'), 'utf8').trim().split('\n');
    expect(header!.split(',')).toEqual([
      ...SUMMARY_COLUMNS,
      'cpu_b1',
      'cpu_b2',
      'cpu_intermediary',
      'first_error',
    ]);
    expect(rows).toHaveLength(4);
    const byPlacement = result.summary.map((s) => [s.placement, s.selectivity]);
    expect(byPlacement).toEqual([
      ['pushdown', 0.2],
      ['no-pushdown', 0.2],
      ['pushdown', 1],
      ['no-pushdown', 1],
    ]);
    for (const s of result.summary) {
      expect(s.p50Ms).toBeGreaterThan(0);
      expect(s.p999Ms).toBeGreaterThanOrEqual(s.p50Ms);
      expect(s.cpu.b1).toBeGreaterThan(0);
    }
    // Pushdown of a 20% filter ships less than the raw objects.
    const shipped = (p: string) =>
      result.summary.find((s) => s.placement === p && s.selectivity === 0.2)!.bytesShippedMean;
    expect(shipped('pushdown')).toBeLessThan(shipped('no-pushdown'));
    expect(result.summary[0]!.selectivityActual).toBeCloseTo(0.2, 1);
  });

  it('plots are valid SVG with one series per placement, and PNGs of their size', () => {
    for (const name of ['latency-vs-cpu', 'latency-vs-load', 'bytes-vs-selectivity']) {
      const svg = readFileSync(out(`${name}.svg`), 'utf8');
      expect(() => new Resvg(svg)).not.toThrow();
      const labels = [...svg.matchAll(/<g class="series" data-label="([^"]+)">\s*<path /g)].map((m) => m[1]);
      if (name === 'bytes-vs-selectivity') expect(labels).toEqual(['pushdown', 'no-pushdown']);
      else
        expect(labels).toEqual(expect.arrayContaining(['pushdown p50', 'no-pushdown p50', 'pushdown p99']));
      const png = readFileSync(out(`${name}.png`));
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      const svgWidth = Number(/width="(\d+)"/.exec(svg)![1]);
      expect(png.readUInt32BE(16)).toBe(Math.round(svgWidth * 1.5));
      expect(png.readUInt32BE(20)).toBeGreaterThan(300);
    }
  });

  it('report.html is self-contained and run.json records how to reproduce', () => {
    const html = readFileSync(out('report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|src="http/);
    expect(html).toContain('Versions and machine');
    const run = JSON.parse(readFileSync(out('run.json'), 'utf8'));
    expect(run.specText).toContain('name: tiny');
    expect(run.topology.baseNodes.map((n: { id: string }) => n.id)).toEqual(['b1', 'b2']);
    expect(run.versions.node).toBe(process.version);
    expect(run.calibration.sel['0.2'].value).toBe('11');
    expect(run.points).toBe(4);
  });
});
