/**
 * Loads a topology's `tables:` into the running base nodes: generates TPC-H data once into
 * `<data-dir>/tpch/<table>-sf<sf>-<format>-<parts>` (reused by later starts), then puts part i
 * on `nodes[i mod n]` and its replicas on the nodes after it. An object a node already holds
 * with the same size is kept, so restarting a topology over its old data dir is quick.
 *
 * @example
 * await loadTables(topology.tables, state, { dataDir, stderr: process.stderr });
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NotFoundError } from '@pushdown/proto';
import { BaseNodeAdmin } from '../client/base-node-admin.js';
import { createProgressBar, generateTable, partFileName } from '../gen/index.js';
import { createProgress, type ProgressStream } from '../util/progress.js';
import type { TopologyState } from './state-file.js';
import type { TableSpec } from './topology-tables.js';

export interface LoadTablesOptions {
  dataDir: string;
  /** Progress and messages. */
  stderr: ProgressStream;
  signal?: AbortSignal;
}

export interface Placement {
  table: string;
  file: string;
  node: string;
}

/** Generates what is missing and returns the file list of each table. */
export async function ensureTableFiles(table: TableSpec, options: LoadTablesOptions): Promise<string[]> {
  if (table.files) {
    for (const f of table.files) {
      if (!existsSync(f)) throw new NotFoundError(`tables.${table.name}: file ${f} does not exist`);
    }
    return table.files;
  }
  const g = table.gen!;
  const dir = join(options.dataDir, 'tpch', `${g.table}-sf${g.sf}-${g.format}-${g.parts}`);
  const files = Array.from({ length: g.parts }, (_, p) =>
    join(dir, partFileName(g.table, p, g.parts, g.format)),
  );
  if (files.every((f) => existsSync(f))) return files;
  options.stderr.write(`generating ${g.table} SF ${g.sf} (${g.format}, ${g.parts} parts) in ${dir}\n`);
  const bar = createProgressBar(options.stderr, `gen ${g.table}`);
  await generateTable(
    { table: g.table, sf: g.sf, formats: [g.format], parts: g.parts, outDir: dir },
    { onProgress: (p) => bar.update(p), ...(options.signal ? { signal: options.signal } : {}) },
  );
  bar.done();
  return files;
}

/** Part i on nodes[i mod n], replica r on nodes[(i + r) mod n]. */
export function placeParts(table: TableSpec, files: readonly string[]): Placement[] {
  const out: Placement[] = [];
  files.forEach((file, i) => {
    for (let r = 0; r < table.replicas; r++) {
      out.push({ table: table.name, file, node: table.nodes[(i + r) % table.nodes.length]! });
    }
  });
  return out;
}

/** Generates and puts every table; returns how many objects each table has per node. */
export async function loadTables(
  tables: readonly TableSpec[],
  state: TopologyState,
  options: LoadTablesOptions,
): Promise<Placement[]> {
  const plan: Placement[] = [];
  for (const t of tables) plan.push(...placeParts(t, await ensureTableFiles(t, options)));
  const nodes = state.processes.filter((p) => p.role === 'base-node');
  const admins = new Map(nodes.map((n) => [n.id, new BaseNodeAdmin(n.grpc)]));
  try {
    const present = new Map<string, number>();
    for (const [id, admin] of admins) {
      for (const o of await admin.listObjects('')) present.set(`${id}/${o.table}/${o.name}`, o.size);
    }
    for (const step of plan) {
      const { size } = await stat(step.file);
      if (present.get(`${step.node}/${step.table}/${basename(step.file)}`) === size) continue;
      const bar = createProgress(options.stderr, `put ${basename(step.file)} → ${step.node}`, size);
      await admins.get(step.node)!.putObject(step.file, {
        table: step.table,
        overwrite: true,
        onProgress: (sent) => bar.update(sent),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      bar.done(`put ${step.table}/${basename(step.file)} → ${step.node}`);
    }
  } finally {
    for (const a of admins.values()) a.close();
  }
  return plan;
}
