/**
 * The shared-memory protocol between a `BlockingAggregateSandbox` (blocking-call.ts, on the
 * thread that must not hang) and its worker (blocking-call-worker.ts), in one file so both sides
 * change together. No message is posted per call: both threads block in `Atomics.wait` on a
 * small control table, and the bytes travel through a growable SharedArrayBuffer whose length
 * both sides see (so growing it needs no message either). A call is a few Atomics operations
 * and two copies of the state bytes, which is what keeps it cheap enough for every merge.
 *
 * One request at a time: the caller writes the inputs and the call's fields, bumps C_REQ and
 * waits for C_DONE to reach the same number; the worker answers with C_STATUS and C_OUT_LEN.
 */
import type { PluginManifest } from '../manifest-types.js';

/** Control words (Int32Array indexes). */
export const C_STATE = 0; // the worker's boot state: BOOTING, READY, BOOT_FAILED
export const C_REQ = 1; // request number, bumped by the caller
export const C_DONE = 2; // number of the last request answered, set by the worker
export const C_PHASE = 3; // a BlockingPhase
export const C_FN = 4; // index of the function in manifestFunctions(manifest)
export const C_GROUPS = 5; // init: groups to create; merge/finalize: groups in the state bytes
export const C_STATUS = 6; // STATUS_OK, or STATUS_ERROR with a SerializedError as JSON in data
export const C_OUT_LEN = 7; // bytes of the answer at data offset 0
export const C_NULLS = 8; // finalize: the plugin's null count
export const CONTROL_WORDS = 16;

export const BOOTING = 0;
export const READY = 1;
export const BOOT_FAILED = 2;

export const STATUS_OK = 0;
export const STATUS_ERROR = 1;

/** The phases that may run off a watched thread (`_update` always runs in a scan worker). */
export const BLOCKING_PHASES = ['init', 'merge', 'finalize'] as const;
export type BlockingPhase = (typeof BLOCKING_PHASES)[number];

/**
 * Data layout per phase (offsets in bytes; `n` = groups × stateBytes):
 *   init      in: —                        out: states [0, n)
 *   merge     in: states [0, n), other [n, 2n)   out: merged states [0, n)
 *   finalize  in: states [0, n)            out: values [0, v), validity [align8(v), …)
 * Errors replace the answer with UTF-8 JSON of a SerializedError.
 */
export function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Room for an error's JSON even when the plugin's own inputs are tiny. */
export const MIN_DATA_BYTES = 64 * 1024;

/** An ES2024 growable SharedArrayBuffer: Node 20 has them, the repo's `lib` setting predates them. */
export interface GrowableSharedArrayBuffer extends SharedArrayBuffer {
  readonly maxByteLength: number;
  grow(bytes: number): void;
}

export function growableSharedArrayBuffer(bytes: number, maxByteLength: number): GrowableSharedArrayBuffer {
  const Ctor = SharedArrayBuffer as unknown as new (
    n: number,
    options: { maxByteLength: number },
  ) => GrowableSharedArrayBuffer;
  return new Ctor(bytes, { maxByteLength });
}

/** `workerData` of a blocking-call worker. */
export interface BlockingWorkerInit {
  module: WebAssembly.Module;
  manifest: PluginManifest;
  control: SharedArrayBuffer;
  /** Growable: the caller grows it before a call whose bytes do not fit. */
  data: GrowableSharedArrayBuffer;
}
