/**
 * Values of one batch slice inside operator memory. A `WVec` is a column in Arrow layout in the
 * shared memory (values, or offsets + data for utf8; booleans and validity as byte masks); a
 * `WConst` is a literal not yet broadcast. Copying in from Arrow and out to Arrow happens here
 * and only here, and every byte copied is counted.
 */
import type { Data } from 'apache-arrow';
import { CHUNK_ROWS } from '../wasm/abi.js';
import type { OperatorHost } from '../wasm/operator-host.js';
import type { DataType } from '../plan/types.js';
import { columnFromValues, makeColumn, type JsValue } from './arrow-columns.js';

export interface WVec {
  readonly kind: 'vec';
  readonly type: DataType;
  /** Values (bool: byte mask; utf8: i32 offsets). */
  readonly values: number;
  /** utf8 only: the base the offsets index (may be "negative": offsets need not start at 0). */
  readonly data: number;
  /** Byte mask of valid rows, or 0 when every row is valid. */
  readonly validity: number;
}

export interface WConst {
  readonly kind: 'const';
  readonly type: DataType;
  readonly value: JsValue;
}

export type WVal = WVec | WConst;

export const vec = (type: DataType, values: number, validity: number, data = 0): WVec => ({
  kind: 'vec',
  type,
  values,
  data,
  validity,
});

export const konst = (type: DataType, value: JsValue): WConst => ({ kind: 'const', type, value });

export function byteWidth(t: DataType): number {
  return t === 'float64' || t === 'int64' ? 8 : t === 'bool' ? 1 : 4;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Moves data between Arrow (JS heap) and operator memory for one slice of `n` rows. */
export class WasmValues {
  /** Bytes copied into or out of operator memory so far. */
  copied = 0;

  constructor(
    readonly host: OperatorHost,
    readonly n: number,
    readonly operator: string,
  ) {
    if (n > CHUNK_ROWS) throw new Error(`slice of ${n} rows exceeds CHUNK_ROWS`);
  }

  alloc(bytes: number): number {
    return this.host.mem.alloc(bytes, this.operator);
  }

  get mem() {
    return this.host.mem.views();
  }

  /** Copy an Arrow column (one Data, any offset) into operator memory. */
  copyIn(data: Data, type: DataType): WVec {
    const n = this.n;
    let validity = 0;
    if (data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length > 0) {
      validity = this.expandBits(data.nullBitmap, data.offset);
    }
    if (type === 'bool') return vec(type, this.expandBits(data.values as Uint8Array, data.offset), validity);
    if (type === 'utf8') {
      const offs = data.valueOffsets as Int32Array;
      const o0 = offs[0]!;
      const oN = offs[n]!;
      const offsPtr = this.alloc(4 * (n + 1));
      const dataPtr = this.alloc(oN - o0);
      const mem = this.mem;
      mem.i32.set(offs.subarray(0, n + 1), offsPtr >> 2);
      mem.u8.set((data.values as Uint8Array).subarray(o0, oN), dataPtr);
      this.copied += 4 * (n + 1) + (oN - o0);
      return vec(type, offsPtr, validity, dataPtr - o0);
    }
    const values = data.values as Float64Array | Int32Array | BigInt64Array;
    const bytes = values.BYTES_PER_ELEMENT * n;
    const ptr = this.alloc(bytes);
    this.mem.u8.set(new Uint8Array(values.buffer, values.byteOffset, bytes), ptr);
    this.copied += bytes;
    return vec(type, ptr, validity);
  }

  private expandBits(bitmap: Uint8Array, bitOffset: number): number {
    const first = bitOffset >> 3;
    const last = (bitOffset + this.n + 7) >> 3;
    const bm = this.alloc(last - first + 2);
    const mask = this.alloc(this.n);
    this.mem.u8.set(bitmap.subarray(first, last), bm);
    this.copied += last - first;
    this.host.filter.bitmap_to_mask(bm, bitOffset & 7, this.n, mask);
    return mask;
  }

  /** Broadcast a constant into a column. */
  materialize(v: WVal): WVec {
    if (v.kind === 'vec') return v;
    const n = this.n;
    const validity = v.value === null ? this.fillMask(0) : 0;
    switch (v.type) {
      case 'bool':
        return vec('bool', this.fillMask(v.value === true ? 0xff : 0), validity);
      case 'utf8': {
        const bytes = encoder.encode(v.value === null ? '' : String(v.value));
        const offs = this.alloc(4 * (n + 1));
        const data = this.alloc(bytes.length * n);
        const mem = this.mem;
        for (let i = 0; i <= n; i++) mem.i32[(offs >> 2) + i] = i * bytes.length;
        for (let i = 0; i < n; i++) mem.u8.set(bytes, data + i * bytes.length);
        return vec('utf8', offs, validity, data);
      }
      case 'int64': {
        const ptr = this.alloc(8 * n);
        this.mem.i64.fill(v.value === null ? 0n : BigInt(v.value as bigint), ptr >> 3, (ptr >> 3) + n);
        return vec('int64', ptr, validity);
      }
      case 'float64': {
        const ptr = this.alloc(8 * n);
        this.mem.f64.fill(v.value === null ? 0 : Number(v.value), ptr >> 3, (ptr >> 3) + n);
        return vec('float64', ptr, validity);
      }
      default: {
        const ptr = this.alloc(4 * n);
        this.mem.i32.fill(v.value === null ? 0 : Number(v.value), ptr >> 2, (ptr >> 2) + n);
        return vec(v.type, ptr, validity);
      }
    }
  }

  /** Write JS values (a JS fallback's results) into a new column. */
  fromJs(type: DataType, values: readonly JsValue[]): WVec {
    const n = this.n;
    const validity = values.some((x) => x === null) ? this.fillMask(0xff) : 0;
    const out = this.materialize(konst(type, type === 'utf8' ? '' : null));
    const mem = this.mem;
    if (type === 'utf8') {
      const parts = values.map((x) => encoder.encode(x === null ? '' : String(x)));
      const total = parts.reduce((s, b) => s + b.length, 0);
      const offs = this.alloc(4 * (n + 1));
      const data = this.alloc(total);
      const m = this.mem;
      let pos = 0;
      for (let i = 0; i < n; i++) {
        m.i32[(offs >> 2) + i] = pos;
        m.u8.set(parts[i]!, data + pos);
        pos += parts[i]!.length;
        if (values[i] === null) m.u8[validity + i] = 0;
      }
      m.i32[(offs >> 2) + n] = pos;
      return vec('utf8', offs, validity, data);
    }
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (x === null) {
        mem.u8[validity + i] = 0;
        continue;
      }
      switch (type) {
        case 'bool':
          mem.u8[out.values + i] = x ? 0xff : 0;
          break;
        case 'float64':
          mem.f64[(out.values >> 3) + i] = Number(x);
          break;
        case 'int64':
          mem.i64[(out.values >> 3) + i] = BigInt(x as bigint);
          break;
        default:
          mem.i32[(out.values >> 2) + i] = Number(x);
      }
    }
    return vec(type, out.values, validity);
  }

  fillMask(byte: number): number {
    const p = this.alloc(this.n);
    this.mem.u8.fill(byte, p, p + this.n);
    return p;
  }

  /** Write UTF-8 bytes of `s` into operator memory; returns [ptr, length]. */
  writeString(s: string): [number, number] {
    const bytes = encoder.encode(s);
    const p = this.alloc(bytes.length);
    this.mem.u8.set(bytes, p);
    this.copied += bytes.length;
    return [p, bytes.length];
  }

  isValid(v: WVec, row: number): boolean {
    return v.validity === 0 || this.mem.u8[v.validity + row] !== 0;
  }

  /** One value of a column in operator memory (group keys, JS fallbacks). */
  read(v: WVal, row: number): JsValue {
    if (v.kind === 'const') return v.value;
    if (!this.isValid(v, row)) return null;
    const mem = this.mem;
    switch (v.type) {
      case 'bool':
        return mem.u8[v.values + row] !== 0;
      case 'float64':
        return mem.f64[(v.values >> 3) + row]!;
      case 'int64':
        return mem.i64[(v.values >> 3) + row]!;
      case 'utf8':
        return decoder.decode(this.readBytes(v, row));
      default:
        return mem.i32[(v.values >> 2) + row]!;
    }
  }

  readBytes(v: WVec, row: number): Uint8Array {
    const mem = this.mem;
    const s = mem.i32[(v.values >> 2) + row]!;
    const e = mem.i32[(v.values >> 2) + row + 1]!;
    return mem.u8.subarray(v.data + s, v.data + e);
  }

  /** Copy a value out of operator memory into an Arrow column. */
  toData(v: WVal): Data {
    const n = this.n;
    if (v.kind === 'const') return columnFromValues(v.type, new Array<JsValue>(n).fill(v.value));
    const f = this.host.filter;
    let validity: Uint8Array | null = null;
    let nulls = 0;
    if (v.validity !== 0) {
      nulls = n - f.mask_count(v.validity, n);
      if (nulls > 0) validity = this.packBits(v.validity);
    }
    const mem = this.mem;
    switch (v.type) {
      case 'bool':
        return makeColumn('bool', n, this.packBits(v.values), validity, nulls);
      case 'utf8': {
        const offs = mem.i32.slice(v.values >> 2, (v.values >> 2) + n + 1);
        const o0 = offs[0]!;
        for (let i = 0; i <= n; i++) offs[i]! -= o0;
        const bytes = mem.u8.slice(v.data + o0, v.data + o0 + offs[n]!);
        this.copied += offs.byteLength + bytes.byteLength;
        return makeColumn('utf8', n, bytes, validity, nulls, offs);
      }
      case 'float64':
        this.copied += 8 * n;
        return makeColumn('float64', n, mem.f64.slice(v.values >> 3, (v.values >> 3) + n), validity, nulls);
      case 'int64':
        this.copied += 8 * n;
        return makeColumn('int64', n, mem.i64.slice(v.values >> 3, (v.values >> 3) + n), validity, nulls);
      default:
        this.copied += 4 * n;
        return makeColumn(v.type, n, mem.i32.slice(v.values >> 2, (v.values >> 2) + n), validity, nulls);
    }
  }

  private packBits(mask: number): Uint8Array {
    const bytes = ((this.n + 63) & ~63) >> 3;
    const p = this.alloc(bytes);
    this.mem.u8.fill(0, p, p + bytes);
    this.host.filter.mask_to_bitmap(mask, this.n, p);
    this.copied += bytes;
    return this.mem.u8.slice(p, p + bytes);
  }
}
