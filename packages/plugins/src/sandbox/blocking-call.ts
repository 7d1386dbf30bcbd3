/**
 * A synchronous call into an aggregate-UDF plugin that still has a time budget, for threads no
 * watchdog covers (a node's main thread merging partial states or finalizing groups). The call
 * runs in a dedicated worker holding the plugin instance; the calling thread blocks in
 * `Atomics.wait` for at most the budget. On overrun it terminates the worker (which stops a
 * WebAssembly loop mid-iteration), throws DeadlineExceededError, and the next call starts a
 * fresh worker. That is safe because `_init`/`_merge`/`_finalize` are pure functions of the
 * bytes the host passes (aggregate-udf-abi.ts): the plugin keeps nothing between calls.
 *
 * Why blocking rather than a promise: the engine's aggregators are synchronous (partialColumns,
 * finalColumn), and making them async would ripple through every stage for a call that takes
 * microseconds. The price is that this thread waits; it never waits longer than the budget.
 *
 * Cost per call: a few Atomics operations, one wake-up of each thread, and a copy of the state
 * bytes each way (tens of µs; test/blocking-aggregate-call.test.ts prints it). The first call
 * also waits for the worker to start (tens of ms), and the worker exits after `idleMs` unused.
 *
 * @example
 * const sandbox = aggregateSandbox(aggregateUdfInstance('stats'));
 * const merged = sandbox.merge('var_welford', states, other); // throws DeadlineExceededError on overrun
 */
import { Worker } from 'node:worker_threads';
import {
  DeadlineExceededError,
  PluginError,
  ResourceExhaustedError,
  UnavailableError,
} from '@pushdown/proto';
import type { AggregateUdfInstance } from '../aggregate-udf-host.js';
import { manifestFunctions, type PluginFunction, type PluginManifest } from '../manifest-types.js';
import { columnBytes } from '../udf-abi.js';
import type { UdfResult } from '../udf-host.js';
import { blockingWorkerFile, readAnswerError } from './blocking-call-support.js';
import * as P from './blocking-call-protocol.js';

export interface BlockingSandboxOptions {
  /** Longest wait for a new worker to instantiate the plugin (not part of any call's budget). */
  readonly bootTimeoutMs?: number;
  /** An unused worker exits after this long; the next call starts another. */
  readonly idleMs?: number;
}

export const BLOCKING_SANDBOX_DEFAULTS = { bootTimeoutMs: 10_000, idleMs: 60_000 } as const;

/** One stop of an overrunning call: when its thread was gone, in ms past the deadline. */
export interface BlockingStop {
  readonly subject: string;
  readonly budgetMs: number;
  /** Set when the worker's exit was seen (asynchronously, once this thread is free again). */
  pastDeadlineMs?: number;
}

interface Live {
  worker: Worker;
  ctl: Int32Array;
  data: P.GrowableSharedArrayBuffer;
  u8: Uint8Array;
}

export class BlockingAggregateSandbox {
  readonly manifest: PluginManifest;
  readonly #module: WebAssembly.Module;
  readonly #options: Required<BlockingSandboxOptions>;
  readonly #functions: PluginFunction[];
  #live: Live | null = null;
  #idle: NodeJS.Timeout | null = null;
  /** Calls answered or stopped, and workers started (replacements included): for tests and stats. */
  calls = 0;
  started = 0;
  readonly recentStops: BlockingStop[] = [];

  constructor(module: WebAssembly.Module, manifest: PluginManifest, options: BlockingSandboxOptions = {}) {
    this.#module = module;
    this.manifest = manifest;
    this.#options = { ...BLOCKING_SANDBOX_DEFAULTS, ...options };
    this.#functions = manifestFunctions(manifest);
  }

  /** `groups` empty states of aggregate `fn`. */
  init(fn: string, groups: number, budgetMs?: number): Uint8Array {
    const n = groups * this.#stateBytes(fn);
    const len = this.#call('init', fn, groups, n, budgetMs, () => {});
    return this.#answer(0, len);
  }

  /** states[g] merged with other[g] for every group (the same lengths, whole states). */
  merge(fn: string, states: Uint8Array, other: Uint8Array, budgetMs?: number): Uint8Array {
    const groups = this.#groupsOf(fn, states);
    const n = states.byteLength;
    if (other.byteLength !== n) {
      throw new PluginError(
        `${this.manifest.name}.${fn}: merging ${other.byteLength} state bytes into ${states.byteLength}`,
      );
    }
    const len = this.#call('merge', fn, groups, 2 * n, budgetMs, (u8) => {
      u8.set(states);
      u8.set(other, n);
    });
    return this.#answer(0, len);
  }

  /** One result per group, as the in-thread host's `finalize`. */
  finalize(fn: string, states: Uint8Array, budgetMs?: number): UdfResult {
    const f = this.#function(fn);
    const groups = this.#groupsOf(fn, states);
    const result = f.result === 'utf8' ? 'int64' : f.result; // utf8 is refused in the worker
    const valuesBytes = columnBytes(result, groups);
    const out = P.align8(valuesBytes) + ((groups + 7) >>> 3);
    this.#call('finalize', fn, groups, Math.max(states.byteLength, out), budgetMs, (u8) => u8.set(states));
    const live = this.#live!;
    const values = this.#answer(0, valuesBytes).buffer;
    const typed =
      result === 'float64'
        ? new Float64Array(values)
        : result === 'int64'
          ? new BigInt64Array(values)
          : result === 'bool'
            ? new Uint8Array(values)
            : new Int32Array(values);
    const validity = this.#answer(P.align8(valuesBytes), out);
    return { type: result, values: typed, validity, nullCount: Atomics.load(live.ctl, P.C_NULLS) };
  }

  /** Stops the worker (if any); a later call starts another. */
  close(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
    const live = this.#live;
    this.#live = null;
    if (live) void live.worker.terminate();
  }

  /** A copy of the answer's bytes [from, to), through a fixed-length view (fast copy path). */
  #answer(from: number, to: number): Uint8Array {
    return new Uint8Array(this.#live!.data, from, to - from).slice();
  }

  #function(fn: string): PluginFunction & { stateBytes: number } {
    const f = this.#functions.find((x) => x.name.toLowerCase() === fn.toLowerCase());
    if (!f || f.stateBytes === undefined) {
      throw new PluginError(`plugin "${this.manifest.name}" has no aggregate function "${fn}"`);
    }
    return f as PluginFunction & { stateBytes: number };
  }

  #stateBytes(fn: string): number {
    return this.#function(fn).stateBytes;
  }

  /** Whole states only (the same check and message as the in-thread host). */
  #groupsOf(fn: string, states: Uint8Array): number {
    const size = this.#stateBytes(fn);
    if (states.byteLength % size !== 0) {
      throw new PluginError(
        `${this.manifest.name}.${fn}: ${states.byteLength} state bytes is not a whole number of ${size}-byte states`,
      );
    }
    return states.byteLength / size;
  }

  /** Runs one request; returns the answer's length in the data buffer (or throws its error). */
  #call(
    phase: P.BlockingPhase,
    fn: string,
    groups: number,
    bytes: number,
    budgetMs: number | undefined,
    write: (u8: Uint8Array) => void,
  ): number {
    const f = this.#function(fn);
    const budget = budgetMs ?? this.manifest.limits.timeBudgetMs;
    const live = this.#ensure();
    if (bytes > live.data.byteLength) {
      if (bytes > live.data.maxByteLength) {
        throw new ResourceExhaustedError(
          `plugin "${this.manifest.name}" function "${f.name}_${phase}" needs ${bytes} bytes of memory, above its ` +
            `cap of ${this.manifest.limits.memoryPages} pages (limits.memoryPages)`,
          { hint: 'use fewer groups' },
        );
      }
      live.data.grow(Math.min(live.data.maxByteLength, Math.max(bytes, 2 * live.data.byteLength)));
    }
    write(live.u8);
    const { ctl } = live;
    Atomics.store(ctl, P.C_PHASE, P.BLOCKING_PHASES.indexOf(phase));
    Atomics.store(ctl, P.C_FN, this.#functions.indexOf(f));
    Atomics.store(ctl, P.C_GROUPS, groups);
    const req = Atomics.add(ctl, P.C_REQ, 1) + 1;
    Atomics.notify(ctl, P.C_REQ);
    this.calls++;
    // The budget starts now: the worker is idle and ready, so it starts the call at once.
    const deadline = performance.now() + budget;
    while (Atomics.load(ctl, P.C_DONE) !== req) {
      const left = deadline - performance.now();
      if (left <= 0) throw this.#overrun(live, `${f.name}_${phase}`, budget, deadline);
      Atomics.wait(ctl, P.C_DONE, req - 1, left);
    }
    this.#touch();
    const len = Atomics.load(ctl, P.C_OUT_LEN);
    if (Atomics.load(ctl, P.C_STATUS) !== P.STATUS_OK) throw readAnswerError(live.u8, len);
    return len;
  }

  #overrun(live: Live, name: string, budgetMs: number, deadline: number): DeadlineExceededError {
    this.#live = null;
    const subject = `plugin "${this.manifest.name}" function "${name}"`;
    const stop: BlockingStop = { subject, budgetMs };
    this.recentStops.push(stop);
    if (this.recentStops.length > 16) this.recentStops.shift();
    void live.worker.terminate().then(() => (stop.pastDeadlineMs = performance.now() - deadline));
    return new DeadlineExceededError(
      `${subject} exceeded its time budget of ${budgetMs} ms; its sandbox worker was terminated and the query stopped`,
      { hint: `raise limits.timeBudgetMs of "${this.manifest.name}" or aggregate fewer groups` },
    );
  }

  /** The live worker, started (and waited for) if there is none. */
  #ensure(): Live {
    if (this.#live) return this.#live;
    const control = new SharedArrayBuffer(P.CONTROL_WORDS * 4);
    // The plugin cannot hold more than its memory cap, so neither can one request's bytes.
    const cap = Math.max(this.manifest.limits.memoryPages * 65536, P.MIN_DATA_BYTES);
    const data = P.growableSharedArrayBuffer(P.MIN_DATA_BYTES, 2 * cap);
    const init: P.BlockingWorkerInit = { module: this.#module, manifest: this.manifest, control, data };
    const worker = new Worker(blockingWorkerFile(), { workerData: init });
    worker.unref(); // an idle sandbox never keeps the process alive
    this.started++;
    const live: Live = { worker, ctl: new Int32Array(control), data, u8: new Uint8Array(data) };
    const state = Atomics.wait(live.ctl, P.C_STATE, P.BOOTING, this.#options.bootTimeoutMs);
    if (Atomics.load(live.ctl, P.C_STATE) !== P.READY) {
      void worker.terminate();
      if (state === 'timed-out') {
        throw new UnavailableError(
          `the sandbox worker for plugin "${this.manifest.name}" did not start within ${this.#options.bootTimeoutMs} ms`,
        );
      }
      throw readAnswerError(live.u8, Atomics.load(live.ctl, P.C_OUT_LEN));
    }
    this.#live = live;
    this.#touch();
    return live;
  }

  /** (Re)arms the idle timer: refreshed, not recreated, so a call pays ~nothing for it. */
  #touch(): void {
    if (this.#idle) this.#idle.refresh();
    else {
      this.#idle = setTimeout(() => {
        this.#idle = null;
        this.close();
      }, this.#options.idleMs);
      this.#idle.unref();
    }
  }
}

const sandboxes = new Map<string, { agg: AggregateUdfInstance; sandbox: BlockingAggregateSandbox }>();

/**
 * The process-wide (per thread) sandbox of an aggregate-UDF instance; a replaced instance (a
 * plugin reinstalled with other bytes) gets a new sandbox and the old one's worker is stopped.
 */
export function aggregateSandbox(agg: AggregateUdfInstance): BlockingAggregateSandbox {
  const name = agg.manifest.name;
  const cached = sandboxes.get(name);
  if (cached?.agg === agg) return cached.sandbox;
  cached?.sandbox.close();
  const sandbox = new BlockingAggregateSandbox(agg.module, agg.manifest);
  sandboxes.set(name, { agg, sandbox });
  return sandbox;
}
