// Schema inference from the first lines (PUSHDOWN_SAMPLE_ROWS, default 20480 like DuckDB's
// sample_size): every key seen becomes a nullable column, in order of first appearance, with the
// narrowest type that holds every sampled value. Integers only → int64 (float64 once one is out
// of int64 range); numbers with a fraction or exponent → float64; true/false only → bool; strings
// that are all YYYY-MM-DD dates → date32 (DuckDB sniffs dates the same way); any mix of kinds,
// other strings, nested objects or arrays, or nothing but null → utf8.
import { ByteBuf } from "./bytes";
import { Column, T_BOOL, T_DATE32, T_FLOAT64, T_INT64, T_UTF8 } from "./columns";
import { showByte } from "./errors";
import { lexError, numberIsInteger, scanNumber, scanString, skipValue, skipWs } from "./lexer";
import { intOverflow, parseDate, parseInt64 } from "./numbers";

const F_BOOL = 1;
const F_INT = 2;
const F_FLOAT = 4;
const F_DATE = 8;
const F_OTHER = 16; // non-date strings, nested values

export let inferError: string = "";

export class Seen {
  flags: i32 = 0;
  constructor(public name: ByteBuf) {}
}

const key = new ByteBuf(64);
const text = new ByteBuf(64);

function flagsOf(p: usize, end: usize): i32 {
  const c = <u32>load<u8>(p);
  if (c == 34) {
    text.reset();
    if (scanString(p + 1, end, text) == 0) return -1;
    return parseDate(text.ptr, text.len) == i32.MIN_VALUE ? F_OTHER : F_DATE;
  }
  if (c == 116 || c == 102) return F_BOOL;
  if (c == 110) return 0;
  if (c == 45 || c - 48 < 10) {
    const q = scanNumber(p, end);
    if (q == 0) return -1;
    if (!numberIsInteger) return F_FLOAT;
    parseInt64(p, q);
    return intOverflow ? F_FLOAT : F_INT;
  }
  return F_OTHER; // objects and arrays; skipValue below validates them
}

/** Adds the keys and value kinds of the object on [p, end) to `seen`; false on bad JSON. */
export function inferLine(seen: Array<Seen>, p: usize, end: usize): bool {
  p = skipWs(p, end);
  if (p >= end || load<u8>(p) != 123) {
    inferError = "expected a JSON object ('{'), found " + (p >= end ? "nothing" : showByte(load<u8>(p)));
    return false;
  }
  p = skipWs(p + 1, end);
  if (p < end && load<u8>(p) == 125) return trailing(p + 1, end);
  while (true) {
    if (p >= end || load<u8>(p) != 34) {
      inferError = "expected a quoted key";
      return false;
    }
    key.reset();
    p = scanString(p + 1, end, key);
    if (p == 0) return lexFailed();
    p = skipWs(p, end);
    if (p >= end || load<u8>(p) != 58) {
      inferError = "expected ':' after key \"" + key.toString() + '"';
      return false;
    }
    p = skipWs(p + 1, end);
    if (p >= end) {
      inferError = "a value is missing after key \"" + key.toString() + '"';
      return false;
    }
    const f = flagsOf(p, end);
    if (f < 0) return lexFailed();
    const q = skipValue(p, end);
    if (q == 0) return lexFailed();
    p = skipWs(q, end);
    let entry: Seen | null = null;
    for (let i = 0; i < seen.length; i++) {
      if (seen[i].name.equals(key.ptr, key.len)) entry = seen[i];
    }
    if (entry == null) {
      const name = new ByteBuf(key.len + 1);
      name.append(key.ptr, key.len);
      entry = new Seen(name);
      seen.push(entry);
    }
    entry.flags |= f;
    if (p < end && load<u8>(p) == 44) {
      p = skipWs(p + 1, end);
      continue;
    }
    if (p < end && load<u8>(p) == 125) return trailing(p + 1, end);
    inferError = "expected ',' or '}'";
    return false;
  }
}

function trailing(p: usize, end: usize): bool {
  p = skipWs(p, end);
  if (p < end) {
    inferError = "unexpected " + showByte(load<u8>(p)) + " after the object (one object per line)";
    return false;
  }
  return true;
}

function lexFailed(): bool {
  inferError = lexError;
  return false;
}

/** The columns `seen` describes, all nullable. */
export function inferredColumns(seen: Array<Seen>): Array<Column> {
  const cols = new Array<Column>();
  for (let i = 0; i < seen.length; i++) {
    const f = seen[i].flags;
    let t = T_UTF8;
    if (f == F_BOOL) t = T_BOOL;
    else if (f == F_INT) t = T_INT64;
    else if (f != 0 && (f & ~(F_INT | F_FLOAT)) == 0) t = T_FLOAT64;
    else if (f == F_DATE) t = T_DATE32;
    cols.push(new Column(seen[i].name, t, true));
  }
  return cols;
}
