// Mask algebra over byte masks (0x00 / 0xFF per row) and conversions to and from Arrow bitmaps.
// SQL three-valued logic keeps a boolean as (value mask, validity mask): a row is TRUE when both
// bytes are set, FALSE when valid and not value, NULL when not valid.

@inline function v16(p: usize): v128 {
  return v128.load(p);
}

/** out = a & b */
export function mask_and(a: usize, b: usize, n: i32, out: usize): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) v128.store(out + i, v128.and(v16(a + i), v16(b + i)));
  for (; i < n; i++) store<u8>(out + i, load<u8>(a + i) & load<u8>(b + i));
}

/** out = a | b */
export function mask_or(a: usize, b: usize, n: i32, out: usize): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) v128.store(out + i, v128.or(v16(a + i), v16(b + i)));
  for (; i < n; i++) store<u8>(out + i, load<u8>(a + i) | load<u8>(b + i));
}

/** out = a & ~b */
export function mask_andnot(a: usize, b: usize, n: i32, out: usize): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) v128.store(out + i, v128.andnot(v16(a + i), v16(b + i)));
  for (; i < n; i++) store<u8>(out + i, load<u8>(a + i) & ~load<u8>(b + i));
}

/** out = ~a */
export function mask_not(a: usize, n: i32, out: usize): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) v128.store(out + i, v128.not(v16(a + i)));
  for (; i < n; i++) store<u8>(out + i, ~load<u8>(a + i));
}

/** Kleene AND of (va, ma) and (vb, mb) into (outV, outM). outV is set only on TRUE rows. */
export function kleene_and(va: usize, ma: usize, vb: usize, mb: usize, n: i32, outV: usize, outM: usize): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const a = v16(va + i);
    const am = v16(ma + i);
    const b = v16(vb + i);
    const bm = v16(mb + i);
    const t = v128.and(v128.and(a, am), v128.and(b, bm));
    const f = v128.or(v128.andnot(am, a), v128.andnot(bm, b));
    v128.store(outV + i, t);
    v128.store(outM + i, v128.or(t, f));
  }
  for (; i < n; i++) {
    const a = load<u8>(va + i);
    const am = load<u8>(ma + i);
    const b = load<u8>(vb + i);
    const bm = load<u8>(mb + i);
    const t = a & am & b & bm;
    const f = (am & ~a) | (bm & ~b);
    store<u8>(outV + i, t);
    store<u8>(outM + i, t | f);
  }
}

/** Kleene OR of (va, ma) and (vb, mb) into (outV, outM). */
export function kleene_or(va: usize, ma: usize, vb: usize, mb: usize, n: i32, outV: usize, outM: usize): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const a = v16(va + i);
    const am = v16(ma + i);
    const b = v16(vb + i);
    const bm = v16(mb + i);
    const t = v128.or(v128.and(a, am), v128.and(b, bm));
    const f = v128.and(v128.andnot(am, a), v128.andnot(bm, b));
    v128.store(outV + i, t);
    v128.store(outM + i, v128.or(t, f));
  }
  for (; i < n; i++) {
    const a = load<u8>(va + i);
    const am = load<u8>(ma + i);
    const b = load<u8>(vb + i);
    const bm = load<u8>(mb + i);
    const t = (a & am) | (b & bm);
    const f = am & ~a & bm & ~b;
    store<u8>(outV + i, t);
    store<u8>(outM + i, t | f);
  }
}

/** Expand an Arrow bitmap (LSB first) starting at bit `bitOffset` into a byte mask. */
export function bitmap_to_mask(bm: usize, bitOffset: i32, n: i32, out: usize): void {
  let i = 0;
  if ((bitOffset & 7) == 0) {
    const base = bm + <usize>(bitOffset >>> 3);
    const bits = i8x16(1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128);
    for (; i + 16 <= n; i += 16) {
      const w = i16x8.splat(load<u16>(base + (<usize>i >>> 3)));
      const spread = i8x16.shuffle(w, w, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
      v128.store(out + i, i8x16.eq(v128.and(spread, bits), bits));
    }
  }
  for (; i < n; i++) {
    const bit = bitOffset + i;
    const set = (<i32>load<u8>(bm + <usize>(bit >>> 3)) >>> (bit & 7)) & 1;
    store<u8>(out + i, set ? 0xff : 0);
  }
}

/** Pack a byte mask into an Arrow bitmap (LSB first); `out` must hold ceil(n / 8) bytes. */
export function mask_to_bitmap(mask: usize, n: i32, out: usize): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) store<u16>(out + (<usize>i >>> 3), i8x16.bitmask(v16(mask + i)));
  if (i < n) {
    let acc: u32 = 0;
    let k = 0;
    for (; i < n; i++, k++) acc |= (load<u8>(mask + i) & 1) << k;
    const p = out + (<usize>(n - k) >>> 3);
    store<u8>(p, acc);
    if (k > 8) store<u8>(p, acc >>> 8, 1);
  }
}

/** Number of set rows. */
export function mask_count(mask: usize, n: i32): i32 {
  let c = 0;
  let i = 0;
  for (; i + 16 <= n; i += 16) c += <i32>popcnt<u32>(i8x16.bitmask(v16(mask + i)));
  for (; i < n; i++) c += load<u8>(mask + i) & 1;
  return c;
}

/** Write the indexes of set rows as i32 into `out`; returns how many. Branch-free. */
export function mask_to_sel(mask: usize, n: i32, out: usize): i32 {
  let j = 0;
  for (let i = 0; i < n; i++) {
    store<i32>(out + (<usize>j << 2), i);
    j += load<u8>(mask + i) & 1;
  }
  return j;
}
