/**
 * Runs one sweep point: `repetitions` rounds of open-loop load (warm-up, then measured), with
 * the CPU time of every topology process sampled around each round. Every query becomes a raw
 * record (warm-up ones too, flagged); the measured ones feed the point's summary.
 */
import { placementFromWire } from '../client/options.js';
import type { PushdownClient } from '../client/pushdown-client.js';
import { describeError } from '../client/errors.js';
import { coresUsed, sampleCpu, type ProcessRef } from './cpu-usage.js';
import { runOpenLoop, type LoadRecord } from './load-generator.js';
import type { RunSpec } from './spec-types.js';
import type { PointMeasurement, QueryOutcome, RawRecord } from './summary.js';
import type { SweepPoint } from './sweep.js';

export interface PointContext {
  client: PushdownClient;
  run: RunSpec;
  /** Base seed; each point and repetition derives its own arrival schedule from it. */
  seed: number;
  processes: readonly ProcessRef[];
  quotaApplied: boolean;
  signal?: AbortSignal;
  /** Every query, as it finishes (for raw.jsonl). */
  onRecord: (record: RawRecord) => void;
  /** 0..1 within the point. */
  onProgress?: (fraction: number) => void;
}

export interface PointInput {
  point: SweepPoint;
  sql: string;
  param: string | null;
  selectivityActual: number | null;
}

export async function runPoint(ctx: PointContext, input: PointInput): Promise<PointMeasurement> {
  const { run } = ctx;
  const { point } = input;
  const measured: RawRecord[] = [];
  let measuredMs = 0;
  const cpuSeconds = new Map<string, number>();
  let wallMs = 0;
  const roundMs = (run.warmup + run.duration) * 1000;
  for (let rep = 0; rep < run.repetitions; rep++) {
    const roundStart = Date.now();
    const progress = ctx.onProgress
      ? setInterval(() => {
          const f = (rep + Math.min(1, (Date.now() - roundStart) / roundMs)) / run.repetitions;
          ctx.onProgress!(f);
        }, 250)
      : undefined;
    const before = await sampleCpu(ctx.processes);
    const wallStart = performance.now();
    let result;
    try {
      result = await runOpenLoop<QueryOutcome>({
        rate: point.load,
        arrival: run.arrival,
        warmupMs: run.warmup * 1000,
        durationMs: run.duration * 1000,
        maxOutstanding: run.maxOutstanding,
        seed: (ctx.seed + point.index * 7919 + rep * 104_729) >>> 0,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        send: () => sendQuery(ctx.client, input.sql, point, run.timeout * 1000, ctx.signal),
        onRecord: (r) => ctx.onRecord(toRaw(r, point, rep, input.param)),
      });
    } finally {
      if (progress) clearInterval(progress);
    }
    const wall = performance.now() - wallStart;
    const after = await sampleCpu(ctx.processes);
    for (const [id, cores] of coresUsed(before, after, wall)) {
      cpuSeconds.set(id, (cpuSeconds.get(id) ?? 0) + (cores * wall) / 1000);
    }
    wallMs += wall;
    measuredMs += Math.max(0, result.elapsedMs - run.warmup * 1000);
    for (const r of result.records) if (!r.warmup) measured.push(toRaw(r, point, rep, input.param));
  }
  const cpu: Record<string, number> = {};
  for (const [id, s] of cpuSeconds) cpu[id] = wallMs > 0 ? s / (wallMs / 1000) : 0;
  return {
    point,
    param: input.param,
    selectivityActual: input.selectivityActual,
    repetitions: run.repetitions,
    measuredMs,
    quotaApplied: ctx.quotaApplied,
    cpu,
    records: measured,
  };
}

/** Runs one query to the end, discarding the rows, and keeps what its QueryStats says. */
async function sendQuery(
  client: PushdownClient,
  sql: string,
  point: SweepPoint,
  deadlineMs: number,
  signal: AbortSignal | undefined,
): Promise<QueryOutcome> {
  const result = client.query(sql, {
    placement: point.placement,
    format: 'arrow',
    maxConcurrency: point.parallelism,
    deadlineMs,
    tenant: 'experiment',
    ...(signal ? { signal } : {}),
  });
  for await (const chunk of result.chunks) void chunk;
  const stats = await result.stats;
  let pushdown = 0;
  let noPushdown = 0;
  for (const f of stats.fragments) {
    if (placementFromWire(f.placement) === 'pushdown') pushdown++;
    else noPushdown++;
  }
  return {
    bytesShipped: Number(stats.bytesShipped),
    bytesReturned: Number(stats.bytesReturned),
    rowsScanned: Number(stats.rowsScanned),
    rowsReturned: Number(stats.rowsReturned),
    serverMs: stats.elapsedMs,
    pushdown,
    noPushdown,
  };
}

function toRaw(r: LoadRecord<QueryOutcome>, p: SweepPoint, rep: number, param: string | null): RawRecord {
  const err = r.status === 'error' ? describeError(r.error) : undefined;
  const o = r.result;
  return {
    point: p.index,
    rep,
    seq: r.seq,
    query: p.query,
    format: p.format,
    placement: p.placement,
    cpus: p.cpus,
    selectivity: p.selectivity,
    param,
    parallelism: p.parallelism,
    offeredQps: p.load,
    status: r.status,
    warmup: r.warmup,
    scheduledMs: round(r.scheduledMs),
    sentMs: r.sentMs === null ? null : round(r.sentMs),
    doneMs: r.doneMs === null ? null : round(r.doneMs),
    latencyMs: r.latencyMs === null ? null : round(r.latencyMs),
    serviceMs: r.serviceMs === null ? null : round(r.serviceMs),
    bytesShipped: o?.bytesShipped ?? 0,
    bytesReturned: o?.bytesReturned ?? 0,
    rowsScanned: o?.rowsScanned ?? 0,
    rowsReturned: o?.rowsReturned ?? 0,
    serverMs: o ? round(o.serverMs) : 0,
    pushdown: o?.pushdown ?? 0,
    noPushdown: o?.noPushdown ?? 0,
    errorCode: err ? err.code : null,
    error: err ? err.message : null,
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
