/**
 * Parquet page headers: the Thrift compact protocol, only as much as our own page decoder needs.
 * Fields we do not use (statistics, CRCs, index pages) are skipped structurally, so any header a
 * conforming writer emits parses. Every read is bounds-checked and every loop is bounded by the
 * input, so garbage bytes end in a PageFormatError, never an endless loop or an out-of-range read.
 */

export const PageType = { DATA_PAGE: 0, INDEX_PAGE: 1, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const;

export const Encoding = {
  PLAIN: 0,
  PLAIN_DICTIONARY: 2,
  RLE: 3,
  BIT_PACKED: 4,
  DELTA_BINARY_PACKED: 5,
  DELTA_LENGTH_BYTE_ARRAY: 6,
  DELTA_BYTE_ARRAY: 7,
  RLE_DICTIONARY: 8,
  BYTE_STREAM_SPLIT: 9,
} as const;

export interface PageHeader {
  readonly type: number;
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  /** Data pages v1/v2 and dictionary pages. */
  readonly numValues: number;
  readonly encoding: number;
  /** v1: encoding of the definition levels (RLE or the deprecated BIT_PACKED). */
  readonly defEncoding: number;
  /** v2 only. */
  readonly numNulls: number;
  readonly numRows: number;
  readonly defLevelsLength: number;
  readonly repLevelsLength: number;
  readonly isCompressed: boolean;
  /** Bytes the header itself took. */
  readonly headerLength: number;
}

/** Malformed input for the page decoder; the reader turns it into a CorruptDataError. */
export class PageFormatError extends Error {}

const T_STOP = 0;
const T_TRUE = 1;
const T_FALSE = 2;
const T_BYTE = 3;
const T_I16 = 4;
const T_I32 = 5;
const T_I64 = 6;
const T_DOUBLE = 7;
const T_BINARY = 8;
const T_LIST = 9;
const T_SET = 10;
const T_MAP = 11;
const T_STRUCT = 12;
const MAX_DEPTH = 16;

class Cursor {
  constructor(
    readonly b: Uint8Array,
    public pos: number,
  ) {}

  byte(): number {
    if (this.pos >= this.b.length) throw new PageFormatError('page header runs past the column chunk');
    return this.b[this.pos++]!;
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const x = this.byte();
      result += (x & 0x7f) * mul;
      if ((x & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new PageFormatError('malformed varint in page header');
  }

  zigzag(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  skip(n: number): void {
    if (n < 0 || this.pos + n > this.b.length)
      throw new PageFormatError('page header runs past the column chunk');
    this.pos += n;
  }

  skipValue(type: number, depth: number): void {
    if (depth > MAX_DEPTH) throw new PageFormatError('page header nests too deeply');
    switch (type) {
      case T_TRUE:
      case T_FALSE:
        return;
      case T_BYTE:
        this.skip(1);
        return;
      case T_I16:
      case T_I32:
      case T_I64:
        this.varint();
        return;
      case T_DOUBLE:
        this.skip(8);
        return;
      case T_BINARY:
        this.skip(this.varint());
        return;
      case T_LIST:
      case T_SET: {
        const h = this.byte();
        const size = h >> 4 === 15 ? this.varint() : h >> 4;
        const et = h & 15;
        for (let i = 0; i < size; i++) {
          if (et === T_TRUE || et === T_FALSE) this.skip(1);
          else this.skipValue(et, depth + 1);
        }
        return;
      }
      case T_MAP: {
        const size = this.varint();
        if (size === 0) return;
        const kv = this.byte();
        for (let i = 0; i < size; i++) {
          this.skipValue(kv >> 4, depth + 1);
          this.skipValue(kv & 15, depth + 1);
        }
        return;
      }
      case T_STRUCT:
        this.struct(depth + 1, () => false);
        return;
      default:
        throw new PageFormatError(`unknown Thrift type ${type} in page header`);
    }
  }

  /** Walks a struct; `field` consumes the value and returns true, or returns false to skip it. */
  struct(depth: number, field: (id: number, type: number) => boolean): void {
    let last = 0;
    for (;;) {
      const h = this.byte();
      const type = h & 15;
      if (type === T_STOP) return;
      const delta = h >> 4;
      const id = delta === 0 ? this.zigzag() : last + delta;
      last = id;
      if (!field(id, type)) this.skipValue(type, depth);
    }
  }

  int(type: number): number {
    if (type !== T_I32 && type !== T_I16 && type !== T_BYTE && type !== T_I64)
      throw new PageFormatError(`page header field has Thrift type ${type}, expected an integer`);
    return type === T_BYTE ? this.byte() : this.zigzag();
  }
}

/** Parses the page header that starts at `pos` of `bytes`. */
export function readPageHeader(bytes: Uint8Array, pos: number): PageHeader {
  const c = new Cursor(bytes, pos);
  const h = {
    type: -1,
    uncompressedSize: -1,
    compressedSize: -1,
    numValues: -1,
    encoding: -1,
    defEncoding: Encoding.RLE as number,
    numNulls: 0,
    numRows: -1,
    defLevelsLength: 0,
    repLevelsLength: 0,
    isCompressed: true,
    headerLength: 0,
  };
  c.struct(0, (id, type) => {
    switch (id) {
      case 1:
        h.type = c.int(type);
        return true;
      case 2:
        h.uncompressedSize = c.int(type);
        return true;
      case 3:
        h.compressedSize = c.int(type);
        return true;
      case 5: // DataPageHeader
        if (type !== T_STRUCT) return false;
        c.struct(1, (fid, ft) => {
          if (fid === 1) h.numValues = c.int(ft);
          else if (fid === 2) h.encoding = c.int(ft);
          else if (fid === 3) h.defEncoding = c.int(ft);
          else return false;
          return true;
        });
        return true;
      case 7: // DictionaryPageHeader
        if (type !== T_STRUCT) return false;
        c.struct(1, (fid, ft) => {
          if (fid === 1) h.numValues = c.int(ft);
          else if (fid === 2) h.encoding = c.int(ft);
          else return false;
          return true;
        });
        return true;
      case 8: // DataPageHeaderV2
        if (type !== T_STRUCT) return false;
        c.struct(1, (fid, ft) => {
          if (fid === 1) h.numValues = c.int(ft);
          else if (fid === 2) h.numNulls = c.int(ft);
          else if (fid === 3) h.numRows = c.int(ft);
          else if (fid === 4) h.encoding = c.int(ft);
          else if (fid === 5) h.defLevelsLength = c.int(ft);
          else if (fid === 6) h.repLevelsLength = c.int(ft);
          else if (fid === 7 && (ft === T_TRUE || ft === T_FALSE)) h.isCompressed = ft === T_TRUE;
          else return false;
          return true;
        });
        return true;
      default:
        return false;
    }
  });
  h.headerLength = c.pos - pos;
  if (h.type < 0 || h.compressedSize < 0 || h.uncompressedSize < 0)
    throw new PageFormatError('page header lacks its type or sizes');
  if (h.type !== PageType.INDEX_PAGE && (h.numValues < 0 || h.encoding < 0))
    throw new PageFormatError('page header lacks its value count or encoding');
  if (h.numNulls < 0 || h.defLevelsLength < 0 || h.repLevelsLength < 0)
    throw new PageFormatError('page header has negative level lengths');
  return h;
}
