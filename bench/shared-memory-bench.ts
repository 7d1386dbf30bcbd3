/**
 * `npm run bench:shared`: is a SharedArrayBuffer-backed operator memory worth it for a parallel
 * scan? Over decoded lineitem columns (Q6's four, and l_suppkey + l_extendedprice for a grouped
 * sum) it runs the same WebAssembly kernels (bench/assembly/shared-kernel.ts, compiled once with
 * --importMemory --sharedMemory and sent to every worker) three ways, side by side per rep:
 *   copy    each worker gets a copy of its slice (transferred) and copies it into its own
 *           operator memory: today's model, where each worker decodes into its own memory;
 *   shared  one shared WebAssembly.Memory holds the columns; workers read their rows in place
 *           and return per-worker partials, merged at the end in worker order;
 *   atomic  as shared, but every qualifying row is added into one shared accumulator (f64 sums
 *           by a compare-and-swap loop on their bits, i64 counts by atomic add).
 * It checks every answer against a serial run (copy and shared must agree bit for bit; atomic
 * adds rows in a racy order, so its float sums may differ in the last bits: checked to 1e-9)
 * and prints best-of times and ratios against copy.
 *
 * Environment: BENCH_SF (1), BENCH_REPS (5), BENCH_WORKERS (2), BENCH_DATA (data/bench).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileKernel, loadColumns, type Columns } from './shared-memory-columns.js';
import { runWorkerLoop, type Job, type JobResult } from './shared-memory-worker.js';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const SF = Number(env('BENCH_SF', '1'));
const REPS = Number(env('BENCH_REPS', '5'));
const WORKERS = Number(env('BENCH_WORKERS', '2'));
const DATA = resolve(env('BENCH_DATA', 'data/bench'));

type Model = 'copy' | 'shared' | 'atomic';
const MODELS: Model[] = ['copy', 'shared', 'atomic'];
type Query = 'q6' | 'group';

class WorkerHandle {
  private next: ((r: JobResult) => void) | null = null;
  constructor(readonly worker: Worker) {
    worker.on('message', (r: JobResult) => this.next?.(r));
  }
  run(job: Job, transfer: ArrayBuffer[] = []): Promise<JobResult> {
    return new Promise((res) => {
      this.next = res;
      this.worker.postMessage(job, transfer);
    });
  }
}

async function main(): Promise<void> {
  const cols = await loadColumns(DATA, SF, WORKERS);
  const module = await compileKernel(join(tmpdir(), `shared-kernel-${process.pid}.wasm`));
  const workers = Array.from(
    { length: WORKERS },
    (_, index) =>
      new WorkerHandle(
        new Worker(new URL(import.meta.url), {
          workerData: { module, memory: cols.memory, rows: cols.rows, groups: cols.groups, index },
        }),
      ),
  );
  console.log(
    `shared-memory bench: lineitem SF ${SF} (${cols.rows} rows, ${(cols.bytes / 2 ** 20).toFixed(0)} MiB of columns), ` +
      `${WORKERS} workers, ${REPS} reps, ${availableParallelism()} CPUs, load ${loadavg()[0]!.toFixed(1)}`,
  );
  try {
    for (const query of ['q6', 'group'] as const) {
      const want = serialAnswer(cols, query);
      const best: Record<Model, number> = { copy: Infinity, shared: Infinity, atomic: Infinity };
      for (let rep = 0; rep <= REPS; rep++) {
        for (const model of MODELS) {
          const t0 = performance.now();
          const got = await runModel(workers, cols, query, model);
          const ms = performance.now() - t0;
          check(query, model, got, want);
          if (rep > 0) best[model] = Math.min(best[model], ms); // rep 0 warms up
        }
      }
      const line = MODELS.map(
        (m) => `${m} ${best[m].toFixed(1)} ms (x${(best.copy / best[m]).toFixed(2)} vs copy)`,
      );
      // The copy model copies each row's bytes twice: out of the columns, into the worker's memory.
      const perRow = query === 'q6' ? 8 + 8 + 8 + 4 : 4 + 8;
      console.log(
        `${query === 'q6' ? 'Q6 filter+sum ' : 'grouped sum   '} ${line.join(', ')}; ` +
          `bytes copied per row: copy ${2 * perRow}, shared 0, atomic 0`,
      );
    }
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}

/** What the coordinator gets back: a sum, or sums and counts per group (in key order). */
interface Answer {
  sum: number;
  sums: Float64Array;
  counts: BigInt64Array;
}

async function runModel(workers: WorkerHandle[], c: Columns, query: Query, model: Model): Promise<Answer> {
  const out: Answer = { sum: 0, sums: new Float64Array(c.groups), counts: new BigInt64Array(c.groups) };
  if (model === 'atomic') {
    new Float64Array(c.memory.buffer, c.accSums, c.groups).fill(0);
    new BigInt64Array(c.memory.buffer, c.accCounts, c.groups).fill(0n);
    new Float64Array(c.memory.buffer, c.accSum, 1)[0] = 0;
  }
  const results = await Promise.all(
    workers.map((w, i) => {
      const from = Math.floor((i * c.rows) / workers.length);
      const to = Math.floor(((i + 1) * c.rows) / workers.length);
      if (model !== 'copy') return w.run({ query, model, from, to });
      // The slice's bytes, copied out of the decoded columns and moved (not cloned) to the worker.
      const slice = c.slice(query, from, to);
      return w.run({ query, model, from: 0, to: to - from, slice }, [slice.buffer as ArrayBuffer]);
    }),
  );
  if (model === 'atomic') {
    out.sum = new Float64Array(c.memory.buffer, c.accSum, 1)[0]!;
    out.sums.set(new Float64Array(c.memory.buffer, c.accSums, c.groups));
    out.counts.set(new BigInt64Array(c.memory.buffer, c.accCounts, c.groups));
    return out;
  }
  // Per-worker partials merged in worker order (the shared model's read in place, not sent).
  for (const [i, r] of results.entries()) {
    out.sum += r.sum;
    if (query !== 'group') continue;
    const at = c.partialOf(i);
    const sums = r.sums ?? new Float64Array(c.memory.buffer, at.sums, c.groups);
    const counts = r.counts ?? new BigInt64Array(c.memory.buffer, at.counts, c.groups);
    for (let g = 0; g < c.groups; g++) {
      out.sums[g]! += sums[g]!;
      out.counts[g]! += counts[g]!;
    }
  }
  return out;
}

/** The same computation on this thread in plain JS, rows split the way the workers split them. */
function serialAnswer(c: Columns, query: Query): Answer {
  const out: Answer = { sum: 0, sums: new Float64Array(c.groups), counts: new BigInt64Array(c.groups) };
  for (let i = 0; i < WORKERS; i++) {
    const from = Math.floor((i * c.rows) / WORKERS);
    const to = Math.floor(((i + 1) * c.rows) / WORKERS);
    let sum = 0;
    const sums = new Float64Array(c.groups);
    const counts = new BigInt64Array(c.groups);
    for (let r = from; r < to; r++) {
      if (query === 'q6') {
        const d = c.disc[r]!;
        if (c.ship[r]! >= c.lo && c.ship[r]! < c.hi && d >= 0.05 && d <= 0.07 && c.qty[r]! < 24)
          sum += c.price[r]! * d;
      } else {
        sums[c.supp[r]!]! += c.price[r]!;
        counts[c.supp[r]!]! += 1n;
      }
    }
    out.sum += sum;
    for (let g = 0; g < c.groups; g++) {
      out.sums[g]! += sums[g]!;
      out.counts[g]! += counts[g]!;
    }
  }
  return out;
}

function check(query: Query, model: Model, got: Answer, want: Answer): void {
  const exact = model !== 'atomic';
  const same = (a: number, b: number) => (exact ? Object.is(a, b) : Math.abs(a - b) <= 1e-9 * Math.abs(b));
  const bad =
    query === 'q6'
      ? !same(got.sum, want.sum)
      : want.sums.some((s, g) => !same(got.sums[g]!, s) || got.counts[g] !== want.counts[g]);
  if (bad) throw new Error(`${query} ${model}: answer differs from the serial one`);
}

if (isMainThread) {
  if (!existsSync(DATA)) mkdirSync(DATA, { recursive: true });
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
} else {
  runWorkerLoop(parentPort!, workerData as Parameters<typeof runWorkerLoop>[1]);
}
