/**
 * Brings a column decoded by parquet-wasm to the Arrow type of its logical type: the common
 * cases (Int32, Int64, Float64, DateDay, Utf8, Bool) pass through without a copy; narrow ints,
 * Float32, Decimal, LargeUtf8, Dictionary<Utf8> and Date64 are converted (and counted as copied).
 */
import { makeData, Type, type Data, type DataType as ArrowDataType } from 'apache-arrow';
import { ExecutionError } from '@pushdown/proto';
import type { DataType } from '../plan/types.js';
import { arrowTypeOf } from './arrow-schema.js';

export interface Normalized {
  readonly data: Data;
  readonly copiedBytes: number;
}

// Arrow type ids of what already is the target layout.
const SAME: Record<DataType, number> = {
  bool: Type.Bool,
  int32: Type.Int,
  int64: Type.Int,
  float64: Type.Float,
  date32: Type.Date,
  utf8: Type.Utf8,
};

export function normalizeColumn(src: Data, target: DataType, column: string): Normalized {
  const t = src.type as ArrowDataType & {
    bitWidth?: number;
    isSigned?: boolean;
    precision?: number;
    unit?: number;
  };
  if (src.typeId === SAME[target] && sameLayout(src, target)) return { data: src, copiedBytes: 0 };
  const type = arrowTypeOf(target);
  const base = nullsOf(src);
  const n = src.length;
  const at = (i: number): unknown => (src as unknown as { values: ArrayLike<unknown> }).values[i];
  switch (target) {
    case 'float64': {
      const out = new Float64Array(n);
      if (src.typeId === Type.Decimal) fillDecimal(src, out);
      else for (let i = 0; i < n; i++) out[i] = Number(at(i));
      return {
        data: makeData({ type: type as never, ...base, data: out } as never),
        copiedBytes: out.byteLength,
      };
    }
    case 'int32': {
      if (src.typeId !== Type.Int) break;
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(at(i));
      return {
        data: makeData({ type: type as never, ...base, data: out } as never),
        copiedBytes: out.byteLength,
      };
    }
    case 'int64': {
      if (src.typeId !== Type.Int) break;
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = BigInt(at(i) as number | bigint);
      return {
        data: makeData({ type: type as never, ...base, data: out } as never),
        copiedBytes: out.byteLength,
      };
    }
    case 'date32': {
      if (src.typeId !== Type.Date) break;
      // Date64 (milliseconds): days since the epoch.
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(Number(at(i)) / 86_400_000);
      return {
        data: makeData({ type: type as never, ...base, data: out } as never),
        copiedBytes: out.byteLength,
      };
    }
    case 'utf8':
      return utf8Of(src);
    case 'bool':
      break;
  }
  throw new ExecutionError(`column ${column}: cannot read Arrow type ${String(t)} as ${target}`);
}

function sameLayout(src: Data, target: DataType): boolean {
  const t = src.type as { bitWidth?: number; isSigned?: boolean; precision?: number; unit?: number };
  switch (target) {
    case 'int32':
      return t.bitWidth === 32 && t.isSigned === true;
    case 'int64':
      return t.bitWidth === 64 && t.isSigned === true;
    case 'float64':
      return t.precision === 2; // Precision.DOUBLE
    case 'date32':
      return t.unit === 0; // DateUnit.DAY
    default:
      return true;
  }
}

/**
 * Length, null count and a validity bitmap that starts at the column's first row. (apache-arrow
 * slices value buffers when it slices Data; only the bitmap keeps `offset`.)
 */
function nullsOf(src: Data): { length: number; nullCount: number; nullBitmap?: Uint8Array } {
  const { length, nullCount, nullBitmap, offset } = src;
  if (nullCount <= 0 || !nullBitmap) return { length, nullCount: 0 };
  if (offset % 8 === 0)
    return { length, nullCount, nullBitmap: nullBitmap.subarray(offset >> 3, (offset + length + 7) >> 3) };
  const out = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) if (isValid(src, i)) out[i >> 3]! |= 1 << (i & 7);
  return { length, nullCount, nullBitmap: out };
}

/** Decimal128 (4 × u32 per value, little-endian two's complement) → unscaled / 10^scale. */
function fillDecimal(src: Data, out: Float64Array): void {
  const words = (src as unknown as { values: Uint32Array }).values;
  const scale = (src.type as unknown as { scale: number }).scale;
  const stride = ((src.type as unknown as { bitWidth?: number }).bitWidth ?? 128) / 32;
  const p = 10 ** scale;
  for (let i = 0; i < out.length; i++) {
    const o = i * stride;
    const w0 = words[o]!;
    const w1 = words[o + 1]!;
    const ext = (w1 | 0) < 0 ? 0xffffffff : 0;
    let fits = true;
    for (let k = 2; k < stride; k++) if (words[o + k] !== ext) fits = false;
    let v: number;
    if (fits && Math.abs(w1 | 0) < 0x200000) v = (w1 | 0) * 4294967296 + w0;
    else {
      let big = 0n;
      for (let k = stride - 1; k >= 0; k--) big = (big << 32n) | BigInt(words[o + k]!);
      v = Number(BigInt.asIntN(stride * 32, big));
    }
    out[i] = v / p;
  }
}

function utf8Of(src: Data): Normalized {
  const n = src.length;
  if (src.typeId === Type.Dictionary) {
    const dict = (src as unknown as { dictionary: { data: Data[] } }).dictionary.data[0];
    if (!dict) throw new ExecutionError('dictionary column without a dictionary');
    const d = utf8Of(dict).data;
    const dOff = d.valueOffsets as Int32Array;
    const dBytes = d.values as Uint8Array;
    const keys = (src as unknown as { values: ArrayLike<number | bigint> }).values;
    const valid = (i: number): boolean => src.nullCount === 0 || isValid(src, i);
    let total = 0;
    for (let i = 0; i < n; i++) if (valid(i)) total += dOff[Number(keys[i]) + 1]! - dOff[Number(keys[i])]!;
    const offsets = new Int32Array(n + 1);
    const bytes = new Uint8Array(total);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      if (valid(i)) {
        const k = Number(keys[i]);
        const a = dOff[k]!;
        const b = dOff[k + 1]!;
        bytes.set(dBytes.subarray(a, b), pos);
        pos += b - a;
      }
      offsets[i + 1] = pos;
    }
    return {
      data: makeData({
        type: arrowTypeOf('utf8') as never,
        ...nullsOf(src),
        valueOffsets: offsets,
        data: bytes,
      }),
      copiedBytes: offsets.byteLength + bytes.byteLength,
    };
  }
  if (src.typeId === Type.LargeUtf8 || src.typeId === Type.Utf8) {
    const off = src.valueOffsets as ArrayLike<number | bigint>;
    const start = Number(off[0]);
    const end = Number(off[n]);
    if (end - start > 0x7fffffff) throw new ExecutionError('a string column batch is over 2 GiB');
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i <= n; i++) offsets[i] = Number(off[i]) - start;
    const bytes = (src.values as Uint8Array).slice(start, end);
    return {
      data: makeData({
        type: arrowTypeOf('utf8') as never,
        ...nullsOf(src),
        valueOffsets: offsets,
        data: bytes,
      }),
      copiedBytes: offsets.byteLength + bytes.byteLength,
    };
  }
  throw new ExecutionError(`cannot read Arrow type ${String(src.type)} as utf8`);
}

function isValid(d: Data, i: number): boolean {
  const j = d.offset + i;
  return ((d.nullBitmap![j >> 3]! >> (j & 7)) & 1) === 1;
}
