// hash64: a 64-bit FNV-1a hash of utf8 strings and int64 values, over whole Arrow batches.
//
// Scalar-UDF ABI (see packages/plugins/src/udf-abi.ts): memory is imported (env.memory); every
// argument is an Arrow column given by pointers (utf8: offsets, data, validity; others: values,
// validity), then the row count, then the result's values and validity pointers. A validity
// pointer of 0 means "no nulls". Bitmaps are Arrow's (bit i of byte i>>3, LSB first). The
// function returns the result's null count. A null input gives a null output (value 0).

export const ABI_VERSION: i32 = 1;

const FNV_OFFSET: u64 = 0xcbf29ce484222325;
const FNV_PRIME: u64 = 0x100000001b3;

@inline function isValid(validity: usize, i: i32): bool {
  return validity == 0 || ((load<u8>(validity + (<usize>i >> 3)) >> (<u8>i & 7)) & 1) != 0;
}

@inline function setValid(validity: usize, i: i32): void {
  const p = validity + (<usize>i >> 3);
  store<u8>(p, load<u8>(p) | (<u8>1 << (<u8>i & 7)));
}

/** hash64_utf8(s utf8) -> int64 */
export function hash64_utf8(offs: usize, data: usize, valid: usize, n: i32, out: usize, outValid: usize): i32 {
  memory.fill(outValid, 0, (<usize>n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (!isValid(valid, i)) {
      store<u64>(out + (<usize>i << 3), 0);
      nulls++;
      continue;
    }
    const start = load<i32>(offs + (<usize>i << 2));
    const end = load<i32>(offs + (<usize>(i + 1) << 2));
    let h = FNV_OFFSET;
    for (let p = data + <usize>start, e = data + <usize>end; p < e; p++) {
      h = (h ^ <u64>load<u8>(p)) * FNV_PRIME;
    }
    store<u64>(out + (<usize>i << 3), h);
    setValid(outValid, i);
  }
  return nulls;
}

/** hash64_int64(v int64) -> int64: FNV-1a over the value's 8 little-endian bytes. */
export function hash64_int64(values: usize, valid: usize, n: i32, out: usize, outValid: usize): i32 {
  memory.fill(outValid, 0, (<usize>n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (!isValid(valid, i)) {
      store<u64>(out + (<usize>i << 3), 0);
      nulls++;
      continue;
    }
    let v = load<u64>(values + (<usize>i << 3));
    let h = FNV_OFFSET;
    for (let b = 0; b < 8; b++) {
      h = (h ^ (v & 0xff)) * FNV_PRIME;
      v >>= 8;
    }
    store<u64>(out + (<usize>i << 3), h);
    setValid(outValid, i);
  }
  return nulls;
}
