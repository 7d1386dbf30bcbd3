/**
 * `runExperiment`: the whole experiment from a spec file. Brings up the spec's topology (real
 * processes), generates and loads the data, calibrates selectivities, then walks the sweep,
 * changing the base nodes' CPU quota live between points, and writes raw.jsonl, summary.csv,
 * plots, report.html and run.json into the output folder.
 *
 * @example
 * const { outDir } = await runExperiment({ specFile: 'experiments/quick.yaml', cwd: process.cwd(), stderr: process.stderr });
 */
import { createWriteStream } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cgroupSupport } from '../cgroups/cgroup-layout.js';
import { PushdownClient } from '../client/pushdown-client.js';
import { launchTopology, type LaunchOptions } from '../topology/launcher.js';
import type { ProgressStream } from '../util/progress.js';
import { calibrate, type Calibration } from './calibrate.js';
import { loadData, prepareData } from './data.js';
import { OUTPUT_FILES, writeOutputs } from './outputs.js';
import { runPoint } from './point-runner.js';
import { cgroupQuotaStep, type QuotaStep } from './quota.js';
import { collectMachine, collectVersions } from './run-info.js';
import { calibrationText, type RunInfo } from './run-record.js';
import { loadSpec, resolveTopology, specDirOf } from './spec-load.js';
import { TABLE_OF_FORMAT, type ExperimentSpec, type RunSpec } from './spec-types.js';
import { summarizePoint, type PointSummary } from './summary.js';
import { describePoint, expandSweep, sqlFor, type SweepPoint } from './sweep.js';
import { createSweepProgress, duration } from './sweep-progress.js';

export interface ExperimentOptions {
  specFile: string;
  /** Relative paths and the default folders are resolved against it. */
  cwd: string;
  /** Default: results/<spec name>-<timestamp>. */
  outDir?: string;
  /** Where the topology runs and the data is cached. Default: .pushdown/experiments. */
  workDir?: string;
  /** Runs every point briefly (1 s, no warm-up beyond 0.2 s, one repetition) to check the spec. */
  quickCheck?: boolean;
  stderr: ProgressStream;
  signal?: AbortSignal;
  /** Recorded in run.json. */
  commandLine?: string[];
  /** The CPU quota step; default: live cgroup change of every base node. */
  quotaStep?: QuotaStep;
  /** Passed to launchTopology (e.g. server scripts, ready timeout). */
  launch?: Pick<LaunchOptions, 'scripts' | 'readyTimeoutMs'>;
}

export interface ExperimentResult {
  outDir: string;
  files: string[];
  summary: PointSummary[];
  info: RunInfo;
}

export const QUICK_CHECK_RUN: Partial<RunSpec> = Object.freeze({
  duration: 1,
  warmup: 0.2,
  repetitions: 1,
  settle: 0,
});

export async function runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
  const started = Date.now();
  const { stderr, signal } = options;
  const loaded = await loadSpec(resolve(options.cwd, options.specFile));
  const spec: ExperimentSpec = options.quickCheck
    ? { ...loaded.spec, run: { ...loaded.spec.run, ...QUICK_CHECK_RUN } }
    : loaded.spec;
  const topology = await resolveTopology(spec, specDirOf(loaded));
  const points = expandSweep(spec);
  const stamp = new Date(started)
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d{3}Z$/, 'Z');
  const outDir = resolve(options.cwd, options.outDir ?? join('results', `${spec.name}-${stamp}`));
  const workDir = resolve(options.cwd, options.workDir ?? join('.pushdown', 'experiments'));
  const dataDir = join(workDir, `topology-${spec.name}`);
  await mkdir(outDir, { recursive: true });

  const support = await cgroupSupport().catch((err: Error) => ({ version: null, reason: err.message }));
  const warnings: string[] = [];
  const quotaStep = options.quotaStep ?? cgroupQuotaStep;
  const info: RunInfo = {
    spec,
    specPath: loaded.path,
    specText: loaded.text,
    topology,
    versions: collectVersions(options.cwd),
    machine: collectMachine(
      support.version === null
        ? `none (${support.reason ?? 'unknown'})`
        : `v${support.version}${support.reason ? ` (${support.reason})` : ''}`,
    ),
    commandLine: options.commandLine ?? ['pushdown', 'experiment', options.specFile],
    startedAt: new Date(started).toISOString(),
    finishedAt: null,
    elapsedMs: null,
    points: points.length,
    quickCheck: options.quickCheck ?? false,
    quotaMode: options.quotaStep ? 'custom' : 'cgroup (live change of every base node)',
    calibration: new Map(),
    processes: [],
    dataDir,
    dataCache: workDir,
    warnings,
  };
  stderr.write(
    `experiment ${spec.name}: ${points.length} sweep points × ${spec.run.repetitions} × ${spec.run.warmup + spec.run.duration} s ≈ ${duration(points.length * spec.run.repetitions * (spec.run.warmup + spec.run.duration) * 1000)} of load → ${outDir}\n`,
  );

  const formats = [...new Set(spec.sweep.format)];
  const prepared = await prepareData(workDir, spec.data, formats, stderr, signal);
  const launched = await launchTopology({
    dataDir,
    topology,
    ...options.launch,
    onEvent: (m) => stderr.write(`${m}\n`),
  });
  const client = new PushdownClient(launched.state.intermediary);
  const raw = createWriteStream(join(outDir, OUTPUT_FILES.raw));
  const summary: PointSummary[] = [];
  try {
    info.processes = launched.state.processes.map((p) => ({ id: p.id, role: p.role, pid: p.pid }));
    await client.waitForReady(10_000);
    const nodes = launched.state.processes.filter((p) => p.role === 'base-node');
    await loadData(client, nodes, prepared, stderr, signal);
    const calibration: Calibration = await calibrate(
      client,
      spec,
      TABLE_OF_FORMAT[formats[0]!],
      spec.run.timeout * 1000,
    );
    info.calibration = calibration;
    for (const line of calibrationText(calibration)) stderr.write(`calibration ${line}\n`);

    await prime(client, spec, points, calibration, stderr);
    const progress = createSweepProgress(
      stderr,
      points.length,
      (spec.run.warmup + spec.run.duration) * spec.run.repetitions * 1000,
    );
    let quota: { cpus: number; applied: boolean } | undefined;
    for (const point of points) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      if (quota?.cpus !== point.cpus) {
        const outcome = await quotaStep(launched.state, point.cpus);
        if (!outcome.applied) {
          const w = `CPU quota ${point.cpus} not applied: ${outcome.note ?? 'unknown reason'}`;
          if (!warnings.includes(w)) warnings.push(w);
        }
        quota = { cpus: point.cpus, applied: outcome.applied };
        if (spec.run.settle > 0) await sleep(spec.run.settle * 1000);
      }
      const q = spec.queries.find((x) => x.name === point.query)!;
      const choice = point.selectivity === null ? undefined : calibration.get(q.name)?.get(point.selectivity);
      const label = describePoint(point);
      progress.update(point.index, label, 0);
      const m = await runPoint(
        {
          client,
          run: spec.run,
          seed: spec.seed,
          processes: launched.state.processes,
          quotaApplied: quota.applied,
          ...(signal ? { signal } : {}),
          onRecord: (r) => raw.write(`${JSON.stringify(r)}\n`),
          onProgress: (f) => progress.update(point.index, label, f),
        },
        {
          point,
          sql: sqlFor(q, point.format, choice?.value),
          param: choice?.value ?? null,
          selectivityActual: choice?.actual ?? null,
        },
      );
      summary.push(summarizePoint(m));
      progress.pointDone();
    }
    progress.done(`${points.length} sweep points done in ${duration(Date.now() - started)}`);
  } finally {
    client.close();
    await new Promise<void>((r) => raw.end(r));
    await launched.stop();
    await cp(join(dataDir, 'logs'), join(outDir, 'logs'), { recursive: true }).catch(() => undefined);
  }
  for (const w of warnings) stderr.write(`warning: ${w}\n`);
  info.finishedAt = new Date().toISOString();
  info.elapsedMs = Date.now() - started;
  const files = [OUTPUT_FILES.raw, ...(await writeOutputs(outDir, info, summary))];
  stderr.write(`wrote ${files.join(', ')} to ${outDir}\n`);
  return { outDir, files, summary, info };
}

/**
 * Runs each distinct query once per placement before measuring: the first run of a code path
 * pays JIT compilation, WASM instantiation and connection set-up, which would otherwise land in
 * the first sweep point that uses it.
 */
async function prime(
  client: PushdownClient,
  spec: ExperimentSpec,
  points: readonly SweepPoint[],
  calibration: Calibration,
  stderr: ProgressStream,
): Promise<void> {
  const seen = new Set<string>();
  for (const p of points) {
    const q = spec.queries.find((x) => x.name === p.query)!;
    const choice = p.selectivity === null ? undefined : calibration.get(q.name)?.get(p.selectivity);
    const sql = sqlFor(q, p.format, choice?.value);
    const key = `${p.placement}\n${sql}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await client
      .queryTable(sql, { placement: p.placement, deadlineMs: spec.run.timeout * 1000 })
      .catch((err: Error) =>
        stderr.write(`warning: priming ${p.query} (${p.placement}) failed: ${err.message}\n`),
      );
  }
}
