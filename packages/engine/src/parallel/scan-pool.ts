/**
 * The worker pool of the operator host (piscina): one per process, sized by the CPU budget
 * (cpu-budget.ts), so a node given half a core runs one worker, not two that take turns. Its
 * workers run compiled JavaScript (dist/parallel/scan-worker.js; under jest, whose modules are
 * the TypeScript sources, the package's dist is used: build first). The operator modules are
 * compiled here once and handed to every worker in its workerData.
 *
 * A worker that dies fails the task it ran (ExecutionError, that query only); piscina starts a
 * replacement, and the other queries keep going.
 *
 * @example
 * const pool = defaultScanPool();          // threads = readCpuBudget().threads
 * const reply = await pool.run(task);
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { Piscina } from 'piscina';
import { CancelledError, ExecutionError, InvalidArgumentError, PluginError } from '@pushdown/proto';
import { OPERATOR_MODULES } from '../wasm/abi.js';
import { compiledOperatorModule } from '../wasm/module-loader.js';
import { compiledCsvModule } from '../readers/csv-wasm.js';
import { readCpuBudget, type CpuBudget } from './cpu-budget.js';
import type { WorkerInit, WorkerTask } from './protocol.js';
import { ScanWatchdog } from './watchdog.js';
import { ownerPlugins } from './worker-plugins.js';

export interface ScanPoolOptions {
  /** Worker threads (default: the CPU budget's threads). */
  readonly threads?: number;
  /** A worker idle this long exits (default 30 s); the pool starts it again on demand. */
  readonly idleTimeoutMs?: number;
}

export class ScanPool {
  readonly threads: number;
  private readonly piscina: Piscina;
  /** Stops a worker whose plugin or operator call overruns its time budget (watchdog.ts). */
  readonly watchdog: ScanWatchdog;

  constructor(options: ScanPoolOptions = {}) {
    const threads = options.threads ?? readCpuBudget().threads;
    if (!Number.isInteger(threads) || threads < 1 || threads > 256)
      throw new InvalidArgumentError('options.threads must be an integer from 1 to 256');
    this.threads = threads;
    // Twice the threads: a replacement claims a slot before the worker it replaces is released.
    this.watchdog = new ScanWatchdog(2 * threads + 2, () => this.piscina.threads);
    const init: WorkerInit = {
      operatorModules: Object.fromEntries(OPERATOR_MODULES.map((n) => [n, compiledOperatorModule(n)])),
      csvModule: compiledCsvModule(),
      watchdog: this.watchdog.init,
    };
    this.piscina = new Piscina({
      filename: workerFile(),
      // Keep the pool at full size: piscina then starts a replacement as soon as a worker dies,
      // and tasks queued behind the dead worker run instead of waiting (seen to hang with 0).
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: options.idleTimeoutMs ?? 30_000,
      workerData: init,
      // Tasks queue rather than fail when every worker is busy; each query bounds its own share.
      maxQueue: Infinity,
    });
    // Without a listener, a worker's 'error' would be rethrown on the main thread.
    this.piscina.on('error', () => undefined);
    this.piscina.on('workerDestroy', (w: { threadId: number }) => this.watchdog.release(w.threadId));
  }

  /** Run one task; a worker crash or a cancel become PushdownErrors. */
  async run<R>(task: WorkerTask, signal?: AbortSignal): Promise<R> {
    const watchId = this.watchdog.begin();
    const sent =
      task.kind === 'scan-unit' ? { ...task, watchId, plugins: ownerPlugins(task.fragment) } : task;
    try {
      return (await this.piscina.run(sent, signal ? { signal } : {})) as R;
    } catch (err) {
      // Stopped by the watchdog: say which call overran, not that a thread died.
      const overrun = this.watchdog.reason(watchId);
      if (overrun) throw overrun;
      if (signal?.aborted) throw new CancelledError('parallel scan cancelled', { cause: err });
      throw new ExecutionError(
        `a scan worker thread failed mid-task (${(err as Error)?.message ?? String(err)}); the query using it was stopped, the pool replaced the worker`,
        { cause: err },
      );
    } finally {
      this.watchdog.end(watchId);
    }
  }

  /** Threads running now (for tests and stats). */
  get liveThreads(): number {
    return this.piscina.threads.length;
  }

  async close(): Promise<void> {
    this.watchdog.close();
    await this.piscina.close({ force: true });
  }
}

/** dist/parallel/scan-worker.js beside this file, or the package's dist when this is the source. */
export function workerFile(): string {
  const here = import.meta.dirname;
  const srcPart = `${sep}src${sep}parallel`;
  const dir = here.endsWith(srcPart) ? here.slice(0, -srcPart.length) + `${sep}dist${sep}parallel` : here;
  const file = join(dir, 'scan-worker.js');
  if (!existsSync(file))
    throw new PluginError(`scan worker ${file} is missing`, { hint: 'build the engine first: npx tsc -b' });
  return file;
}

let shared: ScanPool | null = null;
let sharedOptions: ScanPoolOptions = {};

/** The process-wide pool, created on first use. */
export function defaultScanPool(): ScanPool {
  shared ??= new ScanPool(sharedOptions);
  return shared;
}

/**
 * Size the process-wide pool (a node's configured budget); takes effect for a pool not yet
 * started, or replaces an idle one.
 */
export function configureScanPool(options: ScanPoolOptions): void {
  sharedOptions = options;
  const old = shared;
  shared = null;
  void old?.close();
}

/** Close the process-wide pool (servers call it on shutdown; a later scan starts a new one). */
export async function closeScanPool(): Promise<void> {
  const old = shared;
  shared = null;
  await old?.close();
}

/** The budget the process-wide pool was sized from, for Capabilities and stats. */
export function scanPoolBudget(configuredCores?: number): CpuBudget {
  return readCpuBudget(configuredCores !== undefined ? { configuredCores } : {});
}
