// text_match: substring tests over whole Arrow batches of utf8 strings, returning Arrow booleans.
// ABI as in hash64/assembly/index.ts (packages/plugins/src/udf-abi.ts): a utf8 column is
// (offsets, data, validity); the pattern is a constant, passed as a one-row utf8 column; then
// the row count and the result's bit-packed values + validity. Returns the null count. A null
// string or a null pattern gives null. Case folding is ASCII only (bytes A-Z), so it never
// splits a multi-byte UTF-8 sequence.

export const ABI_VERSION: i32 = 1;

@inline function isValid(validity: usize, i: i32): bool {
  return validity == 0 || ((load<u8>(validity + (<usize>i >> 3)) >> (<u8>i & 7)) & 1) != 0;
}

@inline function setBit(bitmap: usize, i: i32): void {
  const p = bitmap + (<usize>i >> 3);
  store<u8>(p, load<u8>(p) | (<u8>1 << (<u8>i & 7)));
}

@inline function lower(b: u32): u32 {
  return b - 65 < 26 ? b | 32 : b;
}

function find(s: usize, sl: i32, p: usize, pl: i32): bool {
  if (pl == 0) return true;
  const first = <u32>load<u8>(p);
  for (let i = 0, last = sl - pl; i <= last; i++) {
    if (<u32>load<u8>(s + <usize>i) != first) continue;
    let j = 1;
    while (j < pl && load<u8>(s + <usize>(i + j)) == load<u8>(p + <usize>j)) j++;
    if (j == pl) return true;
  }
  return false;
}

function prefixCi(s: usize, sl: i32, p: usize, pl: i32): bool {
  if (pl > sl) return false;
  for (let j = 0; j < pl; j++) {
    if (lower(<u32>load<u8>(s + <usize>j)) != lower(<u32>load<u8>(p + <usize>j))) return false;
  }
  return true;
}

function suffix(s: usize, sl: i32, p: usize, pl: i32): bool {
  if (pl > sl) return false;
  return memory.compare(s + <usize>(sl - pl), p, <usize>pl) == 0;
}

// One loop for every test; `which` is a compile-time constant at each call site, so the branch
// folds away after inlining.
@inline function run(
  which: i32,
  offs: usize, data: usize, valid: usize,
  pOffs: usize, pData: usize, pValid: usize,
  n: i32, out: usize, outValid: usize,
): i32 {
  const bytes = (<usize>n + 7) >> 3;
  memory.fill(out, 0, bytes);
  memory.fill(outValid, 0, bytes);
  if (!isValid(pValid, 0)) return n;
  const p0 = load<i32>(pOffs);
  const p = pData + <usize>p0;
  const pl = load<i32>(pOffs + 4) - p0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (!isValid(valid, i)) {
      nulls++;
      continue;
    }
    const start = load<i32>(offs + (<usize>i << 2));
    const sl = load<i32>(offs + (<usize>(i + 1) << 2)) - start;
    const s = data + <usize>start;
    const hit = which == 0 ? find(s, sl, p, pl) : which == 1 ? prefixCi(s, sl, p, pl) : suffix(s, sl, p, pl);
    if (hit) setBit(out, i);
    setBit(outValid, i);
  }
  return nulls;
}

/** contains(s utf8, pattern utf8 const) -> bool: the pattern occurs in s (byte-exact). */
export function contains(
  offs: usize, data: usize, valid: usize, pOffs: usize, pData: usize, pValid: usize,
  n: i32, out: usize, outValid: usize,
): i32 {
  return run(0, offs, data, valid, pOffs, pData, pValid, n, out, outValid);
}

/** starts_with_ci(s utf8, prefix utf8 const) -> bool: s starts with prefix, ignoring ASCII case. */
export function starts_with_ci(
  offs: usize, data: usize, valid: usize, pOffs: usize, pData: usize, pValid: usize,
  n: i32, out: usize, outValid: usize,
): i32 {
  return run(1, offs, data, valid, pOffs, pData, pValid, n, out, outValid);
}

/** ends_with(s utf8, suffix utf8 const) -> bool: s ends with suffix (byte-exact). */
export function ends_with(
  offs: usize, data: usize, valid: usize, pOffs: usize, pData: usize, pValid: usize,
  n: i32, out: usize, outValid: usize,
): i32 {
  return run(2, offs, data, valid, pOffs, pData, pValid, n, out, outValid);
}

// utf8 results (udf-abi.ts): (offsets, data, dataCapacity, validity) after the row count. A
// function first works out the data bytes it needs; if they exceed dataCapacity it returns
// minus that number, writes nothing, and the host calls again with that much room.

@inline function offsetAt(offs: usize, i: i32): i32 {
  return load<i32>(offs + (<usize>i << 2));
}

/** upper_ascii(s utf8) -> utf8: s with ASCII a-z upper-cased; other bytes (UTF-8 included) kept. */
export function upper_ascii(
  offs: usize, data: usize, valid: usize, n: i32,
  outOffs: usize, outData: usize, cap: i32, outValid: usize,
): i32 {
  let need = 0;
  for (let i = 0; i < n; i++) if (isValid(valid, i)) need += offsetAt(offs, i + 1) - offsetAt(offs, i);
  if (need > cap) return -need;
  memory.fill(outValid, 0, (<usize>n + 7) >> 3);
  store<i32>(outOffs, 0);
  let pos = 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (isValid(valid, i)) {
      for (let p = offsetAt(offs, i), end = offsetAt(offs, i + 1); p < end; p++) {
        const b = <u32>load<u8>(data + <usize>p);
        store<u8>(outData + <usize>pos, b - 97 < 26 ? b & ~32 : b);
        pos++;
      }
      setBit(outValid, i);
    } else nulls++;
    store<i32>(outOffs + (<usize>(i + 1) << 2), pos);
  }
  return nulls;
}

/** Occurrences of p (non-empty) in s, left to right, not overlapping. */
function countIn(s: usize, sl: i32, p: usize, pl: i32): i32 {
  let k = 0;
  for (let i = 0; i <= sl - pl; ) {
    if (memory.compare(s + <usize>i, p, <usize>pl) == 0) {
      k++;
      i += pl;
    } else i++;
  }
  return k;
}

/**
 * replace_all(s utf8, from utf8 const, to utf8 const) -> utf8: every occurrence of `from` in s,
 * left to right and not overlapping, replaced by `to` (byte-exact). An empty `from` leaves s
 * as it is; a null argument gives null.
 */
export function replace_all(
  offs: usize, data: usize, valid: usize,
  fOffs: usize, fData: usize, fValid: usize,
  tOffs: usize, tData: usize, tValid: usize,
  n: i32, outOffs: usize, outData: usize, cap: i32, outValid: usize,
): i32 {
  const constNull = !isValid(fValid, 0) || !isValid(tValid, 0);
  const f = fData + <usize>offsetAt(fOffs, 0);
  const fl = offsetAt(fOffs, 1) - offsetAt(fOffs, 0);
  const t = tData + <usize>offsetAt(tOffs, 0);
  const tl = offsetAt(tOffs, 1) - offsetAt(tOffs, 0);
  let need = 0;
  for (let i = 0; i < n && !constNull; i++) {
    if (!isValid(valid, i)) continue;
    const start = offsetAt(offs, i);
    const sl = offsetAt(offs, i + 1) - start;
    need += sl + (fl == 0 ? 0 : countIn(data + <usize>start, sl, f, fl) * (tl - fl));
  }
  if (need > cap) return -need;
  memory.fill(outValid, 0, (<usize>n + 7) >> 3);
  store<i32>(outOffs, 0);
  let pos = 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (constNull || !isValid(valid, i)) {
      nulls++;
      store<i32>(outOffs + (<usize>(i + 1) << 2), pos);
      continue;
    }
    const s = data + <usize>offsetAt(offs, i);
    const sl = offsetAt(offs, i + 1) - offsetAt(offs, i);
    let j = 0;
    while (j < sl) {
      if (fl > 0 && j <= sl - fl && memory.compare(s + <usize>j, f, <usize>fl) == 0) {
        memory.copy(outData + <usize>pos, t, <usize>tl);
        pos += tl;
        j += fl;
      } else {
        store<u8>(outData + <usize>pos, load<u8>(s + <usize>j));
        pos++;
        j++;
      }
    }
    setBit(outValid, i);
    store<i32>(outOffs + (<usize>(i + 1) << 2), pos);
  }
  return nulls;
}
