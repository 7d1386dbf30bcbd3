/**
 * Dictionary indices decoded and looked up in one pass, for the two dictionary types that
 * dominate scans (DOUBLE and INT32/DATE): no index array is written and read back. Other types go
 * through decodeIndices + gather (parquet-rle.ts, parquet-values.ts). Two copies of one loop, so
 * each stays monomorphic.
 */
import { PageFormatError } from './parquet-page-header.js';
import { runHeader, runHeaderEnd } from './parquet-rle.js';
import { MAX_UNROLLED_WIDTH, unpackF64, unpackI32 } from './parquet-bitunpack.js';

function outOfRange(k: number, len: number): never {
  throw new PageFormatError(`dictionary index ${k} out of range (${len} entries)`);
}

/** Can `decodeDict*` take this bit width? (Wider ones: decodeIndices.) */
export function fusedWidth(bitWidth: number): boolean {
  return bitWidth >= 0 && bitWidth <= MAX_UNROLLED_WIDTH;
}

export function decodeDictF64(
  buf: Uint8Array,
  pos: number,
  end: number,
  bw: number,
  count: number,
  dict: Float64Array,
  out: Float64Array,
  at: number,
): void {
  if (end > buf.length) throw new PageFormatError('dictionary indices run past the page');
  const len = dict.length;
  const mask = (1 << bw) - 1;
  const valueBytes = (bw + 7) >> 3;
  let o = at;
  const stop = at + count;
  while (o < stop) {
    const h = runHeader(buf, pos, end);
    pos = runHeaderEnd();
    if (h % 2 === 1) {
      const groups = (h - 1) / 2;
      if (pos + groups * bw > end) throw new PageFormatError('bit-packed run runs past the page');
      const e = Math.min(o + groups * 8, stop);
      const full = (e - o) >> 3;
      if (full > 0) {
        const bad = unpackF64(bw)(buf, pos, full, dict, out, o);
        if (bad >= 0) outOfRange(bad, len);
      }
      // The last, partial group. At most bw - 1 + 8 <= 31 bits are pending: 32-bit ops are exact.
      let acc = 0;
      let bits = 0;
      let p = pos + full * bw;
      for (let i = o + full * 8; i < e; i++) {
        while (bits < bw) {
          acc |= buf[p++]! << bits;
          bits += 8;
        }
        const k = acc & mask;
        if (k >= len) outOfRange(k, len);
        out[i] = dict[k]!;
        acc >>>= bw;
        bits -= bw;
      }
      o = e;
      pos += groups * bw;
    } else {
      if (pos + valueBytes > end) throw new PageFormatError('RLE run runs past the page');
      let k = 0;
      for (let i = valueBytes - 1; i >= 0; i--) k = k * 256 + buf[pos + i]!;
      pos += valueBytes;
      const n = Math.min(h / 2, stop - o);
      if (n > 0 && k >= len) outOfRange(k, len);
      out.fill(dict[k] ?? 0, o, o + n);
      o += n;
    }
  }
}

export function decodeDictI32(
  buf: Uint8Array,
  pos: number,
  end: number,
  bw: number,
  count: number,
  dict: Int32Array,
  out: Int32Array,
  at: number,
): void {
  if (end > buf.length) throw new PageFormatError('dictionary indices run past the page');
  const len = dict.length;
  const mask = (1 << bw) - 1;
  const valueBytes = (bw + 7) >> 3;
  let o = at;
  const stop = at + count;
  while (o < stop) {
    const h = runHeader(buf, pos, end);
    pos = runHeaderEnd();
    if (h % 2 === 1) {
      const groups = (h - 1) / 2;
      if (pos + groups * bw > end) throw new PageFormatError('bit-packed run runs past the page');
      const e = Math.min(o + groups * 8, stop);
      const full = (e - o) >> 3;
      if (full > 0) {
        const bad = unpackI32(bw)(buf, pos, full, dict, out, o);
        if (bad >= 0) outOfRange(bad, len);
      }
      // The last, partial group. At most bw - 1 + 8 <= 31 bits are pending: 32-bit ops are exact.
      let acc = 0;
      let bits = 0;
      let p = pos + full * bw;
      for (let i = o + full * 8; i < e; i++) {
        while (bits < bw) {
          acc |= buf[p++]! << bits;
          bits += 8;
        }
        const k = acc & mask;
        if (k >= len) outOfRange(k, len);
        out[i] = dict[k]!;
        acc >>>= bw;
        bits -= bw;
      }
      o = e;
      pos += groups * bw;
    } else {
      if (pos + valueBytes > end) throw new PageFormatError('RLE run runs past the page');
      let k = 0;
      for (let i = valueBytes - 1; i >= 0; i--) k = k * 256 + buf[pos + i]!;
      pos += valueBytes;
      const n = Math.min(h / 2, stop - o);
      if (n > 0 && k >= len) outOfRange(k, len);
      out.fill(dict[k] ?? 0, o, o + n);
      o += n;
    }
  }
}
