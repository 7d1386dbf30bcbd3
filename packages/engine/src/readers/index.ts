// Curated exports of engine/src/readers. Explicit names, no export *.
export type { ObjectReader, ScanOptions, ScanCounters } from './object-reader.js';
export { newScanCounters } from './object-reader.js';
export type { OpenObjectOptions } from './open-object.js';
export { openObject } from './open-object.js';
export { loadablePluginFormats, PLUGIN_FORMATS } from './plugin-reader.js';
export { openFileBlob } from './file-blob.js';
export type { ParquetDecoderChoice, ParquetDecodeEvent } from './parquet-reader.js';
export type { CsvReaderOptions } from './csv-options.js';
export { CSV_DEFAULTS } from './csv-options.js';
export { inferCsvSchema } from './csv-infer.js';
export type { ParquetObjectMetadata, ParquetColumnInfo } from './parquet-metadata.js';
export { readParquetMetadata } from './parquet-metadata.js';
export { pruneRowGroups } from './parquet-pruning.js';
export { arrowTypeOf, arrowSchemaOf } from './arrow-schema.js';
export { DEFAULT_BATCH_ROWS } from './scan-options.js';
export { UnitCutter, unitStartAfter, gridPoints } from './csv-units.js';
export type { CsvUnit, UnitStart } from './csv-units.js';
