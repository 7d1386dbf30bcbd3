// Pushdown filter operator: comparison kernels that produce byte masks, and the mask algebra
// (SQL three-valued AND/OR/NOT, Arrow bitmap <-> mask, selection vectors).
//
// ABI (see engine/src/wasm/abi.ts): memory is imported (env.memory) and every pointer is a byte
// offset into it. A mask has one byte per row, 0x00 (false) or 0xFF (true): SIMD comparisons
// produce all-ones lanes, narrowing keeps them, and other kernels widen them by sign extension.
// Comparison op codes: 0 =, 1 <>, 2 <, 3 <=, 4 >, 5 >=.

export const ABI_VERSION: i32 = 1;

const EQ = 0;
const NE = 1;
const LT = 2;
const LE = 3;
const GT = 4;

// The comparison is a type parameter (EQ i8, NE u8, LT i16, LE u16, GT i32, GE u32) so each
// instantiation is compiled with exactly one compare instruction: with a runtime `op`, binaryen
// folds the six per-op loops back into one that evaluates every compare per vector.
type TEq = i8;
type TNe = u8;
type TLt = i16;
type TLe = u16;
type TGt = i32;
type TGe = u32;

@inline function opOf<T>(): i32 {
  if (sizeof<T>() == 1) return isSigned<T>() ? EQ : NE;
  if (sizeof<T>() == 2) return isSigned<T>() ? LT : LE;
  return isSigned<T>() ? GT : 5;
}

// ---- packing comparison lanes into 16 mask bytes ----

@inline function pack64(c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128, c6: v128, c7: v128): v128 {
  const a = i32x4.shuffle(c0, c1, 0, 2, 4, 6);
  const b = i32x4.shuffle(c2, c3, 0, 2, 4, 6);
  const c = i32x4.shuffle(c4, c5, 0, 2, 4, 6);
  const d = i32x4.shuffle(c6, c7, 0, 2, 4, 6);
  return i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d));
}

@inline function pack32(c0: v128, c1: v128, c2: v128, c3: v128): v128 {
  return i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(c0, c1), i16x8.narrow_i32x4_s(c2, c3));
}

@inline function test(op: i32, c: i32): bool {
  if (op == EQ) return c == 0;
  if (op == NE) return c != 0;
  if (op == LT) return c < 0;
  if (op == LE) return c <= 0;
  if (op == GT) return c > 0;
  return c >= 0;
}

@inline function b2m(b: bool): u8 {
  return b ? 0xff : 0;
}

// ---- float64 ----

@inline function vF64<T>(a: v128, b: v128): v128 {
  const op = opOf<T>();
  if (op == EQ) return f64x2.eq(a, b);
  if (op == NE) return f64x2.ne(a, b);
  if (op == LT) return f64x2.lt(a, b);
  if (op == LE) return f64x2.le(a, b);
  if (op == GT) return f64x2.gt(a, b);
  return f64x2.ge(a, b);
}

@inline function sF64(op: i32, a: f64, b: f64): bool {
  return test(op, a < b ? -1 : a > b ? 1 : a == b ? 0 : 2);
}

function loopF64<T, S>(a: usize, b: usize, s: f64, n: i32, out: usize): void {
  const op = opOf<T>();
  const scalar = sizeof<S>() == 1; // S = u8: b is the scalar s; S = u16: b is a column
  const vs = f64x2.splat(s);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const pa = a + (<usize>i << 3);
    const pb = b + (<usize>i << 3);
    const c0 = vF64<T>(v128.load(pa), scalar ? vs : v128.load(pb));
    const c1 = vF64<T>(v128.load(pa, 16), scalar ? vs : v128.load(pb, 16));
    const c2 = vF64<T>(v128.load(pa, 32), scalar ? vs : v128.load(pb, 32));
    const c3 = vF64<T>(v128.load(pa, 48), scalar ? vs : v128.load(pb, 48));
    const c4 = vF64<T>(v128.load(pa, 64), scalar ? vs : v128.load(pb, 64));
    const c5 = vF64<T>(v128.load(pa, 80), scalar ? vs : v128.load(pb, 80));
    const c6 = vF64<T>(v128.load(pa, 96), scalar ? vs : v128.load(pb, 96));
    const c7 = vF64<T>(v128.load(pa, 112), scalar ? vs : v128.load(pb, 112));
    v128.store(out + i, pack64(c0, c1, c2, c3, c4, c5, c6, c7));
  }
  for (; i < n; i++) {
    const x = load<f64>(a + (<usize>i << 3));
    const y = scalar ? s : load<f64>(b + (<usize>i << 3));
    store<u8>(out + i, b2m(sF64(op, x, y)));
  }
}

/** out[i] = a[i] op b[i] over float64 columns. */
export function cmp_f64(op: i32, a: usize, b: usize, n: i32, out: usize): void {
  if (op == EQ) loopF64<TEq, u16>(a, b, 0, n, out);
  else if (op == NE) loopF64<TNe, u16>(a, b, 0, n, out);
  else if (op == LT) loopF64<TLt, u16>(a, b, 0, n, out);
  else if (op == LE) loopF64<TLe, u16>(a, b, 0, n, out);
  else if (op == GT) loopF64<TGt, u16>(a, b, 0, n, out);
  else loopF64<TGe, u16>(a, b, 0, n, out);
}

/** out[i] = a[i] op s. */
export function cmp_f64_s(op: i32, a: usize, s: f64, n: i32, out: usize): void {
  if (op == EQ) loopF64<TEq, u8>(a, 0, s, n, out);
  else if (op == NE) loopF64<TNe, u8>(a, 0, s, n, out);
  else if (op == LT) loopF64<TLt, u8>(a, 0, s, n, out);
  else if (op == LE) loopF64<TLe, u8>(a, 0, s, n, out);
  else if (op == GT) loopF64<TGt, u8>(a, 0, s, n, out);
  else loopF64<TGe, u8>(a, 0, s, n, out);
}

// ---- int64 ----

@inline function vI64<T>(a: v128, b: v128): v128 {
  const op = opOf<T>();
  if (op == EQ) return i64x2.eq(a, b);
  if (op == NE) return i64x2.ne(a, b);
  if (op == LT) return i64x2.lt_s(a, b);
  if (op == LE) return i64x2.le_s(a, b);
  if (op == GT) return i64x2.gt_s(a, b);
  return i64x2.ge_s(a, b);
}

function loopI64<T, S>(a: usize, b: usize, s: i64, n: i32, out: usize): void {
  const op = opOf<T>();
  const scalar = sizeof<S>() == 1; // S = u8: b is the scalar s; S = u16: b is a column
  const vs = i64x2.splat(s);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const pa = a + (<usize>i << 3);
    const pb = b + (<usize>i << 3);
    const c0 = vI64<T>(v128.load(pa), scalar ? vs : v128.load(pb));
    const c1 = vI64<T>(v128.load(pa, 16), scalar ? vs : v128.load(pb, 16));
    const c2 = vI64<T>(v128.load(pa, 32), scalar ? vs : v128.load(pb, 32));
    const c3 = vI64<T>(v128.load(pa, 48), scalar ? vs : v128.load(pb, 48));
    const c4 = vI64<T>(v128.load(pa, 64), scalar ? vs : v128.load(pb, 64));
    const c5 = vI64<T>(v128.load(pa, 80), scalar ? vs : v128.load(pb, 80));
    const c6 = vI64<T>(v128.load(pa, 96), scalar ? vs : v128.load(pb, 96));
    const c7 = vI64<T>(v128.load(pa, 112), scalar ? vs : v128.load(pb, 112));
    v128.store(out + i, pack64(c0, c1, c2, c3, c4, c5, c6, c7));
  }
  for (; i < n; i++) {
    const x = load<i64>(a + (<usize>i << 3));
    const y = scalar ? s : load<i64>(b + (<usize>i << 3));
    store<u8>(out + i, b2m(test(op, x < y ? -1 : x > y ? 1 : 0)));
  }
}

export function cmp_i64(op: i32, a: usize, b: usize, n: i32, out: usize): void {
  if (op == EQ) loopI64<TEq, u16>(a, b, 0, n, out);
  else if (op == NE) loopI64<TNe, u16>(a, b, 0, n, out);
  else if (op == LT) loopI64<TLt, u16>(a, b, 0, n, out);
  else if (op == LE) loopI64<TLe, u16>(a, b, 0, n, out);
  else if (op == GT) loopI64<TGt, u16>(a, b, 0, n, out);
  else loopI64<TGe, u16>(a, b, 0, n, out);
}

export function cmp_i64_s(op: i32, a: usize, s: i64, n: i32, out: usize): void {
  if (op == EQ) loopI64<TEq, u8>(a, 0, s, n, out);
  else if (op == NE) loopI64<TNe, u8>(a, 0, s, n, out);
  else if (op == LT) loopI64<TLt, u8>(a, 0, s, n, out);
  else if (op == LE) loopI64<TLe, u8>(a, 0, s, n, out);
  else if (op == GT) loopI64<TGt, u8>(a, 0, s, n, out);
  else loopI64<TGe, u8>(a, 0, s, n, out);
}

// ---- int32 and date32 ----

@inline function vI32<T>(a: v128, b: v128): v128 {
  const op = opOf<T>();
  if (op == EQ) return i32x4.eq(a, b);
  if (op == NE) return i32x4.ne(a, b);
  if (op == LT) return i32x4.lt_s(a, b);
  if (op == LE) return i32x4.le_s(a, b);
  if (op == GT) return i32x4.gt_s(a, b);
  return i32x4.ge_s(a, b);
}

function loopI32<T, S>(a: usize, b: usize, s: i32, n: i32, out: usize): void {
  const op = opOf<T>();
  const scalar = sizeof<S>() == 1; // S = u8: b is the scalar s; S = u16: b is a column
  const vs = i32x4.splat(s);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const pa = a + (<usize>i << 2);
    const pb = b + (<usize>i << 2);
    const c0 = vI32<T>(v128.load(pa), scalar ? vs : v128.load(pb));
    const c1 = vI32<T>(v128.load(pa, 16), scalar ? vs : v128.load(pb, 16));
    const c2 = vI32<T>(v128.load(pa, 32), scalar ? vs : v128.load(pb, 32));
    const c3 = vI32<T>(v128.load(pa, 48), scalar ? vs : v128.load(pb, 48));
    v128.store(out + i, pack32(c0, c1, c2, c3));
  }
  for (; i < n; i++) {
    const x = load<i32>(a + (<usize>i << 2));
    const y = scalar ? s : load<i32>(b + (<usize>i << 2));
    store<u8>(out + i, b2m(test(op, x < y ? -1 : x > y ? 1 : 0)));
  }
}

export function cmp_i32(op: i32, a: usize, b: usize, n: i32, out: usize): void {
  if (op == EQ) loopI32<TEq, u16>(a, b, 0, n, out);
  else if (op == NE) loopI32<TNe, u16>(a, b, 0, n, out);
  else if (op == LT) loopI32<TLt, u16>(a, b, 0, n, out);
  else if (op == LE) loopI32<TLe, u16>(a, b, 0, n, out);
  else if (op == GT) loopI32<TGt, u16>(a, b, 0, n, out);
  else loopI32<TGe, u16>(a, b, 0, n, out);
}

export function cmp_i32_s(op: i32, a: usize, s: i32, n: i32, out: usize): void {
  if (op == EQ) loopI32<TEq, u8>(a, 0, s, n, out);
  else if (op == NE) loopI32<TNe, u8>(a, 0, s, n, out);
  else if (op == LT) loopI32<TLt, u8>(a, 0, s, n, out);
  else if (op == LE) loopI32<TLe, u8>(a, 0, s, n, out);
  else if (op == GT) loopI32<TGt, u8>(a, 0, s, n, out);
  else loopI32<TGe, u8>(a, 0, s, n, out);
}

// ---- utf8 (Arrow offsets + data; bytewise order, then length) ----

@inline function compareBytes(p: usize, pl: i32, q: usize, ql: i32): i32 {
  const m = pl < ql ? pl : ql;
  for (let k = 0; k < m; k++) {
    const x = load<u8>(p + k);
    const y = load<u8>(q + k);
    if (x != y) return x < y ? -1 : 1;
  }
  return pl < ql ? -1 : pl > ql ? 1 : 0;
}

/** out[i] = str(a, i) op s, where s is `sl` bytes at `s`. `data` is the base the offsets index. */
export function cmp_utf8_s(op: i32, offs: usize, data: usize, s: usize, sl: i32, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const st = load<i32>(offs + (<usize>i << 2));
    const len = load<i32>(offs + (<usize>i << 2), 4) - st;
    let c: i32;
    if (op <= NE && len != sl) c = 1;
    else c = compareBytes(data + <usize>st, len, s, sl);
    store<u8>(out + i, b2m(test(op, c)));
  }
}

export function cmp_utf8(op: i32, offsA: usize, dataA: usize, offsB: usize, dataB: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const sa = load<i32>(offsA + (<usize>i << 2));
    const la = load<i32>(offsA + (<usize>i << 2), 4) - sa;
    const sb = load<i32>(offsB + (<usize>i << 2));
    const lb = load<i32>(offsB + (<usize>i << 2), 4) - sb;
    const c = compareBytes(dataA + <usize>sa, la, dataB + <usize>sb, lb);
    store<u8>(out + i, b2m(test(op, c)));
  }
}

/** LIKE 'prefix%': out[i] = str(a, i) starts with the `pl` bytes at `p`. */
export function like_prefix(offs: usize, data: usize, p: usize, pl: i32, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const st = load<i32>(offs + (<usize>i << 2));
    const len = load<i32>(offs + (<usize>i << 2), 4) - st;
    let ok = len >= pl;
    if (ok) {
      const q = data + <usize>st;
      for (let k = 0; k < pl; k++) {
        if (load<u8>(q + k) != load<u8>(p + k)) {
          ok = false;
          break;
        }
      }
    }
    store<u8>(out + i, b2m(ok));
  }
}

export * from './masks';
