/**
 * A generic Thrift compact-protocol codec: bytes ⇄ a tree of (field id, type, value), with no
 * schema. Parquet footers are compact-protocol structs; the row-group stitcher (parquet-stitch.ts)
 * only rewrites a few offsets, so it edits this tree and re-encodes it. Every field it does not
 * know (statistics, encodings, future additions) is kept as decoded and written back unchanged:
 * decode followed by encode gives the same bytes for anything a standard encoder wrote (short
 * field headers where the id delta is 1..15, shortest varints), which tests check on real footers.
 *
 * Integers: i8/i16/i32 decode to numbers, i64 to bigint (offsets and sizes stay exact).
 */
import { CorruptDataError } from '@pushdown/proto';

/** Compact-protocol type ids (BOOL_TRUE/BOOL_FALSE double as the bool type in headers). */
export const TT = {
  STOP: 0,
  TRUE: 1,
  FALSE: 2,
  I8: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

export interface ThriftStruct {
  readonly kind: 'struct';
  fields: ThriftField[];
}
export interface ThriftList {
  /** A list or a set (same wire shape; the field or element type says which). */
  readonly kind: 'list';
  readonly elemType: number;
  items: ThriftValue[];
}
export interface ThriftMap {
  readonly kind: 'map';
  readonly keyType: number;
  readonly valueType: number;
  entries: [ThriftValue, ThriftValue][];
}
/** Bytes already in compact encoding, written verbatim (a struct encoded ahead of time). */
export interface ThriftRaw {
  readonly kind: 'raw';
  readonly bytes: Uint8Array;
}
export type ThriftValue =
  boolean | number | bigint | Uint8Array | ThriftStruct | ThriftList | ThriftMap | ThriftRaw;

export interface ThriftField {
  readonly id: number;
  /** Wire type; for bools TT.TRUE (the value decides what is written). */
  readonly type: number;
  value: ThriftValue;
}

/** Decodes one struct starting at `offset`; returns it and the offset just past its STOP. */
export function decodeStruct(bytes: Uint8Array, offset = 0): { struct: ThriftStruct; end: number } {
  const r = new Reader(bytes, offset);
  const struct = r.struct();
  return { struct, end: r.pos };
}

/** Encodes a struct to compact-protocol bytes. */
export function encodeStruct(struct: ThriftStruct): Uint8Array {
  const w = new Writer();
  w.struct(struct);
  return w.finish();
}

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  struct(): ThriftStruct {
    const fields: ThriftField[] = [];
    let lastId = 0;
    for (;;) {
      const head = this.byte();
      const type = head & 0x0f;
      if (type === TT.STOP) return { kind: 'struct', fields };
      const delta = head >> 4;
      const id = delta === 0 ? unzigzag(this.varint()) : lastId + delta;
      lastId = id;
      if (type === TT.TRUE || type === TT.FALSE) fields.push({ id, type: TT.TRUE, value: type === TT.TRUE });
      else fields.push({ id, type, value: this.value(type) });
    }
  }

  value(type: number): ThriftValue {
    switch (type) {
      case TT.TRUE:
      case TT.FALSE:
        // Inside lists and maps a bool is one byte: 1 true, 2 false (0 from old writers).
        return this.byte() === TT.TRUE;
      case TT.I8:
        return (this.byte() << 24) >> 24;
      case TT.I16:
      case TT.I32:
        return unzigzag(this.varint());
      case TT.I64: {
        const u = this.varint64();
        return (u >> 1n) ^ -(u & 1n);
      }
      case TT.DOUBLE: {
        const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.need(8), 8);
        return view.getFloat64(0, true);
      }
      case TT.BINARY: {
        const len = this.varint();
        const at = this.need(len);
        return this.bytes.subarray(at, at + len);
      }
      case TT.LIST:
      case TT.SET: {
        const head = this.byte();
        const elemType = head & 0x0f;
        const size = head >> 4 === 15 ? this.varint() : head >> 4;
        const items: ThriftValue[] = [];
        for (let i = 0; i < size; i++) items.push(this.value(elemType));
        return { kind: 'list', elemType, items };
      }
      case TT.MAP: {
        const size = this.varint();
        if (size === 0) return { kind: 'map', keyType: 0, valueType: 0, entries: [] };
        const kv = this.byte();
        const entries: [ThriftValue, ThriftValue][] = [];
        for (let i = 0; i < size; i++) entries.push([this.value(kv >> 4), this.value(kv & 0x0f)]);
        return { kind: 'map', keyType: kv >> 4, valueType: kv & 0x0f, entries };
      }
      case TT.STRUCT:
        return this.struct();
      default:
        throw new CorruptDataError(`thrift: unknown compact type ${type} at byte ${this.pos}`);
    }
  }

  private need(n: number): number {
    const at = this.pos;
    if (at + n > this.bytes.length) throw new CorruptDataError(`thrift: truncated at byte ${at}`);
    this.pos += n;
    return at;
  }

  private byte(): number {
    return this.bytes[this.need(1)]!;
  }

  private varint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new CorruptDataError(`thrift: varint too long at byte ${this.pos}`);
  }

  private varint64(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new CorruptDataError(`thrift: varint too long at byte ${this.pos}`);
  }
}

function unzigzag(n: number): number {
  // n < 2^32 here; the arithmetic form avoids sign trouble above 2^31.
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

class Writer {
  private buf = new Uint8Array(256);
  private pos = 0;

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  struct(s: ThriftStruct): void {
    let lastId = 0;
    for (const f of s.fields) {
      const bool = typeof f.value === 'boolean';
      const type = bool ? (f.value ? TT.TRUE : TT.FALSE) : f.type;
      const delta = f.id - lastId;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
      else {
        this.byte(type);
        this.varint(zigzag(f.id));
      }
      lastId = f.id;
      if (!bool) this.value(f.type, f.value);
    }
    this.byte(TT.STOP);
  }

  value(type: number, v: ThriftValue): void {
    if (typeof v === 'boolean') return this.byte(v ? TT.TRUE : TT.FALSE);
    if (typeof v === 'bigint') return this.varint64(v >= 0n ? v << 1n : ((-v - 1n) << 1n) | 1n);
    if (typeof v === 'number') {
      if (type === TT.DOUBLE) {
        this.room(8);
        new DataView(this.buf.buffer).setFloat64(this.pos, v, true);
        this.pos += 8;
      } else if (type === TT.I8) this.byte(v & 0xff);
      else this.varint(zigzag(v));
      return;
    }
    if (v instanceof Uint8Array) {
      this.varint(v.length);
      return this.bytes(v);
    }
    switch (v.kind) {
      case 'struct':
        return this.struct(v);
      case 'raw':
        return this.bytes(v.bytes);
      case 'list':
        if (v.items.length < 15) this.byte((v.items.length << 4) | v.elemType);
        else {
          this.byte(0xf0 | v.elemType);
          this.varint(v.items.length);
        }
        for (const item of v.items) this.value(v.elemType, item);
        return;
      case 'map':
        this.varint(v.entries.length);
        if (v.entries.length === 0) return;
        this.byte((v.keyType << 4) | v.valueType);
        for (const [k, val] of v.entries) {
          this.value(v.keyType, k);
          this.value(v.valueType, val);
        }
    }
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.pos + n, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  private byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  private bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  private varint(n: number): void {
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  private varint64(n: bigint): void {
    while (n >= 0x80n) {
      this.byte(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.byte(Number(n));
  }
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}
