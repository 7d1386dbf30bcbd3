/**
 * Checks a parsed experiment spec and fills defaults. Every message starts with the spec's
 * source and the path of the offending key (`quick.yaml: sweep.cpus[2] must be ...`), and an
 * unknown key names the key that was probably meant. Tests pin these messages.
 */
import { InvalidArgumentError, editDistance } from '@pushdown/proto';
import { PLACEMENT_NAMES, type PlacementName } from '../client/options.js';
import { Q1_SQL, Q6_SQL } from '../demo/tpch-queries.js';
import {
  ARRIVALS,
  DATA_FORMATS,
  SPEC_DEFAULTS,
  type Arrival,
  type DataFormat,
  type DataSpec,
  type ExperimentSpec,
  type QuerySpec,
  type RunSpec,
  type SelectivityMapping,
  type SweepSpec,
} from './spec-types.js';

const TOP_KEYS = ['name', 'description', 'seed', 'topology', 'data', 'queries', 'sweep', 'run'];
const DATA_KEYS = ['sf', 'parts', 'seed', 'rowGroupSize', 'compression'];
const QUERY_KEYS = ['name', 'sql', 'selectivity'];
const SWEEP_KEYS = ['cpus', 'placement', 'format', 'selectivity', 'parallelism', 'load'];
const RUN_KEYS = ['arrival', 'duration', 'warmup', 'repetitions', 'maxOutstanding', 'timeout', 'settle'];
const COMPRESSIONS = ['zstd', 'snappy', 'none'] as const;
/** `sql: tpch:Q6` names a built-in query instead of spelling it out. */
export const BUILTIN_QUERIES: Readonly<Record<string, string>> = Object.freeze({
  'tpch:Q1': Q1_SQL,
  'tpch:Q6': Q6_SQL,
});
const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const PARAM_PATTERN = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

type Fail = (msg: string) => never;
type Obj = Record<string, unknown>;

/** Validates `input` (a parsed YAML/JSON document); `source` prefixes every message. */
export function validateSpec(input: unknown, source = 'spec'): ExperimentSpec {
  const fail: Fail = (msg) => {
    throw new InvalidArgumentError(`${source}: ${msg}`);
  };
  if (!isObject(input)) return fail('must be a mapping with at least name, topology, queries and sweep');
  checkKeys(input, TOP_KEYS, '', fail);

  const name = input.name;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    fail(
      `name must be 1-64 letters, digits, '.', '-' or '_' (it names the output folder); got ${show(name)}`,
    );
  }
  const description = input.description ?? SPEC_DEFAULTS.description;
  if (typeof description !== 'string') fail('description must be a string');
  const seed = integer(input.seed ?? SPEC_DEFAULTS.seed, 'seed', 0, 2 ** 32 - 1, fail);

  let topology: ExperimentSpec['topology'];
  if (typeof input.topology === 'string' && input.topology.length > 0) topology = { file: input.topology };
  else if (isObject(input.topology)) topology = { inline: input.topology };
  else {
    return fail(
      'topology must be a topology file path or an inline mapping like {baseNodes: [{id: b1}, {id: b2}]}',
    );
  }

  const data = validateData(input.data ?? {}, fail);
  const queries = validateQueries(input.queries, fail);
  const sweep = validateSweep(input.sweep ?? {}, fail);
  const run = validateRun(input.run ?? {}, fail);

  const templates = queries.filter((q) => q.param !== undefined);
  if (templates.length > 0 && sweep.selectivity.length === 0) {
    fail(
      `query "${templates[0]!.name}" has a {${templates[0]!.param}} parameter, so sweep.selectivity must list at least one value`,
    );
  }
  if (templates.length === 0 && sweep.selectivity.length > 0) {
    fail('sweep.selectivity is set but no query has a {param} template to apply it to');
  }
  for (const q of templates) {
    const mapping = q.selectivity;
    if (mapping?.kind !== 'values') continue;
    const missing = sweep.selectivity.find((s) => !mapping.values.has(s));
    if (missing !== undefined) {
      fail(`${q.name}: selectivity.values has no entry for ${missing} (listed in sweep.selectivity)`);
    }
  }
  return {
    name: name as string,
    description: description as string,
    seed,
    topology,
    data,
    queries,
    sweep,
    run,
  };
}

function validateData(input: unknown, fail: Fail): DataSpec {
  if (!isObject(input)) return fail('data must be a mapping like {sf: 0.01, parts: 4}');
  checkKeys(input, DATA_KEYS, 'data.', fail);
  const d = SPEC_DEFAULTS.data;
  const sf = input.sf ?? d.sf;
  if (typeof sf !== 'number' || !(sf > 0) || sf > 100)
    fail(`data.sf must be a number in (0, 100]; got ${show(sf)}`);
  const compression = input.compression ?? d.compression;
  if (!(COMPRESSIONS as readonly unknown[]).includes(compression)) {
    fail(`data.compression must be one of ${COMPRESSIONS.join(', ')}; got ${show(compression)}`);
  }
  return {
    sf: sf as number,
    parts: integer(input.parts ?? d.parts, 'data.parts', 1, 1024, fail),
    seed: integer(input.seed ?? d.seed, 'data.seed', 0, 2 ** 32 - 1, fail),
    rowGroupSize: integer(input.rowGroupSize ?? d.rowGroupSize, 'data.rowGroupSize', 1, 2 ** 24, fail),
    compression: compression as DataSpec['compression'],
  };
}

function validateQueries(input: unknown, fail: Fail): QuerySpec[] {
  if (!Array.isArray(input) || input.length === 0) {
    return fail('queries must be a non-empty list like [{name: Q6, sql: tpch:Q6}]');
  }
  const seen = new Set<string>();
  return input.map((q: unknown, i): QuerySpec => {
    const at = `queries[${i}]`;
    if (!isObject(q)) return fail(`${at} must be a mapping like {name: Q6, sql: tpch:Q6}`);
    checkKeys(q, QUERY_KEYS, `${at}.`, fail);
    if (typeof q.name !== 'string' || !NAME_PATTERN.test(q.name)) {
      fail(`${at}.name must be 1-64 letters, digits, '.', '-' or '_'; got ${show(q.name)}`);
    }
    const name = q.name as string;
    if (seen.has(name)) fail(`${at}.name "${name}" is used twice`);
    seen.add(name);
    if (typeof q.sql !== 'string' || q.sql.trim() === '')
      fail(`${at}.sql must be SQL text or one of ${Object.keys(BUILTIN_QUERIES).join(', ')}`);
    let sql = q.sql as string;
    if (sql.startsWith('tpch:')) {
      const builtin = BUILTIN_QUERIES[sql.trim()];
      if (!builtin)
        fail(`${at}.sql "${sql}" is not a built-in query; known: ${Object.keys(BUILTIN_QUERIES).join(', ')}`);
      sql = builtin!;
    }
    if (!/\bfrom\s+lineitem\b/i.test(sql))
      fail(`${at}.sql must read from lineitem (the runner points it at the swept format's table)`);
    const params = [...new Set([...sql.matchAll(PARAM_PATTERN)].map((m) => m[1]!))];
    if (params.length > 1)
      fail(`${at}.sql has ${params.length} parameters (${params.join(', ')}); a template takes one`);
    const param = params[0];
    if (param === undefined) {
      if (q.selectivity !== undefined)
        fail(`${at}.selectivity is set but ${at}.sql has no {param} to apply it to`);
      return { name, sql };
    }
    return {
      name,
      sql,
      param,
      selectivity: validateMapping(q.selectivity, `${at}.selectivity`, param, fail),
    };
  });
}

function validateMapping(input: unknown, at: string, param: string, fail: Fail): SelectivityMapping {
  const example = `{calibrate: l_quantity} or {values: {0.1: 6, 0.5: 26}}`;
  if (!isObject(input)) return fail(`${at} must say how a selectivity becomes {${param}}: ${example}`);
  checkKeys(input, ['calibrate', 'values'], `${at}.`, fail);
  if (input.calibrate !== undefined && input.values !== undefined)
    fail(`${at} takes calibrate or values, not both`);
  if (typeof input.calibrate === 'string') {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(input.calibrate))
      fail(`${at}.calibrate must be a column name; got ${show(input.calibrate)}`);
    return { kind: 'calibrate', column: input.calibrate };
  }
  if (isObject(input.values)) {
    const values = new Map<number, string>();
    for (const [k, v] of Object.entries(input.values)) {
      const s = Number(k);
      if (!(s >= 0 && s <= 1)) fail(`${at}.values key ${show(k)} must be a selectivity in [0, 1]`);
      if (typeof v !== 'number' && typeof v !== 'string')
        fail(`${at}.values.${k} must be a number or SQL literal text`);
      values.set(s, String(v));
    }
    return { kind: 'values', values };
  }
  return fail(`${at} must say how a selectivity becomes {${param}}: ${example}`);
}

function validateSweep(input: unknown, fail: Fail): SweepSpec {
  if (!isObject(input))
    return fail('sweep must be a mapping like {cpus: [1.0, 0.5], placement: [pushdown, no-pushdown]}');
  checkKeys(input, SWEEP_KEYS, 'sweep.', fail);
  const d = SPEC_DEFAULTS.sweep;
  const nums = (key: string, dflt: number[], ok: (n: number) => boolean, what: string) => {
    const list = listOf(input[key] ?? dflt, `sweep.${key}`, fail);
    return list.map((v, i) => {
      if (typeof v !== 'number' || !ok(v)) fail(`sweep.${key}[${i}] must be ${what}; got ${show(v)}`);
      return v as number;
    });
  };
  const names = <T extends string>(key: string, dflt: T[], known: readonly T[]) =>
    listOf(input[key] ?? dflt, `sweep.${key}`, fail).map((v, i) => {
      if (!known.includes(v as T))
        fail(`sweep.${key}[${i}] must be one of ${known.join(', ')}; got ${show(v)}`);
      return v as T;
    });
  const selectivity =
    input.selectivity === undefined
      ? []
      : nums('selectivity', [], (n) => n >= 0 && n <= 1, 'a fraction in [0, 1]');
  return {
    cpus: nums(
      'cpus',
      d.cpus,
      (n) => n > 0 && n <= 64,
      'a CPU quota in cores, > 0 and <= 64 (0.5 = half a core)',
    ),
    placement: names<PlacementName>('placement', d.placement, PLACEMENT_NAMES),
    format: names<DataFormat>('format', d.format, DATA_FORMATS),
    selectivity,
    parallelism: nums(
      'parallelism',
      d.parallelism,
      (n) => Number.isInteger(n) && n >= 0 && n <= 1024,
      'an integer in 0..1024 (0 = server default)',
    ),
    load: nums('load', d.load, (n) => n > 0 && n <= 10_000, 'an offered load in queries/s, > 0 and <= 10000'),
  };
}

function validateRun(input: unknown, fail: Fail): RunSpec {
  if (!isObject(input)) return fail('run must be a mapping like {duration: 10, warmup: 2}');
  checkKeys(input, RUN_KEYS, 'run.', fail);
  const d = SPEC_DEFAULTS.run;
  const arrival = input.arrival ?? d.arrival;
  if (!(ARRIVALS as readonly unknown[]).includes(arrival))
    fail(`run.arrival must be one of ${ARRIVALS.join(', ')}; got ${show(arrival)}`);
  const seconds = (key: string, dflt: number, min: number) => {
    const v = input[key] ?? dflt;
    if (typeof v !== 'number' || !(v >= min) || v > 86_400)
      fail(`run.${key} must be a number of seconds >= ${min}; got ${show(v)}`);
    return v as number;
  };
  const duration = seconds('duration', d.duration, 0.1);
  return {
    arrival: arrival as Arrival,
    duration,
    warmup: seconds('warmup', d.warmup, 0),
    repetitions: integer(input.repetitions ?? d.repetitions, 'run.repetitions', 1, 1000, fail),
    maxOutstanding: integer(input.maxOutstanding ?? d.maxOutstanding, 'run.maxOutstanding', 1, 10_000, fail),
    timeout: seconds('timeout', d.timeout, 0.1),
    settle: seconds('settle', d.settle, 0),
  };
}

function listOf(v: unknown, at: string, fail: Fail): unknown[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) fail(`${at} must list at least one value`);
  if (new Set(list).size !== list.length) fail(`${at} lists a value twice: ${show(list)}`);
  return list;
}

function integer(v: unknown, at: string, min: number, max: number, fail: Fail): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    return fail(`${at} must be an integer in ${min}..${max}; got ${show(v)}`);
  }
  return v;
}

function checkKeys(obj: Obj, known: readonly string[], prefix: string, fail: Fail): void {
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

/** The known key within edit distance 3 of `key` (case-insensitive), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}
