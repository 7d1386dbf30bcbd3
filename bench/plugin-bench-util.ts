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
  /** The clock the tables and the plot show (see `readClock`); the JSON holds every mode. */
  clock: ClockMode;
}

const SECTIONS = ['overhead', 'kernels', 'copy'];

/** Reads `--rows --reps --min-ms --out --only --clock`, or the same as BENCH_ROWS, ..., BENCH_CLOCK. */
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
      clock: { type: 'string', default: env('BENCH_CLOCK', 'auto') },
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
  const clock = CLOCK_MODES.find((m) => m === values.clock);
  if (clock === undefined) throw new Error(`--clock takes ${CLOCK_MODES.join(', ')}; got "${values.clock}"`);
  return {
    clock,
    rows: positive('rows', values.rows),
    reps: positive('reps', values.reps),
    minMs: positive('min-ms', values['min-ms']),
    out: resolve(values.out),
    only,
  };
}

/**
 * ns per call on both clocks: `wall` (performance.now) and `cpu` (this process's user + system
 * time, so time spent preempted by other processes does not count, but every thread's work does).
 */
export interface Timing {
  wall: number;
  cpu: number;
}
export type Clock = keyof Timing;

/**
 * How a table reads a Timing. `auto`, for work on this thread alone (TypeScript, WASM, copies,
 * DuckDB at threads=1, whose one worker is the only busy thread): the smaller of the two clocks,
 * since each only over-counts there (wall adds time preempted by other processes, process CPU
 * adds V8's helper threads, e.g. concurrent GC) and the smaller is the closer to what a quiet
 * machine shows. Where threads overlap or wait on each other (the sandbox round trip, SQL
 * queries, DuckDB at threads=2): wall time, since their latency is the point.
 */
export type ClockMode = 'auto' | Clock;
export const CLOCK_MODES: readonly ClockMode[] = ['auto', 'wall', 'cpu'];

/** ns per call of `t` as `mode` reads it; `threaded` when other threads take part. */
export function readClock(t: Timing, mode: ClockMode, threaded: boolean): number {
  if (mode !== 'auto') return t[mode];
  return threaded ? t.wall : Math.min(t.wall, t.cpu);
}

/** Times one round of `n` calls; returns ns per call on both clocks. */
function round(n: number, run: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  run();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall: (wall * 1e6) / n, cpu: ((c.user + c.system) * 1e3) / n };
}

function better(best: Timing, t: Timing): Timing {
  return { wall: Math.min(best.wall, t.wall), cpu: Math.min(best.cpu, t.cpu) };
}

const NONE: Timing = { wall: Infinity, cpu: Infinity };

/**
 * Mean ns per call of each of `fns`: calls are timed in rounds of about `minMs` (clocks read once
 * per round, so a 50 ns call is not drowned by them) and the fastest of `reps` rounds wins on each
 * clock, because on a shared machine interference only ever adds time. The functions take turns
 * round by round, so a burst of load from elsewhere hits all of them alike and their ratios hold.
 */
export function timeEach(fns: (() => unknown)[], minMs: number, reps: number): Timing[] {
  const n = fns.map((fn) => callsPerRound(fn, minMs));
  const best = fns.map(() => NONE);
  for (let r = 0; r < reps; r++) {
    fns.forEach((fn, k) => {
      const t = round(n[k]!, () => {
        for (let i = 0; i < n[k]!; i++) fn();
      });
      best[k] = better(best[k]!, t);
    });
  }
  return best;
}

/**
 * The same for async calls, each awaited before the next (a round trip has no overlap). `warmup`
 * calls first: many for short calls (JIT, worker code paths), one for a 1M-row DuckDB query.
 */
export async function timeEachAsync(
  fns: (() => Promise<unknown>)[],
  minMs: number,
  reps: number,
  warmup = 50,
): Promise<Timing[]> {
  const n: number[] = [];
  for (const fn of fns) {
    for (let i = 0; i < warmup; i++) await fn();
    const t = performance.now();
    await fn();
    n.push(Math.max(1, Math.round(minMs / Math.max(performance.now() - t, 1e-3))));
  }
  const best = fns.map(() => NONE);
  for (let r = 0; r < reps; r++) {
    for (const [k, fn] of fns.entries()) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < n[k]!; i++) await fn();
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      best[k] = better(best[k]!, { wall: (wall * 1e6) / n[k]!, cpu: ((c.user + c.system) * 1e3) / n[k]! });
    }
  }
  return best;
}

/** Calls per round so that one round takes about `minMs` (after one warm-up call). */
function callsPerRound(fn: () => unknown, minMs: number): number {
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
