/**
 * The worker of a `BlockingAggregateSandbox` (blocking-call.ts): holds one instance of one
 * aggregate-UDF plugin and serves `_init`/`_merge`/`_finalize` requests from the shared control
 * table (blocking-call-protocol.ts), blocked in `Atomics.wait` between them. It never watches
 * time: the caller terminates it when a call overruns, which also stops a plugin mid-loop.
 *
 * The instance keeps nothing that matters between calls (the host copies the states in and out
 * every time, aggregate-udf-host.ts), so a replacement worker answers exactly as this one would.
 * Failures arrive already classified by the host (classifyUdfFailure: trap, memory cap, stack)
 * and cross as JSON of a SerializedError.
 */
import { workerData } from 'node:worker_threads';
import { serializeError } from '@pushdown/proto';
import { instantiateAggregateUdf, type AggregateUdfInstance } from '../aggregate-udf-host.js';
import { manifestFunctions } from '../manifest-types.js';
import {
  align8,
  BLOCKING_PHASES,
  BOOT_FAILED,
  C_DONE,
  C_FN,
  C_GROUPS,
  C_NULLS,
  C_OUT_LEN,
  C_PHASE,
  C_REQ,
  C_STATE,
  C_STATUS,
  READY,
  STATUS_ERROR,
  STATUS_OK,
  type BlockingWorkerInit,
} from './blocking-call-protocol.js';

const init = workerData as BlockingWorkerInit;
const ctl = new Int32Array(init.control);
// Length-tracking view: it follows the caller's grow() of the shared buffer.
const data = new Uint8Array(init.data);
const functions = manifestFunctions(init.manifest);
/** A fixed-length view: copies from those take V8's fast path, unlike length-tracking ones. */
const view = (from: number, to: number) => new Uint8Array(init.data, from, to - from);

function fail(err: unknown): void {
  const json = new TextEncoder().encode(JSON.stringify(serializeError(err)));
  const bytes = json.subarray(0, data.byteLength);
  data.set(bytes);
  Atomics.store(ctl, C_OUT_LEN, bytes.byteLength);
  Atomics.store(ctl, C_STATUS, STATUS_ERROR);
}

function serve(agg: AggregateUdfInstance): void {
  const fn = functions[Atomics.load(ctl, C_FN)]!.name;
  const phase = BLOCKING_PHASES[Atomics.load(ctl, C_PHASE)];
  const groups = Atomics.load(ctl, C_GROUPS);
  const n = groups * agg.signature(fn).stateBytes;
  let out: Uint8Array;
  if (phase === 'init') {
    out = agg.init(fn, groups);
  } else if (phase === 'merge') {
    // Views, not copies: the host copies them into plugin memory before the call and returns
    // a fresh array, so nothing it reads is overwritten while it reads it.
    out = agg.merge(fn, view(0, n), view(n, 2 * n));
  } else {
    const r = agg.finalize(fn, view(0, n));
    const values = new Uint8Array(r.values.buffer, r.values.byteOffset, r.values.byteLength);
    data.set(values);
    data.set(r.validity, align8(values.byteLength));
    Atomics.store(ctl, C_NULLS, r.nullCount);
    Atomics.store(ctl, C_OUT_LEN, align8(values.byteLength) + r.validity.byteLength);
    Atomics.store(ctl, C_STATUS, STATUS_OK);
    return;
  }
  data.set(out);
  Atomics.store(ctl, C_OUT_LEN, out.byteLength);
  Atomics.store(ctl, C_STATUS, STATUS_OK);
}

let agg: AggregateUdfInstance | null = null;
try {
  agg = instantiateAggregateUdf(init.module, init.manifest);
  Atomics.store(ctl, C_STATE, READY);
} catch (err) {
  fail(err);
  Atomics.store(ctl, C_STATE, BOOT_FAILED);
}
Atomics.notify(ctl, C_STATE);

// Served on this thread's stack, never through its event loop: no message is posted per call.
// From 0, not the current C_REQ: the caller may post its first request as soon as READY is seen.
let seen = 0;
while (agg) {
  Atomics.wait(ctl, C_REQ, seen);
  const req = Atomics.load(ctl, C_REQ);
  if (req === seen) continue;
  seen = req;
  try {
    serve(agg);
  } catch (err) {
    fail(err);
  }
  Atomics.store(ctl, C_DONE, req);
  Atomics.notify(ctl, C_DONE);
}
