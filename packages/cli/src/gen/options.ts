/**
 * Options of the TPC-H generator: the interface, the defaults, and the one validator whose
 * messages tests pin. Entry points (CLI, scripts) pass what the user typed; numbers may arrive
 * as strings and formats as a comma list, and everything is checked here, in one place.
 */
import { readCpuBudget } from '@pushdown/engine';
import { InvalidArgumentError, editDistance } from '@pushdown/proto';
import { getTable } from './table-registry.js';

export const GEN_FORMATS = ['parquet', 'csv'] as const;
export type GenFormat = (typeof GEN_FORMATS)[number];

export const PARQUET_COMPRESSIONS = ['zstd', 'snappy', 'none'] as const;
export type ParquetCompression = (typeof PARQUET_COMPRESSIONS)[number];

/** Largest scale factor accepted: keys stay far below 2^53 and a run stays sane. */
export const MAX_SF = 10_000;

export interface GenProgress {
  readonly table: string;
  /** Rows written so far (to every format: a row counts once). */
  readonly rowsDone: number;
  /** Rows all selected parts will have, known exactly before the first row is made. */
  readonly rowsTotal: number;
  readonly partsDone: number;
  readonly partsTotal: number;
  readonly elapsedMs: number;
}

/** Validated, complete options (what `resolveGenOptions` returns). */
export interface GenOptions {
  /** Table to generate (see `tableNames()`). */
  readonly table: string;
  /** TPC-H scale factor: SF 1 is ~6M lineitem rows. Any number in (0, MAX_SF]. */
  readonly sf: number;
  /** Output formats; both are written from the same rows in one pass. */
  readonly formats: readonly GenFormat[];
  /** Output directory (created if missing). Default: `data/sf<sf>`. */
  readonly outDir: string;
  /** Number of part files per format (contiguous ranges of orders). */
  readonly parts: number;
  /** Only these 0-based part indexes (for spreading generation over processes); default all. */
  readonly onlyParts: readonly number[] | undefined;
  /** PRNG seed: same seed + sf + parts give byte-identical files. */
  readonly seed: number;
  readonly compression: ParquetCompression;
  /** Rows per Parquet row group. */
  readonly rowGroupSize: number;
  /** Rows per job when only CSV is written (with Parquet, a job is one row group); bounds memory. */
  readonly batchRows: number;
  /**
   * Threads encoding row groups side by side (also within one part). Files do not depend on
   * it; memory grows with it (about threads + 2 row groups). Default: the CPU budget.
   */
  readonly threads: number;
}

/** What callers may pass: everything but table and sf is optional; numbers may be strings. */
export interface GenOptionsInput {
  table: string;
  sf: number | string;
  formats?: readonly string[] | string;
  outDir?: string;
  parts?: number | string;
  onlyParts?: readonly (number | string)[] | string | undefined;
  seed?: number | string;
  compression?: string;
  rowGroupSize?: number | string;
  batchRows?: number | string;
  threads?: number | string;
}

/**
 * Defaults. Row groups of 128Ki rows: a lineitem group is ~16 MiB decoded and ~5 MiB zstd, big
 * enough for efficient column chunks and small enough that a weak base node decodes one within
 * its memory budget, and SF 1 gets ~46 groups for min/max pruning to skip (DuckDB picks 122,880
 * for the same reasons). A thread holds one group at a time (~100 MiB with its Arrow copy and
 * the wasm writer's 52 MiB); CSV-only runs work in batches of 64Ki rows.
 */
export const GEN_DEFAULTS = {
  formats: ['parquet', 'csv'] as readonly GenFormat[],
  parts: 1,
  seed: 1,
  compression: 'zstd' as ParquetCompression,
  rowGroupSize: 131_072,
  batchRows: 65_536,
} as const;

const OPTION_NAMES: readonly (keyof GenOptionsInput)[] = [
  'table',
  'sf',
  'formats',
  'outDir',
  'parts',
  'onlyParts',
  'seed',
  'compression',
  'rowGroupSize',
  'batchRows',
  'threads',
];

/** Default output directory for a scale factor: `data/sf0.1`. */
export function defaultOutDir(sf: number): string {
  return `data/sf${sf}`;
}

/** Checks and completes options; throws InvalidArgumentError with a message naming the fix. */
export function resolveGenOptions(input: GenOptionsInput): GenOptions {
  for (const key of Object.keys(input)) {
    if (!(OPTION_NAMES as readonly string[]).includes(key)) {
      const near = OPTION_NAMES.find((n) => editDistance(n.toLowerCase(), key.toLowerCase()) <= 2);
      throw new InvalidArgumentError(
        `unknown option "${key}"` +
          (near ? `; did you mean "${near}"?` : `; valid options: ${OPTION_NAMES.join(', ')}`),
      );
    }
  }
  const table = getTable(String(input.table));
  const sf = toNumber(input.sf);
  if (!(sf > 0) || !Number.isFinite(sf))
    throw new InvalidArgumentError(`sf must be a number > 0 (got ${show(input.sf)})`);
  if (sf > MAX_SF) throw new InvalidArgumentError(`sf must be <= ${MAX_SF} (got ${show(input.sf)})`);

  const formats = [...new Set(listOf(input.formats ?? GEN_DEFAULTS.formats).map((f) => f.toLowerCase()))];
  if (formats.length === 0)
    throw new InvalidArgumentError(`formats must name at least one of: ${GEN_FORMATS.join(', ')}`);
  for (const f of formats) {
    if (!(GEN_FORMATS as readonly string[]).includes(f)) {
      throw new InvalidArgumentError(`unknown format "${f}"; valid formats: ${GEN_FORMATS.join(', ')}`);
    }
  }
  const compression = (input.compression ?? GEN_DEFAULTS.compression).toLowerCase();
  if (!(PARQUET_COMPRESSIONS as readonly string[]).includes(compression)) {
    throw new InvalidArgumentError(
      `unknown compression "${input.compression}"; valid compressions: ${PARQUET_COMPRESSIONS.join(', ')}`,
    );
  }

  const parts = positiveInt('parts', input.parts ?? GEN_DEFAULTS.parts, 1);
  const units = table.unitCount(sf);
  if (parts > units) {
    throw new InvalidArgumentError(
      `parts must be <= the number of ${table.unitName}s (${units} at sf ${sf}), got ${parts}`,
    );
  }
  let onlyParts: number[] | undefined;
  if (input.onlyParts !== undefined) {
    onlyParts = [...new Set(listOf(input.onlyParts).map((p) => toNumber(p)))].sort((a, b) => a - b);
    for (const p of onlyParts) {
      if (!Number.isInteger(p) || p < 0 || p >= parts) {
        throw new InvalidArgumentError(`onlyParts: part ${p} is out of range 0..${parts - 1}`);
      }
    }
    if (onlyParts.length === 0) throw new InvalidArgumentError('onlyParts must name at least one part');
  }
  const seed = toNumber(input.seed ?? GEN_DEFAULTS.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new InvalidArgumentError(`seed must be a non-negative integer (got ${show(input.seed)})`);
  }
  const rowGroupSize = positiveInt('rowGroupSize', input.rowGroupSize ?? GEN_DEFAULTS.rowGroupSize, 1024);
  const batchRows = positiveInt('batchRows', input.batchRows ?? GEN_DEFAULTS.batchRows, 1024);
  const threads =
    input.threads === undefined ? readCpuBudget().threads : positiveInt('threads', input.threads, 1);
  if (threads > 256) throw new InvalidArgumentError(`threads must be <= 256 (got ${show(input.threads)})`);
  if (input.outDir !== undefined && input.outDir.trim() === '') {
    throw new InvalidArgumentError('outDir must be a non-empty path');
  }
  return {
    table: table.name,
    sf,
    formats: formats as GenFormat[],
    outDir: input.outDir ?? defaultOutDir(sf),
    parts,
    onlyParts,
    seed,
    compression: compression as ParquetCompression,
    rowGroupSize,
    batchRows,
    threads,
  };
}

function positiveInt(name: string, value: number | string, min: number): number {
  const n = toNumber(value);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new InvalidArgumentError(
      min === 1
        ? `${name} must be a positive integer (got ${show(value)})`
        : `${name} must be an integer >= ${min} (got ${show(value)})`,
    );
  }
  return n;
}

/** Strict number parsing: '' and '12abc' are NaN, not 0 and 12. */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return Number.NaN;
}

function listOf<T>(v: readonly T[] | string): (T | string)[] {
  return typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [...v];
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
