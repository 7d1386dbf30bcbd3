/**
 * TPC-H data generation (`pushdown gen`): deterministic, streaming, Parquet and CSV, in parts.
 *
 * @example
 * import { generateTable, createProgressBar } from './gen/index.js';
 * const bar = createProgressBar(process.stderr);
 * const { files } = await generateTable(
 *   { table: 'lineitem', sf: 0.1, formats: 'parquet,csv', parts: 2, outDir: 'data/sf0.1' },
 *   { onProgress: (p) => bar.update(p) },
 * );
 * bar.done();
 */

// ---- generation ----
export { generateTable } from './generate.js';
export type { GenHooks, GenResult, GeneratedFile } from './generate.js';
export type { RowGroupPoolOptions } from './row-group-pool.js';

// ---- options ----
export {
  GEN_DEFAULTS,
  GEN_FORMATS,
  PARQUET_COMPRESSIONS,
  MAX_SF,
  resolveGenOptions,
  defaultOutDir,
} from './options.js';
export type { GenOptions, GenOptionsInput, GenFormat, ParquetCompression, GenProgress } from './options.js';

// ---- tables and files ----
export { tableNames, getTable } from './table-registry.js';
export type { TableGenerator, UnitFiller } from './table-generator.js';
export type { ColumnBatch, GenField, GenSchema } from './column-batch.js';
export { partFileName, partRange } from './part-plan.js';
export type { PartRange } from './part-plan.js';

// ---- TPC-H lineitem facts (for tests and oracles) ----
export {
  LINEITEM_SCHEMA,
  SHIP_INSTRUCTIONS,
  SHIP_MODES,
  orderCount,
  orderKeyOf,
  retailPriceCents,
  suppKeyOf,
} from './tpch-lineitem.js';

// ---- progress display ----
export { createProgressBar } from './progress-bar.js';
export type { ProgressBar, ProgressStream } from './progress-bar.js';
