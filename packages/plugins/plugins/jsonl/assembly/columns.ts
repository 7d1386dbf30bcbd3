// One output column and its buffers in Arrow layout (the UDF ABI's rules): fixed-width values
// (int32/date32 4 bytes, int64/float64 8, little-endian), bool values and validity as bitmaps
// (bit i in byte i>>3, least significant first), utf8 as int32 offsets (rows + 1) plus data.
// Buffers are allocated for the largest batch asked so far and reused by every later batch.
import { ByteBuf } from "./bytes";

export const T_BOOL: i32 = 0;
export const T_INT32: i32 = 1;
export const T_INT64: i32 = 2;
export const T_FLOAT64: i32 = 3;
export const T_DATE32: i32 = 4;
export const T_UTF8: i32 = 5;

/** Type names as the manifest and the engine spell them, indexed by type code. */
export function typeName(t: i32): string {
  if (t == T_BOOL) return "bool";
  if (t == T_INT32) return "int32";
  if (t == T_INT64) return "int64";
  if (t == T_FLOAT64) return "float64";
  if (t == T_DATE32) return "date32";
  return "utf8";
}

/** The type code of a name, or -1. */
export function typeCode(name: string): i32 {
  for (let t = T_BOOL; t <= T_UTF8; t++) if (typeName(t) == name) return t;
  return -1;
}

function width(t: i32): usize {
  return t == T_INT64 || t == T_FLOAT64 ? 8 : t == T_BOOL ? 0 : 4;
}

/** Descriptor size: 8 i32 fields, see batch_column in index.ts. */
export const DESCRIPTOR_BYTES: usize = 32;

export class Column {
  name: ByteBuf;
  capRows: i32 = 0;
  values: usize = 0;
  validity: usize = 0;
  offsets: usize = 0;
  data: ByteBuf = new ByteBuf(1024);
  rows: i32 = 0;
  nulls: i32 = 0;
  /** Whether the current line gave this column a value (missing keys become null). */
  seen: bool = false;
  desc: usize = heap.alloc(DESCRIPTOR_BYTES);

  constructor(name: ByteBuf, public type: i32, public nullable: bool) {
    this.name = name;
  }

  /** Starts a batch of at most `maxRows` rows. */
  begin(maxRows: i32): void {
    if (maxRows > this.capRows) {
      const n = <usize>maxRows;
      const bits = (n + 7) >> 3;
      this.validity = heap.alloc(bits);
      if (this.type == T_UTF8) this.offsets = heap.alloc((n + 1) << 2);
      else this.values = heap.alloc(this.type == T_BOOL ? bits : n * width(this.type));
      this.capRows = maxRows;
    }
    const bits = (<usize>maxRows + 7) >> 3;
    memory.fill(this.validity, 0, bits);
    if (this.type == T_BOOL) memory.fill(this.values, 0, bits);
    if (this.type == T_UTF8) store<i32>(this.offsets, 0);
    this.rows = 0;
    this.nulls = 0;
    this.data.reset();
  }

  @inline private valid(): void {
    const p = this.validity + (<usize>this.rows >> 3);
    store<u8>(p, load<u8>(p) | (<u8>1 << (<u8>this.rows & 7)));
  }

  appendNull(): void {
    // Validity stays 0; fixed-width values keep whatever bytes were there (Arrow allows it),
    // utf8 repeats the previous offset (an empty slot).
    if (this.type == T_UTF8) store<i32>(this.offsets + ((<usize>this.rows + 1) << 2), <i32>this.data.len);
    this.nulls++;
    this.rows++;
  }

  appendBool(v: bool): void {
    if (v) {
      const p = this.values + (<usize>this.rows >> 3);
      store<u8>(p, load<u8>(p) | (<u8>1 << (<u8>this.rows & 7)));
    }
    this.valid();
    this.rows++;
  }

  appendI32(v: i32): void {
    store<i32>(this.values + (<usize>this.rows << 2), v);
    this.valid();
    this.rows++;
  }

  appendI64(v: i64): void {
    store<i64>(this.values + (<usize>this.rows << 3), v);
    this.valid();
    this.rows++;
  }

  appendF64(v: f64): void {
    store<f64>(this.values + (<usize>this.rows << 3), v);
    this.valid();
    this.rows++;
  }

  /** Ends a utf8 value whose bytes were already pushed onto `data`. */
  endString(): void {
    store<i32>(this.offsets + ((<usize>this.rows + 1) << 2), <i32>this.data.len);
    this.valid();
    this.rows++;
  }

  /** Fills and returns the descriptor the host reads (batch_column). */
  describe(): usize {
    const d = this.desc;
    store<i32>(d, this.type);
    store<i32>(d, this.rows, 4);
    store<i32>(d, this.nulls, 8);
    store<i32>(d, <i32>this.values, 12);
    store<i32>(d, <i32>this.validity, 16);
    store<i32>(d, <i32>this.offsets, 20);
    store<i32>(d, <i32>this.data.ptr, 24);
    store<i32>(d, <i32>this.data.len, 28);
    return d;
  }
}
