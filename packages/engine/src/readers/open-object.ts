/**
 * The one entry point both tiers use to read an object: a Blob (`fs.openAsBlob(path)` on a base
 * node, pulled bytes on the intermediary) and its format in, an ObjectReader out. Nothing is read
 * until schema(), numRows() or scan() is called.
 *
 * @example
 * const reader = openObject(await fs.openAsBlob('lineitem.parquet'), 'parquet');
 * const schema = await reader.schema(); // throws CorruptDataError on a bad footer
 * for await (const batch of reader.scan({ columns: ['l_quantity'], filter: null, rowGroups: null }, newScanCounters())) {
 *   ...
 * }
 */
import { InvalidArgumentError } from '@pushdown/proto';
import type { ObjectFormat } from '../plan/fragment.js';
import type { Schema } from '../plan/types.js';
import type { ObjectReader } from './object-reader.js';
import { CsvObjectReader } from './csv-reader.js';
import type { CsvReaderOptions } from './csv-options.js';
import { ParquetObjectReader, type ParquetDecoderChoice } from './parquet-reader.js';
import { PluginObjectReader } from './plugin-reader.js';

export interface OpenObjectOptions {
  /** CSV dialect and chunking; ignored for Parquet. */
  readonly csv?: CsvReaderOptions;
  /**
   * Parquet pages: `auto` (default) decodes what it can with our own decoder and the rest with
   * parquet-wasm; `parquet-wasm` uses parquet-wasm only. Ignored for CSV.
   */
  readonly parquetDecoder?: ParquetDecoderChoice;
  /** Plugin formats (jsonl): the object's name in errors (default: the file name behind the Blob). */
  readonly objectName?: string;
}

/**
 * Opens `blob` as an object of `format`. For CSV, `declared` (the schema given at put) overrides
 * inference and must match the header; for Parquet it is ignored (the footer is the truth). For
 * JSON Lines the `jsonl` format-reader plugin reads it, with `declared` as its schema when given.
 */
export function openObject(
  blob: Blob,
  format: ObjectFormat,
  declared?: Schema | null,
  options: OpenObjectOptions = {},
): ObjectReader {
  switch (format) {
    case 'parquet':
      return new ParquetObjectReader(blob, options.parquetDecoder ?? 'auto');
    case 'csv':
      return new CsvObjectReader(blob, declared ?? null, options.csv ?? {});
    case 'jsonl':
      return new PluginObjectReader(blob, format, declared ?? null, options.objectName);
    default:
      throw new InvalidArgumentError(
        `unknown object format "${String(format)}" (expected parquet, csv or jsonl)`,
      );
  }
}
