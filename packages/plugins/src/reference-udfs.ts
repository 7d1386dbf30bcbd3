/**
 * Plain-TypeScript equivalents of the example plugins' functions, with the same inputs, outputs
 * and null rules as the WASM versions. Tests compare the two value for value, and
 * `pushdown plugins bench` runs both side by side. Keyed `<plugin>.<function>`.
 */
import type { UdfColumn, UdfResult } from './udf-host.js';

export type ReferenceUdf = (args: readonly UdfColumn[], rows: number) => UdfResult;

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

function isValid(validity: Uint8Array | undefined, i: number): boolean {
  return validity === undefined || ((validity[i >>> 3]! >>> (i & 7)) & 1) === 1;
}

function setBit(bitmap: Uint8Array, i: number): void {
  bitmap[i >>> 3]! |= 1 << (i & 7);
}

/** FNV-1a 64 over `bytes[start, end)`, as (hi, lo) 32-bit halves: Math.imul keeps it in int math. */
function fnv1a64(bytes: Uint8Array, start: number, end: number, out: Uint32Array, at: number): void {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let p = start; p < end; p++) {
    lo ^= bytes[p]!;
    // (hi·2^32 + lo) · (0x100·2^32 + 0x1b3) mod 2^64
    const loProd = (lo >>> 0) * 0x1b3;
    const carry = Math.floor(loProd / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + (lo << 8) + carry) >>> 0;
    lo = loProd >>> 0;
  }
  out[at] = lo >>> 0;
  out[at + 1] = hi;
}

type Utf8Column = Extract<UdfColumn, { type: 'utf8' }>;
type FixedColumn = Exclude<UdfColumn, Utf8Column>;

function col(args: readonly UdfColumn[], i: number, type: 'utf8'): Utf8Column;
function col(args: readonly UdfColumn[], i: number, type: FixedColumn['type']): FixedColumn;
function col(args: readonly UdfColumn[], i: number, type: UdfColumn['type']): UdfColumn {
  const c = args[i];
  if (!c || c.type !== type) throw new TypeError(`argument ${i} must be ${type}`);
  return c;
}

function hashUtf8(args: readonly UdfColumn[], rows: number): UdfResult {
  const s = col(args, 0, 'utf8');
  const words = new Uint32Array(rows * 2);
  const validity = new Uint8Array((rows + 7) >>> 3);
  let nullCount = 0;
  for (let i = 0; i < rows; i++) {
    if (!isValid(s.validity, i)) {
      nullCount++;
      continue;
    }
    fnv1a64(s.data, s.offsets[i]!, s.offsets[i + 1]!, words, i * 2);
    setBit(validity, i);
  }
  return { type: 'int64', values: new BigInt64Array(words.buffer), validity, nullCount };
}

function hashInt64(args: readonly UdfColumn[], rows: number): UdfResult {
  const v = col(args, 0, 'int64');
  const bytes = new Uint8Array(v.values.buffer, v.values.byteOffset, rows * 8);
  const words = new Uint32Array(rows * 2);
  const validity = new Uint8Array((rows + 7) >>> 3);
  let nullCount = 0;
  for (let i = 0; i < rows; i++) {
    if (!isValid(v.validity, i)) {
      nullCount++;
      continue;
    }
    fnv1a64(bytes, i * 8, i * 8 + 8, words, i * 2);
    setBit(validity, i);
  }
  return { type: 'int64', values: new BigInt64Array(words.buffer), validity, nullCount };
}

function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const s1 = Math.sin((lat2 - lat1) * RAD * 0.5);
  const s2 = Math.sin((lon2 - lon1) * RAD * 0.5);
  const a = s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1, a)));
}

function geo(constPoint: boolean): ReferenceUdf {
  return (args, rows) => {
    const cols = [0, 1, 2, 3].map((i) => col(args, i, 'float64'));
    const vals = cols.map(
      (c) => new Float64Array(c.values.buffer, c.values.byteOffset, c.values.byteLength / 8),
    );
    const out = new Float64Array(rows);
    const validity = new Uint8Array((rows + 7) >>> 3);
    let nullCount = 0;
    for (let i = 0; i < rows; i++) {
      const j = constPoint ? 0 : i;
      if (![i, i, j, j].every((r, k) => isValid(cols[k]!.validity, r))) {
        nullCount++;
        continue;
      }
      out[i] = haversine(vals[0]![i]!, vals[1]![i]!, vals[2]![j]!, vals[3]![j]!);
      setBit(validity, i);
    }
    return { type: 'float64', values: out, validity, nullCount };
  };
}

function textTest(test: (s: Uint8Array, p: Uint8Array) => boolean): ReferenceUdf {
  return (args, rows) => {
    const s = col(args, 0, 'utf8');
    const p = col(args, 1, 'utf8');
    const values = new Uint8Array((rows + 7) >>> 3);
    const validity = new Uint8Array((rows + 7) >>> 3);
    if (!isValid(p.validity, 0)) return { type: 'bool', values, validity, nullCount: rows };
    const pattern = p.data.subarray(p.offsets[0]!, p.offsets[1]!);
    let nullCount = 0;
    for (let i = 0; i < rows; i++) {
      if (!isValid(s.validity, i)) {
        nullCount++;
        continue;
      }
      if (test(s.data.subarray(s.offsets[i]!, s.offsets[i + 1]!), pattern)) setBit(values, i);
      setBit(validity, i);
    }
    return { type: 'bool', values, validity, nullCount };
  };
}

const lowerAscii = (b: number): number => (b >= 65 && b <= 90 ? b | 32 : b);

/** A utf8-returning function of one row's bytes (null when any argument row is null). */
function textMap(map: (s: Uint8Array, consts: Uint8Array[]) => Uint8Array): ReferenceUdf {
  return (args, rows) => {
    const s = col(args, 0, 'utf8');
    const consts = args.slice(1).map((_, k) => col(args, k + 1, 'utf8'));
    const constNull = consts.some((c) => !isValid(c.validity, 0));
    const constBytes = consts.map((c) => c.data.subarray(c.offsets[0]!, c.offsets[1]!));
    const parts: Uint8Array[] = [];
    const offsets = new Int32Array(rows + 1);
    const validity = new Uint8Array((rows + 7) >>> 3);
    let nullCount = 0;
    for (let i = 0; i < rows; i++) {
      if (constNull || !isValid(s.validity, i)) nullCount++;
      else {
        parts.push(map(s.data.subarray(s.offsets[i]!, s.offsets[i + 1]!), constBytes));
        setBit(validity, i);
      }
      offsets[i + 1] = offsets[i]! + (isValid(validity, i) ? parts[parts.length - 1]!.length : 0);
    }
    const data = new Uint8Array(offsets[rows]!);
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.length;
    }
    return { type: 'utf8', values: offsets, data, validity, nullCount };
  };
}

function replaceAll(s: Uint8Array, [from, to]: Uint8Array[]): Uint8Array {
  if (from!.length === 0) return s;
  const buf = Buffer.from(s.buffer, s.byteOffset, s.length);
  const out: Uint8Array[] = [];
  let j = 0;
  for (let k = buf.indexOf(from!, j); k >= 0; k = buf.indexOf(from!, j)) {
    out.push(s.subarray(j, k), to!);
    j = k + from!.length;
  }
  out.push(s.subarray(j));
  return Buffer.concat(out);
}

/** The TypeScript equivalent of each example plugin function, keyed `<plugin>.<function>`. */
export const REFERENCE_UDFS: Readonly<Record<string, ReferenceUdf>> = {
  'hash64.hash64_utf8': hashUtf8,
  'hash64.hash64_int64': hashInt64,
  'geo.geo_distance': geo(false),
  'geo.geo_distance_to': geo(true),
  'text_match.contains': textTest((s, p) => Buffer.from(s.buffer, s.byteOffset, s.length).indexOf(p) >= 0),
  'text_match.starts_with_ci': textTest(
    (s, p) => p.length <= s.length && p.every((b, j) => lowerAscii(b) === lowerAscii(s[j]!)),
  ),
  'text_match.ends_with': textTest(
    (s, p) => p.length <= s.length && p.every((b, j) => b === s[s.length - p.length + j]),
  ),
  'text_match.upper_ascii': textMap((s) => s.map((b) => (b >= 97 && b <= 122 ? b & ~32 : b))),
  'text_match.replace_all': textMap(replaceAll),
};
