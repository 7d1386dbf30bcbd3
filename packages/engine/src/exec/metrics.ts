/** Baseline operator metrics (rows and bytes in/out, bytes copied, compute time). */
import type { OperatorMetrics } from '../plan/fragment.js';

export function newMetrics(name: string): OperatorMetrics {
  return { name, rowsIn: 0, rowsOut: 0, bytesIn: 0, bytesOut: 0, bytesCopied: 0, computeMs: 0 };
}

/** Time `fn` into `m.computeMs`. */
export function timed<T>(m: OperatorMetrics, fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    m.computeMs += performance.now() - t0;
  }
}
