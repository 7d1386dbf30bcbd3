/**
 * The experiment's data: TPC-H lineitem generated once per setting (sf, parts, seed, codec,
 * row-group size) into a cache folder, then put round-robin over the base nodes as the tables
 * `lineitem` (Parquet) and `lineitem_csv` (CSV). Both steps skip work already done, so a rerun
 * of the same spec starts measuring within seconds.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionError } from '@pushdown/proto';
import type { PushdownClient } from '../client/pushdown-client.js';
import { loadDemoData, waitForCatalog } from '../demo/demo-data.js';
import { createProgressBar, generateTable, partFileName } from '../gen/index.js';
import type { ProcessRecord } from '../topology/state-file.js';
import type { ProgressStream } from '../util/progress.js';
import { TABLE_OF_FORMAT, type DataFormat, type DataSpec } from './spec-types.js';

export interface PreparedData {
  /** Folder of the generated part files. */
  dir: string;
  files: Record<DataFormat, string[]>;
  generated: boolean;
}

export function dataCacheDir(root: string, data: DataSpec): string {
  const key = `lineitem-sf${data.sf}-p${data.parts}-s${data.seed}-${data.compression}-rg${data.rowGroupSize}`;
  return join(root, 'tpch', key);
}

/** Generates the formats that are missing from the cache folder. */
export async function prepareData(
  root: string,
  data: DataSpec,
  formats: readonly DataFormat[],
  stderr: ProgressStream,
  signal?: AbortSignal,
): Promise<PreparedData> {
  const dir = dataCacheDir(root, data);
  const names = (format: DataFormat) =>
    Array.from({ length: data.parts }, (_, p) => join(dir, partFileName('lineitem', p, data.parts, format)));
  const files: Record<DataFormat, string[]> = {
    parquet: formats.includes('parquet') ? names('parquet') : [],
    csv: formats.includes('csv') ? names('csv') : [],
  };
  const missing = formats.filter((f) => !files[f].every((file) => existsSync(file)));
  if (missing.length === 0) return { dir, files, generated: false };
  stderr.write(`generating lineitem SF ${data.sf} (${missing.join(', ')}, ${data.parts} parts) in ${dir}\n`);
  const bar = createProgressBar(stderr, 'gen lineitem');
  await generateTable(
    {
      table: 'lineitem',
      sf: data.sf,
      formats: missing,
      parts: data.parts,
      seed: data.seed,
      compression: data.compression,
      rowGroupSize: data.rowGroupSize,
      outDir: dir,
    },
    { onProgress: (p) => bar.update(p), ...(signal ? { signal } : {}) },
  );
  bar.done();
  return { dir, files, generated: true };
}

/** Puts the parts on the base nodes and waits until the intermediary's catalog lists them all. */
export async function loadData(
  client: PushdownClient,
  nodes: readonly ProcessRecord[],
  prepared: PreparedData,
  stderr: ProgressStream,
  signal?: AbortSignal,
): Promise<void> {
  await loadDemoData(nodes, prepared.files, { stderr, ...(signal ? { signal } : {}) });
  const expected: Record<string, number> = {};
  for (const format of ['parquet', 'csv'] as const) {
    if (prepared.files[format].length > 0) expected[TABLE_OF_FORMAT[format]] = prepared.files[format].length;
  }
  if (!(await waitForCatalog(client, expected, 30_000))) {
    throw new ExecutionError(
      `the intermediary's catalog did not list every loaded object within 30 s (expected ${JSON.stringify(expected)})`,
    );
  }
}
