/**
 * The topology `pushdown start` brings up: which base nodes, and the intermediary's port.
 * A defaults constant and a validator whose messages tests pin; unknown keys fail loudly and
 * name the key that was probably meant.
 *
 * @example topology.json
 * { "baseNodes": [{ "id": "b1" }, { "id": "b2" }], "intermediary": { "port": 50051 } }
 */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, NotFoundError } from '@pushdown/proto';

export interface BaseNodeSpec {
  /** Letters, digits, '-' and '_'; names the data folder and the log file. */
  id: string;
  /** 0 picks a free port. */
  grpcPort: number;
  httpPort: number;
}

export interface IntermediarySpec {
  /** The port clients connect to; 0 picks a free one. */
  port: number;
}

export interface Topology {
  /** Interface every process binds to. */
  host: string;
  baseNodes: BaseNodeSpec[];
  intermediary: IntermediarySpec;
}

export const DEFAULT_INTERMEDIARY_PORT = 50051;

export const DEFAULT_TOPOLOGY: Readonly<Topology> = Object.freeze({
  host: '127.0.0.1',
  baseNodes: [
    { id: 'b1', grpcPort: 0, httpPort: 0 },
    { id: 'b2', grpcPort: 0, httpPort: 0 },
  ],
  intermediary: { port: DEFAULT_INTERMEDIARY_PORT },
});

const ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
/** Used for the intermediary's own log file. */
const RESERVED_IDS = new Set(['intermediary']);
const TOP_KEYS = ['host', 'baseNodes', 'intermediary'];
const NODE_KEYS = ['id', 'grpcPort', 'httpPort'];
const INTERMEDIARY_KEYS = ['port'];

/** Checks a parsed topology document and fills defaults. `source` prefixes every message. */
export function validateTopology(input: unknown, source = 'topology'): Topology {
  const fail = (msg: string): never => {
    throw new InvalidArgumentError(`${source}: ${msg}`);
  };
  if (!isObject(input)) return fail('must be a JSON object like {"baseNodes": [{"id": "b1"}]}');
  checkKeys(input, TOP_KEYS, '', fail);

  const host = input.host ?? DEFAULT_TOPOLOGY.host;
  if (typeof host !== 'string' || host.length === 0) fail('host must be a non-empty string');

  const nodes = input.baseNodes;
  if (!Array.isArray(nodes) || nodes.length === 0) {
    fail('baseNodes must be a non-empty array like [{"id": "b1"}, {"id": "b2"}]');
  }
  const seen = new Map<string, number>();
  const baseNodes = (nodes as unknown[]).map((n, i): BaseNodeSpec => {
    const at = `baseNodes[${i}]`;
    if (!isObject(n)) return fail(`${at} must be an object like {"id": "b${i + 1}"}`);
    checkKeys(n, NODE_KEYS, `${at}.`, fail);
    const id = n.id;
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      fail(`${at}.id must be 1-32 letters, digits, '-' or '_'; got ${JSON.stringify(id)}`);
    }
    if (RESERVED_IDS.has(id as string)) fail(`${at}.id "${String(id)}" is reserved; pick another id`);
    const prev = seen.get(id as string);
    if (prev !== undefined) fail(`duplicate base node id "${String(id)}" (baseNodes[${prev}] and ${at})`);
    seen.set(id as string, i);
    return {
      id: id as string,
      grpcPort: port(n.grpcPort, `${at}.grpcPort`, fail),
      httpPort: port(n.httpPort, `${at}.httpPort`, fail),
    };
  });

  const im = input.intermediary ?? {};
  if (!isObject(im)) return fail('intermediary must be an object like {"port": 50051}');
  checkKeys(im, INTERMEDIARY_KEYS, 'intermediary.', fail);
  const intermediary = {
    port: im.port === undefined ? DEFAULT_INTERMEDIARY_PORT : port(im.port, 'intermediary.port', fail),
  };

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
  return { host: host as string, baseNodes, intermediary };
}

/** Reads and validates a topology JSON file. */
export async function loadTopology(file: string): Promise<Topology> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new NotFoundError(`cannot read topology file ${file}: ${(err as Error).message}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`${file}: not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return validateTopology(doc, file);
}

function port(value: unknown, at: string, fail: (m: string) => never): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    return fail(`${at} must be an integer in 0..65535 (0 picks a free port); got ${JSON.stringify(value)}`);
  }
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(
  obj: Record<string, unknown>,
  known: string[],
  prefix: string,
  fail: (m: string) => never,
) {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    fail(
      `unknown key "${prefix}${key}"` +
        (guess
          ? `; did you mean "${prefix}${guess}"?`
          : `; known keys: ${known.map((k) => prefix + k).join(', ')}`),
    );
  }
}

/** The known key within edit distance 3 of `key`, if any (case-insensitive). */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
