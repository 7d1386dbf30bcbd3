/**
 * The Parquet footer (via hyparquet) and how its columns map to our logical types.
 *
 * BOOLEAN → bool; INT32 (plain, INT_8/16/32, UINT_8/16) → int32; INT64 (plain, INT_64) and
 * UINT_32 → int64; FLOAT, DOUBLE → float64; DECIMAL on any physical type → float64 (unscaled
 * integer / 10^scale, the same cast DuckDB does); DATE → date32; BYTE_ARRAY UTF8/STRING/ENUM/JSON
 * → utf8. Anything else (timestamps, times, INT96, binary, UINT_64, nested columns) is listed in
 * `unsupported`: it stays out of the schema and a scan that asks for it fails with its reason.
 */
import { parquetMetadataAsync, type FileMetaData, type SchemaElement } from 'hyparquet';
import { CorruptDataError } from '@pushdown/proto';
import type { DataType, Field, Schema } from '../plan/types.js';
import { asyncBufferOf } from './blob-buffer.js';

export interface ParquetColumnInfo {
  readonly field: Field;
  /** Index of the column chunk in each row group. */
  readonly leaf: number;
  readonly element: SchemaElement;
  /** For DECIMAL columns: statistics are rescaled exactly with it. */
  readonly decimalScale: number | null;
}

export interface ParquetObjectMetadata {
  readonly metadata: FileMetaData;
  readonly schema: Schema;
  readonly columns: readonly ParquetColumnInfo[];
  readonly unsupported: readonly { readonly name: string; readonly reason: string }[];
  readonly numRows: number;
}

const MAGIC = 0x31524150; // "PAR1" little-endian

/**
 * Reads and maps the footer of a Parquet object. Throws CorruptDataError for anything that is not
 * a readable Parquet footer.
 *
 * @example
 * const { schema, numRows } = await readParquetMetadata(await fs.openAsBlob('lineitem.parquet'));
 */
export async function readParquetMetadata(blob: Blob): Promise<ParquetObjectMetadata> {
  const size = blob.size;
  if (size < 12)
    throw new CorruptDataError(`not a Parquet file: ${size} bytes is too short (at least 12 expected)`);
  const tail = new DataView(await blob.slice(size - 8, size).arrayBuffer());
  if (tail.getUint32(4, true) !== MAGIC) {
    throw new CorruptDataError('not a Parquet file: bad magic bytes at end (expected "PAR1")');
  }
  const head = new DataView(await blob.slice(0, 4).arrayBuffer());
  if (head.getUint32(0, true) !== MAGIC) {
    throw new CorruptDataError('not a Parquet file: bad magic bytes at start (expected "PAR1")');
  }
  const footerLength = tail.getUint32(0, true);
  if (footerLength + 12 > size) {
    throw new CorruptDataError(
      `truncated Parquet file: the footer says ${footerLength} bytes of metadata but the file has only ${size} bytes`,
    );
  }
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(asyncBufferOf(blob), {
      parsers: { dateFromDays: (days: number) => days } as never,
    });
  } catch (cause) {
    throw new CorruptDataError(`corrupt Parquet footer: ${(cause as Error).message}`, { cause });
  }
  return mapSchema(metadata);
}

function mapSchema(metadata: FileMetaData): ParquetObjectMetadata {
  const elements = metadata.schema;
  const root = elements[0];
  if (!root) throw new CorruptDataError('corrupt Parquet footer: empty schema');
  const columns: ParquetColumnInfo[] = [];
  const unsupported: { name: string; reason: string }[] = [];
  let i = 1;
  let leaf = 0;
  for (let child = 0; child < (root.num_children ?? 0); child++) {
    const el = elements[i];
    if (!el)
      throw new CorruptDataError('corrupt Parquet footer: the schema has fewer elements than it declares');
    if (el.num_children) {
      // Nested group: skip its whole subtree, counting leaves.
      const [next, leaves] = skipSubtree(elements, i);
      unsupported.push({ name: el.name, reason: 'nested columns (groups, lists, maps) are not supported' });
      i = next;
      leaf += leaves;
      continue;
    }
    const mapped = mapType(el);
    if (typeof mapped === 'string') {
      columns.push({
        field: { name: el.name, type: mapped, nullable: el.repetition_type !== 'REQUIRED' },
        leaf,
        element: el,
        decimalScale: isDecimal(el) ? (el.scale ?? 0) : null,
      });
    } else unsupported.push({ name: el.name, reason: mapped.reason });
    i++;
    leaf++;
  }
  return {
    metadata,
    schema: columns.map((c) => c.field),
    columns,
    unsupported,
    numRows: Number(metadata.num_rows),
  };
}

function skipSubtree(elements: readonly SchemaElement[], at: number): [number, number] {
  const el = elements[at]!;
  if (!el.num_children) return [at + 1, 1];
  let next = at + 1;
  let leaves = 0;
  for (let c = 0; c < el.num_children; c++) {
    const [n, l] = skipSubtree(elements, next);
    next = n;
    leaves += l;
  }
  return [next, leaves];
}

function isDecimal(el: SchemaElement): boolean {
  return el.converted_type === 'DECIMAL' || el.logical_type?.type === 'DECIMAL';
}

function mapType(el: SchemaElement): DataType | { reason: string } {
  if (el.repetition_type === 'REPEATED') return { reason: 'repeated columns are not supported' };
  const logical = el.logical_type;
  const conv = el.converted_type;
  if (isDecimal(el)) return 'float64';
  const unsupported = (what: string): { reason: string } => ({
    reason: `Parquet type ${what} is not supported`,
  });
  switch (el.type) {
    case 'BOOLEAN':
      return 'bool';
    case 'INT32':
      if (conv === 'DATE' || logical?.type === 'DATE') return 'date32';
      if (conv === 'UINT_32' || (logical?.type === 'INTEGER' && !logical.isSigned && logical.bitWidth === 32))
        return 'int64';
      if (conv === undefined || /^U?INT_(8|16|32)$/.test(conv) || logical?.type === 'INTEGER') return 'int32';
      return unsupported(`INT32 (${conv})`);
    case 'INT64':
      if (logical?.type === 'TIMESTAMP' || conv?.startsWith('TIMESTAMP')) return unsupported('TIMESTAMP');
      if (conv === 'UINT_64' || (logical?.type === 'INTEGER' && !logical.isSigned))
        return unsupported('UINT_64');
      if (conv === undefined || conv === 'INT_64' || logical?.type === 'INTEGER') return 'int64';
      return unsupported(`INT64 (${conv})`);
    case 'FLOAT':
    case 'DOUBLE':
      return 'float64';
    case 'BYTE_ARRAY':
      if (conv === 'UTF8' || conv === 'ENUM' || conv === 'JSON') return 'utf8';
      if (logical?.type === 'STRING' || logical?.type === 'ENUM' || logical?.type === 'JSON') return 'utf8';
      return unsupported('BYTE_ARRAY (binary)');
    default:
      return unsupported(String(el.type));
  }
}
