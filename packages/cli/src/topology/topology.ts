/**
 * The topology `pushdown start` brings up: base nodes with their CPU quota, memory limit, data
 * folder and link to the intermediary; the intermediary's port, CPU and memory; and which tables
 * to load where. A defaults constant and a validator whose messages tests pin; unknown keys fail
 * loudly and name the key that was probably meant. The file may be YAML or JSON.
 *
 * @example topology.yaml
 * link: { latencyMs: 20, bandwidthMbps: 100 }
 * baseNodes: { count: 2, cpus: 0.25, memory: 512MiB }
 * tables:
 *   lineitem: { gen: { table: lineitem, sf: 0.1, format: parquet, parts: 4 }, replicas: 1 }
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InvalidArgumentError, NotFoundError } from '@pushdown/proto';
import { validateTables, type TableSpec } from './topology-tables.js';
import { checkKeys, isObject, number, port, show, size, type Fail } from './topology-values.js';

export { closest } from './topology-values.js';
export type { TableSpec, GenTableSpec } from './topology-tables.js';

/** The emulated link from a base node to the intermediary. 0 = none / unlimited. */
export interface LinkSpec {
  latencyMs: number;
  bandwidthBytesPerSec: number;
}

export interface BaseNodeSpec {
  /** Letters, digits, '-' and '_'; names the data folder, the log file and the cgroup. */
  id: string;
  /** 0 picks a free port. */
  grpcPort: number;
  httpPort: number;
  /** CPU quota in cores (0.25 = a quarter of one core); 0 = unthrottled. */
  cpus: number;
  /** Memory limit in bytes; 0 = none. */
  memory: number;
  /** The node's object folder, relative to the launch data dir (default `nodes/<id>`). */
  dataDir: string;
  link: LinkSpec;
}

export interface IntermediarySpec {
  /** The port clients connect to; 0 picks a free one. */
  port: number;
  /** CPU quota in cores; 0 = unthrottled. */
  cpus: number;
  /** Memory limit in bytes; 0 = none. */
  memory: number;
  /** Bytes the intermediary may buffer for results (reported; 0 = its own default). */
  memoryBudget: number;
}

export interface Topology {
  /** Interface every process binds to. */
  host: string;
  /** The default link of every base node (each node may override it). */
  link: LinkSpec;
  baseNodes: BaseNodeSpec[];
  intermediary: IntermediarySpec;
  /** Data loaded at start; empty when the file has no `tables:`. */
  tables: TableSpec[];
}

export const DEFAULT_INTERMEDIARY_PORT = 50051;
export const DEFAULT_MEMORY_BUDGET = 256 * 1024 * 1024;
export const NO_LINK: Readonly<LinkSpec> = Object.freeze({ latencyMs: 0, bandwidthBytesPerSec: 0 });

const node = (id: string): BaseNodeSpec => ({
  id,
  grpcPort: 0,
  httpPort: 0,
  cpus: 0,
  memory: 0,
  dataDir: `nodes/${id}`,
  link: { ...NO_LINK },
});

export const DEFAULT_TOPOLOGY: Readonly<Topology> = Object.freeze({
  host: '127.0.0.1',
  link: { ...NO_LINK },
  baseNodes: [node('b1'), node('b2')],
  intermediary: { port: DEFAULT_INTERMEDIARY_PORT, cpus: 0, memory: 0, memoryBudget: DEFAULT_MEMORY_BUDGET },
  tables: [],
});

export interface ValidateOptions {
  /** Folder that relative `tables.*.files` paths are resolved against (the file's folder). */
  baseDir?: string;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
/** Used for the intermediary's own log file and cgroup. */
const RESERVED_IDS = new Set(['intermediary']);
const TOP_KEYS = ['host', 'link', 'baseNodes', 'intermediary', 'tables'];
const NODE_KEYS = ['id', 'grpcPort', 'httpPort', 'cpus', 'memory', 'dataDir', 'link'];
const COUNT_KEYS = ['count', 'cpus', 'memory', 'link'];
const INTERMEDIARY_KEYS = ['port', 'cpus', 'memory', 'memoryBudget'];
const LINK_KEYS = ['latencyMs', 'bandwidthMbps'];

/** Checks a parsed topology document and fills defaults. `source` prefixes every message. */
export function validateTopology(
  input: unknown,
  source = 'topology',
  options: ValidateOptions = {},
): Topology {
  const fail: Fail = (msg) => {
    throw new InvalidArgumentError(`${source}: ${msg}`);
  };
  if (!isObject(input)) return fail('must be a JSON object like {"baseNodes": [{"id": "b1"}]}');
  checkKeys(input, TOP_KEYS, '', fail);

  const host = input.host ?? DEFAULT_TOPOLOGY.host;
  if (typeof host !== 'string' || host.length === 0) fail('host must be a non-empty string');
  const link = parseLink(input.link, 'link', NO_LINK, fail);
  const baseNodes = parseBaseNodes(input.baseNodes, link, fail);

  const im = input.intermediary ?? {};
  if (!isObject(im)) return fail('intermediary must be an object like {"port": 50051}');
  checkKeys(im, INTERMEDIARY_KEYS, 'intermediary', fail);
  const intermediary: IntermediarySpec = {
    port: im.port === undefined ? DEFAULT_INTERMEDIARY_PORT : port(im.port, 'intermediary.port', fail),
    cpus: number(im.cpus, 'intermediary.cpus', fail, { hint: ' (cores; 0 = unthrottled)' }),
    memory: size(im.memory, 'intermediary.memory', fail),
    memoryBudget: size(im.memoryBudget, 'intermediary.memoryBudget', fail, DEFAULT_MEMORY_BUDGET),
  };
  checkPorts(intermediary, baseNodes, fail);
  const tables = validateTables(
    input.tables,
    baseNodes.map((n) => n.id),
    options.baseDir,
    fail,
  );
  return { host: host as string, link, baseNodes, intermediary, tables };
}

function parseBaseNodes(nodes: unknown, link: LinkSpec, fail: Fail): BaseNodeSpec[] {
  if (isObject(nodes)) return countForm(nodes, link, fail);
  if (!Array.isArray(nodes) || nodes.length === 0) {
    return fail(
      'baseNodes must be a non-empty array like [{"id": "b1"}, {"id": "b2"}] or an object like {"count": 2}',
    );
  }
  const seen = new Map<string, number>();
  return nodes.map((n: unknown, i): BaseNodeSpec => {
    const at = `baseNodes[${i}]`;
    if (!isObject(n)) return fail(`${at} must be an object like {"id": "b${i + 1}"}`);
    checkKeys(n, NODE_KEYS, at, fail);
    const id = n.id;
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      fail(`${at}.id must be 1-32 letters, digits, '-' or '_'; got ${JSON.stringify(id)}`);
    }
    if (RESERVED_IDS.has(id as string)) fail(`${at}.id "${String(id)}" is reserved; pick another id`);
    const prev = seen.get(id as string);
    if (prev !== undefined) fail(`duplicate base node id "${String(id)}" (baseNodes[${prev}] and ${at})`);
    seen.set(id as string, i);
    if (n.dataDir !== undefined && (typeof n.dataDir !== 'string' || n.dataDir === '')) {
      fail(`${at}.dataDir must be a non-empty path (got ${show(n.dataDir)})`);
    }
    return {
      id: id as string,
      grpcPort: port(n.grpcPort, `${at}.grpcPort`, fail),
      httpPort: port(n.httpPort, `${at}.httpPort`, fail),
      ...limits(n, at, fail),
      dataDir: (n.dataDir as string | undefined) ?? `nodes/${String(id)}`,
      link: parseLink(n.link, `${at}.link`, link, fail),
    };
  });
}

/** `{count: 2, cpus: 0.5}`: nodes b1..bN, all alike. */
function countForm(spec: Record<string, unknown>, link: LinkSpec, fail: Fail): BaseNodeSpec[] {
  checkKeys(spec, COUNT_KEYS, 'baseNodes', fail);
  const count = spec.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 64) {
    fail(`baseNodes.count must be an integer in 1..64 (got ${show(count)})`);
  }
  const shared = limits(spec, 'baseNodes', fail);
  const nodeLink = parseLink(spec.link, 'baseNodes.link', link, fail);
  return Array.from({ length: count as number }, (_, i) => ({
    ...node(`b${i + 1}`),
    ...shared,
    link: { ...nodeLink },
  }));
}

function limits(n: Record<string, unknown>, at: string, fail: Fail): { cpus: number; memory: number } {
  return {
    // Omitted means unthrottled; a written 0 is more likely a mistake than a request for nothing.
    cpus: n.cpus === undefined ? 0 : number(n.cpus, `${at}.cpus`, fail, { positive: true }),
    memory: size(n.memory, `${at}.memory`, fail),
  };
}

function parseLink(value: unknown, at: string, dflt: LinkSpec, fail: Fail): LinkSpec {
  if (value === undefined) return { ...dflt };
  if (!isObject(value)) return fail(`${at} must be an object like {"latencyMs": 20, "bandwidthMbps": 100}`);
  checkKeys(value, LINK_KEYS, at, fail);
  const mbps = value.bandwidthMbps;
  return {
    latencyMs: number(value.latencyMs, `${at}.latencyMs`, fail, {
      dflt: dflt.latencyMs,
      hint: ' (0 = no added latency)',
    }),
    bandwidthBytesPerSec:
      mbps === undefined
        ? dflt.bandwidthBytesPerSec
        : (number(mbps, `${at}.bandwidthMbps`, fail, { hint: ' (0 = unlimited)' }) * 1e6) / 8,
  };
}

function checkPorts(intermediary: IntermediarySpec, baseNodes: BaseNodeSpec[], fail: Fail): void {
  const fixed = new Map<number, string>();
  const claim = (p: number, what: string) => {
    if (p === 0) return;
    const other = fixed.get(p);
    if (other) fail(`port ${p} is used twice (${other} and ${what})`);
    fixed.set(p, what);
  };
  claim(intermediary.port, 'intermediary.port');
  baseNodes.forEach((n, i) => {
    claim(n.grpcPort, `baseNodes[${i}].grpcPort`);
    claim(n.httpPort, `baseNodes[${i}].httpPort`);
  });
}

/** Reads and validates a topology file: JSON for `.json`, YAML otherwise. */
export async function loadTopology(file: string): Promise<Topology> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new NotFoundError(`cannot read topology file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const json = extname(file).toLowerCase() === '.json';
  let doc: unknown;
  try {
    doc = json ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new InvalidArgumentError(
      `${file}: not valid ${json ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return validateTopology(doc, file, { baseDir: dirname(file) });
}
