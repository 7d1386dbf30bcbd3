// CSV format reader (RFC 4180) for the operator ABI: the host owns the imported memory and lays
// out every region (input chunk, column spec table, output column buffers, float fix-ups); this
// module only walks bytes between pointers it is given. State that must survive between calls
// (position, line number, rows in the current batch) lives in globals, so the host can feed the
// object chunk by chunk and cut batches at record boundaries.
//
// Column spec table: one 8 × i32 entry per column of the file:
//   [0] type  0 skip | 1 bool | 2 int32 | 3 int64 | 4 float64 | 5 date32 | 6 utf8 | 7 infer
//   [1] values ptr   [2] validity ptr   [3] offsets ptr (utf8)   [4] data ptr (utf8)
//   [5] data capacity (utf8)   [6] infer: candidate mask (1 bool, 2 int64, 4 float64, 8 date32)
//   [7] infer: non-null values seen

/** The operator ABI version this module speaks (the host refuses a mismatch). */
export const ABI_VERSION: i32 = 1;

const LF: u32 = 10;
const CR: u32 = 13;
const QUOTE: u32 = 34;

const T_SKIP = 0;
const T_BOOL = 1;
const T_INT32 = 2;
const T_INT64 = 3;
const T_FLOAT64 = 4;
const T_DATE32 = 5;
const T_UTF8 = 6;
const T_INFER = 7;

// parse() results
const NEED_INPUT = 0; // consumed every complete record; g_pos is where the incomplete one starts
const DONE = 1; // final chunk fully consumed
const FULL = 2; // the batch holds rowCap rows
const DATA_FULL = 3; // a utf8 column's data buffer cannot take the next record (column in e_col)
const FIX_FULL = 4; // the float fix-up list is full
const ERR_FIELD_COUNT = -1;
const ERR_UNTERMINATED = -2;
const ERR_BAD_VALUE = -3;
const ERR_AFTER_QUOTE = -4;

let g_spec: usize = 0;
let g_ncols: i32 = 0;
let g_delim: u32 = 44;
let g_fix: usize = 0;
let g_fixCap: i32 = 0;
let g_fixN: i32 = 0;
let g_pos: usize = 0;
let g_line: i32 = 1;
let g_rows: i32 = 0;
let g_f64: f64 = 0;
let g_i64: i64 = 0;

let e_line: i32 = 0;
let e_col: i32 = 0;
let e_start: usize = 0;
let e_end: usize = 0;
let e_found: i32 = 0;

const POW10: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

export function heapBase(): usize {
  return __heap_base;
}

export function configure(spec: usize, ncols: i32, delim: i32, fix: usize, fixCap: i32): void {
  g_spec = spec;
  g_ncols = ncols;
  g_delim = <u32>delim;
  g_fix = fix;
  g_fixCap = fixCap;
}

export function setPos(pos: usize): void {
  g_pos = pos;
}
export function getPos(): usize {
  return g_pos;
}
export function setLine(line: i32): void {
  g_line = line;
}
export function getLine(): i32 {
  return g_line;
}
export function getRows(): i32 {
  return g_rows;
}
export function getFixups(): i32 {
  return g_fixN;
}
export function clearFixups(): void {
  g_fixN = 0;
}
export function errLine(): i32 {
  return e_line;
}
export function errCol(): i32 {
  return e_col;
}
export function errStart(): usize {
  return e_start;
}
export function errEnd(): usize {
  return e_end;
}
export function errFound(): i32 {
  return e_found;
}

/** Starts an empty output batch: row 0, utf8 offsets[0] = 0. */
export function beginBatch(): void {
  g_rows = 0;
  for (let c = 0; c < g_ncols; c++) {
    const s = g_spec + (<usize>c << 5);
    if (load<i32>(s) == T_UTF8) store<i32>(<usize>load<i32>(s, 12), 0);
  }
}

/** Null count of column `c` over the current batch (validity bits are written for every row). */
export function nullCount(c: i32): i32 {
  const validity = <usize>load<i32>(g_spec + (<usize>c << 5), 8);
  const rows = g_rows;
  let valid = 0;
  const full = rows >>> 3;
  for (let i = 0; i < full; i++) valid += popcnt<u32>(<u32>load<u8>(validity + <usize>i));
  const rest = rows & 7;
  if (rest != 0) valid += popcnt<u32>(<u32>load<u8>(validity + <usize>full) & ((1 << rest) - 1));
  return rows - valid;
}

// Next byte at or after p that ends an unquoted field (delimiter, LF, CR), or end.
@inline
function findFieldEnd(p: usize, end: usize): usize {
  const d = i8x16.splat(<i8>g_delim);
  const lf = i8x16.splat(<i8>LF);
  const cr = i8x16.splat(<i8>CR);
  while (p + 16 <= end) {
    const v = v128.load(p);
    const m = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, d), i8x16.eq(v, lf)), i8x16.eq(v, cr)));
    if (m != 0) return p + <usize>ctz<u32>(m);
    p += 16;
  }
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c == g_delim || c == LF || c == CR) return p;
    p++;
  }
  return end;
}

let g_nl: i32 = 0; // newlines passed by findQuote

// Next '"' at or after p (or end), counting the LFs passed into g_nl.
@inline
function findQuote(p: usize, end: usize): usize {
  const q = i8x16.splat(<i8>QUOTE);
  const lf = i8x16.splat(<i8>LF);
  while (p + 16 <= end) {
    const v = v128.load(p);
    const qm = <u32>i8x16.bitmask(i8x16.eq(v, q));
    const lm = <u32>i8x16.bitmask(i8x16.eq(v, lf));
    if (qm != 0) {
      g_nl += popcnt<u32>(lm & ((qm & (0 - qm)) - 1));
      return p + <usize>ctz<u32>(qm);
    }
    g_nl += popcnt<u32>(lm);
    p += 16;
  }
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c == QUOTE) return p;
    if (c == LF) g_nl++;
    p++;
  }
  return end;
}

@inline
function isDigit(c: u32): bool {
  return c - 48 < 10;
}

// [+-]digits, fits in i64 → g_i64.
function parseInt64(p: usize, end: usize): bool {
  if (p >= end) return false;
  let neg = false;
  let c = <u32>load<u8>(p);
  if (c == 45 || c == 43) {
    neg = c == 45;
    p++;
    if (p >= end) return false;
  }
  let m: u64 = 0;
  let n = 0;
  while (p < end) {
    c = <u32>load<u8>(p) - 48;
    if (c >= 10) return false;
    if (m > 922337203685477580) return false; // the next digit would overflow
    m = m * 10 + <u64>c;
    p++;
    n++;
  }
  if (n == 0) return false;
  if (neg) {
    if (m > 9223372036854775808) return false;
    g_i64 = <i64>(0 - m);
  } else {
    if (m > 9223372036854775807) return false;
    g_i64 = <i64>m;
  }
  return true;
}

// Decimal text → g_f64. 1 = exact (Clinger's fast path: mantissa ≤ 2^53, |exp10| ≤ 22, one
// correctly rounded multiply or divide), 2 = valid but needs the host's correctly rounding
// parser, 0 = not a number.
function parseFloat64(p: usize, end: usize): i32 {
  if (p >= end) return 0;
  let neg = false;
  let c = <u32>load<u8>(p);
  if (c == 45 || c == 43) {
    neg = c == 45;
    p++;
  }
  let m: u64 = 0;
  let sig = 0; // significant digits kept in m
  let digits = 0;
  let exp: i32 = 0;
  let hard = false;
  while (p < end) {
    c = <u32>load<u8>(p) - 48;
    if (c >= 10) break;
    if (sig < 19) {
      m = m * 10 + <u64>c;
      if (m != 0) sig++;
    } else {
      exp++;
      hard = true;
    }
    digits++;
    p++;
  }
  if (p < end && load<u8>(p) == 46) {
    p++;
    while (p < end) {
      c = <u32>load<u8>(p) - 48;
      if (c >= 10) break;
      if (sig < 19) {
        m = m * 10 + <u64>c;
        if (m != 0) sig++;
        exp--;
      } else if (c != 0) {
        hard = true;
      }
      digits++;
      p++;
    }
  }
  if (digits == 0) return 0;
  if (p < end) {
    c = <u32>load<u8>(p);
    if (c != 101 && c != 69) return 0;
    p++;
    let eneg = false;
    if (p < end) {
      c = <u32>load<u8>(p);
      if (c == 45 || c == 43) {
        eneg = c == 45;
        p++;
      }
    }
    let e: i32 = 0;
    let en = 0;
    while (p < end) {
      c = <u32>load<u8>(p) - 48;
      if (c >= 10) return 0;
      if (e < 100000) e = e * 10 + <i32>c;
      en++;
      p++;
    }
    if (en == 0) return 0;
    exp += eneg ? -e : e;
  }
  if (m == 0) {
    g_f64 = neg ? -0.0 : 0.0;
    return 1;
  }
  if (hard || m > 9007199254740992 || exp < -22 || exp > 22) return 2;
  let v = <f64>m;
  v = exp < 0 ? v / unchecked(POW10[-exp]) : v * unchecked(POW10[exp]);
  g_f64 = neg ? -v : v;
  return 1;
}

// true/false, any case → g_i64 (1/0).
function parseBool(p: usize, end: usize): bool {
  const n = end - p;
  if (n == 4) {
    const w = load<u32>(p) | 0x20202020;
    if (w == 0x65757274) {
      g_i64 = 1;
      return true;
    }
  } else if (n == 5) {
    const w = load<u32>(p) | 0x20202020;
    if (w == 0x736c6166 && (<u32>load<u8>(p, 4) | 0x20) == 101) {
      g_i64 = 0;
      return true;
    }
  }
  return false;
}

// yyyy-m[m]-d[d] → days since 1970-01-01 in g_i64.
function parseDate(p: usize, end: usize): bool {
  if (end - p < 8 || end - p > 10) return false;
  const y0 = <u32>load<u8>(p) - 48;
  const y1 = <u32>load<u8>(p, 1) - 48;
  const y2 = <u32>load<u8>(p, 2) - 48;
  const y3 = <u32>load<u8>(p, 3) - 48;
  if (y0 >= 10 || y1 >= 10 || y2 >= 10 || y3 >= 10 || load<u8>(p, 4) != 45) return false;
  const y = <i32>(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
  p += 5;
  let mo = 0;
  let n = 0;
  while (p < end && isDigit(<u32>load<u8>(p)) && n < 2) {
    mo = mo * 10 + <i32>(<u32>load<u8>(p) - 48);
    p++;
    n++;
  }
  if (n == 0 || p >= end || load<u8>(p) != 45) return false;
  p++;
  let d = 0;
  n = 0;
  while (p < end && isDigit(<u32>load<u8>(p)) && n < 2) {
    d = d * 10 + <i32>(<u32>load<u8>(p) - 48);
    p++;
    n++;
  }
  if (n == 0 || p != end || mo < 1 || mo > 12 || d < 1) return false;
  let dim = 31;
  if (mo == 4 || mo == 6 || mo == 9 || mo == 11) dim = 30;
  else if (mo == 2) dim = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
  if (d > dim) return false;
  // days_from_civil (H. Hinnant)
  const yy = mo <= 2 ? y - 1 : y;
  const era = (yy >= 0 ? yy : yy - 399) / 400;
  const yoe = yy - era * 400;
  const doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  g_i64 = <i64>(era * 146097 + doe - 719468);
  return true;
}

@inline
function setValid(validity: usize, row: i32, valid: bool): void {
  const a = validity + <usize>(row >>> 3);
  const bit = <u32>1 << (<u32>row & 7);
  const b = <u32>load<u8>(a);
  store<u8>(a, <u8>(valid ? b | bit : b & ~bit));
}

// Stores one non-null value of column spec `s` at `row`. Returns 0 on success, ERR_BAD_VALUE,
// DATA_FULL or FIX_FULL.
function storeValue(s: usize, type: i32, col: i32, row: i32, vs: usize, ve: usize, escaped: bool): i32 {
  const values = <usize>load<i32>(s, 4);
  if (type == T_FLOAT64) {
    const r = parseFloat64(vs, ve);
    if (r == 0) return ERR_BAD_VALUE;
    if (r == 2) {
      if (g_fixN >= g_fixCap) return FIX_FULL;
      const f = g_fix + (<usize>g_fixN << 4);
      store<i32>(f, col);
      store<i32>(f, row, 4);
      store<i32>(f, <i32>vs, 8);
      store<i32>(f, <i32>ve, 12);
      g_fixN++;
      g_f64 = 0;
    }
    store<f64>(values + (<usize>row << 3), g_f64);
  } else if (type == T_INT64) {
    if (!parseInt64(vs, ve)) return ERR_BAD_VALUE;
    store<i64>(values + (<usize>row << 3), g_i64);
  } else if (type == T_DATE32) {
    if (!parseDate(vs, ve)) return ERR_BAD_VALUE;
    store<i32>(values + (<usize>row << 2), <i32>g_i64);
  } else if (type == T_UTF8) {
    const offsets = <usize>load<i32>(s, 12);
    const used = <usize>load<i32>(offsets + (<usize>row << 2));
    const cap = <usize>load<i32>(s, 20);
    if (used + (ve - vs) > cap) return DATA_FULL;
    const dst = <usize>load<i32>(s, 16) + used;
    let n = ve - vs;
    if (!escaped) {
      memory.copy(dst, vs, n);
    } else {
      // "" → " inside a quoted field
      let o: usize = 0;
      let i = vs;
      while (i < ve) {
        const c = load<u8>(i);
        store<u8>(dst + o, c);
        o++;
        i += c == <u8>QUOTE ? 2 : 1;
      }
      n = o;
    }
    store<i32>(offsets + (<usize>(row + 1) << 2), <i32>(used + n));
  } else if (type == T_INT32) {
    if (!parseInt64(vs, ve) || g_i64 < -2147483648 || g_i64 > 2147483647) return ERR_BAD_VALUE;
    store<i32>(values + (<usize>row << 2), <i32>g_i64);
  } else if (type == T_BOOL) {
    if (!parseBool(vs, ve)) return ERR_BAD_VALUE;
    setValid(values, row, g_i64 != 0);
  } else if (type == T_INFER) {
    let mask = load<i32>(s, 24);
    if ((mask & 1) != 0 && !parseBool(vs, ve)) mask &= ~1;
    if ((mask & 2) != 0 && !parseInt64(vs, ve)) mask &= ~2;
    if ((mask & 4) != 0 && parseFloat64(vs, ve) == 0) mask &= ~4;
    if ((mask & 8) != 0 && !parseDate(vs, ve)) mask &= ~8;
    store<i32>(s, mask, 24);
    store<i32>(s, load<i32>(s, 28) + 1, 28);
  }
  return 0;
}

// Null: utf8 repeats its offset; every typed column clears its validity bit.
@inline
function storeNull(s: usize, type: i32, row: i32): void {
  if (type == T_UTF8) {
    const offsets = <usize>load<i32>(s, 12);
    store<i32>(offsets + (<usize>(row + 1) << 2), load<i32>(offsets + (<usize>row << 2)));
  }
  if (type != T_INFER) setValid(<usize>load<i32>(s, 8), row, false);
}

/**
 * Parses records from g_pos up to `end` into the current batch, stopping at the first of: input
 * exhausted (the incomplete last record stays for the next call unless `final`), `rowCap` rows,
 * a full buffer, an error (details via err*()).
 */
export function parse(end: usize, final: i32, rowCap: i32): i32 {
  let p = g_pos;
  let row = g_rows;
  const ncols = g_ncols;
  const delim = g_delim;
  let status = NEED_INPUT;
  let stop = false;
  while (true) {
    const recStart = p;
    if (p >= end) {
      status = final ? DONE : NEED_INPUT;
      break;
    }
    if (row >= rowCap) {
      status = FULL;
      break;
    }
    // Blank lines between records are skipped (a one-column file reads them as NULL).
    let c = <u32>load<u8>(p);
    if (ncols > 1 && (c == LF || c == CR)) {
      if (c == CR) {
        if (p + 1 >= end && !final) break;
        p += p + 1 < end && load<u8>(p + 1) == <u8>LF ? 2 : 1;
      } else p++;
      g_line++;
      continue;
    }
    g_nl = 0;
    let col = 0;
    while (true) {
      let vs = p;
      let ve: usize;
      let t: usize;
      let escaped = false;
      if (p < end && <u32>load<u8>(p) == QUOTE) {
        let q = p + 1;
        while (true) {
          q = findQuote(q, end);
          if (q >= end) {
            if (!final) {
              p = recStart;
              stop = true;
              break;
            }
            e_line = g_line;
            e_col = col;
            e_start = p;
            status = ERR_UNTERMINATED;
            stop = true;
            break;
          }
          if (q + 1 >= end && !final) {
            p = recStart;
            stop = true;
            break;
          }
          if (q + 1 < end && <u32>load<u8>(q + 1) == QUOTE) {
            escaped = true;
            q += 2;
            continue;
          }
          break;
        }
        if (stop) break;
        vs = p + 1;
        ve = q;
        t = q + 1;
        if (t < end) {
          c = <u32>load<u8>(t);
          if (c != delim && c != LF && c != CR) {
            e_line = g_line + g_nl;
            e_col = col;
            e_start = p;
            e_end = findFieldEnd(t, end);
            status = ERR_AFTER_QUOTE;
            stop = true;
            break;
          }
        }
      } else {
        t = findFieldEnd(p, end);
        ve = t;
      }
      if (t >= end && !final) {
        p = recStart;
        stop = true;
        break;
      }
      if (col < ncols) {
        const s = g_spec + (<usize>col << 5);
        const type = load<i32>(s);
        if (type != T_SKIP) {
          // Empty is NULL, quoted or not (DuckDB's allow_quoted_nulls default).
          if (ve == vs) {
            storeNull(s, type, row);
          } else {
            const r = storeValue(s, type, col, row, vs, ve, escaped);
            if (r != 0) {
              if (r == ERR_BAD_VALUE) {
                e_line = g_line;
                e_col = col;
                e_start = vs;
                e_end = ve;
              } else e_col = col;
              status = r;
              p = recStart;
              stop = true;
              break;
            }
            if (type != T_INFER) setValid(<usize>load<i32>(s, 8), row, true);
          }
        }
      }
      col++;
      if (t >= end) {
        p = end;
        break;
      }
      c = <u32>load<u8>(t);
      if (c == delim) {
        p = t + 1;
        continue;
      }
      if (c == CR) {
        if (t + 1 >= end && !final) {
          p = recStart;
          stop = true;
          break;
        }
        p = t + 1 < end && load<u8>(t + 1) == <u8>LF ? t + 2 : t + 1;
      } else p = t + 1;
      break;
    }
    if (stop) break;
    if (col != ncols) {
      e_line = g_line;
      e_found = col;
      e_start = recStart;
      status = ERR_FIELD_COUNT;
      p = recStart;
      break;
    }
    row++;
    g_line += 1 + g_nl;
  }
  g_pos = p;
  g_rows = row;
  return status;
}
