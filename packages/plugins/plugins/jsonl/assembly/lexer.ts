// JSON tokens over [p, end) byte ranges. Each scanner returns the pointer just past its token, or
// 0 when the bytes are not valid JSON; `lexError` then says why (the caller adds the line).
// Strings are unescaped into a ByteBuf on the way (\" \\ \/ \b \f \n \r \t and \uXXXX, with
// surrogate pairs joined into one code point); raw bytes >= 0x80 are copied as they are.
import { ByteBuf } from "./bytes";
import { showByte } from "./errors";

export let lexError: string = "";
/** Set by scanNumber: the token had no fraction and no exponent. */
export let numberIsInteger: bool = false;

@inline export function skipWs(p: usize, end: usize): usize {
  while (p < end) {
    const c = load<u8>(p);
    if (c != 32 && c != 9 && c != 10 && c != 13) break;
    p++;
  }
  return p;
}

function hex4(p: usize): i32 {
  let v = 0;
  for (let i: usize = 0; i < 4; i++) {
    const c = <i32>load<u8>(p + i);
    let d: i32;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else return -1;
    v = (v << 4) | d;
  }
  return v;
}

/** p is just past the opening quote; unescapes into `dst` (when not null). */
export function scanString(p: usize, end: usize, dst: ByteBuf | null): usize {
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c == 34) return p + 1;
    if (c < 0x20) {
      lexError = "control character " + showByte(c) + " inside a string (escape it)";
      return 0;
    }
    if (c != 92) {
      if (dst) dst.push(c);
      p++;
      continue;
    }
    if (p + 1 >= end) break;
    const e = <u32>load<u8>(p + 1);
    p += 2;
    let out: u32 = 0xffffffff;
    if (e == 34 || e == 92 || e == 47) out = e;
    else if (e == 98) out = 8;
    else if (e == 102) out = 12;
    else if (e == 110) out = 10;
    else if (e == 114) out = 13;
    else if (e == 116) out = 9;
    else if (e == 117) {
      const hi = p + 4 <= end ? hex4(p) : -1;
      if (hi < 0) {
        lexError = "\\u must be followed by 4 hex digits";
        return 0;
      }
      p += 4;
      let cp = <u32>hi;
      if (cp >= 0xd800 && cp < 0xdc00) {
        const lo = p + 6 <= end && load<u8>(p) == 92 && load<u8>(p + 1) == 117 ? hex4(p + 2) : -1;
        if (lo < 0xdc00 || lo >= 0xe000) {
          lexError = "\\u" + hi.toString(16) + " is a high surrogate without its low half";
          return 0;
        }
        cp = 0x10000 + ((cp - 0xd800) << 10) + (<u32>lo - 0xdc00);
        p += 6;
      } else if (cp >= 0xdc00 && cp < 0xe000) {
        lexError = "\\u" + hi.toString(16) + " is a low surrogate without its high half";
        return 0;
      }
      if (dst) dst.pushCodePoint(cp);
      continue;
    } else {
      lexError = "unknown escape \\" + String.fromCharCode(<i32>e);
      return 0;
    }
    if (dst) dst.push(out);
  }
  lexError = "unterminated string";
  return 0;
}

@inline function isDigit(c: u32): bool {
  return c - 48 < 10;
}

/** A JSON number token (RFC 8259 grammar: no leading zeros, no '+', no bare '.'). */
export function scanNumber(p: usize, end: usize): usize {
  numberIsInteger = true;
  if (p < end && load<u8>(p) == 45) p++;
  if (p >= end || !isDigit(load<u8>(p))) {
    lexError = "a number needs a digit after '-'";
    return 0;
  }
  if (load<u8>(p) == 48 && p + 1 < end && isDigit(load<u8>(p + 1))) {
    lexError = "numbers may not have leading zeros";
    return 0;
  }
  while (p < end && isDigit(load<u8>(p))) p++;
  if (p < end && load<u8>(p) == 46) {
    numberIsInteger = false;
    p++;
    if (p >= end || !isDigit(load<u8>(p))) {
      lexError = "a number needs digits after '.'";
      return 0;
    }
    while (p < end && isDigit(load<u8>(p))) p++;
  }
  if (p < end && (load<u8>(p) | 32) == 101) {
    numberIsInteger = false;
    p++;
    if (p < end && (load<u8>(p) == 43 || load<u8>(p) == 45)) p++;
    if (p >= end || !isDigit(load<u8>(p))) {
      lexError = "a number needs digits in its exponent";
      return 0;
    }
    while (p < end && isDigit(load<u8>(p))) p++;
  }
  return p;
}

/** `word` (true, false, null) at p, checked byte by byte. */
export function scanWord(p: usize, end: usize, word: string): usize {
  const n = <usize>word.length;
  if (p + n > end) {
    lexError = "expected " + word;
    return 0;
  }
  for (let i: usize = 0; i < n; i++) {
    if (<i32>load<u8>(p + i) != word.charCodeAt(<i32>i)) {
      lexError = "expected " + word;
      return 0;
    }
  }
  return p + n;
}

/** Any JSON value at p (objects and arrays to any depth up to 512), without keeping it. */
export function skipValue(p: usize, end: usize, depth: i32 = 0): usize {
  if (p >= end) {
    lexError = "a value is missing";
    return 0;
  }
  const c = <u32>load<u8>(p);
  if (c == 34) return scanString(p + 1, end, null);
  if (c == 45 || isDigit(c)) return scanNumber(p, end);
  if (c == 116) return scanWord(p, end, "true");
  if (c == 102) return scanWord(p, end, "false");
  if (c == 110) return scanWord(p, end, "null");
  if (c != 123 && c != 91) {
    lexError = "unexpected " + showByte(c) + " where a value should be";
    return 0;
  }
  if (depth >= 512) {
    lexError = "values nested deeper than 512 levels";
    return 0;
  }
  const close: u32 = c == 123 ? 125 : 93;
  p = skipWs(p + 1, end);
  if (p < end && <u32>load<u8>(p) == close) return p + 1;
  while (true) {
    if (c == 123) {
      if (p >= end || load<u8>(p) != 34) {
        lexError = "expected a quoted key";
        return 0;
      }
      p = scanString(p + 1, end, null);
      if (p == 0) return 0;
      p = skipWs(p, end);
      if (p >= end || load<u8>(p) != 58) {
        lexError = "expected ':' after a key";
        return 0;
      }
      p = skipWs(p + 1, end);
    }
    p = skipValue(p, end, depth + 1);
    if (p == 0) return 0;
    p = skipWs(p, end);
    if (p < end && load<u8>(p) == 44) {
      p = skipWs(p + 1, end);
      continue;
    }
    if (p < end && <u32>load<u8>(p) == close) return p + 1;
    lexError = "expected ',' or '" + String.fromCharCode(<i32>close) + "'";
    return 0;
  }
}
