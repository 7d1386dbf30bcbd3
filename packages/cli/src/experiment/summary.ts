/**
 * One summary row per sweep point (repetitions merged): latency percentiles from the HDR
 * histogram, throughput, errors and drops, bytes shipped, the placements that ran, and the
 * cores each process really used. `summaryCsv` writes them with a fixed column order.
 */
import type { PlacementName } from '../client/options.js';
import { LatencyHistogram } from './histogram.js';
import type { DataFormat } from './spec-types.js';
import type { SweepPoint } from './sweep.js';

/** What one query reported (from its QueryStats). */
export interface QueryOutcome {
  bytesShipped: number;
  bytesReturned: number;
  rowsScanned: number;
  rowsReturned: number;
  serverMs: number;
  /** Fragments that ran as PUSHDOWN and as NO_PUSHDOWN. */
  pushdown: number;
  noPushdown: number;
}

/** One line of raw.jsonl. */
export interface RawRecord extends QueryOutcome {
  point: number;
  rep: number;
  seq: number;
  query: string;
  format: DataFormat;
  placement: PlacementName;
  cpus: number;
  selectivity: number | null;
  param: string | null;
  parallelism: number;
  offeredQps: number;
  status: 'ok' | 'error' | 'dropped';
  warmup: boolean;
  scheduledMs: number;
  sentMs: number | null;
  doneMs: number | null;
  latencyMs: number | null;
  serviceMs: number | null;
  errorCode: string | null;
  error: string | null;
}

export interface PointSummary {
  point: number;
  query: string;
  format: DataFormat;
  placement: PlacementName;
  cpus: number;
  selectivity: number | null;
  /** The fraction calibration reached (null for explicit values or plain queries). */
  selectivityActual: number | null;
  param: string | null;
  parallelism: number;
  offeredQps: number;
  repetitions: number;
  /** Measured seconds (warm-up excluded, drain included), all repetitions. */
  measuredS: number;
  sent: number;
  completed: number;
  errors: number;
  dropped: number;
  throughputQps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  meanMs: number;
  maxMs: number;
  serviceP50Ms: number;
  bytesShippedMean: number;
  bytesShippedTotal: number;
  rowsScannedMean: number;
  fragmentsPushdown: number;
  fragmentsNoPushdown: number;
  quotaApplied: boolean;
  /** Cores used per process id (CPU seconds / wall seconds). */
  cpu: Record<string, number>;
  firstError: string | null;
}

export interface PointMeasurement {
  point: SweepPoint;
  param: string | null;
  selectivityActual: number | null;
  repetitions: number;
  measuredMs: number;
  quotaApplied: boolean;
  cpu: Record<string, number>;
  /** Non-warm-up records of every repetition. */
  records: RawRecord[];
}

export function summarizePoint(m: PointMeasurement): PointSummary {
  const latency = new LatencyHistogram();
  const service = new LatencyHistogram();
  let completed = 0;
  let errors = 0;
  let dropped = 0;
  let bytes = 0;
  let rows = 0;
  let pushdown = 0;
  let noPushdown = 0;
  let firstError: string | null = null;
  for (const r of m.records) {
    if (r.status === 'dropped') dropped++;
    else if (r.status === 'error') {
      errors++;
      firstError ??= `${r.errorCode ?? 'ERROR'}: ${r.error ?? ''}`;
    } else {
      completed++;
      latency.record(r.latencyMs!);
      service.record(r.serviceMs!);
      bytes += r.bytesShipped;
      rows += r.rowsScanned;
      pushdown += r.pushdown;
      noPushdown += r.noPushdown;
    }
  }
  const s = latency.summary();
  const p = m.point;
  return {
    point: p.index,
    query: p.query,
    format: p.format,
    placement: p.placement,
    cpus: p.cpus,
    selectivity: p.selectivity,
    selectivityActual: m.selectivityActual,
    param: m.param,
    parallelism: p.parallelism,
    offeredQps: p.load,
    repetitions: m.repetitions,
    measuredS: m.measuredMs / 1000,
    sent: m.records.length - dropped,
    completed,
    errors,
    dropped,
    throughputQps: m.measuredMs > 0 ? completed / (m.measuredMs / 1000) : 0,
    p50Ms: s.p50,
    p95Ms: s.p95,
    p99Ms: s.p99,
    p999Ms: s.p999,
    meanMs: s.mean,
    maxMs: s.max,
    serviceP50Ms: service.summary().p50,
    bytesShippedMean: completed > 0 ? bytes / completed : NaN,
    bytesShippedTotal: bytes,
    rowsScannedMean: completed > 0 ? rows / completed : NaN,
    fragmentsPushdown: pushdown,
    fragmentsNoPushdown: noPushdown,
    quotaApplied: m.quotaApplied,
    cpu: m.cpu,
    firstError,
  };
}

/** Columns of summary.csv before the per-process `cpu_<id>` columns and `first_error`. */
export const SUMMARY_COLUMNS = [
  'point',
  'query',
  'format',
  'placement',
  'cpus',
  'selectivity',
  'selectivity_actual',
  'param',
  'parallelism',
  'offered_qps',
  'repetitions',
  'measured_s',
  'sent',
  'completed',
  'errors',
  'dropped',
  'throughput_qps',
  'p50_ms',
  'p95_ms',
  'p99_ms',
  'p999_ms',
  'mean_ms',
  'max_ms',
  'service_p50_ms',
  'bytes_shipped_mean',
  'bytes_shipped_total',
  'rows_scanned_mean',
  'fragments_pushdown',
  'fragments_no_pushdown',
  'quota_applied',
] as const;

export function summaryCsv(rows: readonly PointSummary[], processIds: readonly string[]): string {
  const header = [...SUMMARY_COLUMNS, ...processIds.map((id) => `cpu_${id}`), 'first_error'];
  const lines = [header.join(',')];
  for (const r of rows) {
    const values: unknown[] = [
      r.point,
      r.query,
      r.format,
      r.placement,
      r.cpus,
      r.selectivity,
      r.selectivityActual,
      r.param,
      r.parallelism,
      r.offeredQps,
      r.repetitions,
      r.measuredS,
      r.sent,
      r.completed,
      r.errors,
      r.dropped,
      r.throughputQps,
      r.p50Ms,
      r.p95Ms,
      r.p99Ms,
      r.p999Ms,
      r.meanMs,
      r.maxMs,
      r.serviceP50Ms,
      r.bytesShippedMean,
      r.bytesShippedTotal,
      r.rowsScannedMean,
      r.fragmentsPushdown,
      r.fragmentsNoPushdown,
      r.quotaApplied,
      ...processIds.map((id) => r.cpu[id]),
      r.firstError,
    ];
    lines.push(values.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
