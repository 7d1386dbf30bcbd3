/**
 * Data for the demo: TPC-H lineitem generated once into `<data-dir>/tpch/sf<sf>` (Parquet zstd
 * and CSV, in parts), then put round-robin over the base nodes as tables `lineitem` and
 * `lineitem_csv`. Both steps skip work already done, so a second `npm start` is quick.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BaseNodeAdmin } from '../client/base-node-admin.js';
import type { PushdownClient } from '../client/pushdown-client.js';
import { createProgressBar, generateTable, partFileName, type GenFormat } from '../gen/index.js';
import type { ProcessRecord } from '../topology/state-file.js';
import { createProgress, type ProgressStream } from '../util/progress.js';

export interface DemoDataOptions {
  dataDir: string;
  sf: number;
  parts: number;
  /** Progress and messages. */
  stderr: ProgressStream;
  signal?: AbortSignal;
}

export interface DemoFiles {
  parquet: string[];
  csv: string[];
}

export function demoDataDir(dataDir: string, sf: number): string {
  return join(dataDir, 'tpch', `sf${sf}`);
}

/** Generates lineitem unless every part file is already there. */
export async function ensureDemoData(options: DemoDataOptions): Promise<DemoFiles> {
  const dir = demoDataDir(options.dataDir, options.sf);
  const names = (format: GenFormat) =>
    Array.from({ length: options.parts }, (_, p) =>
      join(dir, partFileName('lineitem', p, options.parts, format)),
    );
  const files = { parquet: names('parquet'), csv: names('csv') };
  if ([...files.parquet, ...files.csv].every((f) => existsSync(f))) {
    options.stderr.write(`using TPC-H lineitem SF ${options.sf} in ${dir}\n`);
    return files;
  }
  options.stderr.write(
    `generating TPC-H lineitem SF ${options.sf} (Parquet zstd + CSV, ${options.parts} parts) in ${dir}\n`,
  );
  const bar = createProgressBar(options.stderr, 'gen lineitem');
  await generateTable(
    {
      table: 'lineitem',
      sf: options.sf,
      formats: ['parquet', 'csv'],
      parts: options.parts,
      outDir: dir,
      compression: 'zstd',
    },
    { onProgress: (p) => bar.update(p), ...(options.signal ? { signal: options.signal } : {}) },
  );
  bar.done();
  return files;
}

export interface LoadOptions {
  stderr: ProgressStream;
  signal?: AbortSignal;
}

/**
 * Puts part i of each format on base node i mod N. Objects a node already holds with the same
 * size are kept (the node's data dir survives restarts); others are written with overwrite.
 */
export async function loadDemoData(
  nodes: readonly ProcessRecord[],
  files: DemoFiles,
  options: LoadOptions,
): Promise<void> {
  const plan = [
    ...files.parquet.map((file, i) => ({ file, table: 'lineitem', node: nodes[i % nodes.length]! })),
    ...files.csv.map((file, i) => ({ file, table: 'lineitem_csv', node: nodes[i % nodes.length]! })),
  ];
  const admins = new Map(nodes.map((n) => [n.id, new BaseNodeAdmin(n.grpc)]));
  try {
    const present = new Map<string, number>();
    for (const n of nodes) {
      for (const o of await admins.get(n.id)!.listObjects(''))
        present.set(`${n.id}/${o.table}/${o.name}`, o.size);
    }
    for (const step of plan) {
      const { size } = await stat(step.file);
      const key = `${step.node.id}/${step.table}/${basename(step.file)}`;
      if (present.get(key) === size) continue;
      const bar = createProgress(options.stderr, `put ${basename(step.file)} → ${step.node.id}`, size);
      await admins.get(step.node.id)!.putObject(step.file, {
        table: step.table,
        overwrite: true,
        onProgress: (sent) => bar.update(sent),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      bar.done(`put ${step.table}/${basename(step.file)} → ${step.node.id}`);
    }
  } finally {
    for (const a of admins.values()) a.close();
  }
}

/** Waits until the intermediary's catalog lists `expected` objects per table (it may learn lazily). */
export async function waitForCatalog(
  client: PushdownClient,
  expected: Record<string, number>,
  timeoutMs = 15_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tables = await client.listTables().catch(() => []);
    const ok = Object.entries(expected).every(
      ([name, n]) => (tables.find((t) => t.name === name)?.objects.length ?? 0) >= n,
    );
    if (ok) return true;
    if (Date.now() > deadline) return false;
    await sleep(200);
  }
}
