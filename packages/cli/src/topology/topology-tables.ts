/**
 * `tables:` of a topology: data to load at start, either generated (TPC-H via `generateTable`)
 * or existing files, spread over named base nodes with a replica count (a part on two nodes
 * is how placement experiments get a choice).
 *
 * @example
 * tables:
 *   lineitem: { gen: { table: lineitem, sf: 0.1, format: parquet, parts: 4 }, nodes: [b1, b2], replicas: 2 }
 *   mydata:   { files: [data/x.csv], nodes: [b2] }
 */
import { isAbsolute, resolve } from 'node:path';
import { tableNames } from '../gen/index.js';
import { checkKeys, closest, isObject, number, show, type Fail } from './topology-values.js';

export interface GenTableSpec {
  /** TPC-H table to generate (see `pushdown gen --help`). */
  table: string;
  sf: number;
  format: 'parquet' | 'csv';
  parts: number;
}

export interface TableSpec {
  /** The table name objects are put under. */
  name: string;
  /** Generate the data (cached under `<data-dir>/tpch`), or ... */
  gen?: GenTableSpec;
  /** ... put these files (absolute, or relative to the topology file's folder). */
  files?: string[];
  /** Base nodes that hold the parts, round-robin (default: every base node). */
  nodes: string[];
  /** Copies of each part, on consecutive nodes of `nodes` (1..nodes.length). */
  replicas: number;
}

const TABLE_KEYS = ['gen', 'files', 'nodes', 'replicas'];
const GEN_KEYS = ['table', 'sf', 'format', 'parts'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function validateTables(
  input: unknown,
  nodeIds: readonly string[],
  baseDir: string | undefined,
  fail: Fail,
): TableSpec[] {
  if (input === undefined) return [];
  if (!isObject(input)) {
    return fail('tables must be an object like {"lineitem": {"gen": {"table": "lineitem", "sf": 0.1}}}');
  }
  return Object.entries(input).map(([name, spec]) => {
    const at = `tables.${name}`;
    if (!NAME.test(name)) fail(`table name "${name}" must be a letter or '_' then letters, digits or '_'`);
    if (!isObject(spec)) return fail(`${at} must be an object like {"files": ["data/x.csv"]}`);
    checkKeys(spec, TABLE_KEYS, at, fail);
    if ((spec.gen === undefined) === (spec.files === undefined)) {
      fail(`${at} needs exactly one of "gen" (generate TPC-H data) or "files" (existing files)`);
    }
    const nodes = parseNodes(spec.nodes, `${at}.nodes`, nodeIds, fail);
    const replicas = spec.replicas ?? 1;
    if (
      typeof replicas !== 'number' ||
      !Number.isInteger(replicas) ||
      replicas < 1 ||
      replicas > nodes.length
    ) {
      fail(
        `${at}.replicas must be an integer in 1..${nodes.length} (the number of nodes) (got ${show(replicas)})`,
      );
    }
    const table: TableSpec = { name, nodes, replicas: replicas as number };
    if (spec.gen !== undefined) table.gen = parseGen(spec.gen, `${at}.gen`, fail);
    else table.files = parseFiles(spec.files, `${at}.files`, baseDir, fail);
    return table;
  });
}

function parseNodes(value: unknown, at: string, nodeIds: readonly string[], fail: Fail): string[] {
  if (value === undefined) return [...nodeIds];
  if (!Array.isArray(value) || value.length === 0) {
    return fail(`${at} must be a non-empty list of base node ids like ["${nodeIds[0] ?? 'b1'}"]`);
  }
  const out: string[] = [];
  value.forEach((id: unknown, i) => {
    if (typeof id !== 'string' || !nodeIds.includes(id)) {
      const guess = typeof id === 'string' ? closest(id, nodeIds) : undefined;
      fail(
        `${at}[${i}] is not a base node: ${show(id)}` +
          (guess ? `; did you mean "${guess}"?` : `; base nodes are ${nodeIds.join(', ')}`),
      );
    }
    if (out.includes(id as string)) fail(`${at} names "${String(id)}" twice`);
    out.push(id as string);
  });
  return out;
}

function parseGen(value: unknown, at: string, fail: Fail): GenTableSpec {
  if (!isObject(value)) return fail(`${at} must be an object like {"table": "lineitem", "sf": 0.1}`);
  checkKeys(value, GEN_KEYS, at, fail);
  const known = tableNames();
  const table = value.table;
  if (typeof table !== 'string' || !known.includes(table)) {
    const guess = typeof table === 'string' ? closest(table, known) : undefined;
    fail(
      `${at}.table must be one of ${known.join(', ')} (got ${show(table)})` +
        (guess ? `; did you mean "${guess}"?` : ''),
    );
  }
  const format = value.format ?? 'parquet';
  if (format !== 'parquet' && format !== 'csv')
    fail(`${at}.format must be "parquet" or "csv" (got ${show(format)})`);
  const parts = value.parts ?? 1;
  if (typeof parts !== 'number' || !Number.isInteger(parts) || parts < 1 || parts > 1000) {
    fail(`${at}.parts must be an integer in 1..1000 (got ${show(parts)})`);
  }
  return {
    table: table as string,
    sf:
      value.sf === undefined
        ? fail(`${at}.sf is required (a TPC-H scale factor like 0.1)`)
        : number(value.sf, `${at}.sf`, fail, { positive: true }),
    format: format as GenTableSpec['format'],
    parts: parts as number,
  };
}

function parseFiles(value: unknown, at: string, baseDir: string | undefined, fail: Fail): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((f) => typeof f !== 'string' || f === '')) {
    return fail(`${at} must be a non-empty list of file paths like ["data/x.csv"] (got ${show(value)})`);
  }
  return (value as string[]).map((f) => (baseDir && !isAbsolute(f) ? resolve(baseDir, f) : f));
}
