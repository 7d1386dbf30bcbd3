// The RLE / bit-packed hybrid decoders (dictionary indices, fused dictionary lookups, levels)
// against a straightforward encoder, for every bit width, partial groups and mixed runs.
import { decodeDictF64, decodeDictI32, fusedWidth } from '../src/readers/parquet-dict-decode.js';
import { PageFormatError } from '../src/readers/parquet-page-header.js';
import { decodeIndices, decodeLevels } from '../src/readers/parquet-rle.js';

/** Encodes `values` as alternating bit-packed and RLE runs (the way writers mix them). */
function encode(values: readonly number[], bw: number): Uint8Array {
  const out: number[] = [];
  const varint = (v: number): void => {
    while (v >= 0x80) {
      out.push((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
  };
  let i = 0;
  let packed = true;
  while (i < values.length) {
    if (packed) {
      const groups = Math.min(3, Math.ceil((values.length - i) / 8));
      varint(groups * 2 + 1);
      const bits: number[] = [];
      for (let k = 0; k < groups * 8; k++) {
        const v = values[i + k] ?? 0;
        for (let b = 0; b < bw; b++) bits.push(Math.floor(v / 2 ** b) % 2);
      }
      for (let b = 0; b < bits.length; b += 8) {
        let byte = 0;
        for (let k = 0; k < 8; k++) byte |= (bits[b + k] ?? 0) << k;
        out.push(byte);
      }
      i += groups * 8;
    } else {
      let len = 1;
      while (i + len < values.length && values[i + len] === values[i] && len < 40) len++;
      varint(len * 2);
      let v = values[i]!;
      for (let k = 0; k < (bw + 7) >> 3; k++) {
        out.push(v % 256);
        v = Math.floor(v / 256);
      }
      i += len;
    }
    packed = !packed;
  }
  return Uint8Array.from(out);
}

function sample(n: number, bw: number, seed: number): number[] {
  let s = seed;
  const max = 2 ** bw;
  return Array.from({ length: n }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    // Runs of repeats now and then, so the RLE branch is exercised with real values.
    return i % 50 < 10 ? max - 1 : Math.floor((s / 2 ** 31) * max);
  });
}

describe('hybrid decoding', () => {
  const widths = Array.from({ length: 33 }, (_, w) => w);
  test.each(widths)('indices, bit width %i', (bw) => {
    for (const n of [1, 7, 8, 9, 100, 1001]) {
      const values = sample(n, bw, bw * 31 + n);
      const buf = encode(values, bw);
      const out = new Int32Array(n + 2).fill(-7);
      decodeIndices(buf, 0, buf.length, bw, n, out, 1);
      expect(Array.from(out.subarray(1, n + 1), (v) => v >>> 0)).toEqual(values);
      expect(out[0]).toBe(-7);
      expect(out[n + 1]).toBe(-7);
    }
  });

  test.each(widths.filter(fusedWidth))('dictionary lookups, bit width %i', (bw) => {
    const size = Math.min(2 ** bw, 5000);
    const values = sample(997, bw, bw + 5).map((v) => v % size);
    const buf = encode(values, bw);
    const f64 = Float64Array.from({ length: size }, (_, i) => i * 1.5 - 3);
    const i32 = Int32Array.from({ length: size }, (_, i) => i * 3 - 100);
    const outF = new Float64Array(1000);
    const outI = new Int32Array(1000);
    decodeDictF64(buf, 0, buf.length, bw, values.length, f64, outF, 3);
    decodeDictI32(buf, 0, buf.length, bw, values.length, i32, outI, 3);
    expect(Array.from(outF.subarray(3))).toEqual(values.map((k) => f64[k]));
    expect(Array.from(outI.subarray(3))).toEqual(values.map((k) => i32[k]));
  });

  test('an index outside the dictionary is corrupt data, in packed and RLE runs', () => {
    const dict = new Float64Array(5);
    for (const values of [[0, 1, 2, 3, 4, 5, 0, 1], Array.from({ length: 20 }, () => 6)]) {
      const buf = encode(values, 3);
      expect(() =>
        decodeDictF64(buf, 0, buf.length, 3, values.length, dict, new Float64Array(32), 0),
      ).toThrow(PageFormatError);
      expect(() =>
        decodeDictI32(buf, 0, buf.length, 3, values.length, new Int32Array(5), new Int32Array(32), 0),
      ).toThrow(/dictionary index [56] out of range/);
    }
  });

  test('levels; truncated input throws instead of reading past the end', () => {
    const values = sample(300, 1, 9);
    const buf = encode(values, 1);
    const out = new Uint8Array(300);
    decodeLevels(buf, 0, buf.length, 300, out, 0);
    expect(Array.from(out)).toEqual(values);
    expect(() => decodeLevels(buf, 0, buf.length - 2, 300, out, 0)).toThrow(PageFormatError);
    const idx = encode(sample(300, 12, 4), 12);
    expect(() => decodeIndices(idx, 0, idx.length - 1, 12, 300, new Int32Array(300), 0)).toThrow(
      PageFormatError,
    );
    // A run header that never ends.
    expect(() => decodeIndices(Uint8Array.of(0xff, 0xff, 0xff), 0, 3, 4, 10, new Int32Array(10), 0)).toThrow(
      PageFormatError,
    );
  });
});
