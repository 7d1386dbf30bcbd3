/**
 * Turns an apache-arrow Table into box-table columns and text cells: floats in shortest
 * round-trip form, dates as yyyy-mm-dd, decimals with their scale, NULL for nulls.
 */
import { DataType, Type, type Field, type Table } from 'apache-arrow';
import { formatBoxTable, type BoxColumn, type BoxTableOptions } from './box-table.js';

/** Lower-case type names close to the engine's and DuckDB's. */
export function typeName(type: DataType): string {
  switch (type.typeId) {
    case Type.Int:
    case Type.Int8:
    case Type.Int16:
    case Type.Int32:
    case Type.Int64:
    case Type.Uint8:
    case Type.Uint16:
    case Type.Uint32:
    case Type.Uint64: {
      const t = type as unknown as { bitWidth: number; isSigned: boolean };
      return `${t.isSigned ? 'int' : 'uint'}${t.bitWidth}`;
    }
    case Type.Float:
    case Type.Float16:
    case Type.Float32:
    case Type.Float64:
      return DataType.isFloat(type) && (type as unknown as { precision: number }).precision === 1
        ? 'float32'
        : 'float64';
    case Type.Decimal: {
      const t = type as unknown as { precision: number; scale: number };
      return `decimal(${t.precision},${t.scale})`;
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'utf8';
    case Type.Bool:
      return 'bool';
    case Type.Date:
    case Type.DateDay:
    case Type.DateMillisecond:
      return 'date32';
    case Type.Timestamp:
    case Type.TimestampSecond:
    case Type.TimestampMillisecond:
    case Type.TimestampMicrosecond:
    case Type.TimestampNanosecond:
      return 'timestamp';
    case Type.Dictionary:
      return typeName((type as unknown as { dictionary: DataType }).dictionary);
    default:
      return String(type).toLowerCase();
  }
}

function isNumeric(type: DataType): boolean {
  if (DataType.isDictionary(type)) return isNumeric(type.dictionary);
  return DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type);
}

/** One value as text. */
export function formatValue(value: unknown, type: DataType): string {
  if (value === null || value === undefined) return 'NULL';
  if (DataType.isDictionary(type)) return formatValue(value, type.dictionary);
  if (DataType.isDecimal(type)) return decimalText(String(value), type.scale);
  if (DataType.isDate(type) && typeof value === 'number') return new Date(value).toISOString().slice(0, 10);
  if (DataType.isTimestamp(type) && typeof value === 'number') {
    return new Date(value)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.000Z$|Z$/, '');
  }
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** Shortest round-trip form (JS's own), without exponent for ordinary magnitudes. */
export function numberText(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}

/** `12345` with scale 2 → `123.45`. */
export function decimalText(unscaled: string, scale: number): string {
  if (scale <= 0) return unscaled;
  const neg = unscaled.startsWith('-');
  const digits = (neg ? unscaled.slice(1) : unscaled).padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Columns and text rows of an Arrow table (at most `limit` rows). */
export function tableCells(table: Table, limit = Infinity): { columns: BoxColumn[]; rows: string[][] } {
  const fields: Field[] = table.schema.fields;
  const columns = fields.map((f) => ({
    name: f.name,
    type: typeName(f.type),
    align: isNumeric(f.type) ? ('right' as const) : ('left' as const),
  }));
  const vectors = fields.map((_, i) => table.getChildAt(i));
  const n = Math.min(table.numRows, limit);
  const rows: string[][] = [];
  for (let r = 0; r < n; r++) {
    rows.push(fields.map((f, i) => formatValue(vectors[i]?.get(r), f.type)));
  }
  return { columns, rows };
}

/** The whole table as box text; rows beyond `maxRows` are elided in the middle. */
export function formatArrowTable(table: Table, options: BoxTableOptions = {}): string {
  const maxRows = options.maxRows ?? 40;
  if (table.numRows <= maxRows) {
    const { columns, rows } = tableCells(table);
    return formatBoxTable(columns, rows, options);
  }
  // Format only the rows that are shown: a million-row result must not build a million strings.
  const head = Math.ceil(maxRows / 2);
  const tail = maxRows - head;
  const { columns, rows: headRows } = tableCells(table.slice(0, head));
  const { rows: tailRows } = tableCells(table.slice(table.numRows - tail));
  return formatBoxTable(columns, [...headRows, ...tailRows], { ...options, gapAt: head });
}
