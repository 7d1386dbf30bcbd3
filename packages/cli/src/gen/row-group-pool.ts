/**
 * Generator worker threads that encode row groups (gen-worker.ts), `size` at a time. Jobs are
 * queued and handed to whichever worker is idle; each `run` resolves with its group's bytes.
 *
 * Memory: parquet-wasm's linear memory grows to the largest group a worker has encoded and
 * never shrinks (4 GiB cap), and fragmentation can creep it up over thousands of groups. So a
 * worker is retired after `maxGroupsPerWorker` groups, or as soon as its reported wasm memory
 * passes `maxWasmBytes`, and a fresh one (new wasm instance) takes the next job.
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ExecutionError, PluginError, deserializeError } from '@pushdown/proto';
import type { FromGenWorker, GenWorkerInit, ToGenWorker } from './gen-protocol.js';
import type { GenOptions } from './options.js';
import type { EncodedGroup } from './row-group-encoder.js';
import type { RowGroupJob } from './row-group-plan.js';

export interface RowGroupPoolOptions {
  readonly size: number;
  /** Retire a worker after this many groups (default 64: a restart costs ~50 ms, a group ~0.5 s). */
  readonly maxGroupsPerWorker?: number;
  /** Retire a worker once parquet-wasm's memory in it passes this (default 1 GiB). */
  readonly maxWasmBytes?: number;
  /** Worker script (tests point it at a failing one); default the built gen-worker.js. */
  readonly workerFile?: string;
}

interface Task {
  readonly job: RowGroupJob;
  resolve(group: EncodedGroup): void;
  reject(err: unknown): void;
}

interface Slot {
  readonly worker: Worker;
  task: Task | undefined;
  groups: number;
}

export class RowGroupPool {
  /** Workers started so far (more than `size` means some were recycled). */
  started = 0;
  /** Largest wasm memory any worker reported. */
  peakWasmBytes = 0;
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private readonly file: string;
  private closed = false;

  constructor(
    private readonly options: GenOptions,
    private readonly pool: RowGroupPoolOptions,
  ) {
    this.file = pool.workerFile ?? genWorkerFile();
  }

  run(job: RowGroupJob): Promise<EncodedGroup> {
    if (this.closed) return Promise.reject(new ExecutionError('the row-group pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; queued and running jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const stopped = new ExecutionError('generation stopped');
    for (const t of this.queue.splice(0)) t.reject(stopped);
    await Promise.all([...this.slots].map((s) => this.retire(s, stopped)));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.task) continue;
      this.give(slot, this.queue.shift()!);
    }
    while (this.queue.length > 0 && this.slots.size < this.pool.size)
      this.give(this.spawn(), this.queue.shift()!);
  }

  private give(slot: Slot, task: Task): void {
    slot.task = task;
    slot.worker.postMessage({ type: 'group', job: task.job } satisfies ToGenWorker);
  }

  private spawn(): Slot {
    const init: GenWorkerInit = { options: this.options };
    const slot: Slot = { worker: new Worker(this.file, { workerData: init }), task: undefined, groups: 0 };
    this.started++;
    this.slots.add(slot);
    const fail = (err: unknown): void => {
      const task = slot.task;
      slot.task = undefined;
      void this.retire(slot, err);
      task?.reject(err);
    };
    slot.worker.on('message', (m: FromGenWorker) => {
      const task = slot.task;
      if (m.type === 'error') return fail(deserializeError(m.error));
      slot.task = undefined;
      slot.groups++;
      this.peakWasmBytes = Math.max(this.peakWasmBytes, m.group.wasmBytes);
      if (
        slot.groups >= (this.pool.maxGroupsPerWorker ?? 64) ||
        m.group.wasmBytes > (this.pool.maxWasmBytes ?? 2 ** 30)
      )
        void this.retire(slot);
      task?.resolve(m.group);
      this.dispatch();
    });
    slot.worker.on('error', (err) =>
      fail(new ExecutionError(`a generator thread failed: ${err.message}`, { cause: err })),
    );
    slot.worker.on('exit', (code) => {
      if (this.slots.has(slot)) fail(new ExecutionError(`a generator thread exited with code ${code}`));
    });
    return slot;
  }

  private async retire(slot: Slot, err?: unknown): Promise<void> {
    if (!this.slots.delete(slot)) return;
    slot.task?.reject(err ?? new ExecutionError('generator thread retired'));
    slot.task = undefined;
    await slot.worker.terminate();
  }
}

/** dist/gen/gen-worker.js beside this file, or the package's dist when this is the source. */
export function genWorkerFile(): string {
  const here = import.meta.dirname;
  const srcPart = `${sep}src${sep}gen`;
  const dir = here.endsWith(srcPart) ? here.slice(0, -srcPart.length) + `${sep}dist${sep}gen` : here;
  const file = join(dir, 'gen-worker.js');
  if (!existsSync(file))
    throw new PluginError(`generator worker ${file} is missing`, { hint: 'build the cli first: npx tsc -b' });
  return file;
}
