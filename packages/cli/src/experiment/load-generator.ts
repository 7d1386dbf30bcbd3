/**
 * An open-loop load generator: queries are sent on a schedule fixed in advance (Poisson or
 * fixed gaps at the offered rate), never "after the previous answer". When the system falls
 * behind, requests queue and their latency grows, as it would for independent users; a
 * closed loop would instead slow its own sending and hide that (coordinated omission).
 *
 * Latency is measured from the *scheduled* send time, so a late timer or a busy event loop in
 * this process counts against the system, not in its favour. At most `maxOutstanding` queries
 * are in flight; a query due while the cap is reached is not sent and is recorded as dropped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Arrival } from './spec-types.js';

export interface OpenLoopOptions<T> {
  /** Offered load, queries per second. */
  rate: number;
  arrival: Arrival;
  /** Queries scheduled in [0, warmupMs) are sent but marked `warmup`. */
  warmupMs: number;
  durationMs: number;
  maxOutstanding: number;
  /** Seeds the Poisson gaps; the same seed gives the same schedule. */
  seed: number;
  signal?: AbortSignal;
  /** Sends query number `seq`; a rejection is recorded as an error. */
  send: (seq: number) => Promise<T>;
  onRecord?: (record: LoadRecord<T>) => void;
}

export type LoadStatus = 'ok' | 'error' | 'dropped';

export interface LoadRecord<T> {
  seq: number;
  status: LoadStatus;
  warmup: boolean;
  /** Milliseconds since the load started. */
  scheduledMs: number;
  sentMs: number | null;
  doneMs: number | null;
  /** done - scheduled: what a user would see, queueing included. null when dropped. */
  latencyMs: number | null;
  /** done - sent: the service time alone. */
  serviceMs: number | null;
  result?: T;
  error?: unknown;
}

export interface OpenLoopResult<T> {
  records: LoadRecord<T>[];
  /** Wall time from the first scheduled send to the last answer. */
  elapsedMs: number;
}

export async function runOpenLoop<T>(options: OpenLoopOptions<T>): Promise<OpenLoopResult<T>> {
  const gap = gapSource(options.rate, options.arrival, options.seed);
  const end = options.warmupMs + options.durationMs;
  const records: LoadRecord<T>[] = [];
  const inflight = new Set<Promise<void>>();
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  let seq = 0;

  const fire = (scheduledMs: number) => {
    const record: LoadRecord<T> = {
      seq: seq++,
      status: 'dropped',
      warmup: scheduledMs < options.warmupMs,
      scheduledMs,
      sentMs: null,
      doneMs: null,
      latencyMs: null,
      serviceMs: null,
    };
    records.push(record);
    if (inflight.size >= options.maxOutstanding) {
      options.onRecord?.(record);
      return;
    }
    const sentMs = now();
    record.sentMs = sentMs;
    const finish = (status: LoadStatus) => {
      const doneMs = now();
      record.status = status;
      record.doneMs = doneMs;
      record.latencyMs = doneMs - scheduledMs;
      record.serviceMs = doneMs - sentMs;
      options.onRecord?.(record);
    };
    const p: Promise<void> = options.send(record.seq).then(
      (result) => {
        record.result = result;
        finish('ok');
      },
      (error: unknown) => {
        record.error = error;
        finish('error');
      },
    );
    const tracked = p.finally(() => inflight.delete(tracked));
    inflight.add(tracked);
  };

  let next = options.arrival === 'fixed' ? 0 : gap();
  while (next < end && !options.signal?.aborted) {
    const wait = next - now();
    // Timers fire late, never early; the latency clock starts at `next` regardless.
    if (wait > 0.5) await sleep(wait);
    const t = now();
    while (next <= t && next < end) {
      fire(next);
      next += gap();
    }
  }
  while (inflight.size > 0) await Promise.race(inflight);
  return { records, elapsedMs: now() };
}

/** Milliseconds between sends: fixed 1000/rate, or exponential with that mean. */
function gapSource(rate: number, arrival: Arrival, seed: number): () => number {
  const mean = 1000 / rate;
  if (arrival === 'fixed') return () => mean;
  const random = mulberry32(seed);
  // 1 - u is in (0, 1], so the log is finite.
  return () => -Math.log(1 - random()) * mean;
}

/** A tiny seeded PRNG in [0, 1); quality is ample for arrival gaps. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
