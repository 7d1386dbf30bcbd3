/**
 * Runs verified plugins in a small pool of worker threads. Each call gets a time budget (the
 * manifest's `limits.timeBudgetMs`, or the caller's override); a worker that overruns is
 * terminated, the caller gets a DeadlineExceededError, and a fresh worker (with every loaded
 * plugin) takes its place, so one hostile call ends only itself.
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  DeadlineExceededError,
  NotFoundError,
  PluginError,
  ResourceExhaustedError,
  UnavailableError,
} from '@pushdown/proto';
import { manifestFunctions, type PluginFunction } from '../manifest-types.js';
import { moduleProblems, sha256Hex, type VerifiedPlugin } from '../plugin-verify.js';
import { columnBytes } from '../udf-abi.js';
import type { UdfColumn, UdfResult } from '../udf-host.js';
import { readWasmModuleInfo } from '../wasm-binary.js';
import { reviveError } from './sandbox-errors.js';
import {
  checkTimeBudget,
  sandboxOptions,
  type PluginCallOptions,
  type PluginSandboxOptions,
} from './sandbox-options.js';
import type { FromSandboxWorker, SandboxPluginData, ToSandboxWorker } from './sandbox-protocol.js';

interface Task {
  id: number;
  plugin: SandboxPluginData;
  fn: string;
  columns: UdfColumn[];
  rows: number;
  budgetMs: number;
  resolve(result: UdfResult): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Set once the pool itself stops this worker, so its exit is not taken for a crash. */
  retired: boolean;
  loads: Map<string, { resolve(): void; reject(err: unknown): void }>;
}

/**
 * A pool of sandbox workers for scalar-UDF plugins.
 *
 * @example
 * const sandbox = new PluginSandbox({ threads: 2 });
 * await sandbox.load(await verifyPlugin('packages/plugins/build/hash64.wasm'));
 * const out = await sandbox.call('hash64', 'hash64_int64', [{ type: 'int64', values }], values.length);
 * await sandbox.close();
 */
export class PluginSandbox {
  readonly #options: Required<PluginSandboxOptions>;
  readonly #file = sandboxWorkerFile();
  readonly #plugins = new Map<string, { data: SandboxPluginData; functions: Map<string, PluginFunction> }>();
  readonly #slots = new Set<Slot>();
  readonly #queue: Task[] = [];
  #nextId = 0;
  #closed = false;

  constructor(options: PluginSandboxOptions = {}) {
    this.#options = sandboxOptions(options);
    for (let i = 0; i < this.#options.threads; i++) this.#spawn();
  }

  /** Worker threads currently in the pool (replacements included). */
  get threads(): number {
    return this.#slots.size;
  }

  /**
   * Sends a verified plugin to every worker; resolves once each has instantiated it. The module is
   * checked again against its bytes and manifest, so a hand-made VerifiedPlugin cannot skip admission.
   */
  async load(verified: VerifiedPlugin): Promise<void> {
    this.#checkOpen();
    const { manifest, bytes, module } = verified;
    if (manifest.kind !== 'scalar-udf') {
      throw new PluginError(
        `plugin "${manifest.name}" is of kind ${manifest.kind}; the sandbox hosts scalar-udf`,
      );
    }
    const actual = sha256Hex(bytes);
    if (actual !== manifest.sha256) {
      throw new PluginError(
        `plugin "${manifest.name}" refused: manifest.sha256 does not match the module ` +
          `(expected ${manifest.sha256}, got ${actual})`,
      );
    }
    const reasons = moduleProblems(manifest, readWasmModuleInfo(bytes, `plugin "${manifest.name}"`));
    const declared = new Set(manifest.imports);
    for (const imp of WebAssembly.Module.imports(module)) {
      const key = `${imp.module}.${imp.name}`;
      if (!declared.has(key))
        reasons.push(`the compiled module imports ${key}, which manifest.imports does not declare`);
    }
    if (reasons.length > 0) throw new PluginError(`plugin "${manifest.name}" refused: ${reasons.join('; ')}`);
    const data: SandboxPluginData = { module, manifest };
    this.#plugins.set(manifest.name, {
      data,
      functions: new Map(manifestFunctions(manifest).map((f) => [f.name, f])),
    });
    await Promise.all(
      [...this.#slots].map(
        (slot) =>
          new Promise<void>((resolve, reject) => {
            slot.loads.set(manifest.name, { resolve, reject });
            slot.worker.postMessage({ type: 'load', plugin: data } satisfies ToSandboxWorker);
          }),
      ),
    );
  }

  /** Calls `fn` of a loaded plugin on `rows` rows in a worker, within the time budget. */
  call(
    pluginName: string,
    fn: string,
    columns: UdfColumn[],
    rows: number,
    options: PluginCallOptions = {},
  ): Promise<UdfResult> {
    return new Promise<UdfResult>((resolve, reject) => {
      this.#checkOpen();
      const plugin = this.#plugins.get(pluginName);
      if (!plugin) throw new NotFoundError(`plugin "${pluginName}" is not loaded in this sandbox`);
      const def = plugin.functions.get(fn);
      if (!def) throw new PluginError(`plugin "${pluginName}" has no function "${fn}"`);
      const budgetMs = options.timeBudgetMs ?? plugin.data.manifest.limits.timeBudgetMs;
      checkTimeBudget(budgetMs);
      // Fixed-width results are rows × width: refuse an oversize output before running anything.
      if (def.result !== 'utf8') {
        const bytes = columnBytes(def.result, rows) + ((rows + 7) >>> 3);
        if (bytes > this.#options.maxOutputBytes) throw this.#oversize(pluginName, fn, bytes, rows);
      }
      this.#queue.push({
        id: this.#nextId++,
        plugin: plugin.data,
        fn,
        columns,
        rows,
        budgetMs,
        resolve,
        reject,
      });
      this.#dispatch();
    });
  }

  /** Stops every worker; pending calls fail with UnavailableError. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const gone = new UnavailableError('the plugin sandbox was closed');
    for (const t of this.#queue.splice(0)) t.reject(gone);
    await Promise.all([...this.#slots].map((slot) => this.#retire(slot, gone)));
  }

  #checkOpen(): void {
    if (this.#closed) throw new UnavailableError('the plugin sandbox is closed');
  }

  #oversize(plugin: string, fn: string, bytes: number, rows: number): ResourceExhaustedError {
    return new ResourceExhaustedError(
      `plugin "${plugin}" function "${fn}" output of ${bytes} bytes for ${rows} rows is above ` +
        `the sandbox's maxOutputBytes of ${this.#options.maxOutputBytes}`,
      { hint: 'call it on smaller batches' },
    );
  }

  #spawn(): void {
    const worker = new Worker(this.#file, {
      workerData: { plugins: [...this.#plugins.values()].map((p) => p.data) },
    });
    const slot: Slot = {
      worker,
      ready: false,
      task: undefined,
      timer: undefined,
      retired: false,
      loads: new Map(),
    };
    this.#slots.add(slot);
    worker.on('message', (m: FromSandboxWorker) => this.#onMessage(slot, m));
    worker.on('error', (err) => this.#crashed(slot, err));
    worker.on('exit', (code) => this.#crashed(slot, new Error(`worker exited with code ${code}`)));
  }

  #onMessage(slot: Slot, m: FromSandboxWorker): void {
    if (m.type === 'ready') {
      slot.ready = true;
      this.#dispatch();
    } else if (m.type === 'ready-failed') {
      this.#crashed(slot, reviveError(m.error));
    } else if (m.type === 'loaded' || m.type === 'load-failed') {
      const waiter = slot.loads.get(m.plugin);
      slot.loads.delete(m.plugin);
      if (m.type === 'loaded') waiter?.resolve();
      else waiter?.reject(reviveError(m.error));
    } else {
      const task = slot.task;
      if (!task || task.id !== m.id) return;
      clearTimeout(slot.timer);
      slot.task = undefined;
      if (m.type === 'error') task.reject(reviveError(m.error));
      else {
        const bytes = m.result.values.byteLength + m.result.validity.byteLength;
        if (bytes > this.#options.maxOutputBytes)
          task.reject(this.#oversize(task.plugin.manifest.name, task.fn, bytes, task.rows));
        else task.resolve(m.result);
      }
      this.#dispatch();
    }
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (!slot.ready || slot.task || slot.retired) continue;
      const task = this.#queue.shift()!;
      slot.task = task;
      // The budget starts when a worker takes the call, so waiting in the queue does not count.
      slot.timer = setTimeout(() => this.#overrun(slot, task), task.budgetMs);
      const msg: ToSandboxWorker = {
        type: 'call',
        id: task.id,
        plugin: task.plugin.manifest.name,
        fn: task.fn,
        columns: task.columns,
        rows: task.rows,
      };
      slot.worker.postMessage(msg);
    }
  }

  #overrun(slot: Slot, task: Task): void {
    const name = task.plugin.manifest.name;
    const err = new DeadlineExceededError(
      `plugin "${name}" function "${task.fn}" exceeded its time budget of ${task.budgetMs} ms; its worker was terminated`,
      { hint: `raise limits.timeBudgetMs of "${name}" or call it on smaller batches` },
    );
    // Reject once the thread has really stopped: the caller's clock then measures the stop.
    void this.#retire(slot, err).then(() => this.#replace());
  }

  /** Terminates a slot's worker and fails what it had in hand with `err`. */
  async #retire(slot: Slot, err: unknown): Promise<void> {
    if (slot.retired) return;
    slot.retired = true;
    clearTimeout(slot.timer);
    this.#slots.delete(slot);
    await slot.worker.terminate();
    slot.task?.reject(err);
    slot.task = undefined;
    for (const w of slot.loads.values()) w.reject(err);
    slot.loads.clear();
  }

  #crashed(slot: Slot, cause: Error): void {
    if (slot.retired) return;
    const name = slot.task?.plugin.manifest.name;
    const err = new PluginError(
      name
        ? `plugin "${name}" crashed its sandbox worker: ${cause.message}`
        : `a sandbox worker failed: ${cause.message}`,
      { cause },
    );
    void this.#retire(slot, err).then(() => this.#replace());
  }

  #replace(): void {
    if (this.#closed) return;
    this.#spawn();
    this.#dispatch();
  }
}

/** dist/sandbox/sandbox-worker.js beside this file, or the package's dist when this is the source. */
export function sandboxWorkerFile(): string {
  const here = import.meta.dirname;
  const srcPart = `${sep}src${sep}sandbox`;
  const dir = here.endsWith(srcPart) ? here.slice(0, -srcPart.length) + `${sep}dist${sep}sandbox` : here;
  const file = join(dir, 'sandbox-worker.js');
  if (!existsSync(file)) {
    throw new PluginError(`sandbox worker ${file} is missing`, {
      hint: 'build the plugins package first: npx tsc -b',
    });
  }
  return file;
}
