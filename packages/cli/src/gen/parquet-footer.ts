/**
 * The pieces of a Parquet footer the row-group stitcher moves around, on top of the generic
 * Thrift tree (thrift-compact.ts). Field ids are parquet.thrift's. Only offsets are touched:
 * everything else in a footer (statistics, encodings, schema, key/value metadata) is carried
 * through as decoded, so min/max statistics survive stitching bit for bit.
 */
import { CorruptDataError } from '@pushdown/proto';
import { TT, decodeStruct, type ThriftField, type ThriftList, type ThriftStruct } from './thrift-compact.js';

/** parquet.thrift field ids used here. */
export const FMD = { NUM_ROWS: 3, ROW_GROUPS: 4 } as const;
export const RG = { COLUMNS: 1, FILE_OFFSET: 5, ORDINAL: 7 } as const;
export const CC = {
  FILE_OFFSET: 2,
  META_DATA: 3,
  OFFSET_INDEX_OFFSET: 4,
  OFFSET_INDEX_LENGTH: 5,
  COLUMN_INDEX_OFFSET: 6,
  COLUMN_INDEX_LENGTH: 7,
} as const;
export const CMD = {
  DATA_PAGE_OFFSET: 9,
  INDEX_PAGE_OFFSET: 10,
  DICTIONARY_PAGE_OFFSET: 11,
  BLOOM_FILTER_OFFSET: 14,
} as const;
/** OffsetIndex.page_locations and PageLocation.offset. */
export const OI = { PAGE_LOCATIONS: 1, LOCATION_OFFSET: 1 } as const;

export const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"

export function field(s: ThriftStruct, id: number): ThriftField | undefined {
  return s.fields.find((f) => f.id === id);
}

export function structOf(s: ThriftStruct, id: number): ThriftStruct {
  const v = field(s, id)?.value;
  if (typeof v !== 'object' || !('kind' in v) || v.kind !== 'struct')
    throw new CorruptDataError(`parquet footer: field ${id} is not a struct`);
  return v;
}

export function listOf(s: ThriftStruct, id: number): ThriftList {
  const v = field(s, id)?.value;
  if (typeof v !== 'object' || !('kind' in v) || v.kind !== 'list')
    throw new CorruptDataError(`parquet footer: field ${id} is not a list`);
  return v;
}

/** An i64/i32 field as a number (offsets and lengths in files < 2^53 bytes), or undefined. */
export function intOf(s: ThriftStruct, id: number): number | undefined {
  const v = field(s, id)?.value;
  return typeof v === 'bigint' || typeof v === 'number' ? Number(v) : undefined;
}

/** Sets an existing field, or adds it in id order (the order a standard encoder writes). */
export function setInt(s: ThriftStruct, id: number, type: number, value: number): void {
  const v = type === TT.I64 ? BigInt(value) : value;
  const f = field(s, id);
  if (f) f.value = v;
  else {
    const at = s.fields.findIndex((g) => g.id > id);
    s.fields.splice(at < 0 ? s.fields.length : at, 0, { id, type, value: v });
  }
}

/** Adds `delta` to an i64 field if present. */
export function shiftInt(s: ThriftStruct, id: number, delta: number): void {
  const f = field(s, id);
  if (f && typeof f.value === 'bigint') f.value += BigInt(delta);
}

export function structs(list: ThriftList): ThriftStruct[] {
  return list.items.map((item) => {
    if (typeof item !== 'object' || !('kind' in item) || item.kind !== 'struct')
      throw new CorruptDataError('parquet footer: list item is not a struct');
    return item;
  });
}

/** A whole small Parquet file split into its parts. */
export interface ParquetParts {
  readonly meta: ThriftStruct;
  /** Offset where the footer (FileMetaData) starts. */
  readonly footerStart: number;
}

/** Checks the magic at both ends and decodes the footer of a complete Parquet file. */
export function readParquetParts(file: Uint8Array): ParquetParts {
  const n = file.length;
  if (n < 12 || !MAGIC.every((b, i) => file[i] === b && file[n - 4 + i] === b))
    throw new CorruptDataError('not a Parquet file: PAR1 magic missing');
  const len = new DataView(file.buffer, file.byteOffset + n - 8, 4).getUint32(0, true);
  const footerStart = n - 8 - len;
  if (footerStart < 4) throw new CorruptDataError(`Parquet footer length ${len} exceeds the file`);
  const { struct, end } = decodeStruct(file, footerStart);
  if (end !== n - 8) throw new CorruptDataError('Parquet footer length does not match its contents');
  return { meta: struct, footerStart };
}
