/**
 * One row group through our own page decoder (parquet-chunk-decoder.ts): which column chunks it
 * can take (decided from the footer alone), reading their bytes from the Blob in as few slices as
 * possible, and decoding each to Arrow `Data`.
 */
import type { ColumnChunk, Encoding as EncodingName } from 'hyparquet';
import type { Data } from 'apache-arrow';
import type { ParquetColumnInfo, ParquetObjectMetadata } from './parquet-metadata.js';
import { isSupportedCodec } from './parquet-codecs.js';
import { decodeColumnChunk, type ChunkSpec } from './parquet-chunk-decoder.js';
import { PageFormatError } from './parquet-page-header.js';
import type { Physical } from './parquet-values.js';
import type { ByteSource } from './parquet-byte-source.js';

export interface NativeChunk {
  readonly spec: ChunkSpec;
  readonly start: number;
  readonly end: number;
}

const ENCODINGS = new Set<EncodingName>(['PLAIN', 'PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE', 'BIT_PACKED']);
const PHYSICAL = new Set<string>(['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BYTE_ARRAY']);
/** Two chunks closer than this are read in one slice (the gap is read and dropped). */
const COALESCE_GAP = 256 * 1024;

/**
 * The chunk of `info` in row group `rg` as our decoder would read it, or null when only
 * parquet-wasm can (nested, other codecs or encodings, FIXED_LEN_BYTE_ARRAY, ...).
 */
export function nativeChunkOf(
  meta: ParquetObjectMetadata,
  rg: number,
  info: ParquetColumnInfo,
): NativeChunk | null {
  const group = meta.metadata.row_groups[rg];
  const chunk: ColumnChunk | undefined = group?.columns[info.leaf];
  const m = chunk?.meta_data;
  const el = info.element;
  if (!group || !chunk || !m || chunk.file_path !== undefined) return null;
  if (m.path_in_schema.length !== 1 || m.path_in_schema[0] !== el.name) return null;
  if (el.repetition_type !== 'REQUIRED' && el.repetition_type !== 'OPTIONAL') return null;
  if (!PHYSICAL.has(m.type) || m.type !== el.type || !isSupportedCodec(m.codec)) return null;
  if (!m.encodings.every((e) => ENCODINGS.has(e))) return null;
  const physical = m.type as Physical;
  if (info.decimalScale !== null && physical !== 'INT32' && physical !== 'INT64') return null;
  const dict = m.dictionary_page_offset === undefined ? 0 : Number(m.dictionary_page_offset);
  const data = Number(m.data_page_offset);
  const start = dict > 0 && dict < data ? dict : data;
  const end = start + Number(m.total_compressed_size);
  const rows = Number(group.num_rows);
  if (!Number.isSafeInteger(end) || start < 4 || rows < 0 || !Number.isSafeInteger(rows)) return null;
  const logical = el.logical_type;
  return {
    start,
    end,
    spec: {
      physical,
      codec: m.codec,
      maxDef: el.repetition_type === 'OPTIONAL' ? 1 : 0,
      numRows: rows,
      uncompressedSize: Number(m.total_uncompressed_size),
      target: info.field.type,
      decimalScale: info.decimalScale,
      unsigned32:
        physical === 'INT32' &&
        (el.converted_type === 'UINT_32' ||
          (logical?.type === 'INTEGER' && !logical.isSigned && logical.bitWidth === 32)),
    },
  };
}

/** Every chunk of `infos` in `rg`, or null if any needs parquet-wasm. */
export function nativeRowGroup(
  meta: ParquetObjectMetadata,
  rg: number,
  infos: readonly ParquetColumnInfo[],
): NativeChunk[] | null {
  const out: NativeChunk[] = [];
  for (const info of infos) {
    const c = nativeChunkOf(meta, rg, info);
    if (!c) return null;
    out.push(c);
  }
  return out;
}

/**
 * The bytes of each chunk, read in coalesced ranges from `source` into its buffers of `slot`
 * (slots `slot * 64 + k` for the k-th range).
 */
export async function readChunks(
  source: ByteSource,
  size: number,
  chunks: readonly NativeChunk[],
  slot: number,
): Promise<Uint8Array[]> {
  for (const c of chunks) {
    if (c.end > size - 8) throw new PageFormatError('a column chunk runs past the end of the file');
  }
  const order = chunks.map((_, i) => i).sort((a, b) => chunks[a]!.start - chunks[b]!.start);
  const out: Uint8Array[] = new Array<Uint8Array>(chunks.length);
  const reads: Promise<void>[] = [];
  for (let i = 0; i < order.length;) {
    const first = chunks[order[i]!]!;
    let end = first.end;
    let j = i + 1;
    while (j < order.length && chunks[order[j]!]!.start <= end + COALESCE_GAP) {
      end = Math.max(end, chunks[order[j]!]!.end);
      j++;
    }
    const members = order.slice(i, j);
    const from = first.start;
    reads.push(
      source.read(from, end, slot * 64 + reads.length).then((buf) => {
        if (buf.length < end - from) throw new PageFormatError('the file ends inside a column chunk');
        for (const k of members) {
          const c = chunks[k]!;
          out[k] = buf.subarray(c.start - from, c.end - from);
        }
      }),
    );
    i = j;
  }
  await Promise.all(reads);
  return out;
}

/** Decodes the chunks of one row group (bytes from readChunks). */
export function decodeRowGroup(
  chunks: readonly NativeChunk[],
  bytes: readonly Uint8Array[],
): { columns: Data[]; bytesWritten: number } {
  let written = 0;
  const columns = chunks.map((c, i) => {
    const d = decodeColumnChunk(bytes[i]!, c.spec);
    written += d.bytesWritten;
    return d.data;
  });
  return { columns, bytesWritten: written };
}
