/**
 * The RLE / bit-packed hybrid encoding Parquet uses for definition levels and dictionary indices.
 * Runs are bounds-checked against the input; every run consumes at least one input byte, so
 * garbage cannot loop forever.
 */
import { PageFormatError } from './parquet-page-header.js';

type IntArray = Int32Array | Uint8Array;

/**
 * Decodes `count` values of `bitWidth` bits from `buf[pos, end)` into `out[at, at + count)`.
 * Returns the position after the last run read.
 */
export function decodeHybrid(
  buf: Uint8Array,
  pos: number,
  end: number,
  bitWidth: number,
  count: number,
  out: IntArray,
  at: number,
): number {
  if (bitWidth < 0 || bitWidth > 32) throw new PageFormatError(`bit width ${bitWidth} is out of range`);
  if (end > buf.length) throw new PageFormatError('encoded values run past the page');
  const valueBytes = (bitWidth + 7) >> 3;
  let o = at;
  const stop = at + count;
  while (o < stop) {
    // Run header: unsigned varint.
    let h = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      if (pos >= end || i > 4) throw new PageFormatError('truncated or malformed run header');
      const x = buf[pos++]!;
      h += (x & 0x7f) * mul;
      if ((x & 0x80) === 0) break;
      mul *= 128;
    }
    if (h % 2 === 1) {
      const groups = (h - 1) / 2;
      const bytes = groups * bitWidth;
      if (pos + bytes > end) throw new PageFormatError('bit-packed run runs past the page');
      const n = Math.min(groups * 8, stop - o);
      unpack(buf, pos, bitWidth, n, out, o);
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

/** `n` values of `bw` bits, least significant bit first, from `buf[pos...]`. */
function unpack(buf: Uint8Array, pos: number, bw: number, n: number, out: IntArray, o: number): void {
  if (bw === 0) {
    out.fill(0, o, o + n);
    return;
  }
  if (bw === 1) {
    for (let i = 0; i < n; i++) out[o + i] = (buf[pos + (i >> 3)]! >> (i & 7)) & 1;
    return;
  }
  if (bw <= 24) {
    // At most bw - 1 + 8 <= 31 bits are pending: 32-bit integer ops are exact.
    const mask = (1 << bw) - 1;
    let acc = 0;
    let bits = 0;
    let p = pos;
    for (let i = 0; i < n; i++) {
      while (bits < bw) {
        acc |= buf[p++]! << bits;
        bits += 8;
      }
      out[o + i] = acc & mask;
      acc >>>= bw;
      bits -= bw;
    }
    return;
  }
  // Wide values (dictionaries of over 16M entries): plain arithmetic, slow but exact.
  const mod = 2 ** bw;
  for (let i = 0; i < n; i++) {
    const bit = i * bw;
    const b = pos + (bit >> 3);
    let v = 0;
    for (let k = 4; k >= 0; k--) v = v * 256 + (buf[b + k] ?? 0);
    out[o + i] = Math.floor(v / 2 ** (bit & 7)) % mod | 0;
  }
}
