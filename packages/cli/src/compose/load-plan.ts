/**
 * What the Compose `loader` service puts where: the topology's tables, the base nodes'
 * addresses inside the Compose network, and the rule that places part p of a table on
 * `nodes[(p + r) % nodes.length]` for each replica r (part i on node i mod N, like the demo).
 * The plan travels as command-line flags, so `docker compose config` shows it in full.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '@pushdown/proto';
import { partFileName } from '../gen/index.js';
import type { BaseNodeSpec, ComposeTopology, TableSpec } from './compose-input.js';

export interface LoadPlan {
  /** The intermediary whose catalog must list every table before the loader exits. */
  intermediary: string;
  /** Base node id → gRPC address. */
  nodes: ReadonlyMap<string, string>;
  /** `files` are paths inside the loader's container. */
  tables: readonly TableSpec[];
}

export interface PlacedObject {
  table: string;
  /** Index of the part (generated) or of the file in `files`. */
  part: number;
  /** Object name: the generator's part file name, or the file's base name. */
  name: string;
  nodeIds: string[];
}

export interface LoadArgsOptions {
  intermediary: string;
  nodeAddress: (node: BaseNodeSpec) => string;
  /** Where the loader's container sees a host file of a `files` table. */
  containerPath: (table: TableSpec, file: string) => string;
}

/** The loader's flags for `topology`. */
export function loadTablesArgs(topology: ComposeTopology, options: LoadArgsOptions): string[] {
  const known = new Set(topology.baseNodes.map((n) => n.id));
  for (const t of topology.tables) {
    const unknown = t.nodes.find((id) => !known.has(id));
    if (unknown !== undefined) {
      throw new InvalidArgumentError(
        `tables.${t.name}.nodes names "${unknown}", which is not a base node (base nodes: ${[...known].join(', ')})`,
      );
    }
  }
  const tables = topology.tables.map((t) =>
    t.files ? { ...t, files: t.files.map((f) => options.containerPath(t, f)) } : t,
  );
  return [
    '--addr',
    options.intermediary,
    ...topology.baseNodes.flatMap((n) => ['--node', `${n.id}=${options.nodeAddress(n)}`]),
    '--tables',
    JSON.stringify(tables),
  ];
}

/** Parses the flags `loadTablesArgs` wrote; messages name the flag to fix. */
export function parseLoadTablesArgs(argv: readonly string[]): LoadPlan {
  let values: { addr?: string; node?: string[]; tables?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        addr: { type: 'string' },
        node: { type: 'string', multiple: true },
        tables: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new InvalidArgumentError(`loader: ${(err as Error).message}`);
  }
  if (!values.addr)
    throw new InvalidArgumentError('loader: --addr HOST:PORT of the intermediary is required');
  const nodes = new Map<string, string>();
  for (const spec of values.node ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) {
      throw new InvalidArgumentError(`loader: --node must be ID=HOST:PORT, got "${spec}"`);
    }
    nodes.set(spec.slice(0, eq), spec.slice(eq + 1));
  }
  let tables: unknown;
  try {
    tables = JSON.parse(values.tables ?? '[]');
  } catch (err) {
    throw new InvalidArgumentError(`loader: --tables is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(tables)) {
    throw new InvalidArgumentError('loader: --tables must be a JSON array of table specs');
  }
  for (const t of tables as TableSpec[]) {
    const missing = t.nodes.find((id) => !nodes.has(id));
    if (missing !== undefined) {
      throw new InvalidArgumentError(
        `loader: table ${t.name} is placed on "${missing}", which has no --node`,
      );
    }
  }
  return { intermediary: values.addr, nodes, tables: tables as TableSpec[] };
}

/** Every object of `table` and the nodes that hold a copy. */
export function placeTable(table: TableSpec): PlacedObject[] {
  const { gen, nodes } = table;
  const replicas = Math.min(Math.max(1, table.replicas), nodes.length);
  const names = gen
    ? Array.from({ length: gen.parts }, (_, p) => partFileName(gen.table, p, gen.parts, gen.format))
    : (table.files ?? []).map((f) => basename(f));
  return names.map((name, part) => ({
    table: table.name,
    part,
    name,
    nodeIds: Array.from({ length: replicas }, (_, r) => nodes[(part + r) % nodes.length]!),
  }));
}
