// Pushdown aggregate operator: masked global aggregates (SIMD), grouped aggregates over dense
// group ids, and the dictionary kernels that turn group keys into dense ids.
//
// ABI (see engine/src/wasm/abi.ts): memory is imported (env.memory); pointers are byte offsets.
// `mask` is a byte mask (0x00/0xFF per row) of the rows that count (filter AND argument
// validity), or 0 for "every row". Group ids are i32 per row; accumulators are arrays indexed by
// id that the host initialises (0 for sums and counts, +/-inf or int extremes for min/max).

export const ABI_VERSION: i32 = 1;

export * from './dict';

// ---- global aggregates ----

/** Sum of the rows of a float64 column selected by mask (0 = all). */
export function sum_f64(vals: usize, mask: usize, n: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let i = 0;
  if (mask == 0) {
    for (; i + 4 <= n; i += 4) {
      const p = vals + (<usize>i << 3);
      a0 = f64x2.add(a0, v128.load(p));
      a1 = f64x2.add(a1, v128.load(p, 16));
    }
  } else {
    for (; i + 16 <= n; i += 16) {
      const m = v128.load(mask + i);
      const lo = i16x8.extend_low_i8x16_s(m);
      const hi = i16x8.extend_high_i8x16_s(m);
      const q0 = i32x4.extend_low_i16x8_s(lo);
      const q1 = i32x4.extend_high_i16x8_s(lo);
      const q2 = i32x4.extend_low_i16x8_s(hi);
      const q3 = i32x4.extend_high_i16x8_s(hi);
      const p = vals + (<usize>i << 3);
      a0 = f64x2.add(a0, v128.and(v128.load(p), i64x2.extend_low_i32x4_s(q0)));
      a1 = f64x2.add(a1, v128.and(v128.load(p, 16), i64x2.extend_high_i32x4_s(q0)));
      a0 = f64x2.add(a0, v128.and(v128.load(p, 32), i64x2.extend_low_i32x4_s(q1)));
      a1 = f64x2.add(a1, v128.and(v128.load(p, 48), i64x2.extend_high_i32x4_s(q1)));
      a0 = f64x2.add(a0, v128.and(v128.load(p, 64), i64x2.extend_low_i32x4_s(q2)));
      a1 = f64x2.add(a1, v128.and(v128.load(p, 80), i64x2.extend_high_i32x4_s(q2)));
      a0 = f64x2.add(a0, v128.and(v128.load(p, 96), i64x2.extend_low_i32x4_s(q3)));
      a1 = f64x2.add(a1, v128.and(v128.load(p, 112), i64x2.extend_high_i32x4_s(q3)));
    }
  }
  const s = f64x2.add(a0, a1);
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) {
    if (mask == 0 || load<u8>(mask + i)) r += load<f64>(vals + (<usize>i << 3));
  }
  return r;
}

export function sum_i64(vals: usize, mask: usize, n: i32): i64 {
  let acc = i64x2.splat(0);
  let i = 0;
  if (mask == 0) {
    for (; i + 2 <= n; i += 2) acc = i64x2.add(acc, v128.load(vals + (<usize>i << 3)));
  } else {
    for (; i + 2 <= n; i += 2) {
      const m = i64x2.extend_low_i32x4_s(i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(i16x8.splat(load<u16>(mask + i)))));
      acc = i64x2.add(acc, v128.and(v128.load(vals + (<usize>i << 3)), m));
    }
  }
  let r = i64x2.extract_lane(acc, 0) + i64x2.extract_lane(acc, 1);
  for (; i < n; i++) if (mask == 0 || load<u8>(mask + i)) r += load<i64>(vals + (<usize>i << 3));
  return r;
}

export function sum_i32(vals: usize, mask: usize, n: i32): i64 {
  let acc = i64x2.splat(0);
  let i = 0;
  if (mask == 0) {
    for (; i + 2 <= n; i += 2) acc = i64x2.add(acc, i64x2.extend_low_i32x4_s(v128.load64_zero(vals + (<usize>i << 2))));
  } else {
    for (; i + 2 <= n; i += 2) {
      const m = i64x2.extend_low_i32x4_s(i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(i16x8.splat(load<u16>(mask + i)))));
      acc = i64x2.add(acc, v128.and(i64x2.extend_low_i32x4_s(v128.load64_zero(vals + (<usize>i << 2))), m));
    }
  }
  let r = i64x2.extract_lane(acc, 0) + i64x2.extract_lane(acc, 1);
  for (; i < n; i++) if (mask == 0 || load<u8>(mask + i)) r += <i64>load<i32>(vals + (<usize>i << 2));
  return r;
}

@inline function on(mask: usize, i: i32): bool {
  return mask == 0 || load<u8>(mask + i) != 0;
}

export function min_f64(vals: usize, mask: usize, n: i32): f64 {
  let r = Infinity;
  for (let i = 0; i < n; i++) if (on(mask, i)) r = min(r, load<f64>(vals + (<usize>i << 3)));
  return r;
}

export function max_f64(vals: usize, mask: usize, n: i32): f64 {
  let r = -Infinity;
  for (let i = 0; i < n; i++) if (on(mask, i)) r = max(r, load<f64>(vals + (<usize>i << 3)));
  return r;
}

export function min_i64(vals: usize, mask: usize, n: i32): i64 {
  let r = i64.MAX_VALUE;
  for (let i = 0; i < n; i++) {
    const v = load<i64>(vals + (<usize>i << 3));
    if (on(mask, i) && v < r) r = v;
  }
  return r;
}

export function max_i64(vals: usize, mask: usize, n: i32): i64 {
  let r = i64.MIN_VALUE;
  for (let i = 0; i < n; i++) {
    const v = load<i64>(vals + (<usize>i << 3));
    if (on(mask, i) && v > r) r = v;
  }
  return r;
}

export function min_i32(vals: usize, mask: usize, n: i32): i32 {
  let r = i32.MAX_VALUE;
  for (let i = 0; i < n; i++) {
    const v = load<i32>(vals + (<usize>i << 2));
    if (on(mask, i) && v < r) r = v;
  }
  return r;
}

export function max_i32(vals: usize, mask: usize, n: i32): i32 {
  let r = i32.MIN_VALUE;
  for (let i = 0; i < n; i++) {
    const v = load<i32>(vals + (<usize>i << 2));
    if (on(mask, i) && v > r) r = v;
  }
  return r;
}

// ---- grouped aggregates (ids: i32 per row) ----

@inline function id(ids: usize, i: i32): usize {
  return <usize>load<i32>(ids + (<usize>i << 2));
}

// Sums and counts add into COPIES interleaved accumulator copies (row i into copy i % COPIES,
// each `card` slots long): with few groups consecutive rows hit the same slot, and one copy
// would serialise every add through store-to-load forwarding. The host adds the copies up.
const COPIES = 4;

@inline function slot(acc: usize, card: i32, ids: usize, i: i32): usize {
  return acc + ((<usize>(i & (COPIES - 1)) * <usize>card + id(ids, i)) << 3);
}

export function grp_count(ids: usize, mask: usize, n: i32, acc: usize, card: i32): void {
  if (mask == 0) {
    for (let i = 0; i < n; i++) {
      const p = slot(acc, card, ids, i);
      store<i64>(p, load<i64>(p) + 1);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const p = slot(acc, card, ids, i);
      store<i64>(p, load<i64>(p) + <i64>(load<u8>(mask + i) & 1));
    }
  }
}

export function grp_sum_f64(ids: usize, vals: usize, mask: usize, n: i32, acc: usize, card: i32): void {
  for (let i = 0; i < n; i++) {
    const p = slot(acc, card, ids, i);
    const v = load<f64>(vals + (<usize>i << 3));
    store<f64>(p, load<f64>(p) + (on(mask, i) ? v : 0.0));
  }
}

export function grp_sum_i64(ids: usize, vals: usize, mask: usize, n: i32, acc: usize, card: i32): void {
  for (let i = 0; i < n; i++) {
    const p = slot(acc, card, ids, i);
    const v = load<i64>(vals + (<usize>i << 3));
    store<i64>(p, load<i64>(p) + (on(mask, i) ? v : 0));
  }
}

export function grp_sum_i32(ids: usize, vals: usize, mask: usize, n: i32, acc: usize, card: i32): void {
  for (let i = 0; i < n; i++) {
    const p = slot(acc, card, ids, i);
    const v = <i64>load<i32>(vals + (<usize>i << 2));
    store<i64>(p, load<i64>(p) + (on(mask, i) ? v : 0));
  }
}

export function grp_min_f64(ids: usize, vals: usize, mask: usize, n: i32, acc: usize): void {
  for (let i = 0; i < n; i++) {
    const p = acc + (id(ids, i) << 3);
    const v = load<f64>(vals + (<usize>i << 3));
    if (on(mask, i)) store<f64>(p, min(load<f64>(p), v));
  }
}

export function grp_max_f64(ids: usize, vals: usize, mask: usize, n: i32, acc: usize): void {
  for (let i = 0; i < n; i++) {
    const p = acc + (id(ids, i) << 3);
    const v = load<f64>(vals + (<usize>i << 3));
    if (on(mask, i)) store<f64>(p, max(load<f64>(p), v));
  }
}

export function grp_min_i64(ids: usize, vals: usize, mask: usize, n: i32, acc: usize): void {
  for (let i = 0; i < n; i++) {
    const p = acc + (id(ids, i) << 3);
    const v = load<i64>(vals + (<usize>i << 3));
    if (on(mask, i) && v < load<i64>(p)) store<i64>(p, v);
  }
}

export function grp_max_i64(ids: usize, vals: usize, mask: usize, n: i32, acc: usize): void {
  for (let i = 0; i < n; i++) {
    const p = acc + (id(ids, i) << 3);
    const v = load<i64>(vals + (<usize>i << 3));
    if (on(mask, i) && v > load<i64>(p)) store<i64>(p, v);
  }
}

export function grp_min_i32(ids: usize, vals: usize, mask: usize, n: i32, acc: usize): void {
  for (let i = 0; i < n; i++) {
    const p = acc + (id(ids, i) << 2);
    const v = load<i32>(vals + (<usize>i << 2));
    if (on(mask, i) && v < load<i32>(p)) store<i32>(p, v);
  }
}

export function grp_max_i32(ids: usize, vals: usize, mask: usize, n: i32, acc: usize): void {
  for (let i = 0; i < n; i++) {
    const p = acc + (id(ids, i) << 2);
    const v = load<i32>(vals + (<usize>i << 2));
    if (on(mask, i) && v > load<i32>(p)) store<i32>(p, v);
  }
}
