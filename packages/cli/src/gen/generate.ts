/**
 * `generateTable`: makes one TPC-H table as part files in the asked formats.
 *
 * Each part is written by write-part.ts: batches of whole units (orders) go to every format's
 * sink, so both formats hold the same rows and memory is bounded by one batch plus one Parquet
 * row group, whatever the scale factor. With `threads > 1` and several parts, parts are written
 * side by side in generator workers (gen-pool.ts); a part's bytes are the same either way.
 * Every file is written to a temp name and renamed when complete; on any failure or abort all
 * open temp files are removed and the error is rethrown (files of parts already finished stay:
 * each is complete on its own).
 */
import { mkdir } from 'node:fs/promises';
import { writePartsInWorkers } from './gen-pool.js';
import { resolveGenOptions, type GenOptions, type GenOptionsInput, type GenProgress } from './options.js';
import { partRange } from './part-plan.js';
import { getTable } from './table-registry.js';
import { partWriter, type GeneratedFile } from './write-part.js';

export type { GeneratedFile } from './write-part.js';

export interface GenHooks {
  /** Called after every batch and after each part's files are in place. Keep it cheap. */
  onProgress?: (progress: GenProgress) => void;
  /** Aborting stops at the next batch, removes unfinished files, and rejects with CancelledError. */
  signal?: AbortSignal;
}

export interface GenResult {
  readonly options: GenOptions;
  /** In part order, then format order. */
  readonly files: readonly GeneratedFile[];
  /** Rows per format (each format holds the same rows). */
  readonly rows: number;
  readonly elapsedMs: number;
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

  if (options.threads > 1 && ranges.length > 1) {
    await writePartsInWorkers(options, ranges, { onRows, onPartDone, signal: hooks.signal });
    files.sort(
      (a, b) => a.part - b.part || options.formats.indexOf(a.format) - options.formats.indexOf(b.format),
    );
  } else {
    const writer = partWriter(table, options);
    for (const range of ranges) onPartDone(await writer.write(range, onRows, hooks.signal));
  }
  return { options, files, rows: rowsDone, elapsedMs: performance.now() - started };
}
