// Random Arrow-layout batches for the UDF tests: deterministic (seeded), with nulls, empty
// strings, mixed case and multi-byte UTF-8, so edge cases show up in every run.
import type { UdfColumn } from '@pushdown/plugins';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomValidity(rand: () => number, rows: number, nullRate: number): Uint8Array | undefined {
  if (nullRate === 0) return undefined;
  const v = new Uint8Array((rows + 7) >>> 3);
  for (let i = 0; i < rows; i++) if (rand() >= nullRate) v[i >>> 3]! |= 1 << (i & 7);
  return v;
}

const WORDS = [
  '',
  'a',
  'A',
  'foo',
  'FooBar',
  'barfoo',
  'special',
  'SPECIAL requests',
  'ünïcode',
  '日本',
  'xyzzy',
];

export function utf8Column(strings: readonly string[], validity?: Uint8Array): UdfColumn {
  const enc = new TextEncoder();
  const parts = strings.map((s) => enc.encode(s));
  const offsets = new Int32Array(strings.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const data = new Uint8Array(offsets[strings.length]!);
  parts.forEach((p, i) => data.set(p, offsets[i]!));
  return { type: 'utf8', offsets, data, ...(validity ? { validity } : {}) };
}

export function randomStrings(rand: () => number, rows: number): string[] {
  return Array.from({ length: rows }, () => {
    const n = Math.floor(rand() * 4);
    return Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' ');
  });
}

export function float64Column(values: Float64Array, validity?: Uint8Array): UdfColumn {
  return { type: 'float64', values, ...(validity ? { validity } : {}) };
}

export function int64Column(values: BigInt64Array, validity?: Uint8Array): UdfColumn {
  return { type: 'int64', values, ...(validity ? { validity } : {}) };
}

export function isValid(validity: Uint8Array, i: number): boolean {
  return ((validity[i >>> 3]! >>> (i & 7)) & 1) === 1;
}
