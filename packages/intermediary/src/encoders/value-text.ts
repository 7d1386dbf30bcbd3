/**
 * How one Arrow column's values print in the text formats. One reader per column per batch,
 * chosen by the column's Arrow type, so the per-row loop does no type dispatch.
 *
 * - dates: yyyy-mm-dd; timestamps: ISO 8601 in UTC
 * - floats: the shortest text that reads back as the same double (JavaScript's Number#toString);
 *   NaN and infinities as NaN, Infinity, -Infinity (JSON: as strings, JSON has no such numbers)
 * - int64: exact decimal text; JSON uses a number when it is a safe integer, else a string
 * - NULL: `null` from `text()` (the CSV encoder writes an empty field), JSON null
 */
import { DataType, DateUnit, type Data, type Vector } from 'apache-arrow';

export interface CellFormatter {
  /** Text of the value for CSV, or null for SQL NULL. */
  text(row: number): string | null;
  /** JSON text of the value. */
  json(row: number): string;
}

const MS_PER_DAY = 86_400_000;

/** yyyy-mm-dd of a day number since 1970-01-01 (proleptic Gregorian, as Arrow date32 means). */
export function formatDays(days: number): string {
  // Howard Hinnant's civil_from_days: exact for every day number, no Date object.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const yyyy = y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : String(y);
  return `${yyyy}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function formatFloat(x: number): string {
  // String() is the shortest round-trip form; it prints NaN/Infinity/-Infinity as such.
  return Object.is(x, -0) ? '-0' : String(x);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

function jsonBigInt(v: bigint): string {
  return v <= MAX_SAFE && v >= MIN_SAFE ? v.toString() : `"${v.toString()}"`;
}

function jsonFloat(x: number): string {
  return Number.isFinite(x) ? formatFloat(x) : `"${String(x)}"`;
}

export function cellFormatter(vector: Vector): CellFormatter {
  return (vector.data.length === 1 && fastFormatter(vector.data[0]!)) || genericFormatter(vector);
}

/**
 * Reads the buffers of a single-chunk column directly: Vector#get and #isValid cost several
 * times more per cell, and text results can be millions of cells.
 */
function fastFormatter(data: Data): CellFormatter | null {
  const type = data.type;
  const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
  const off = data.offset;
  const valid = bitmap ? (i: number) => ((bitmap[(off + i) >> 3]! >> ((off + i) & 7)) & 1) === 1 : () => true;
  const make = (text: (i: number) => string, json: (i: number) => string): CellFormatter => ({
    text: (i) => (valid(i) ? text(i) : null),
    json: (i) => (valid(i) ? json(i) : 'null'),
  });
  if (DataType.isInt(type) && type.bitWidth <= 32) {
    const v = data.values as Int32Array;
    return make(
      (i) => String(v[i]),
      (i) => String(v[i]),
    );
  }
  if (DataType.isInt(type) && type.bitWidth === 64) {
    const v = data.values as unknown as BigInt64Array | BigUint64Array;
    return make(
      (i) => v[i]!.toString(),
      (i) => jsonBigInt(v[i]!),
    );
  }
  if (DataType.isFloat(type) && type.precision !== 0) {
    const v = data.values as Float64Array | Float32Array;
    return make(
      (i) => formatFloat(v[i]!),
      (i) => jsonFloat(v[i]!),
    );
  }
  if (DataType.isDate(type) && type.unit === DateUnit.DAY) {
    const v = data.values as Int32Array;
    return make(
      (i) => formatDays(v[i]!),
      (i) => `"${formatDays(v[i]!)}"`,
    );
  }
  if (DataType.isUtf8(type)) {
    const offsets = data.valueOffsets as Int32Array;
    const values = data.values as Uint8Array;
    const buf = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    const str = (i: number) => buf.toString('utf8', offsets[i]!, offsets[i + 1]!);
    return make(str, (i) => JSON.stringify(str(i)));
  }
  return null;
}

function genericFormatter(vector: Vector): CellFormatter {
  const type = vector.type;
  const valid = (i: number) => vector.isValid(i);
  const make = (text: (v: unknown) => string, json: (v: unknown) => string): CellFormatter => ({
    text: (i) => (valid(i) ? text(vector.get(i)) : null),
    json: (i) => (valid(i) ? json(vector.get(i)) : 'null'),
  });
  if (DataType.isDictionary(type)) {
    return make(
      (v) => String(v),
      (v) => JSON.stringify(v),
    );
  }
  if (DataType.isBool(type)) {
    return make(
      (v) => (v ? 'true' : 'false'),
      (v) => (v ? 'true' : 'false'),
    );
  }
  if (DataType.isInt(type)) {
    return make(
      (v) => String(v),
      (v) => (typeof v === 'bigint' ? jsonBigInt(v) : String(v)),
    );
  }
  if (DataType.isFloat(type)) {
    return make(
      (v) => formatFloat(Number(v)),
      (v) => jsonFloat(Number(v)),
    );
  }
  if (DataType.isDate(type)) {
    // Arrow JS returns dates (day or millisecond unit) as epoch milliseconds.
    const days = (v: unknown) =>
      type.unit === DateUnit.DAY ? Math.round(Number(v) / MS_PER_DAY) : Math.floor(Number(v) / MS_PER_DAY);
    return make(
      (v) => formatDays(days(v)),
      (v) => `"${formatDays(days(v))}"`,
    );
  }
  if (DataType.isTimestamp(type)) {
    const iso = (v: unknown) => new Date(Number(v)).toISOString();
    return make(iso, (v) => `"${iso(v)}"`);
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) {
    return make(
      (v) => v as string,
      (v) => JSON.stringify(v),
    );
  }
  return make(
    (v) => (typeof v === 'bigint' ? v.toString() : String(v)),
    (v) => (typeof v === 'bigint' ? jsonBigInt(v) : (JSON.stringify(v) ?? 'null')),
  );
}
