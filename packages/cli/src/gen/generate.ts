/**
 * `generateTable`: makes one TPC-H table as part files in the asked formats.
 *
 * Each part's rows are cut into row groups of `rowGroupSize` rows (row-group-plan.ts); each
 * group is generated and encoded on its own (row-group-encoder.ts), in generator workers when
 * `threads > 1` (row-group-pool.ts), and written in order (write-groups.ts): Parquet groups are
 * stitched into one file per part (parquet-stitch.ts), CSV records appended. So one part uses
 * every thread, the bytes do not depend on the thread count, and memory is bounded by about
 * threads + 2 row groups, whatever the scale factor.
 */
import { mkdir } from 'node:fs/promises';
import { resolveGenOptions, type GenOptions, type GenOptionsInput, type GenProgress } from './options.js';
import type { GeneratedFile } from './part-output.js';
import { partRange } from './part-plan.js';
import { RowGroupEncoder } from './row-group-encoder.js';
import { RowGroupPool, type RowGroupPoolOptions } from './row-group-pool.js';
import { getTable } from './table-registry.js';
import { writeGroups, type GroupExecutor } from './write-groups.js';

export type { GeneratedFile } from './part-output.js';

export interface GenHooks {
  /** Called after every row group is written and after each part's files are in place. Keep it cheap. */
  onProgress?: (progress: GenProgress) => void;
  /** Aborting stops at the next row group, removes unfinished files, and rejects with CancelledError. */
  signal?: AbortSignal;
  /** Worker recycling limits and worker script (tests); the defaults suit any scale factor. */
  workers?: Omit<RowGroupPoolOptions, 'size'>;
}

export interface GenResult {
  readonly options: GenOptions;
  /** In part order, then format order. */
  readonly files: readonly GeneratedFile[];
  /** Rows per format (each format holds the same rows). */
  readonly rows: number;
  readonly elapsedMs: number;
  /** Generator workers started (0 with one thread; above `threads` when some were recycled). */
  readonly workersStarted: number;
  /** Largest parquet-wasm memory seen in any encoding thread, in bytes. */
  readonly peakWasmBytes: number;
}

/**
 * Generates a table. Options are validated first (InvalidArgumentError on bad input).
 *
 * @example
 * const result = await generateTable({ table: 'lineitem', sf: 0.1, formats: 'parquet,csv', parts: 2,
 *   outDir: 'data/sf0.1', threads: 2 }, { onProgress: (p) => console.log(p.rowsDone, '/', p.rowsTotal) });
 */
export async function generateTable(
  input: GenOptionsInput | GenOptions,
  hooks: GenHooks = {},
): Promise<GenResult> {
  const options = resolveGenOptions(input as GenOptionsInput);
  const started = performance.now();
  const table = getTable(options.table);
  const units = table.unitCount(options.sf);
  const selected = options.onlyParts ?? Array.from({ length: options.parts }, (_, p) => p);
  const ranges = selected.map((p) => partRange(units, options.parts, p));
  const partRows = ranges.map((r) => table.rowCount(options.sf, options.seed, r.from, r.to));
  const rowsTotal = partRows.reduce((a, b) => a + b, 0);

  await mkdir(options.outDir, { recursive: true });
  const files: GeneratedFile[] = [];
  let rowsDone = 0;
  let partsDone = 0;
  const report = (): void =>
    hooks.onProgress?.({
      table: table.name,
      rowsDone,
      rowsTotal,
      partsDone,
      partsTotal: ranges.length,
      elapsedMs: performance.now() - started,
    });
  const onRows = (rows: number): void => {
    rowsDone += rows;
    report();
  };
  const onPartDone = (made: GeneratedFile[]): void => {
    files.push(...made);
    partsDone++;
    report();
  };

  const pool =
    options.threads > 1 ? new RowGroupPool(options, { ...hooks.workers, size: options.threads }) : null;
  const local = pool ? null : new RowGroupEncoder(table, options);
  let localPeak = 0;
  const exec: GroupExecutor = pool ?? {
    run: (job) => {
      try {
        const group = local!.encode(job);
        localPeak = Math.max(localPeak, group.wasmBytes);
        return Promise.resolve(group);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    close: () => Promise.resolve(),
  };
  // One thread: encode a group only when the previous one is written (nothing to overlap).
  const window = pool ? options.threads + 1 : 1;
  await writeGroups(table, options, ranges, exec, { window, onRows, onPartDone, signal: hooks.signal });
  return {
    options,
    files,
    rows: rowsDone,
    elapsedMs: performance.now() - started,
    workersStarted: pool?.started ?? 0,
    peakWasmBytes: pool?.peakWasmBytes ?? localPeak,
  };
}
