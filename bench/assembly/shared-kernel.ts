// AssemblyScript kernels of `npm run bench:shared` (bench/shared-memory-bench.ts): Q6's filter +
// sum and a grouped sum over decoded lineitem columns that live in an imported memory. Built
// with --importMemory --sharedMemory, so the same module runs on a worker's private copy of its
// slice or in place on one SharedArrayBuffer-backed memory that every worker imports.

/** Q6 over rows [from, to): sum(price * disc) where ship in [lo, hi), disc in [0.05, 0.07], qty < 24. */
export function q6(pq: usize, pp: usize, pd: usize, ps: usize, from: i32, to: i32, lo: i32, hi: i32): f64 {
  let sum: f64 = 0;
  for (let i = from; i < to; i++) {
    const s = load<i32>(ps + ((<usize>i) << 2));
    const d = load<f64>(pd + ((<usize>i) << 3));
    if (s >= lo && s < hi && d >= 0.05 && d <= 0.07 && load<f64>(pq + ((<usize>i) << 3)) < 24.0)
      sum += load<f64>(pp + ((<usize>i) << 3)) * d;
  }
  return sum;
}

/** Add `v` to the f64 at `at` with a compare-and-swap loop on its bits (no f64 atomic add exists). */
function atomicAddF64(at: usize, v: f64): void {
  let old = atomic.load<i64>(at);
  for (;;) {
    const seen = atomic.cmpxchg<i64>(at, old, reinterpret<i64>(reinterpret<f64>(old) + v));
    if (seen == old) return;
    old = seen;
  }
}

/** Q6 as above, each qualifying row added into one shared f64 accumulator at `acc`. */
export function q6Atomic(
  pq: usize,
  pp: usize,
  pd: usize,
  ps: usize,
  from: i32,
  to: i32,
  lo: i32,
  hi: i32,
  acc: usize,
): void {
  for (let i = from; i < to; i++) {
    const s = load<i32>(ps + ((<usize>i) << 2));
    const d = load<f64>(pd + ((<usize>i) << 3));
    if (s >= lo && s < hi && d >= 0.05 && d <= 0.07 && load<f64>(pq + ((<usize>i) << 3)) < 24.0)
      atomicAddF64(acc, load<f64>(pp + ((<usize>i) << 3)) * d);
  }
}

/** Per-worker partial: sums[key] += price, counts[key] += 1 over rows [from, to). */
export function groupSum(pk: usize, pp: usize, from: i32, to: i32, sums: usize, counts: usize): void {
  for (let i = from; i < to; i++) {
    const k = <usize>load<i32>(pk + ((<usize>i) << 2));
    store<f64>(sums + (k << 3), load<f64>(sums + (k << 3)) + load<f64>(pp + ((<usize>i) << 3)));
    store<i64>(counts + (k << 3), load<i64>(counts + (k << 3)) + 1);
  }
}

/** One shared accumulator for all workers: f64 sums by CAS on their bits, i64 counts by atomic add. */
export function groupSumAtomic(pk: usize, pp: usize, from: i32, to: i32, sums: usize, counts: usize): void {
  for (let i = from; i < to; i++) {
    const k = <usize>load<i32>(pk + ((<usize>i) << 2));
    atomicAddF64(sums + (k << 3), load<f64>(pp + ((<usize>i) << 3)));
    atomic.add<i64>(counts + (k << 3), 1);
  }
}
