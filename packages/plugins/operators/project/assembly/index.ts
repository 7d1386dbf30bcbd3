// Pushdown project operator: arithmetic and numeric conversion kernels over Arrow value buffers.
//
// ABI (see engine/src/wasm/abi.ts): memory is imported (env.memory); pointers are byte offsets.
// Arithmetic op codes: 0 +, 1 -, 2 *, 3 /. Nulls are the host's business: it combines validity
// masks, so kernels compute every row (a NULL row's value is garbage the host never reads).
// `rev` = 1 computes `s op a[i]` instead of `a[i] op s` (a literal on the left).

export const ABI_VERSION: i32 = 1;

const ADD = 0;
const SUB = 1;
const MUL = 2;

// The op (ADD i8, SUB u8, MUL i16, DIV u16) and the operand mode (M0 columns, M1 column op
// scalar, M2 scalar op column) are type parameters, so every instantiation holds one arithmetic
// instruction; with runtime values binaryen merges the loops and tests the op per vector.
type TAdd = i8;
type TSub = u8;
type TMul = i16;
type TDiv = u16;
type M0 = i8;
type M1 = i16;
type M2 = i32;

@inline function opOf<T>(): i32 {
  if (sizeof<T>() == 1) return isSigned<T>() ? ADD : SUB;
  return isSigned<T>() ? MUL : 3;
}

@inline function modeOf<M>(): i32 {
  return sizeof<M>() == 1 ? 0 : sizeof<M>() == 2 ? 1 : 2;
}

@inline function vF64<T>(a: v128, b: v128): v128 {
  const op = opOf<T>();
  if (op == ADD) return f64x2.add(a, b);
  if (op == SUB) return f64x2.sub(a, b);
  if (op == MUL) return f64x2.mul(a, b);
  return f64x2.div(a, b);
}

@inline function sF64<T>(a: f64, b: f64): f64 {
  const op = opOf<T>();
  if (op == ADD) return a + b;
  if (op == SUB) return a - b;
  if (op == MUL) return a * b;
  return a / b;
}

// mode 0: a op b (columns), 1: a op s, 2: s op a
function loopF64<T, M>(a: usize, b: usize, s: f64, n: i32, out: usize): void {
  const mode = modeOf<M>();
  const vs = f64x2.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 3;
    const x0 = v128.load(a + p);
    const x1 = v128.load(a + p, 16);
    let r0: v128, r1: v128;
    if (mode == 0) {
      r0 = vF64<T>(x0, v128.load(b + p));
      r1 = vF64<T>(x1, v128.load(b + p, 16));
    } else if (mode == 1) {
      r0 = vF64<T>(x0, vs);
      r1 = vF64<T>(x1, vs);
    } else {
      r0 = vF64<T>(vs, x0);
      r1 = vF64<T>(vs, x1);
    }
    v128.store(out + p, r0);
    v128.store(out + p, r1, 16);
  }
  for (; i < n; i++) {
    const p = <usize>i << 3;
    const x = load<f64>(a + p);
    const r = mode == 0 ? sF64<T>(x, load<f64>(b + p)) : mode == 1 ? sF64<T>(x, s) : sF64<T>(s, x);
    store<f64>(out + p, r);
  }
}

@inline function dispatchF64<M>(op: i32, a: usize, b: usize, s: f64, n: i32, out: usize): void {
  if (op == ADD) loopF64<TAdd, M>(a, b, s, n, out);
  else if (op == SUB) loopF64<TSub, M>(a, b, s, n, out);
  else if (op == MUL) loopF64<TMul, M>(a, b, s, n, out);
  else loopF64<TDiv, M>(a, b, s, n, out);
}

/** out[i] = a[i] op b[i] (float64). */
export function arith_f64(op: i32, a: usize, b: usize, n: i32, out: usize): void {
  dispatchF64<M0>(op, a, b, 0, n, out);
}

/** out[i] = a[i] op s, or s op a[i] when rev. */
export function arith_f64_s(op: i32, a: usize, s: f64, rev: i32, n: i32, out: usize): void {
  if (rev) dispatchF64<M2>(op, a, 0, s, n, out);
  else dispatchF64<M1>(op, a, 0, s, n, out);
}

@inline function vI64<T>(a: v128, b: v128): v128 {
  const op = opOf<T>();
  if (op == ADD) return i64x2.add(a, b);
  if (op == SUB) return i64x2.sub(a, b);
  return i64x2.mul(a, b);
}

@inline function sI64<T>(a: i64, b: i64): i64 {
  const op = opOf<T>();
  if (op == ADD) return a + b;
  if (op == SUB) return a - b;
  return a * b;
}

function loopI64<T, M>(a: usize, b: usize, s: i64, n: i32, out: usize): void {
  const mode = modeOf<M>();
  const vs = i64x2.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 3;
    const x0 = v128.load(a + p);
    const x1 = v128.load(a + p, 16);
    let r0: v128, r1: v128;
    if (mode == 0) {
      r0 = vI64<T>(x0, v128.load(b + p));
      r1 = vI64<T>(x1, v128.load(b + p, 16));
    } else if (mode == 1) {
      r0 = vI64<T>(x0, vs);
      r1 = vI64<T>(x1, vs);
    } else {
      r0 = vI64<T>(vs, x0);
      r1 = vI64<T>(vs, x1);
    }
    v128.store(out + p, r0);
    v128.store(out + p, r1, 16);
  }
  for (; i < n; i++) {
    const p = <usize>i << 3;
    const x = load<i64>(a + p);
    const r = mode == 0 ? sI64<T>(x, load<i64>(b + p)) : mode == 1 ? sI64<T>(x, s) : sI64<T>(s, x);
    store<i64>(out + p, r);
  }
}

@inline function dispatchI64<M>(op: i32, a: usize, b: usize, s: i64, n: i32, out: usize): void {
  if (op == ADD) loopI64<TAdd, M>(a, b, s, n, out);
  else if (op == SUB) loopI64<TSub, M>(a, b, s, n, out);
  else loopI64<TMul, M>(a, b, s, n, out);
}

/** out[i] = a[i] op b[i] (int64, wrapping; op is +, - or *). */
export function arith_i64(op: i32, a: usize, b: usize, n: i32, out: usize): void {
  dispatchI64<M0>(op, a, b, 0, n, out);
}

export function arith_i64_s(op: i32, a: usize, s: i64, rev: i32, n: i32, out: usize): void {
  if (rev) dispatchI64<M2>(op, a, 0, s, n, out);
  else dispatchI64<M1>(op, a, 0, s, n, out);
}

// ---- conversions (widening casts used for type coercion) ----

export function i32_to_f64(a: usize, n: i32, out: usize): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    v128.store(out + (<usize>i << 3), f64x2.convert_low_i32x4_s(v128.load64_zero(a + (<usize>i << 2))));
  }
  for (; i < n; i++) store<f64>(out + (<usize>i << 3), <f64>load<i32>(a + (<usize>i << 2)));
}

export function i32_to_i64(a: usize, n: i32, out: usize): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    v128.store(out + (<usize>i << 3), i64x2.extend_low_i32x4_s(v128.load64_zero(a + (<usize>i << 2))));
  }
  for (; i < n; i++) store<i64>(out + (<usize>i << 3), <i64>load<i32>(a + (<usize>i << 2)));
}

export function i64_to_f64(a: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), <f64>load<i64>(a + (<usize>i << 3)));
}

/** out[i] = 0xFF when a[i] != 0 (float64): the rows where a division is defined. */
export function nonzero_f64(a: usize, n: i32, out: usize): void {
  const z = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const c = i64x2.bitmask(f64x2.ne(v128.load(a + (<usize>i << 3)), z));
    store<u16>(out + i, ((c & 1) ? 0xff : 0) | ((c & 2) ? 0xff00 : 0));
  }
  for (; i < n; i++) store<u8>(out + i, load<f64>(a + (<usize>i << 3)) != 0 ? 0xff : 0);
}
