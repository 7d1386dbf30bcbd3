// The schema as JSON text both ways: PUSHDOWN_SCHEMA (the declared schema the host passes,
// `[{"name":"a","type":"int64","nullable":true}, ...]`) in, and the same shape out of schema().
import { ByteBuf } from "./bytes";
import { Column, typeCode, typeName } from "./columns";
import { lexError, scanString, scanWord, skipValue, skipWs } from "./lexer";

export let schemaError: string = "";

function bad(why: string): Array<Column> | null {
  schemaError = why;
  return null;
}

/** Columns of a declared schema, or null (schemaError says why). */
export function parseSchema(text: string): Array<Column> | null {
  const bytes = String.UTF8.encode(text);
  let p = changetype<usize>(bytes);
  const end = p + <usize>bytes.byteLength;
  const cols = new Array<Column>();
  p = skipWs(p, end);
  if (p >= end || load<u8>(p) != 91) return bad("must be a JSON array of {name, type, nullable}");
  p = skipWs(p + 1, end);
  if (p < end && load<u8>(p) == 93) return cols;
  const key = new ByteBuf(16);
  const value = new ByteBuf(16);
  while (true) {
    if (p >= end || load<u8>(p) != 123) return bad("field " + cols.length.toString() + " must be an object");
    p = skipWs(p + 1, end);
    let name: ByteBuf | null = null;
    let type = -1;
    let nullable = true;
    while (p < end && load<u8>(p) == 34) {
      key.reset();
      p = scanString(p + 1, end, key);
      if (p == 0) return bad(lexError);
      p = skipWs(p, end);
      if (p >= end || load<u8>(p) != 58) return bad("expected ':'");
      p = skipWs(p + 1, end);
      const k = key.toString();
      if ((k == "name" || k == "type") && p < end && load<u8>(p) == 34) {
        value.reset();
        p = scanString(p + 1, end, value);
        if (p == 0) return bad(lexError);
        if (k == "name") {
          name = new ByteBuf(value.len + 1);
          name.append(value.ptr, value.len);
        } else {
          type = typeCode(value.toString());
          if (type < 0) return bad("type \"" + value.toString() + "\" of field " + cols.length.toString() + " is not one of bool, int32, int64, float64, date32, utf8");
        }
      } else if (k == "nullable" && p < end && (load<u8>(p) == 116 || load<u8>(p) == 102)) {
        nullable = load<u8>(p) == 116;
        p = scanWord(p, end, nullable ? "true" : "false");
      } else {
        p = skipValue(p, end); // other keys (e.g. a description) are allowed and ignored
      }
      if (p == 0) return bad(lexError);
      p = skipWs(p, end);
      if (p < end && load<u8>(p) == 44) p = skipWs(p + 1, end);
    }
    if (p >= end || load<u8>(p) != 125) return bad("field " + cols.length.toString() + " is not a flat object");
    if (name == null || type < 0) return bad("field " + cols.length.toString() + " needs a string name and type");
    cols.push(new Column(name, type, nullable));
    p = skipWs(p + 1, end);
    if (p < end && load<u8>(p) == 44) {
      p = skipWs(p + 1, end);
      continue;
    }
    if (p < end && load<u8>(p) == 93) return cols;
    return bad("expected ',' or ']' after field " + cols.length.toString());
  }
}

/** A JSON string literal of the bytes in `s` (quotes, backslashes and controls escaped). */
function quote(out: ByteBuf, s: ByteBuf): void {
  out.push(34);
  for (let i: usize = 0; i < s.len; i++) {
    const c = <u32>load<u8>(s.ptr + i);
    if (c == 34 || c == 92) {
      out.push(92);
      out.push(c);
    } else if (c < 0x20) {
      out.appendString("\\u00" + (c < 16 ? "0" : "") + c.toString(16));
    } else {
      out.push(c);
    }
  }
  out.push(34);
}

/** `[{"name":...,"type":...,"nullable":...}, ...]` of `cols`. */
export function schemaJson(cols: Array<Column>): ByteBuf {
  const out = new ByteBuf(256);
  out.push(91);
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    if (i > 0) out.push(44);
    out.appendString('{"name":');
    quote(out, c.name);
    out.appendString(',"type":"' + typeName(c.type) + '","nullable":' + (c.nullable ? "true" : "false") + "}");
  }
  out.push(93);
  return out;
}
