/**
 * The run's report: one self-contained HTML file (plots inline as SVG, no scripts, no external
 * assets) with the settings, the spec as written, versions, machine and the summary table.
 */
import { esc } from './chart/line-chart.js';
import type { Plot } from './plots.js';
import type { RunInfo } from './run-record.js';
import type { PointSummary } from './summary.js';

export function reportHtml(info: RunInfo, plots: readonly Plot[], rows: readonly PointSummary[]): string {
  const processIds = info.processes.map((p) => p.id);
  const kv = (pairs: [string, unknown][]) =>
    `<table class="kv">${pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(String(v ?? '—'))}</td></tr>`).join('')}</table>`;
  const num = (v: number | null, digits = 1) => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits));
  const head = [
    '#',
    'query',
    'format',
    'placement',
    'cpus',
    'sel',
    'par',
    'q/s',
    'done',
    'err',
    'drop',
    'thru q/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'p99.9 ms',
    'shipped/q',
    ...processIds.map((id) => `cpu ${id}`),
  ];
  const body = rows.map((r) =>
    [
      r.point,
      r.query,
      r.format,
      r.placement,
      r.cpus + (r.quotaApplied ? '' : '*'),
      r.selectivity ?? '',
      r.parallelism || 'default',
      r.offeredQps,
      r.completed,
      r.errors,
      r.dropped,
      num(r.throughputQps, 2),
      num(r.p50Ms),
      num(r.p95Ms),
      num(r.p99Ms),
      num(r.p999Ms),
      bytes(r.bytesShippedMean),
      ...processIds.map((id) => num(r.cpu[id] ?? null, 2)),
    ]
      .map((c) => `<td>${esc(String(c))}</td>`)
      .join(''),
  );
  const unthrottled = rows.some((r) => !r.quotaApplied);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Pushdown Lab experiment: ${esc(info.spec.name)}</title>
<style>
body { font-family: system-ui, 'DejaVu Sans', sans-serif; margin: 2em auto; max-width: 1320px; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 13px; }
td, th { border: 1px solid #ddd; padding: 3px 7px; text-align: right; }
.kv th { text-align: left; background: #f6f6f6; } .kv td { text-align: left; }
figure { margin: 1em 0; } figcaption { color: #555; max-width: 60em; }
svg { max-width: 100%; height: auto; }
pre { background: #f6f6f6; padding: 1em; overflow: auto; font-size: 12px; }
.warn { background: #fff3cd; padding: 0.6em 1em; border: 1px solid #e0c36c; }
</style></head><body>
<h1>Experiment ${esc(info.spec.name)}</h1>
<p>${esc(info.spec.description)}</p>
${info.warnings.map((w) => `<p class="warn">${esc(w)}</p>`).join('\n')}
${unthrottled ? '<p class="warn">Points marked * ran without the CPU quota applied (no cgroups): their latencies are unthrottled.</p>' : ''}
<h2>Plots</h2>
${plots.map((p) => `<figure id="${esc(p.name)}">${p.svg.replace(/^<\?xml[^>]*>/, '')}<figcaption><b>${esc(p.title)}.</b> ${esc(p.caption)}</figcaption></figure>`).join('\n')}
<h2>Summary</h2>
<p>Latency is measured from each query's scheduled send time (open loop), so queueing is included. One row per sweep point, repetitions merged; the full table is in summary.csv and every query in raw.jsonl.</p>
<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>
${body.map((b) => `<tr>${b}</tr>`).join('\n')}</table>
<h2>Settings</h2>
${kv([
  ['started', info.startedAt],
  ['finished', info.finishedAt],
  ['duration', `${((info.elapsedMs ?? 0) / 1000).toFixed(1)} s`],
  ['command', info.commandLine.join(' ')],
  ['sweep points', info.points],
  ['arrival', info.spec.run.arrival],
  ['duration / warm-up per point', `${info.spec.run.duration} s / ${info.spec.run.warmup} s`],
  ['repetitions', info.spec.run.repetitions],
  ['max outstanding', info.spec.run.maxOutstanding],
  ['seed', info.spec.seed],
  [
    'data',
    `lineitem SF ${info.spec.data.sf}, ${info.spec.data.parts} parts, ${info.spec.data.compression}, seed ${info.spec.data.seed}`,
  ],
  ['quota step', info.quotaMode],
])}
<h2>Versions and machine</h2>
${kv([
  ['node', info.versions.node],
  ['pushdown', info.versions.pushdown],
  ['git commit', `${info.versions.gitCommit ?? 'unknown'}${info.versions.gitDirty ? ' (dirty tree)' : ''}`],
  ['CPUs', `${info.machine.cpus} × ${info.machine.cpuModel}`],
  ['memory', bytes(info.machine.memoryBytes)],
  ['OS', info.machine.os],
  ['cgroups', info.machine.cgroup],
])}
<h2>Topology</h2>
<pre>${esc(JSON.stringify(info.topology, null, 2))}</pre>
<h2>Spec</h2>
<pre>${esc(info.specText)}</pre>
</body></html>
`;
}

function bytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(2)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}
