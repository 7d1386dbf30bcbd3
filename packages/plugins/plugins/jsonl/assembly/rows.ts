// One line → one row: a flat JSON object whose keys name columns. Keys the schema does not know
// are skipped (still validated); a missing key or null gives null; a repeated key is an error.
// Values must suit their column: int64/int32 take integer numbers, float64 any number, bool
// true/false, date32 "YYYY-MM-DD" strings, and utf8 takes anything: strings unescaped, other
// values (numbers, true/false, nested objects and arrays) as their JSON text.
import { ByteBuf } from "./bytes";
import { Column, T_BOOL, T_DATE32, T_FLOAT64, T_INT32, T_UTF8, typeName } from "./columns";
import { showByte } from "./errors";
import { lexError, numberIsInteger, scanNumber, scanString, scanWord, skipValue, skipWs } from "./lexer";
import { intOverflow, parseDate, parseFloat64, parseInt64 } from "./numbers";

export let rowError: string = "";

const key = new ByteBuf(64);
const scratch = new ByteBuf(64);

function colName(col: Column): string {
  return '"' + col.name.toString() + '"';
}

function kindOf(c: u32): string {
  if (c == 34) return "a string";
  if (c == 123) return "an object";
  if (c == 91) return "an array";
  if (c == 116 || c == 102) return "a boolean";
  return "a number";
}

/** The column named by `key`, trying `hint` first (lines usually repeat one key order). */
function find(cols: Array<Column>, hint: i32): i32 {
  const n = cols.length;
  for (let k = 0; k < n; k++) {
    const i = (hint + k) % n;
    if (cols[i].name.equals(key.ptr, key.len)) return i;
  }
  return -1;
}

/** Parses the object on [p, end) into one row of `cols`; false (and rowError) when it cannot. */
export function parseRow(cols: Array<Column>, p: usize, end: usize): bool {
  p = skipWs(p, end);
  if (p >= end || load<u8>(p) != 123) {
    rowError = "expected a JSON object ('{'), found " + (p >= end ? "nothing" : showByte(load<u8>(p)));
    return false;
  }
  for (let i = 0; i < cols.length; i++) cols[i].seen = false;
  p = skipWs(p + 1, end);
  let hint = 0;
  if (p < end && load<u8>(p) == 125) {
    p++;
  } else {
    while (true) {
      if (p >= end || load<u8>(p) != 34) {
        rowError = "expected a quoted key, found " + (p >= end ? "the end of the line" : showByte(load<u8>(p)));
        return false;
      }
      key.reset();
      p = scanString(p + 1, end, key);
      if (p == 0) return lexFailed();
      p = skipWs(p, end);
      if (p >= end || load<u8>(p) != 58) {
        rowError = "expected ':' after key \"" + key.toString() + '"';
        return false;
      }
      p = skipWs(p + 1, end);
      const i = find(cols, hint);
      if (i < 0) {
        p = skipValue(p, end);
        if (p == 0) return lexFailed();
      } else {
        const col = cols[i];
        if (col.seen) {
          rowError = "key " + colName(col) + " appears twice";
          return false;
        }
        col.seen = true;
        hint = i + 1;
        p = valueInto(col, p, end);
        if (p == 0) return false;
      }
      p = skipWs(p, end);
      if (p < end && load<u8>(p) == 44) {
        p = skipWs(p + 1, end);
        continue;
      }
      if (p < end && load<u8>(p) == 125) {
        p++;
        break;
      }
      rowError = "expected ',' or '}', found " + (p >= end ? "the end of the line" : showByte(load<u8>(p)));
      return false;
    }
  }
  p = skipWs(p, end);
  if (p < end) {
    rowError = "unexpected " + showByte(load<u8>(p)) + " after the object (one object per line)";
    return false;
  }
  for (let i = 0; i < cols.length; i++) {
    const col = cols[i];
    if (col.seen) continue;
    if (!col.nullable) {
      rowError = "key " + colName(col) + " is missing but the column is not nullable";
      return false;
    }
    col.appendNull();
  }
  return true;
}

function lexFailed(): bool {
  rowError = lexError;
  return false;
}

/** A value the column cannot take; malformed JSON is reported as such, not as a wrong kind. */
function mismatch(col: Column, p: usize, end: usize): usize {
  if (skipValue(p, end) == 0) return <usize>lexFailed();
  rowError = "column " + colName(col) + " is " + typeName(col.type) + ", got " + kindOf(<u32>load<u8>(p));
  return 0;
}

/** One value at p into `col`; returns the pointer past it, or 0 (rowError set). */
function valueInto(col: Column, p: usize, end: usize): usize {
  if (p >= end) {
    rowError = "a value is missing after key " + colName(col);
    return 0;
  }
  const c = <u32>load<u8>(p);
  let q: usize = 0;
  if (c == 110) {
    q = scanWord(p, end, "null");
    if (q == 0) return <usize>lexFailed();
    if (!col.nullable) {
      rowError = "column " + colName(col) + " is not nullable, got null";
      return 0;
    }
    col.appendNull();
    return q;
  }
  const t = col.type;
  if (t == T_UTF8) {
    if (c == 34) {
      q = scanString(p + 1, end, col.data);
    } else {
      q = skipValue(p, end);
      if (q != 0) col.data.append(p, q - p); // the value's JSON text
    }
    if (q == 0) return <usize>lexFailed();
    col.endString();
    return q;
  }
  if (t == T_BOOL) {
    if (c != 116 && c != 102) return mismatch(col, p, end);
    q = scanWord(p, end, c == 116 ? "true" : "false");
    if (q == 0) return <usize>lexFailed();
    col.appendBool(c == 116);
    return q;
  }
  if (t == T_DATE32) {
    if (c != 34) return mismatch(col, p, end);
    scratch.reset();
    q = scanString(p + 1, end, scratch);
    if (q == 0) return <usize>lexFailed();
    const days = parseDate(scratch.ptr, scratch.len);
    if (days == i32.MIN_VALUE) {
      rowError = "column " + colName(col) + ' is date32, but "' + scratch.toString() + '" is not a YYYY-MM-DD date';
      return 0;
    }
    col.appendI32(days);
    return q;
  }
  if (c != 45 && c - 48 >= 10) return mismatch(col, p, end);
  q = scanNumber(p, end);
  if (q == 0) return <usize>lexFailed();
  if (t == T_FLOAT64) {
    col.appendF64(parseFloat64(p, q));
    return q;
  }
  // Message text is built only on failure: the stub allocator never frees, so nothing per row.
  if (!numberIsInteger) {
    rowError = "column " + colName(col) + " is " + typeName(t) + ", but " + String.UTF8.decodeUnsafe(p, q - p) + " is not an integer";
    return 0;
  }
  const v = parseInt64(p, q);
  if (intOverflow || (t == T_INT32 && (v < i32.MIN_VALUE || v > i32.MAX_VALUE))) {
    rowError = "column " + colName(col) + " is " + typeName(t) + ", but " + String.UTF8.decodeUnsafe(p, q - p) + " is out of its range";
    return 0;
  }
  if (t == T_INT32) col.appendI32(<i32>v);
  else col.appendI64(v);
  return q;
}
