/**
 * Plain-TypeScript equivalents of the example aggregate UDFs (plugins/stats), phase by phase and
 * with the same state layout, so tests can run one sequence of init/update/merge/finalize calls
 * on both and compare the states byte for byte. The Welford and Chan formulas below use the same
 * IEEE operations in the same order as the AssemblyScript, so var and stddev agree bit for bit;
 * geomean goes through each runtime's own `log`/`exp` and agrees to an ulp or so.
 * Keyed `<plugin>.<function>`, like REFERENCE_UDFS.
 */
import type { UdfColumn, UdfResult } from './udf-host.js';

/** The four phases over host-owned states (aggregate-udf-abi.ts), without a plugin. */
export interface ReferenceAggregate {
  readonly stateBytes: number;
  init(groups: number): Uint8Array;
  update(states: Uint8Array, groupIds: Int32Array, args: readonly UdfColumn[], rows: number): Uint8Array;
  merge(states: Uint8Array, other: Uint8Array): Uint8Array;
  finalize(states: Uint8Array): UdfResult;
}

function isValid(validity: Uint8Array | undefined, i: number): boolean {
  return validity === undefined || ((validity[i >>> 3]! >>> (i & 7)) & 1) === 1;
}

function float64Arg(args: readonly UdfColumn[]): { x: Float64Array; validity: Uint8Array | undefined } {
  const c = args[0];
  if (!c || c.type !== 'float64') throw new TypeError('argument 0 must be float64');
  const v = c.values;
  return { x: new Float64Array(v.buffer, v.byteOffset, v.byteLength / 8), validity: c.validity };
}

/** An aggregate whose state is `words` float64s per group, given the per-group arithmetic. */
function f64Aggregate(
  words: number,
  add: (s: Float64Array, at: number, x: number) => void,
  combine: (a: Float64Array, at: number, b: Float64Array) => void,
  result: (s: Float64Array, at: number) => number | null,
): ReferenceAggregate {
  const stateBytes = 8 * words;
  const view = (states: Uint8Array) => new Float64Array(states.slice().buffer);
  return {
    stateBytes,
    init: (groups) => new Uint8Array(groups * stateBytes),
    update(states, ids, args, rows) {
      const s = view(states);
      const { x, validity } = float64Arg(args);
      for (let i = 0; i < rows; i++) {
        const g = ids[i]!;
        if (g < 0 || !isValid(validity, i)) continue;
        add(s, g * words, x[i]!);
      }
      return new Uint8Array(s.buffer);
    },
    merge(states, other) {
      const a = view(states);
      const b = view(other);
      for (let at = 0; at < a.length; at += words) combine(a, at, b.subarray(at, at + words));
      return new Uint8Array(a.buffer);
    },
    finalize(states) {
      const s = view(states);
      const groups = s.length / words;
      const values = new Float64Array(groups);
      const validity = new Uint8Array((groups + 7) >>> 3);
      let nullCount = 0;
      for (let g = 0; g < groups; g++) {
        const r = result(s, g * words);
        if (r === null) nullCount++;
        else {
          values[g] = r;
          validity[g >>> 3]! |= 1 << (g & 7);
        }
      }
      return { type: 'float64', values, validity, nullCount };
    },
  };
}

/** Welford: n, mean, m2 (sum of squared deviations from the mean). */
function welford(result: (n: number, m2: number) => number | null): ReferenceAggregate {
  return f64Aggregate(3, welfordAdd, chanMerge, (s, at) => result(s[at]!, s[at + 2]!));
}

function welfordAdd(s: Float64Array, at: number, x: number): void {
  const n = s[at]! + 1;
  const mean = s[at + 1]!;
  const d = x - mean;
  const next = mean + d / n;
  s[at] = n;
  s[at + 1] = next;
  s[at + 2] = s[at + 2]! + d * (x - next);
}

/** Chan et al.'s pairwise combination of two Welford states. */
function chanMerge(a: Float64Array, at: number, b: Float64Array): void {
  const nb = b[0]!;
  if (nb === 0) return;
  const na = a[at]!;
  if (na === 0) {
    a.set(b, at);
    return;
  }
  const n = na + nb;
  const d = b[1]! - a[at + 1]!;
  a[at] = n;
  a[at + 1] = a[at + 1]! + (d * nb) / n;
  a[at + 2] = a[at + 2]! + b[2]! + (d * d * na * nb) / n;
}

const sampleVariance = (n: number, m2: number) => (n < 2 ? null : m2 / (n - 1));

/** The TypeScript equivalent of each example aggregate, keyed `<plugin>.<function>`. */
export const REFERENCE_AGGREGATES: Readonly<Record<string, ReferenceAggregate>> = {
  'stats.var_welford': welford(sampleVariance),
  'stats.stddev_welford': welford((n, m2) => {
    const v = sampleVariance(n, m2);
    return v === null ? null : Math.sqrt(v);
  }),
  'stats.geomean': f64Aggregate(
    2,
    (s, at, x) => {
      s[at] = s[at]! + 1;
      s[at + 1] = s[at + 1]! + Math.log(x);
    },
    (a, at, b) => {
      a[at] = a[at]! + b[0]!;
      a[at + 1] = a[at + 1]! + b[1]!;
    },
    (s, at) => (s[at] === 0 ? null : Math.exp(s[at + 1]! / s[at]!)),
  ),
};
