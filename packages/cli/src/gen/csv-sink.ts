/**
 * CSV output (RFC 4180 quoting): a header line, comma delimiter, a field is quoted only when it
 * must be (it contains a comma, a quote, CR or LF, starts or ends with a space, or is empty,
 * which a reader would otherwise take for NULL), quotes doubled inside. Records end with LF,
 * not RFC 4180's CRLF: what DuckDB, pandas and Arrow write, and one byte less per row.
 * Dates are yyyy-mm-dd; float64 columns with a `scale` print exactly that many decimals.
 *
 * Rows are encoded straight to bytes into one reused buffer per batch: no per-field strings,
 * which is what makes CSV cheap enough to write next to Parquet.
 */
import { AtomicFile } from './atomic-file.js';
import type { BatchSink } from './batch-sink.js';
import type { ColumnBatch, GenSchema, Utf8Column } from './column-batch.js';
import { TPCH_DATE_TEXT } from './dates.js';

// Builtins bound once: hot paths then avoid global lookups, which are slow inside vm contexts
// (jest runs tests in one) and free elsewhere.
const { floor, round, abs } = Math;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
/** Widest text of a number we format: sign + 17 digits + point + decimals, with margin. */
const MAX_NUMBER_BYTES = 32;
const K_UTF8 = 0;
const K_DATE = 1;
const K_INT = 2;
const K_FLOAT = 3;
const K_INT32 = 4;

export class CsvSink implements BatchSink {
  private buf = new Uint8Array(0);
  private readonly digits = new Uint8Array(24);

  private constructor(
    private readonly fileOrNone: AtomicFile | undefined,
    private readonly schema: GenSchema,
  ) {}

  get path(): string {
    return this.file.path;
  }

  private get file(): AtomicFile {
    if (!this.fileOrNone) throw new Error('this CSV encoder has no file');
    return this.fileOrNone;
  }

  static async create(path: string, schema: GenSchema): Promise<CsvSink> {
    const file = await AtomicFile.create(path);
    const sink = new CsvSink(file, schema);
    try {
      const header = schema.map((f) => quoteText(f.name)).join(',') + '\n';
      await file.write(Buffer.from(header, 'utf8'));
    } catch (err) {
      await file.abort();
      throw err;
    }
    return sink;
  }

  async write(batch: ColumnBatch): Promise<void> {
    if (batch.length === 0) return;
    const bytes = this.encode(batch);
    await this.file.write(bytes);
  }

  /** Appends rows already encoded by `encode` (possibly by another CsvSink, in a worker). */
  async writeEncoded(bytes: Uint8Array): Promise<void> {
    await this.file.write(bytes);
  }

  /** An encoder with no file behind it (workers encode, the main thread writes). */
  static encoder(schema: GenSchema): Pick<CsvSink, 'encode'> {
    return new CsvSink(undefined, schema);
  }

  async close(): Promise<number> {
    await this.file.commit();
    return this.file.bytesWritten;
  }

  abort(): Promise<void> {
    return this.file.abort();
  }

  /** Encodes all rows of `batch`; the returned view is valid until the next call. */
  encode(batch: ColumnBatch): Uint8Array {
    const rows = batch.length;
    const schema = this.schema;
    let bound = rows; // line feeds
    for (let c = 0; c < schema.length; c++) {
      const col = batch.columns[c]!;
      if (schema[c]!.type === 'utf8') {
        const u = col as Utf8Column;
        bound += 2 * (u.offsets[rows]! - u.offsets[0]!) + 3 * rows;
      } else {
        bound += (MAX_NUMBER_BYTES + 1) * rows;
      }
    }
    if (this.buf.length < bound) this.buf = new Uint8Array(Math.ceil(bound * 1.25));
    // Split columns by physical kind so every array access in the row loop is monomorphic
    // (a single `columns[c][r]` site sees four array shapes and is several times slower).
    const kinds = new Uint8Array(schema.length);
    const slots = new Uint16Array(schema.length);
    const scales: (number | undefined)[] = [];
    const ints: Float64Array[] = [];
    const smallInts: Int32Array[] = [];
    const floats: Float64Array[] = [];
    const dates: Int32Array[] = [];
    const texts: Utf8Column[] = [];
    for (let c = 0; c < schema.length; c++) {
      const field = schema[c]!;
      const col = batch.columns[c]!;
      switch (field.type) {
        case 'utf8':
          kinds[c] = K_UTF8;
          slots[c] = texts.push(col as Utf8Column) - 1;
          break;
        case 'date32':
          kinds[c] = K_DATE;
          slots[c] = dates.push(col as Int32Array) - 1;
          break;
        case 'int32':
          kinds[c] = K_INT32;
          slots[c] = smallInts.push(col as Int32Array) - 1;
          break;
        case 'int64':
          kinds[c] = K_INT;
          slots[c] = ints.push(col as Float64Array) - 1;
          break;
        case 'float64':
          kinds[c] = K_FLOAT;
          slots[c] = floats.push(col as Float64Array) - 1;
          scales.push(field.scale);
          break;
        case 'bool':
          throw new TypeError('bool columns are not used by the TPC-H generator');
      }
    }
    const out = this.buf;
    const dateText = TPCH_DATE_TEXT;
    let pos = 0;
    const last = schema.length - 1;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c <= last; c++) {
        const slot = slots[c]!;
        switch (kinds[c]) {
          case K_UTF8:
            pos = writeUtf8(out, pos, texts[slot]!, r);
            break;
          case K_DATE:
            pos = dateText.write(dates[slot]![r]!, out, pos);
            break;
          case K_INT:
            pos = this.writeInt(out, pos, ints[slot]![r]!);
            break;
          case K_INT32:
            pos = this.writeInt(out, pos, smallInts[slot]![r]!);
            break;
          default:
            pos = this.writeFloat(out, pos, floats[slot]![r]!, scales[slot]);
        }
        out[pos++] = c === last ? LF : COMMA;
      }
    }
    return out.subarray(0, pos);
  }

  private writeInt(out: Uint8Array, pos: number, n: number): number {
    if (n < 0) {
      out[pos++] = MINUS;
      n = -n;
    }
    const d = this.digits;
    let k = 0;
    do {
      const q = floor(n / 10);
      d[k++] = ZERO + (n - q * 10);
      n = q;
    } while (n > 0);
    while (k > 0) out[pos++] = d[--k]!;
    return pos;
  }

  private writeFloat(out: Uint8Array, pos: number, v: number, scale: number | undefined): number {
    const finite = v - v === 0; // false for NaN and ±Infinity, without a global lookup
    if (scale === undefined || !finite || abs(v) * 10 ** scale >= MAX_SAFE) {
      return writeAscii(out, pos, scale === undefined || !finite ? String(v) : v.toFixed(scale));
    }
    const pow = 10 ** scale;
    let units = round(v * pow);
    if (units < 0) {
      out[pos++] = MINUS;
      units = -units;
    }
    const whole = floor(units / pow);
    pos = this.writeInt(out, pos, whole);
    if (scale === 0) return pos;
    out[pos++] = DOT;
    let frac = units - whole * pow;
    for (let i = scale - 1; i >= 0; i--) {
      const q = floor(frac / 10);
      out[pos + i] = ZERO + (frac - q * 10);
      frac = q;
    }
    return pos + scale;
  }
}

function writeUtf8(out: Uint8Array, pos: number, col: Utf8Column, r: number): number {
  const bytes = col.bytes;
  const start = col.offsets[r]!;
  const end = col.offsets[r + 1]!;
  let quote = start === end || bytes[start] === SPACE || bytes[end - 1] === SPACE;
  for (let i = start; !quote && i < end; i++) {
    const b = bytes[i]!;
    quote = b === COMMA || b === QUOTE || b === LF || b === CR;
  }
  if (!quote) {
    for (let i = start; i < end; i++) out[pos++] = bytes[i]!;
    return pos;
  }
  out[pos++] = QUOTE;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b === QUOTE) out[pos++] = QUOTE;
    out[pos++] = b;
  }
  out[pos++] = QUOTE;
  return pos;
}

function writeAscii(out: Uint8Array, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) out[pos++] = s.charCodeAt(i);
  return pos;
}

/** Quotes a header name the same way as a value. */
function quoteText(s: string): string {
  return s === '' || /[",\r\n]|^ | $/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
