/**
 * Shared pieces of `npm run bench:plugins`: its options (flags first, then the environment, as
 * the other benches read BENCH_* variables), a timing loop, a seeded generator and the text table.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface PluginBenchOptions {
  /** Rows of the kernel data set (section 2) and the largest batch of section 3. */
  rows: number;
  /** Timed rounds per cell; the best round counts (the machine is shared). */
  reps: number;
  /** Minimum length of one timed round in ms, so short calls are timed in bulk. */
  minMs: number;
  /** Folder for the JSON and the plots. */
  out: string;
  /** Sections to run: overhead, kernels, copy. */
  only: string[];
}

const SECTIONS = ['overhead', 'kernels', 'copy'];

/** Reads `--rows --reps --min-ms --out --only` or BENCH_ROWS, BENCH_REPS, BENCH_MIN_MS, BENCH_OUT, BENCH_ONLY. */
export function benchOptions(argv: string[] = process.argv.slice(2)): PluginBenchOptions {
  const env = (name: string, fallback: string) => process.env[name] ?? fallback;
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: env('BENCH_ROWS', '1000000') },
      reps: { type: 'string', default: env('BENCH_REPS', '9') },
      'min-ms': { type: 'string', default: env('BENCH_MIN_MS', '5') },
      out: { type: 'string', default: env('BENCH_OUT', 'data/bench/plugins') },
      only: { type: 'string', default: env('BENCH_ONLY', SECTIONS.join(',')) },
    },
  });
  const positive = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${v}"`);
    return n;
  };
  const only = values.only.split(',').map((s) => s.trim().toLowerCase());
  const unknown = only.filter((s) => !SECTIONS.includes(s));
  if (unknown.length > 0) throw new Error(`--only takes ${SECTIONS.join(', ')}; got ${unknown.join(', ')}`);
  return {
    rows: positive('rows', values.rows),
    reps: positive('reps', values.reps),
    minMs: positive('min-ms', values['min-ms']),
    out: resolve(values.out),
    only,
  };
}

/**
 * Mean ns per call of each of `fns`: calls are timed in rounds of about `minMs` (one clock read
 * per round, so a 50 ns call is not drowned by the clock) and the fastest of `reps` rounds wins,
 * because on a shared machine interference only ever adds time. The functions take turns round
 * by round, so a burst of load from elsewhere hits all of them alike and their ratios hold.
 */
export function nsPerCallEach(fns: (() => unknown)[], minMs: number, reps: number): number[] {
  const n = fns.map((fn) => callsPerRound(fn, minMs));
  const best = fns.map(() => Infinity);
  for (let r = 0; r < reps; r++) {
    fns.forEach((fn, k) => {
      const t0 = performance.now();
      for (let i = 0; i < n[k]!; i++) fn();
      best[k] = Math.min(best[k]!, ((performance.now() - t0) * 1e6) / n[k]!);
    });
  }
  return best;
}

export function nsPerCall(fn: () => unknown, minMs: number, reps: number): number {
  return nsPerCallEach([fn], minMs, reps)[0]!;
}

/**
 * The same for async calls, each awaited before the next (a round trip has no overlap). `warmup`
 * calls first: many for short calls (JIT, worker code paths), one for a 1M-row DuckDB query.
 */
export async function nsPerAsyncCallEach(
  fns: (() => Promise<unknown>)[],
  minMs: number,
  reps: number,
  warmup = 50,
): Promise<number[]> {
  const n: number[] = [];
  for (const fn of fns) {
    for (let i = 0; i < warmup; i++) await fn();
    const t = performance.now();
    await fn();
    n.push(Math.max(1, Math.round(minMs / Math.max(performance.now() - t, 1e-3))));
  }
  const best = fns.map(() => Infinity);
  for (let r = 0; r < reps; r++) {
    for (const [k, fn] of fns.entries()) {
      const t0 = performance.now();
      for (let i = 0; i < n[k]!; i++) await fn();
      best[k] = Math.min(best[k]!, ((performance.now() - t0) * 1e6) / n[k]!);
    }
  }
  return best;
}

/** Calls per round so that one round takes about `minMs` (after one warm-up call). */
function callsPerRound(fn: () => void, minMs: number): number {
  fn();
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    const ms = performance.now() - t0;
    if (ms >= minMs / 4 || n >= 1 << 24) return Math.max(1, Math.round((n * minMs) / Math.max(ms, 1e-3)));
    n *= 4;
  }
}

/** A seeded xorshift32 in [0, 1): the same data on every run and in every engine. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** A left-aligned first column, right-aligned numbers, as the other benches print. */
export function textTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** A figure with 3 significant digits, or '-' when not measured. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** Progress goes to stderr so stdout holds only the tables. */
export function progress(msg: string): void {
  console.error(`  ${msg}`);
}
