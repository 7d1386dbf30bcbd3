/**
 * The worker side of `npm run bench:shared`: one instance of the kernel module on the shared
 * column memory (shared and atomic models) and one on a private memory that each copied slice
 * is written into (copy model). The module arrives compiled; nothing is compiled here.
 */
import type { MessagePort } from 'node:worker_threads';
import { layoutOf, MAX_PAGES } from './shared-memory-columns.js';

export interface Job {
  query: 'q6' | 'group';
  model: 'copy' | 'shared' | 'atomic';
  from: number;
  to: number;
  /** Copy model: the slice's columns in layoutOf(to - from) order. */
  slice?: Uint8Array;
}

export interface JobResult {
  sum: number;
  /** Copy model, grouped: this worker's partials (moved back). */
  sums?: Float64Array;
  counts?: BigInt64Array;
}

interface Kernel {
  q6(
    pq: number,
    pp: number,
    pd: number,
    ps: number,
    from: number,
    to: number,
    lo: number,
    hi: number,
  ): number;
  q6Atomic(
    pq: number,
    pp: number,
    pd: number,
    ps: number,
    from: number,
    to: number,
    lo: number,
    hi: number,
    acc: number,
  ): void;
  groupSum(pk: number, pp: number, from: number, to: number, sums: number, counts: number): void;
  groupSumAtomic(pk: number, pp: number, from: number, to: number, sums: number, counts: number): void;
}

const LO = Date.UTC(1994, 0, 1) / 864e5;
const HI = Date.UTC(1995, 0, 1) / 864e5;

export function runWorkerLoop(
  port: MessagePort,
  data: {
    module: WebAssembly.Module;
    memory: WebAssembly.Memory;
    rows: number;
    groups: number;
    index: number;
  },
): void {
  const instance = (memory: WebAssembly.Memory) =>
    new WebAssembly.Instance(data.module, { env: { memory } }).exports as unknown as Kernel;
  const shared = instance(data.memory);
  const privateMemory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  const own = instance(privateMemory);
  const whole = layoutOf(data.rows, data.groups, 0);
  const partialBase = whole.counts + data.groups * 8 + data.index * data.groups * 16;

  port.on('message', (job: Job) => {
    const lo = LO;
    const hi = HI;
    if (job.model === 'copy') {
      const n = job.to - job.from;
      const l = layoutOf(n, data.groups);
      const need = Math.ceil(l.total / 65536) - privateMemory.buffer.byteLength / 65536;
      if (need > 0) privateMemory.grow(need);
      const u8 = new Uint8Array(privateMemory.buffer);
      u8.set(job.slice!, 0); // the copy into this worker's own operator memory
      if (job.query === 'q6') {
        port.postMessage({ sum: own.q6(l.qty, l.price, l.disc, l.ship, 0, n, lo, hi) } satisfies JobResult);
        return;
      }
      u8.fill(0, l.sums, l.total);
      own.groupSum(l.supp, l.price, 0, n, l.sums, l.counts);
      const sums = new Float64Array(privateMemory.buffer, l.sums, data.groups).slice();
      const counts = new BigInt64Array(privateMemory.buffer, l.counts, data.groups).slice();
      port.postMessage({ sum: 0, sums, counts } satisfies JobResult, [sums.buffer, counts.buffer]);
      return;
    }
    const w = whole;
    if (job.query === 'q6') {
      if (job.model === 'atomic') {
        shared.q6Atomic(w.qty, w.price, w.disc, w.ship, job.from, job.to, lo, hi, 0);
        port.postMessage({ sum: 0 } satisfies JobResult);
      } else
        port.postMessage({
          sum: shared.q6(w.qty, w.price, w.disc, w.ship, job.from, job.to, lo, hi),
        } satisfies JobResult);
      return;
    }
    if (job.model === 'atomic') shared.groupSumAtomic(w.supp, w.price, job.from, job.to, w.sums, w.counts);
    else {
      // Per-worker partials stay in the shared memory: the coordinator reads them in place.
      new Uint8Array(data.memory.buffer).fill(0, partialBase, partialBase + data.groups * 16);
      shared.groupSum(w.supp, w.price, job.from, job.to, partialBase, partialBase + data.groups * 8);
    }
    port.postMessage({ sum: 0 } satisfies JobResult);
  });
}
