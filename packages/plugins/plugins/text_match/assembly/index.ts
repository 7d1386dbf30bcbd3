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
