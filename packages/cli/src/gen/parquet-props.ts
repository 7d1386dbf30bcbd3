/**
 * The parquet-wasm writer settings of every generated Parquet file, in one place: the streaming
 * writer (parquet-sink.ts) and the row-group encoder of the workers (row-group-encoder.ts) must
 * build the very same properties, or stitched files would differ from streamed ones.
 */
import * as pw from 'parquet-wasm';
import type { GenSchema } from './column-batch.js';
import type { ParquetCompression } from './options.js';

export interface ParquetSinkOptions {
  compression: ParquetCompression;
  rowGroupSize: number;
  /** Written into the footer's key/value metadata (keep it deterministic). */
  metadata?: ReadonlyMap<string, string>;
}

const CODECS: Record<ParquetCompression, pw.Compression> = {
  zstd: pw.Compression.ZSTD,
  snappy: pw.Compression.SNAPPY,
  none: pw.Compression.UNCOMPRESSED,
};

/** Fresh properties (parquet-wasm consumes them on use). */
export function parquetWriterProperties(fields: GenSchema, options: ParquetSinkOptions): pw.WriterProperties {
  let props = new pw.WriterPropertiesBuilder()
    .setCompression(CODECS[options.compression])
    .setMaxRowGroupSize(options.rowGroupSize)
    // Chunk-level min/max is what row-group pruning reads; page-level stats only add bytes.
    .setStatisticsEnabled(pw.EnabledStatistics.Chunk)
    .setCreatedBy('pushdown-lab gen (parquet-wasm 0.8)');
  for (const f of fields) if (f.dictionary === false) props = props.setColumnDictionaryEnabled(f.name, false);
  if (options.metadata) props = props.setKeyValueMetadata(new Map(options.metadata));
  return props.build();
}
