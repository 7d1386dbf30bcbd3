/**
 * The typed messages between `PluginSandbox` (main thread) and its workers (sandbox-worker.ts),
 * in one file so both sides change together. Errors cross flattened (`SerializedError`) and are
 * rebuilt into the error family on the main thread.
 */
import type { SerializedError } from '@pushdown/proto';
import type { PluginManifest } from '../manifest-types.js';
import type { UdfColumn, UdfResult } from '../udf-host.js';

/** A compiled plugin as it travels to a worker (a `WebAssembly.Module` is cloned, not recompiled). */
export interface SandboxPluginData {
  module: WebAssembly.Module;
  manifest: PluginManifest;
}

/** `workerData` of a new worker: every plugin loaded so far, instantiated before it reports ready. */
export interface SandboxWorkerInit {
  plugins: SandboxPluginData[];
}

export type ToSandboxWorker =
  | { type: 'load'; plugin: SandboxPluginData }
  | { type: 'call'; id: number; plugin: string; fn: string; columns: UdfColumn[]; rows: number };

export type FromSandboxWorker =
  | { type: 'ready' }
  | { type: 'ready-failed'; error: SerializedError }
  | { type: 'loaded'; plugin: string }
  | { type: 'load-failed'; plugin: string; error: SerializedError }
  | { type: 'result'; id: number; result: UdfResult }
  | { type: 'error'; id: number; error: SerializedError };
