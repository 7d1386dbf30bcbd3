/**
 * Unrolled bit unpacking for bit-packed runs: one function per bit width (1..24) that takes
 * groups of 8 values from `bw` bytes with constant shifts and masks. V8 runs these 4-7x faster
 * than a generic shift-and-refill loop, and unpacking dictionary indices is most of the CPU time
 * of a dictionary-encoded column after decompression.
 *
 * The functions are generated (`new Function`) from integer constants only, never from input, and
 * cached per (kind, bit width). Each kind is compiled separately so every function sees one array
 * type (monomorphic): `idx` writes indices, `f64` / `i32` look the indices up in a dictionary as
 * they go (no index array written and read back). Callers check bounds before calling: `groups *
 * bw` bytes must be readable and `groups * 8` slots writable.
 */

/** Indices of `groups` groups into `out[o...]`. */
export type UnpackIdx = (buf: Uint8Array, pos: number, groups: number, out: Int32Array, o: number) => void;

/**
 * Dictionary values of `groups` groups into `out[o...]`. Returns -1, or the first index that is
 * not in the dictionary (then `out` holds garbage for that group).
 */
export type UnpackDict<T> = (
  buf: Uint8Array,
  pos: number,
  groups: number,
  dict: T,
  out: T,
  o: number,
) => number;

export const MAX_UNROLLED_WIDTH = 24;

const idxCache = new Map<number, UnpackIdx>();
const f64Cache = new Map<number, UnpackDict<Float64Array>>();
const i32Cache = new Map<number, UnpackDict<Int32Array>>();

/** Expression for value `v` (0..7) of a group of `bw`-bit values held in bytes b0..b{bw-1}. */
function valueExpr(bw: number, v: number): string {
  const parts: string[] = [];
  let got = 0;
  const bit = v * bw;
  while (got < bw) {
    const byte = (bit + got) >> 3;
    const off = (bit + got) & 7;
    const take = Math.min(8 - off, bw - got);
    parts.push(`(((b${byte} >>> ${off}) & ${(1 << take) - 1}) << ${got})`);
    got += take;
  }
  return parts.length ? parts.join(' | ') : '0';
}

function body(bw: number, dict: boolean): string {
  const lines: string[] = ['let p = pos;', 'let i = o;', 'for (let g = 0; g < groups; g++) {'];
  for (let k = 0; k < bw; k++) lines.push(`  const b${k} = buf[p + ${k}];`);
  for (let v = 0; v < 8; v++) lines.push(`  const k${v} = ${valueExpr(bw, v)};`);
  if (dict) {
    const ks = Array.from({ length: 8 }, (_, v) => `k${v}`);
    // OR of the indices bounds their maximum: one compare per group on the fast path.
    lines.push(`  if ((${ks.join(' | ')}) >= len) {`);
    for (const k of ks) lines.push(`    if (${k} >= len) return ${k};`);
    lines.push('  }');
    for (let v = 0; v < 8; v++) lines.push(`  out[i + ${v}] = dict[k${v}];`);
  } else {
    for (let v = 0; v < 8; v++) lines.push(`  out[i + ${v}] = k${v};`);
  }
  lines.push(`  p += ${bw};`, '  i += 8;', '}');
  if (dict) lines.push('return -1;');
  return lines.join('\n');
}

function checkWidth(bw: number): void {
  if (!Number.isInteger(bw) || bw < 0 || bw > MAX_UNROLLED_WIDTH) throw new RangeError(`bit width ${bw}`);
}

export function unpackIdx(bw: number): UnpackIdx {
  let f = idxCache.get(bw);
  if (!f) {
    checkWidth(bw);
    f = new Function('buf', 'pos', 'groups', 'out', 'o', body(bw, false)) as UnpackIdx;
    idxCache.set(bw, f);
  }
  return f;
}

export function unpackF64(bw: number): UnpackDict<Float64Array> {
  let f = f64Cache.get(bw);
  if (!f) {
    checkWidth(bw);
    f = new Function(
      'buf',
      'pos',
      'groups',
      'dict',
      'out',
      'o',
      `const len = dict.length;\n${body(bw, true)}`,
    ) as UnpackDict<Float64Array>;
    f64Cache.set(bw, f);
  }
  return f;
}

export function unpackI32(bw: number): UnpackDict<Int32Array> {
  let f = i32Cache.get(bw);
  if (!f) {
    checkWidth(bw);
    f = new Function(
      'buf',
      'pos',
      'groups',
      'dict',
      'out',
      'o',
      `const len = dict.length;\n${body(bw, true)}`,
    ) as UnpackDict<Int32Array>;
    i32Cache.set(bw, f);
  }
  return f;
}
