// Dictionary kernels: turn one group-key column into dense codes per batch, with an open-addressing
// hash table the host provides (`cap` slots, a power of two, filled with 0xFF = empty). NULL rows
// (mask byte 0) get code 0; distinct values get 1, 2, ...; reps[code] = first row with that value,
// so the host reads key values from its own Arrow vectors. Returns the number of codes (including
// the NULL code 0), or -1 when more than cap/2 distinct values appear (the host retries bigger).
// The host fills reps with -1; reps[0] becomes the first NULL row, if any.

@inline function mix32(x: u32): u32 {
  x ^= x >>> 16;
  x *= 0x7feb352d;
  x ^= x >>> 15;
  x *= 0x846ca68b;
  return x ^ (x >>> 16);
}

@inline function mix64(x: u64): u32 {
  x ^= x >>> 33;
  x *= 0xff51afd7ed558ccd;
  x ^= x >>> 33;
  return <u32>x;
}

@inline function isNull(mask: usize, i: i32): bool {
  return mask != 0 && load<u8>(mask + i) == 0;
}

// slot: key i32, code i32
export function dict_i32(vals: usize, mask: usize, n: i32, codes: usize, table: usize, cap: i32, reps: usize): i32 {
  const m = <u32>(cap - 1);
  const limit = cap >>> 1;
  let next = 1;
  for (let i = 0; i < n; i++) {
    let code = 0;
    if (isNull(mask, i)) {
      if (load<i32>(reps) < 0) store<i32>(reps, i);
    } else {
      const k = load<i32>(vals + (<usize>i << 2));
      let h = mix32(<u32>k) & m;
      while (true) {
        const slot = table + (<usize>h << 3);
        const c = load<i32>(slot, 4);
        if (c < 0) {
          if (next > limit) return -1;
          code = next++;
          store<i32>(slot, k);
          store<i32>(slot, code, 4);
          store<i32>(reps + (<usize>code << 2), i);
          break;
        }
        if (load<i32>(slot) == k) {
          code = c;
          break;
        }
        h = (h + 1) & m;
      }
    }
    store<i32>(codes + (<usize>i << 2), code);
  }
  return next;
}

// slot: key i64, code i32, pad. canonF64: fold -0.0 into 0.0 so they group together.
export function dict_i64(vals: usize, mask: usize, n: i32, codes: usize, table: usize, cap: i32, reps: usize, canonF64: i32): i32 {
  const m = <u32>(cap - 1);
  const limit = cap >>> 1;
  let next = 1;
  for (let i = 0; i < n; i++) {
    let code = 0;
    if (isNull(mask, i)) {
      if (load<i32>(reps) < 0) store<i32>(reps, i);
    } else {
      let k = load<i64>(vals + (<usize>i << 3));
      if (canonF64 && k == <i64>0x8000000000000000) k = 0;
      let h = mix64(<u64>k) & m;
      while (true) {
        const slot = table + (<usize>h << 4);
        const c = load<i32>(slot, 8);
        if (c < 0) {
          if (next > limit) return -1;
          code = next++;
          store<i64>(slot, k);
          store<i32>(slot, code, 8);
          store<i32>(reps + (<usize>code << 2), i);
          break;
        }
        if (load<i64>(slot) == k) {
          code = c;
          break;
        }
        h = (h + 1) & m;
      }
    }
    store<i32>(codes + (<usize>i << 2), code);
  }
  return next;
}

@inline function hashBytes(p: usize, len: i32): u32 {
  let h: u32 = 0x811c9dc5 ^ <u32>len;
  for (let k = 0; k < len; k++) h = (h ^ load<u8>(p + k)) * 0x01000193;
  return mix32(h);
}

@inline function sameBytes(p: usize, q: usize, len: i32): bool {
  for (let k = 0; k < len; k++) if (load<u8>(p + k) != load<u8>(q + k)) return false;
  return true;
}

// slot: hash u32, code i32, start i32, len i32 (start is relative to `data`)
export function dict_utf8(offs: usize, data: usize, mask: usize, n: i32, codes: usize, table: usize, cap: i32, reps: usize): i32 {
  const m = <u32>(cap - 1);
  const limit = cap >>> 1;
  let next = 1;
  for (let i = 0; i < n; i++) {
    let code = 0;
    if (isNull(mask, i)) {
      if (load<i32>(reps) < 0) store<i32>(reps, i);
    } else {
      const st = load<i32>(offs + (<usize>i << 2));
      const len = load<i32>(offs + (<usize>i << 2), 4) - st;
      const hash = hashBytes(data + <usize>st, len);
      let h = hash & m;
      while (true) {
        const slot = table + (<usize>h << 4);
        const c = load<i32>(slot, 4);
        if (c < 0) {
          if (next > limit) return -1;
          code = next++;
          store<u32>(slot, hash);
          store<i32>(slot, code, 4);
          store<i32>(slot, st, 8);
          store<i32>(slot, len, 12);
          store<i32>(reps + (<usize>code << 2), i);
          break;
        }
        if (load<u32>(slot) == hash && load<i32>(slot, 12) == len && sameBytes(data + <usize>load<i32>(slot, 8), data + <usize>st, len)) {
          code = c;
          break;
        }
        h = (h + 1) & m;
      }
    }
    store<i32>(codes + (<usize>i << 2), code);
  }
  return next;
}

/** out[i] = a[i] * cardB + b[i] (i32; the host checks the product of cardinalities fits). */
export function combine_codes(a: usize, b: usize, cardB: i32, n: i32, out: usize): void {
  const vc = i32x4.splat(cardB);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 2;
    v128.store(out + p, i32x4.add(i32x4.mul(v128.load(a + p), vc), v128.load(b + p)));
  }
  for (; i < n; i++) {
    const p = <usize>i << 2;
    store<i32>(out + p, load<i32>(a + p) * cardB + load<i32>(b + p));
  }
}

/** out[i] = i64(a[i]) * cardB + b[i], for re-dictionary when the product does not fit. */
export function combine_codes_i64(a: usize, b: usize, cardB: i32, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const p = <usize>i << 2;
    store<i64>(out + (<usize>i << 3), <i64>load<i32>(a + p) * <i64>cardB + <i64>load<i32>(b + p));
  }
}

/** reps[id] = first row with that id, for ids whose reps entry is still -1. */
export function first_rows(ids: usize, n: i32, reps: usize): void {
  for (let i = 0; i < n; i++) {
    const p = reps + (<usize>load<i32>(ids + (<usize>i << 2)) << 2);
    if (load<i32>(p) < 0) store<i32>(p, i);
  }
}

/**
 * dict_utf8 for columns whose non-null values are all one byte long (flags, statuses): a direct
 * table of 256 codes (filled with -1 by the host) instead of hashing. Returns -1 as soon as a
 * longer value appears; the host then uses dict_utf8.
 */
export function dict_utf8_byte(offs: usize, data: usize, mask: usize, n: i32, codes: usize, table: usize, reps: usize): i32 {
  let next = 1;
  for (let i = 0; i < n; i++) {
    let code = 0;
    if (isNull(mask, i)) {
      if (load<i32>(reps) < 0) store<i32>(reps, i);
    } else {
      const st = load<i32>(offs + (<usize>i << 2));
      if (load<i32>(offs + (<usize>i << 2), 4) - st != 1) return -1;
      const p = table + (<usize>load<u8>(data + <usize>st) << 2);
      code = load<i32>(p);
      if (code < 0) {
        code = next++;
        store<i32>(p, code);
        store<i32>(reps + (<usize>code << 2), i);
      }
    }
    store<i32>(codes + (<usize>i << 2), code);
  }
  return next;
}
