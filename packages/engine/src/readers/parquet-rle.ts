/**
 * The RLE / bit-packed hybrid encoding Parquet uses for definition levels and dictionary indices.
 * Runs are bounds-checked against the input; every run consumes at least one input byte, so
 * garbage cannot loop forever. Indices (Int32Array) and levels (Uint8Array) have separate
 * functions so each stays monomorphic (one array type per loop is what makes V8 fast here).
 */
import { PageFormatError } from './parquet-page-header.js';
import { MAX_UNROLLED_WIDTH, unpackIdx } from './parquet-bitunpack.js';

/** Where the last run header ended (a second return value without allocating a pair). */
let headerEnd = 0;

/** Where the last runHeader call stopped. */
export function runHeaderEnd(): number {
  return headerEnd;
}

/** Reads the run header (an unsigned varint) at `pos`; runHeaderEnd() is the position after it. */
export function runHeader(buf: Uint8Array, pos: number, end: number): number {
  let h = 0;
  let mul = 1;
  for (let i = 0; ; i++) {
    if (pos >= end || i > 4) throw new PageFormatError('truncated or malformed run header');
    const x = buf[pos++]!;
    h += (x & 0x7f) * mul;
    if ((x & 0x80) === 0) break;
    mul *= 128;
  }
  headerEnd = pos;
  return h;
}

/**
 * Decodes `count` values of `bitWidth` bits from `buf[pos, end)` into `out[at, at + count)`.
 * Returns the position after the last run read.
 */
export function decodeIndices(
  buf: Uint8Array,
  pos: number,
  end: number,
  bitWidth: number,
  count: number,
  out: Int32Array,
  at: number,
): number {
  if (bitWidth < 0 || bitWidth > 32) throw new PageFormatError(`bit width ${bitWidth} is out of range`);
  if (end > buf.length) throw new PageFormatError('encoded values run past the page');
  const valueBytes = (bitWidth + 7) >> 3;
  let o = at;
  const stop = at + count;
  while (o < stop) {
    const h = runHeader(buf, pos, end);
    pos = headerEnd;
    if (h % 2 === 1) {
      const groups = (h - 1) / 2;
      const bytes = groups * bitWidth;
      if (pos + bytes > end) throw new PageFormatError('bit-packed run runs past the page');
      const n = Math.min(groups * 8, stop - o);
      if (bitWidth <= MAX_UNROLLED_WIDTH) {
        const full = n >> 3;
        if (full > 0) unpackIdx(bitWidth)(buf, pos, full, out, o);
        unpackNarrow(buf, pos + full * bitWidth, bitWidth, n - full * 8, out, o + full * 8);
      } else unpackWide(buf, pos, bitWidth, n, out, o);
      o += n;
      pos += bytes;
    } else {
      const len = h / 2;
      if (pos + valueBytes > end) throw new PageFormatError('RLE run runs past the page');
      let v = 0;
      for (let i = valueBytes - 1; i >= 0; i--) v = v * 256 + buf[pos + i]!;
      pos += valueBytes;
      const n = Math.min(len, stop - o);
      out.fill(v | 0, o, o + n);
      o += n;
    }
  }
  return pos;
}

/**
 * Definition levels of a flat column, or RLE booleans (bit width 1 both): `count` values into
 * `out[at...]`.
 */
export function decodeLevels(
  buf: Uint8Array,
  pos: number,
  end: number,
  count: number,
  out: Uint8Array,
  at: number,
): number {
  if (end > buf.length) throw new PageFormatError('definition levels run past the page');
  let o = at;
  const stop = at + count;
  while (o < stop) {
    const h = runHeader(buf, pos, end);
    pos = headerEnd;
    if (h % 2 === 1) {
      const groups = (h - 1) / 2;
      if (pos + groups > end) throw new PageFormatError('bit-packed run runs past the page');
      const n = Math.min(groups * 8, stop - o);
      for (let i = 0; i < n; i++) out[o + i] = (buf[pos + (i >> 3)]! >> (i & 7)) & 1;
      o += n;
      pos += groups;
    } else {
      if (pos + 1 > end) throw new PageFormatError('RLE run runs past the page');
      const v = buf[pos++]!;
      if (v > 1) throw new PageFormatError(`value ${v} in a run of bit width 1`);
      const n = Math.min(h / 2, stop - o);
      out.fill(v, o, o + n);
      o += n;
    }
  }
  return pos;
}

/** `n` values of `bw` <= 24 bits, least significant bit first, from `buf[pos...]`. */
function unpackNarrow(buf: Uint8Array, pos: number, bw: number, n: number, out: Int32Array, o: number): void {
  if (bw === 0) {
    out.fill(0, o, o + n);
    return;
  }
  // At most bw - 1 + 8 <= 31 bits are pending: 32-bit integer ops are exact.
  const mask = (1 << bw) - 1;
  let acc = 0;
  let bits = 0;
  let p = pos;
  for (let i = o, e = o + n; i < e; i++) {
    while (bits < bw) {
      acc |= buf[p++]! << bits;
      bits += 8;
    }
    out[i] = acc & mask;
    acc >>>= bw;
    bits -= bw;
  }
}

/** Wide values (dictionaries of over 16M entries): plain arithmetic, slow but exact. */
function unpackWide(buf: Uint8Array, pos: number, bw: number, n: number, out: Int32Array, o: number): void {
  const mod = 2 ** bw;
  for (let i = 0; i < n; i++) {
    const bit = i * bw;
    const b = pos + (bit >> 3);
    let v = 0;
    for (let k = 4; k >= 0; k--) v = v * 256 + (buf[b + k] ?? 0);
    out[o + i] = (Math.floor(v / 2 ** (bit & 7)) % mod) | 0;
  }
}
