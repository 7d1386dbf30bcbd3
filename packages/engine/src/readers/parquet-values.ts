/**
 * Column values of one column chunk while its pages are decoded, in the physical layout of the
 * Parquet type: fixed-width values in a typed array with one slot per row, booleans one byte per
 * row, byte arrays as Arrow-style offsets and bytes. Page decoding writes the non-null values of
 * a page densely at its first row, then `spread` moves them to their rows.
 */
import { PageFormatError } from './parquet-page-header.js';

export type Physical = 'BOOLEAN' | 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY';

export type Fixed = Int32Array | BigInt64Array | Float32Array | Float64Array;

export const WIDTH: Record<Exclude<Physical, 'BYTE_ARRAY'>, number> = {
  BOOLEAN: 1,
  INT32: 4,
  INT64: 8,
  FLOAT: 4,
  DOUBLE: 8,
};

/**
 * Column storage for `n` rows, not zeroed: the decoder writes every slot (null slots included)
 * before anyone reads it, and zeroing hundreds of MB per scan is measurable.
 */
export function newFixed(physical: Physical, n: number): Fixed | Uint8Array {
  const raw = (width: number): ArrayBuffer => {
    const b = Buffer.allocUnsafeSlow(n * width);
    return b.buffer as ArrayBuffer; // its own ArrayBuffer, offset 0: aligned for any width
  };
  switch (physical) {
    case 'INT32':
      return new Int32Array(raw(4), 0, n);
    case 'INT64':
      return new BigInt64Array(raw(8), 0, n);
    case 'FLOAT':
      return new Float32Array(raw(4), 0, n);
    case 'DOUBLE':
      return new Float64Array(raw(8), 0, n);
    case 'BOOLEAN':
      return new Uint8Array(raw(1), 0, n);
    case 'BYTE_ARRAY':
      throw new Error('byte arrays are not fixed-width');
  }
}

/**
 * PLAIN fixed-width values: `n` values of `width` bytes from `buf[pos...]` into `out` at `at`
 * (one memcpy; the page bytes need not be aligned).
 */
export function plainFixed(
  buf: Uint8Array,
  pos: number,
  end: number,
  width: number,
  n: number,
  out: Fixed,
  at: number,
): void {
  if (pos + n * width > end) throw new PageFormatError('PLAIN values run past the page');
  new Uint8Array(out.buffer, out.byteOffset + at * width, n * width).set(buf.subarray(pos, pos + n * width));
}

/** PLAIN booleans: one bit per value, least significant first. */
export function plainBool(
  buf: Uint8Array,
  pos: number,
  end: number,
  n: number,
  out: Uint8Array,
  at: number,
): void {
  if (pos + ((n + 7) >> 3) > end) throw new PageFormatError('PLAIN booleans run past the page');
  for (let i = 0; i < n; i++) out[at + i] = (buf[pos + (i >> 3)]! >> (i & 7)) & 1;
}

/**
 * Dictionary gather for fixed-width values; an index outside the dictionary is corrupt data.
 * One loop per array type keeps each loop monomorphic.
 */
export function gatherFixed(
  dict: Fixed | Uint8Array,
  idx: Int32Array,
  n: number,
  out: Fixed | Uint8Array,
  at: number,
): void {
  if (dict instanceof Float64Array) gatherF64(dict, idx, n, out as Float64Array, at);
  else if (dict instanceof Int32Array) gatherI32(dict, idx, n, out as Int32Array, at);
  else if (dict instanceof BigInt64Array) gatherI64(dict, idx, n, out as BigInt64Array, at);
  else if (dict instanceof Float32Array) gatherF32(dict, idx, n, out as Float32Array, at);
  else gatherU8(dict, idx, n, out as Uint8Array, at);
}

function outOfRange(k: number, len: number): never {
  throw new PageFormatError(`dictionary index ${k} out of range (${len} entries)`);
}

function gatherF64(d: Float64Array, idx: Int32Array, n: number, o: Float64Array, at: number): void {
  const len = d.length;
  for (let i = 0; i < n; i++) {
    const k = idx[i]!;
    if (k >>> 0 >= len) outOfRange(k, len);
    o[at + i] = d[k]!;
  }
}

function gatherI32(d: Int32Array, idx: Int32Array, n: number, o: Int32Array, at: number): void {
  const len = d.length;
  for (let i = 0; i < n; i++) {
    const k = idx[i]!;
    if (k >>> 0 >= len) outOfRange(k, len);
    o[at + i] = d[k]!;
  }
}

function gatherI64(d: BigInt64Array, idx: Int32Array, n: number, o: BigInt64Array, at: number): void {
  // Through 32-bit halves: BigInt element reads allocate.
  const len = d.length;
  const dw = new Int32Array(d.buffer, d.byteOffset, len * 2);
  const ow = new Int32Array(o.buffer, o.byteOffset, o.length * 2);
  for (let i = 0; i < n; i++) {
    const k = idx[i]!;
    if (k >>> 0 >= len) outOfRange(k, len);
    ow[2 * (at + i)] = dw[2 * k]!;
    ow[2 * (at + i) + 1] = dw[2 * k + 1]!;
  }
}

function gatherF32(d: Float32Array, idx: Int32Array, n: number, o: Float32Array, at: number): void {
  const len = d.length;
  for (let i = 0; i < n; i++) {
    const k = idx[i]!;
    if (k >>> 0 >= len) outOfRange(k, len);
    o[at + i] = d[k]!;
  }
}

function gatherU8(d: Uint8Array, idx: Int32Array, n: number, o: Uint8Array, at: number): void {
  const len = d.length;
  for (let i = 0; i < n; i++) {
    const k = idx[i]!;
    if (k >>> 0 >= len) outOfRange(k, len);
    o[at + i] = d[k]!;
  }
}

/**
 * Moves the `dense` values written at `at` to their rows in `[at, at + levels.length)`, back to
 * front so nothing is overwritten before it moves; null slots get zero.
 */
export function spread(
  out: Fixed | Uint8Array,
  at: number,
  levels: Uint8Array,
  from: number,
  rows: number,
  dense: number,
): void {
  let src = at + dense - 1;
  const zero = out instanceof BigInt64Array ? 0n : 0;
  for (let r = rows - 1; r >= 0; r--) {
    if (levels[from + r] === 1) (out as Float64Array)[at + r] = (out as Float64Array)[src--]!;
    else (out as unknown as { [i: number]: number | bigint })[at + r] = zero;
  }
}

/** Growable byte-array column: Arrow offsets (one per row + 1) and value bytes. */
export class ByteColumn {
  readonly offsets: Int32Array;
  bytes: Uint8Array;
  used = 0;

  constructor(rows: number, capacity: number) {
    this.offsets = new Int32Array(rows + 1);
    this.bytes = new Uint8Array(Math.max(64, capacity));
  }

  reserve(extra: number): void {
    const need = this.used + extra;
    if (need <= this.bytes.length) return;
    if (need > 0x7fffffff) throw new PageFormatError('a string column chunk is over 2 GiB');
    const next = new Uint8Array(Math.min(0x7fffffff, Math.max(need, this.bytes.length * 2)));
    next.set(this.bytes.subarray(0, this.used));
    this.bytes = next;
  }
}

/** The values of a BYTE_ARRAY dictionary page. */
export interface ByteDict {
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
  readonly length: number;
}

/** PLAIN byte arrays (4-byte little-endian length, then the bytes) as a dictionary. */
export function plainByteDict(buf: Uint8Array, pos: number, end: number, n: number): ByteDict {
  const col = new ByteColumn(n, end - pos);
  plainBytes(buf, pos, end, n, col, 0);
  return { offsets: col.offsets, bytes: col.bytes.subarray(0, col.used), length: n };
}

/** PLAIN byte arrays into rows `[row, row + n)` of `col` (dense: the caller spreads nulls). */
export function plainBytes(
  buf: Uint8Array,
  pos: number,
  end: number,
  n: number,
  col: ByteColumn,
  row: number,
): void {
  col.reserve(end - pos);
  const out = col.bytes;
  const offsets = col.offsets;
  let p = pos;
  let used = col.used;
  for (let i = 0; i < n; i++) {
    if (p + 4 > end) throw new PageFormatError('PLAIN byte array length runs past the page');
    const len = (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0;
    p += 4;
    if (p + len > end) throw new PageFormatError('PLAIN byte array runs past the page');
    out.set(buf.subarray(p, p + len), used);
    used += len;
    p += len;
    offsets[row + i + 1] = used;
  }
  col.used = used;
}

/** Dictionary gather for byte arrays into rows `[row, row + n)` of `col`. */
export function gatherBytes(dict: ByteDict, idx: Int32Array, n: number, col: ByteColumn, row: number): void {
  const dOff = dict.offsets;
  const len = dict.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const k = idx[i]!;
    if (k >>> 0 >= len) throw new PageFormatError(`dictionary index ${k} out of range (${len} entries)`);
    total += dOff[k + 1]! - dOff[k]!;
  }
  col.reserve(total);
  const out = col.bytes;
  const dBytes = dict.bytes;
  const offsets = col.offsets;
  let used = col.used;
  for (let i = 0; i < n; i++) {
    const k = idx[i]!;
    const a = dOff[k]!;
    const b = dOff[k + 1]!;
    if (b - a <= 16) for (let j = a; j < b; j++) out[used++] = dBytes[j]!;
    else {
      out.set(dBytes.subarray(a, b), used);
      used += b - a;
    }
    offsets[row + i + 1] = used;
  }
  col.used = used;
}

/** Offsets for rows `[row, row + rows)` after `dense` values were written densely: nulls are empty. */
export function spreadOffsets(
  col: ByteColumn,
  row: number,
  levels: Uint8Array,
  from: number,
  rows: number,
  dense: number,
): void {
  const o = col.offsets;
  // Dense end offsets sit at o[row + 1 .. row + dense]; rewrite back to front.
  let src = row + dense;
  for (let r = rows - 1; r >= 0; r--) {
    if (levels[from + r] === 1) o[row + r + 1] = o[src--]!;
    else o[row + r + 1] = -1; // patched below
  }
  for (let r = 0; r < rows; r++) if (o[row + r + 1] === -1) o[row + r + 1] = o[row + r]!;
}
