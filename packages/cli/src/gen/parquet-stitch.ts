/**
 * One Parquet file assembled from small Parquet files that each hold row groups encoded apart
 * (in parallel workers): their column-chunk bytes are copied in order, the offsets in their
 * footers moved by where the bytes landed, and the footers merged into one.
 *
 * The result is the very file arrow-rs would have written in one stream (tests compare bytes):
 * a column chunk's bytes do not depend on where it sits in the file (page headers hold no
 * offsets), and arrow-rs lays a file out as
 *   PAR1 | row group 0 .. n | column indexes (rg, column order) | offset indexes (same) | footer
 * so the page indexes of every mini file are kept (small) and written after the last row
 * group. Their own offsets (PageLocation.offset) point into the data and are moved too.
 *
 * Memory: per row group only its encoded footer struct (~3 KB for lineitem) and page indexes
 * are kept; the data goes straight to disk. Index offsets are only known at `close`, so they
 * are stored relative to their region and made absolute there, one row group at a time.
 */
import { CorruptDataError, ExecutionError } from '@pushdown/proto';
import { AtomicFile } from './atomic-file.js';
import {
  CC,
  CMD,
  FMD,
  MAGIC,
  OI,
  RG,
  field,
  intOf,
  listOf,
  readParquetParts,
  setInt,
  shiftInt,
  structOf,
  structs,
} from './parquet-footer.js';
import { TT, decodeStruct, encodeStruct, type ThriftStruct } from './thrift-compact.js';

export class ParquetStitcher {
  /** Bytes written so far, magic included: where the next row group's data starts. */
  private pos = MAGIC.length;
  private rows = 0;
  private head: ThriftStruct | undefined;
  private readonly rowGroups: Uint8Array[] = [];
  private readonly columnIndexes: Uint8Array[] = [];
  private columnIndexBytes = 0;
  private readonly offsetIndexes: Uint8Array[] = [];
  private offsetIndexBytes = 0;

  private constructor(private readonly file: AtomicFile) {}

  get path(): string {
    return this.file.path;
  }

  static async create(path: string): Promise<ParquetStitcher> {
    const file = await AtomicFile.create(path);
    try {
      await file.write(MAGIC);
    } catch (err) {
      await file.abort();
      throw err;
    }
    return new ParquetStitcher(file);
  }

  /** Appends every row group of a complete Parquet file (same schema and writer settings). */
  async append(mini: Uint8Array): Promise<void> {
    const { meta, footerStart } = readParquetParts(mini);
    const groups = structs(listOf(meta, FMD.ROW_GROUPS));
    const chunks = groups.flatMap((g) => structs(listOf(g, RG.COLUMNS)));
    // The data ends where the first page index begins; anything else there (bloom filters)
    // would be lost, so such files are refused rather than stitched wrong.
    let dataEnd = footerStart;
    let indexBytes = 0;
    for (const cc of chunks) {
      if (field(structOf(cc, CC.META_DATA), CMD.BLOOM_FILTER_OFFSET))
        throw new CorruptDataError('cannot stitch Parquet row groups that carry bloom filters');
      for (const [at, len] of [
        [CC.COLUMN_INDEX_OFFSET, CC.COLUMN_INDEX_LENGTH],
        [CC.OFFSET_INDEX_OFFSET, CC.OFFSET_INDEX_LENGTH],
      ] as const) {
        const off = intOf(cc, at);
        if (off !== undefined) dataEnd = Math.min(dataEnd, off);
        indexBytes += intOf(cc, len) ?? 0;
      }
    }
    if (dataEnd + indexBytes !== footerStart)
      throw new CorruptDataError('unexpected Parquet layout: bytes between the row groups and the footer');

    const delta = this.pos - MAGIC.length;
    await this.file.write(mini.subarray(MAGIC.length, dataEnd));
    this.pos += dataEnd - MAGIC.length;
    for (const g of groups) {
      setInt(g, RG.ORDINAL, TT.I16, this.rowGroups.length);
      shiftInt(g, RG.FILE_OFFSET, delta);
      for (const cc of structs(listOf(g, RG.COLUMNS))) this.moveChunk(cc, mini, delta);
      this.rowGroups.push(encodeStruct(g));
    }
    this.rows += intOf(meta, FMD.NUM_ROWS) ?? 0;
    if (!this.head) {
      listOf(meta, FMD.ROW_GROUPS).items = [];
      this.head = meta;
    }
  }

  /** Writes page indexes and the merged footer, then publishes the file; returns its size. */
  async close(): Promise<number> {
    const head = this.head;
    if (!head) throw new ExecutionError(`${this.path}: no row groups to write`);
    const colBase = this.pos;
    const offBase = colBase + this.columnIndexBytes;
    const footerGroups = this.rowGroups.map((bytes) => {
      const g = decodeStruct(bytes).struct;
      for (const cc of structs(listOf(g, RG.COLUMNS))) {
        shiftInt(cc, CC.COLUMN_INDEX_OFFSET, colBase);
        shiftInt(cc, CC.OFFSET_INDEX_OFFSET, offBase);
      }
      return { kind: 'raw', bytes: encodeStruct(g) } as const;
    });
    setInt(head, FMD.NUM_ROWS, TT.I64, this.rows);
    listOf(head, FMD.ROW_GROUPS).items = footerGroups;
    const footer = encodeStruct(head);
    const tail = new Uint8Array(8);
    new DataView(tail.buffer).setUint32(0, footer.length, true);
    tail.set(MAGIC, 4);
    await this.file.write(Buffer.concat([...this.columnIndexes, ...this.offsetIndexes, footer, tail]));
    await this.file.commit();
    return this.file.bytesWritten;
  }

  abort(): Promise<void> {
    return this.file.abort();
  }

  /** Moves a column chunk's data offsets by `delta`; keeps its page indexes for `close`. */
  private moveChunk(cc: ThriftStruct, mini: Uint8Array, delta: number): void {
    // file_offset 0 means unset (arrow-rs writes 0: the field is deprecated); data starts at 4.
    if ((intOf(cc, CC.FILE_OFFSET) ?? 0) > 0) shiftInt(cc, CC.FILE_OFFSET, delta);
    const md = structOf(cc, CC.META_DATA);
    shiftInt(md, CMD.DATA_PAGE_OFFSET, delta);
    shiftInt(md, CMD.INDEX_PAGE_OFFSET, delta);
    shiftInt(md, CMD.DICTIONARY_PAGE_OFFSET, delta);

    const ciAt = intOf(cc, CC.COLUMN_INDEX_OFFSET);
    if (ciAt !== undefined) {
      // A column index holds min/max per page, no offsets: copied as is.
      const blob = mini.slice(ciAt, ciAt + (intOf(cc, CC.COLUMN_INDEX_LENGTH) ?? 0));
      setInt(cc, CC.COLUMN_INDEX_OFFSET, TT.I64, this.columnIndexBytes);
      this.columnIndexes.push(blob);
      this.columnIndexBytes += blob.length;
    }
    const oiAt = intOf(cc, CC.OFFSET_INDEX_OFFSET);
    if (oiAt !== undefined) {
      const index = decodeStruct(mini, oiAt).struct;
      for (const loc of structs(listOf(index, OI.PAGE_LOCATIONS))) shiftInt(loc, OI.LOCATION_OFFSET, delta);
      const blob = encodeStruct(index);
      setInt(cc, CC.OFFSET_INDEX_OFFSET, TT.I64, this.offsetIndexBytes);
      setInt(cc, CC.OFFSET_INDEX_LENGTH, TT.I32, blob.length);
      this.offsetIndexes.push(blob);
      this.offsetIndexBytes += blob.length;
    }
  }
}
