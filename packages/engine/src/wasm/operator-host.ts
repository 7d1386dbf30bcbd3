/**
 * An instance set: the filter, project and aggregate modules instantiated over one shared
 * imported memory, so a pipeline passes pointers between them instead of copies. Every export
 * is wrapped so that a trap becomes an ExecutionError naming the operator and the kernel.
 *
 * @example
 * const host = defaultOperatorHost();
 * const mark = host.mem.mark();
 * const out = host.mem.alloc(n, 'filter');
 * host.filter.cmp_f64_s(CMP['<'], ptr, 24, n, out);
 * host.mem.release(mark);
 */
import { DeadlineExceededError, ExecutionError, PushdownError } from '@pushdown/proto';
import type { OperatorManifest } from '@pushdown/plugins';
import {
  ABI_VERSION,
  CHUNK_ROWS,
  OPERATOR_MODULES,
  type AggregateKernels,
  type FilterKernels,
  type OperatorModuleName,
  type ProjectKernels,
} from './abi.js';
import { loadOperatorModule, type LoadedModule } from './module-loader.js';
import { armDeadline, deadlineLabel, disarmDeadline } from '../parallel/watchdog-guard.js';
import { OperatorMemory } from './operator-memory.js';

export interface OperatorHostOptions {
  /** Memory cap in 64 KiB pages; default: the smallest `limits.memoryPages` of the modules. */
  readonly memoryPages?: number;
}

export class OperatorHost {
  readonly mem: OperatorMemory;
  readonly filter: FilterKernels;
  readonly project: ProjectKernels;
  readonly aggregate: AggregateKernels;
  /** A permanent CHUNK_ROWS-byte mask of 0xFF ("every row valid"). */
  readonly allOnes: number;
  readonly manifests: Readonly<Record<OperatorModuleName, OperatorManifest>>;

  constructor(options: OperatorHostOptions = {}) {
    const loaded = OPERATOR_MODULES.map((n) => loadOperatorModule(n));
    const cap = options.memoryPages ?? Math.min(...loaded.map((m) => m.manifest.limits.memoryPages));
    if (!Number.isInteger(cap) || cap < 2 || cap > 65_536) {
      throw new ExecutionError(`options.memoryPages must be an integer in [2, 65536], got ${cap}`);
    }
    this.mem = new OperatorMemory(cap, Math.min(cap, 32));
    const [filter, project, aggregate] = loaded.map((m) => instantiate(m, this.mem.memory)) as [
      FilterKernels,
      ProjectKernels,
      AggregateKernels,
    ];
    this.filter = filter;
    this.project = project;
    this.aggregate = aggregate;
    this.manifests = Object.fromEntries(loaded.map((m) => [m.name, m.manifest])) as Record<
      OperatorModuleName,
      OperatorManifest
    >;
    this.allOnes = this.mem.allocPermanent(CHUNK_ROWS, 'filter');
    this.mem.views().u8.fill(0xff, this.allOnes, this.allOnes + CHUNK_ROWS);
  }

  /** Run `fn` with scratch memory that is released afterwards, whatever happens. */
  scoped<T>(fn: () => T): T {
    const mark = this.mem.mark();
    try {
      return fn();
    } finally {
      this.mem.release(mark);
    }
  }
}

function instantiate(loaded: LoadedModule, memory: WebAssembly.Memory): unknown {
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(loaded.module, { env: { memory } });
  } catch (err) {
    throw new ExecutionError(
      `WASM operator "${loaded.name}" failed to instantiate: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const version = (instance.exports['ABI_VERSION'] as WebAssembly.Global | undefined)?.value as unknown;
  if (version !== ABI_VERSION) {
    throw new ExecutionError(
      `WASM operator "${loaded.name}" exports ABI_VERSION ${String(version)}, host speaks ${ABI_VERSION}`,
    );
  }
  const wrapped: Record<string, unknown> = {};
  const budgetMs = loaded.manifest.limits.timeBudgetMs;
  for (const [key, value] of Object.entries(instance.exports)) {
    if (typeof value !== 'function') continue;
    const fn = value as (...args: unknown[]) => unknown;
    // In a scan worker the watchdog stops a kernel that overruns (parallel/watchdog.ts).
    const label = deadlineLabel(
      `WASM operator "${loaded.name}" kernel "${key}"`,
      `raise limits.timeBudgetMs of "${loaded.name}" or scan smaller batches`,
    );
    wrapped[key] = (...args: unknown[]) => {
      const armed = armDeadline(label, budgetMs);
      const t0 = performance.now();
      try {
        const result = fn(...args);
        // A synchronous call cannot be interrupted on this thread; an over-budget call fails
        // its query once it returns (interrupting needs the worker pool, see the report).
        const took = performance.now() - t0;
        if (took > budgetMs) {
          throw new DeadlineExceededError(
            `WASM operator "${loaded.name}" spent ${Math.round(took)} ms in ${key}, over its budget of ${budgetMs} ms`,
          );
        }
        return result;
      } catch (err) {
        if (err instanceof PushdownError) throw err;
        throw new ExecutionError(
          `WASM operator "${loaded.name}" trapped in ${key}: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      } finally {
        if (armed) disarmDeadline();
      }
    };
  }
  return wrapped;
}

let shared: OperatorHost | null = null;

/** The process-wide instance set (modules compiled once, one shared memory). */
export function defaultOperatorHost(): OperatorHost {
  shared ??= new OperatorHost();
  return shared;
}
