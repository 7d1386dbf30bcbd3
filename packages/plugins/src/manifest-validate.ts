/**
 * The manifest validator. It collects every problem rather than stopping at the first, and each
 * message names the exact path and what was expected, e.g.
 * `manifest.exports[1].args[0] must be one of bool, int32, int64, float64, date32, utf8 (got "string")`.
 * The same rules are written as JSON Schema in `schema/manifest.schema.json`; a test keeps the two
 * in agreement.
 */
import { PluginError, closestName, editDistance } from '@pushdown/proto';
import {
  MANIFEST_LIMITS,
  PLUGIN_ABI_VERSION,
  PLUGIN_DATA_TYPES,
  PLUGIN_KINDS,
  PLUGIN_TIERS,
  type PluginManifest,
} from './manifest-types.js';
import { unsupportedWasiImports, WASI_FUNCTIONS } from './wasi/wasi-signatures.js';

export interface ValidateManifestOptions {
  /** A source manifest (before the build): `sha256` may be missing. */
  source?: boolean;
}

type Say = (path: string, what: string, ...got: [unknown?]) => void;

const TOP_LEVEL = [
  'name',
  'version',
  'abiVersion',
  'kind',
  'description',
  'exports',
  'runsOn',
  'limits',
  'imports',
  'persist',
  'sha256',
  'build',
] as const;
const FUNCTION_FIELDS = ['name', 'args', 'result', 'constArgs', 'stateBytes', 'description'];

const NAME_RE = /^[a-z][a-z0-9_-]{0,63}$/;
const SEMVER_RE = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IMPORT_RE = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;
const SHA256_RE = /^[0-9a-f]{64}$/;
const WASI_MODULE = 'wasi_snapshot_preview1';

/** Every problem with `json` as a manifest; empty when it is valid. */
export function manifestProblems(json: unknown, options: ValidateManifestOptions = {}): string[] {
  const problems: string[] = [];
  // `got` is optional: present (even when undefined) means "show what was there".
  const say: Say = (path, what, ...got) => {
    problems.push(`${path} ${what}${got.length > 0 ? ` (got ${show(got[0])})` : ''}`);
  };
  if (!isObject(json)) {
    say('manifest', 'must be a JSON object', json);
    return problems;
  }
  unknownFields(json, TOP_LEVEL, 'manifest', problems);
  const m = json;

  if (!('name' in m)) say('manifest.name', 'is required');
  else if (typeof m.name !== 'string' || !NAME_RE.test(m.name)) {
    say(
      'manifest.name',
      'must be 1-64 lowercase letters, digits, "_" or "-", starting with a letter',
      m.name,
    );
  }
  if (!('version' in m)) say('manifest.version', 'is required');
  else if (typeof m.version !== 'string' || !SEMVER_RE.test(m.version)) {
    say('manifest.version', 'must be a semantic version like 1.2.0', m.version);
  }
  if (!('abiVersion' in m)) say('manifest.abiVersion', 'is required');
  else if (m.abiVersion !== PLUGIN_ABI_VERSION) {
    say('manifest.abiVersion', `must be ${PLUGIN_ABI_VERSION}, the ABI this host speaks`, m.abiVersion);
  }
  const kind = m.kind;
  if (!('kind' in m)) say('manifest.kind', 'is required');
  else if (!oneOf(kind, PLUGIN_KINDS))
    say('manifest.kind', `must be one of ${PLUGIN_KINDS.join(', ')}`, kind);
  if ('description' in m && typeof m.description !== 'string') {
    say('manifest.description', 'must be a string', m.description);
  }

  if (!('exports' in m)) say('manifest.exports', 'is required');
  else if (!Array.isArray(m.exports) || m.exports.length === 0) {
    say('manifest.exports', 'must be a non-empty array', m.exports);
  } else {
    const typedOnly = kind === 'scalar-udf' || kind === 'aggregate-udf';
    const seen = new Set<string>();
    m.exports.forEach((entry: unknown, i: number) => {
      const path = `manifest.exports[${i}]`;
      let name: unknown;
      if (typeof entry === 'string') {
        if (typedOnly) say(path, `must be an object {name, args, result} in a ${String(kind)}`, entry);
        name = entry;
        if (!IDENT_RE.test(entry))
          say(path, 'must be a WebAssembly export name (letters, digits, "_")', entry);
      } else if (isObject(entry)) {
        name = entry.name;
        checkFunction(entry, path, say, problems);
        if (kind === 'aggregate-udf' || 'stateBytes' in entry) checkAggregate(entry, path, kind, say);
      } else {
        say(path, 'must be an export name or an object {name, args, result}', entry);
      }
      if (typeof name === 'string') {
        if (seen.has(name)) say(path, `repeats the export "${name}"`);
        seen.add(name);
      }
    });
  }

  if (!('runsOn' in m)) say('manifest.runsOn', 'is required');
  else if (!Array.isArray(m.runsOn) || m.runsOn.length === 0) {
    say('manifest.runsOn', `must be a non-empty array of ${PLUGIN_TIERS.join(', ')}`, m.runsOn);
  } else {
    const tiers: unknown[] = m.runsOn;
    tiers.forEach((t, i) => {
      if (!oneOf(t, PLUGIN_TIERS))
        say(`manifest.runsOn[${i}]`, `must be one of ${PLUGIN_TIERS.join(', ')}`, t);
      else if (tiers.indexOf(t) !== i) say(`manifest.runsOn[${i}]`, `repeats "${t}"`);
    });
  }

  if (!('limits' in m)) say('manifest.limits', 'is required');
  else if (!isObject(m.limits))
    say('manifest.limits', 'must be an object {memoryPages, timeBudgetMs}', m.limits);
  else {
    const l = m.limits;
    unknownFields(l, ['memoryPages', 'timeBudgetMs'], 'manifest.limits', problems);
    if (!('memoryPages' in l)) say('manifest.limits.memoryPages', 'is required');
    else if (!isInt(l.memoryPages) || l.memoryPages < 1 || l.memoryPages > MANIFEST_LIMITS.maxMemoryPages) {
      say(
        'manifest.limits.memoryPages',
        `must be an integer from 1 to ${MANIFEST_LIMITS.maxMemoryPages} (64 KiB pages)`,
        l.memoryPages,
      );
    }
    if (!('timeBudgetMs' in l)) say('manifest.limits.timeBudgetMs', 'is required');
    else if (
      typeof l.timeBudgetMs !== 'number' ||
      !(l.timeBudgetMs > 0) ||
      l.timeBudgetMs > MANIFEST_LIMITS.maxTimeBudgetMs
    ) {
      say(
        'manifest.limits.timeBudgetMs',
        `must be a number of milliseconds above 0 and at most ${MANIFEST_LIMITS.maxTimeBudgetMs}`,
        l.timeBudgetMs,
      );
    }
  }

  const imports: string[] = [];
  if (!('imports' in m)) say('manifest.imports', 'is required');
  else if (!Array.isArray(m.imports))
    say('manifest.imports', 'must be an array of "module.name" strings', m.imports);
  else {
    m.imports.forEach((imp: unknown, i: number) => {
      if (typeof imp !== 'string' || !IMPORT_RE.test(imp)) {
        say(`manifest.imports[${i}]`, 'must be "module.name", e.g. "env.memory"', imp);
      } else if (imports.includes(imp)) say(`manifest.imports[${i}]`, `repeats "${imp}"`);
      else if (unsupportedWasiImports([imp]).length > 0) {
        // The WASI host serves a fixed set of calls; refuse the rest here rather than at load.
        const near = closestName(imp.slice(WASI_MODULE.length + 1), WASI_FUNCTIONS);
        say(
          `manifest.imports[${i}]`,
          `names a WASI call the host does not provide${near ? ` (did you mean "${WASI_MODULE}.${near}"?)` : ''}`,
          imp,
        );
      } else imports.push(imp);
    });
    if (!imports.includes('env.memory')) {
      say('manifest.imports', 'must include "env.memory": plugins use the memory the host gives them');
    }
  }

  if ('persist' in m) {
    if (!isObject(m.persist)) say('manifest.persist', 'must be an object {scratch, maxBytes?}', m.persist);
    else {
      const p = m.persist;
      unknownFields(p, ['scratch', 'maxBytes'], 'manifest.persist', problems);
      if (typeof p.scratch !== 'boolean') say('manifest.persist.scratch', 'must be true or false', p.scratch);
      if ('maxBytes' in p && (!isInt(p.maxBytes) || p.maxBytes < 1)) {
        say('manifest.persist.maxBytes', 'must be a positive integer', p.maxBytes);
      }
      if (p.scratch === true && !imports.some((i) => i.startsWith(`${WASI_MODULE}.`))) {
        say(
          'manifest.persist.scratch',
          `needs a scratch folder, so manifest.imports must name ${WASI_MODULE} calls`,
        );
      }
    }
  }

  if (!('sha256' in m)) {
    if (!options.source) say('manifest.sha256', 'is required (the build fills it in)');
  } else if (typeof m.sha256 !== 'string' || !SHA256_RE.test(m.sha256)) {
    say('manifest.sha256', 'must be 64 lowercase hex digits', m.sha256);
  }

  if ('build' in m) {
    if (!isObject(m.build)) say('manifest.build', 'must be an object {ascFlags}', m.build);
    else {
      unknownFields(m.build, ['ascFlags'], 'manifest.build', problems);
      const flags = m.build.ascFlags;
      if (flags !== undefined && (!Array.isArray(flags) || flags.some((f) => typeof f !== 'string'))) {
        say('manifest.build.ascFlags', 'must be an array of strings', flags);
      }
    }
  }
  return problems;
}

/**
 * Checks `json` and returns it typed as a manifest, or throws a PluginError whose message lists
 * every problem.
 *
 * @example
 * const manifest = validateManifest(JSON.parse(await readFile('manifest.json', 'utf8')));
 */
export function validateManifest(json: unknown, options: ValidateManifestOptions = {}): PluginManifest {
  const problems = manifestProblems(json, options);
  if (problems.length > 0) {
    const name = isObject(json) && typeof json.name === 'string' ? ` "${json.name}"` : '';
    throw new PluginError(`invalid plugin manifest${name}: ${problems.join('; ')}`);
  }
  return json as unknown as PluginManifest;
}

function checkFunction(f: Record<string, unknown>, path: string, say: Say, problems: string[]): void {
  unknownFields(f, FUNCTION_FIELDS, path, problems);
  if (typeof f.name !== 'string' || !IDENT_RE.test(f.name)) {
    say(`${path}.name`, 'must be a WebAssembly export name (letters, digits, "_")', f.name);
  }
  const types = `must be one of ${PLUGIN_DATA_TYPES.join(', ')}`;
  let arity = 0;
  if (!Array.isArray(f.args)) say(`${path}.args`, 'must be an array of column types', f.args);
  else {
    arity = f.args.length;
    f.args.forEach((t: unknown, j: number) => {
      if (!oneOf(t, PLUGIN_DATA_TYPES)) say(`${path}.args[${j}]`, types, t);
    });
  }
  if (!('result' in f)) say(`${path}.result`, 'is required');
  else if (!oneOf(f.result, PLUGIN_DATA_TYPES)) say(`${path}.result`, types, f.result);
  if ('constArgs' in f) {
    if (!Array.isArray(f.constArgs))
      say(`${path}.constArgs`, 'must be an array of argument indexes', f.constArgs);
    else {
      f.constArgs.forEach((k: unknown, j: number) => {
        if (!isInt(k) || k < 0 || k >= arity) {
          say(`${path}.constArgs[${j}]`, `must be an argument index from 0 to ${arity - 1}`, k);
        } else if ((f.constArgs as unknown[]).indexOf(k) !== j)
          say(`${path}.constArgs[${j}]`, `repeats ${k}`);
      });
    }
  }
  if ('description' in f && typeof f.description !== 'string') {
    say(`${path}.description`, 'must be a string', f.description);
  }
}

/**
 * The aggregate-UDF rules (aggregate-udf-abi.ts): a state size the host can lay out 8-byte
 * aligned, a fixed-width result, no constant arguments; and `stateBytes` nowhere else.
 */
function checkAggregate(f: Record<string, unknown>, path: string, kind: unknown, say: Say): void {
  if (kind !== 'aggregate-udf') {
    say(`${path}.stateBytes`, 'is only allowed in an aggregate-udf');
    return;
  }
  const max = MANIFEST_LIMITS.maxStateBytes;
  if (!('stateBytes' in f)) say(`${path}.stateBytes`, 'is required in an aggregate-udf');
  else if (!isInt(f.stateBytes) || f.stateBytes < 8 || f.stateBytes > max || f.stateBytes % 8 !== 0) {
    say(`${path}.stateBytes`, `must be a multiple of 8 from 8 to ${max}`, f.stateBytes);
  }
  if (f.result === 'utf8') say(`${path}.result`, 'must be a fixed-width type in an aggregate-udf', f.result);
  if ('constArgs' in f) say(`${path}.constArgs`, 'is not allowed in an aggregate-udf');
}

function unknownFields(
  obj: Record<string, unknown>,
  known: readonly string[],
  path: string,
  problems: string[],
): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    problems.push(`${path} has an unknown field "${key}"${near ? ` (did you mean "${near}"?)` : ''}`);
  }
}

/** The known name within edit distance 2 of `word`, for "did you mean" hints. */
function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = 3;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDist) [best, bestDist] = [k, d];
  }
  return best;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function oneOf<T extends string>(v: unknown, options: readonly T[]): v is T {
  return typeof v === 'string' && (options as readonly string[]).includes(v);
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
