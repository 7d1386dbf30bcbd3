// Number and date conversions of already-validated tokens. Integers are exact or refused (out of
// int64 range); floats take Clinger's fast path (a mantissa below 2^53 scaled by an exact power
// of ten rounds correctly in one IEEE operation), which covers ordinary decimal data such as
// prices, and fall back to AssemblyScript's parseFloat for the rest.

/** Set by parseInt64: the value did not fit in int64. */
export let intOverflow: bool = false;

/** An integer token [p, end) (optional '-', digits). */
export function parseInt64(p: usize, end: usize): i64 {
  intOverflow = false;
  const negative = load<u8>(p) == 45;
  if (negative) p++;
  let v: u64 = 0;
  const limit: u64 = negative ? 9223372036854775808 : 9223372036854775807;
  while (p < end) {
    const d = <u64>(load<u8>(p) - 48);
    if (v > (limit - d) / 10) {
      intOverflow = true;
      return 0;
    }
    v = v * 10 + d;
    p++;
  }
  return negative ? -(<i64>v) : <i64>v;
}

// @ts-ignore: decorator
@lazy const POW10: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/** A number token [p, end) as float64. */
export function parseFloat64(p: usize, end: usize): f64 {
  const start = p;
  const negative = load<u8>(p) == 45;
  if (negative) p++;
  let mantissa: u64 = 0;
  let digits = 0;
  let exp10 = 0;
  let exact = true;
  let fraction = false;
  for (; p < end; p++) {
    const c = <i32>load<u8>(p);
    if (c == 46) {
      fraction = true;
      continue;
    }
    if (c < 48 || c > 57) break;
    if (digits < 19) {
      mantissa = mantissa * 10 + <u64>(c - 48);
      if (mantissa != 0) digits++;
    } else {
      exact = false;
    }
    if (fraction) exp10--;
  }
  if (p < end) {
    // exponent part: [eE][+-]?digits
    p++;
    let sign = 1;
    if (load<u8>(p) == 45) {
      sign = -1;
      p++;
    } else if (load<u8>(p) == 43) p++;
    let e = 0;
    for (; p < end && e < 100000; p++) e = e * 10 + <i32>(load<u8>(p) - 48);
    exp10 += sign * e;
  }
  if (exact && mantissa <= (<u64>1 << 53) && exp10 >= -22 && exp10 <= 22) {
    let v = <f64>mantissa;
    v = exp10 < 0 ? v / POW10[-exp10] : v * POW10[exp10];
    return negative ? -v : v;
  }
  // The rare slow path parses a temporary string, then hands its block back: the stub allocator
  // reclaims the last block, so a file of long floats does not pile up garbage.
  const text = String.UTF8.decodeUnsafe(start, end - start);
  const v = parseFloat(text);
  heap.free(changetype<usize>(text) - 16); // 16 = the stub runtime's object header
  return v;
}

@inline function digit(p: usize): i32 {
  const d = <i32>load<u8>(p) - 48;
  return d >= 0 && d <= 9 ? d : -1000000;
}

/**
 * "YYYY-MM-DD" (exactly, as ISO 8601 and DuckDB's date sniffing write it) as days since
 * 1970-01-01, or i32.MIN_VALUE when the bytes are not such a date.
 */
export function parseDate(p: usize, n: usize): i32 {
  if (n != 10 || load<u8>(p + 4) != 45 || load<u8>(p + 7) != 45) return i32.MIN_VALUE;
  const y = digit(p) * 1000 + digit(p + 1) * 100 + digit(p + 2) * 10 + digit(p + 3);
  const m = digit(p + 5) * 10 + digit(p + 6);
  const d = digit(p + 8) * 10 + digit(p + 9);
  if (y < 0 || m < 1 || m > 12 || d < 1) return i32.MIN_VALUE;
  const leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const monthDays = m == 2 ? (leap ? 29 : 28) : m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
  if (d > monthDays) return i32.MIN_VALUE;
  // Howard Hinnant's days_from_civil.
  const yy = m <= 2 ? y - 1 : y;
  const era = (yy >= 0 ? yy : yy - 399) / 400;
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = (153 * mp + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
