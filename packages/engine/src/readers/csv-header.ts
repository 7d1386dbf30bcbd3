/**
 * The header line of a CSV object: column names, where the data starts, and the small amount of
 * dialect the reader needs (BOM, delimiter). Parsed in JS: it is one record, read once per object.
 */
import { CorruptDataError } from '@pushdown/proto';

export interface CsvHeader {
  readonly names: readonly string[];
  /** Byte offset of the first data record (after the BOM and the header's line ending). */
  readonly dataOffset: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Parses the header record at the start of `bytes` (a prefix of the object). `complete` says
 * whether `bytes` is the whole object; a header that does not end inside an incomplete prefix is
 * reported as too long.
 */
export function parseCsvHeader(bytes: Uint8Array, delimiter: number, complete: boolean): CsvHeader {
  let p = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (p >= bytes.length) throw new CorruptDataError('not a CSV file with a header: the object is empty');
  const names: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const text = (a: number, b: number): string => {
    try {
      return decoder.decode(bytes.subarray(a, b));
    } catch (cause) {
      throw new CorruptDataError('line 1: the CSV header is not valid UTF-8', { cause });
    }
  };
  for (;;) {
    let name: string;
    if (bytes[p] === QUOTE) {
      let q = p + 1;
      const parts: string[] = [];
      let from = q;
      for (;;) {
        if (q >= bytes.length) {
          throw complete
            ? new CorruptDataError(`line 1: unterminated quoted field starting at byte ${p} of the header`)
            : new CorruptDataError(`line 1: the CSV header is longer than ${bytes.length} bytes`);
        }
        if (bytes[q] === QUOTE) {
          if (bytes[q + 1] === QUOTE) {
            parts.push(text(from, q + 1));
            q += 2;
            from = q;
            continue;
          }
          break;
        }
        q++;
      }
      parts.push(text(from, q));
      name = parts.join('');
      p = q + 1;
      const c = bytes[p];
      if (p < bytes.length && c !== delimiter && c !== LF && c !== CR) {
        throw new CorruptDataError(
          `line 1: unexpected character after the closing quote of header field ${names.length + 1}`,
        );
      }
    } else {
      let q = p;
      while (q < bytes.length && bytes[q] !== delimiter && bytes[q] !== LF && bytes[q] !== CR) q++;
      name = text(p, q);
      p = q;
    }
    names.push(name);
    if (p >= bytes.length) {
      if (!complete)
        throw new CorruptDataError(`line 1: the CSV header is longer than ${bytes.length} bytes`);
      break;
    }
    const c = bytes[p];
    if (c === delimiter) {
      p++;
      continue;
    }
    p += c === CR && bytes[p + 1] === LF ? 2 : 1;
    break;
  }
  if (names.length === 1 && names[0] === '')
    throw new CorruptDataError('line 1: the CSV header line is empty');
  const seen = new Set<string>();
  for (const [i, n] of names.entries()) {
    if (n === '')
      throw new CorruptDataError(`line 1: header field ${i + 1} is empty; every column needs a name`);
    if (seen.has(n)) throw new CorruptDataError(`line 1: duplicate column name "${n}" in the CSV header`);
    seen.add(n);
  }
  return { names, dataOffset: p };
}
