/**
 * The SQL-callable functions of the UDF plugins in a registry (scalar and aggregate): what the
 * binder resolves names against (types come from each manifest) and what the executor loads
 * modules through.
 * Modules are verified and compiled once per process and instantiated once (memory capped by
 * the manifest); every call then runs over a whole batch.
 */
import { readFileSync } from 'node:fs';
import { PluginError } from '@pushdown/proto';
import { manifestFunctions, type PluginDataType, type PluginManifest } from './manifest-types.js';
import { validateManifest } from './manifest-validate.js';
import { findLibraryPlugin, libraryPlugins, type LibraryPlugin } from './plugin-library.js';
import { moduleProblems, sha256Hex } from './plugin-verify.js';
import type { Registry } from './registry.js';
import { instantiateUdf, type UdfInstance } from './udf-host.js';
import { instantiateAggregateUdf, type AggregateUdfInstance } from './aggregate-udf-host.js';
import { readWasmModuleInfo } from './wasm-binary.js';

/** One function a plugin exports, as SQL sees it. */
export interface UdfFunction {
  /** A scalar UDF (one value per row) or an aggregate UDF (one value per group). */
  readonly kind: 'scalar' | 'aggregate';
  /** The SQL name (the export name, lower-case). */
  readonly name: string;
  readonly plugin: string;
  readonly version: string;
  readonly sha256: string;
  readonly args: readonly PluginDataType[];
  readonly result: PluginDataType;
  /** Argument positions that must be literals. */
  readonly constArgs: readonly number[];
  /** Aggregates: bytes of one group's state (aggregate-udf-abi.ts). */
  readonly stateBytes?: number;
  readonly description?: string;
}

export interface FunctionCatalog {
  /** The function called `name` (case-insensitive), if any. */
  find(name: string): UdfFunction | undefined;
  /** Every function name, for "did you mean" messages. */
  names(): string[];
}

/**
 * Builds the catalog from the scalar-UDF plugins this process can load (plugin-library.ts:
 * shipped plus installed), or from `registry` when given. A name exported by two plugins
 * resolves to the first in library order.
 *
 * @example
 * const fn = functionCatalog().find('hash64_utf8'); // { plugin: 'hash64', args: ['utf8'], result: 'int64', ... }
 */
export function functionCatalog(registry?: Registry): FunctionCatalog {
  const byName = new Map<string, UdfFunction>();
  const manifests = registry
    ? registry.plugins.filter((e) => !e.builtin).map((e) => readManifest(e.manifestPath))
    : libraryPlugins().map((p) => p.manifest);
  for (const manifest of manifests) {
    if (manifest.kind !== 'scalar-udf' && manifest.kind !== 'aggregate-udf') continue;
    for (const fn of manifestFunctions(manifest)) {
      const name = fn.name.toLowerCase();
      if (byName.has(name)) continue;
      byName.set(name, {
        name,
        kind: manifest.kind === 'aggregate-udf' ? 'aggregate' : 'scalar',
        plugin: manifest.name,
        version: manifest.version,
        sha256: manifest.sha256,
        args: fn.args,
        result: fn.result,
        constArgs: fn.constArgs ?? [],
        ...(fn.stateBytes === undefined ? {} : { stateBytes: fn.stateBytes }),
        ...(fn.description === undefined ? {} : { description: fn.description }),
      });
    }
  }
  return { find: (name) => byName.get(name.toLowerCase()), names: () => [...byName.keys()] };
}

function readManifest(path: string): PluginManifest {
  return validateManifest(JSON.parse(readFileSync(path, 'utf8')));
}

const instances = new Map<string, UdfInstance>();

/**
 * The process-wide instance of scalar-UDF plugin `name` (plugin-library.ts): verified (hash,
 * imports, exports) and compiled on first use, then reused until the library hands out another
 * module under that name. Synchronous because the executor's expression evaluation is.
 */
export function udfInstance(name: string, registry?: Registry): UdfInstance {
  const entry: LibraryPlugin | undefined = registry ? libraryEntry(registry, name) : findLibraryPlugin(name);
  const cached = instances.get(name);
  if (cached && entry && cached.manifest.sha256 === entry.manifest.sha256) return cached;
  if (!entry || entry.manifest.kind !== 'scalar-udf') {
    throw new PluginError(`scalar-UDF plugin "${name}" is not installed on this node`, {
      hint: 'run `pushdown plugins list` to see the installed plugins',
    });
  }
  const instance = instantiateUdf(verifiedModule(entry), entry.manifest);
  instances.set(name, instance);
  return instance;
}

const aggregates = new Map<string, AggregateUdfInstance>();

/**
 * The process-wide instance of aggregate-UDF plugin `name`, verified and compiled on first use
 * like `udfInstance`. The engine calls it inside scan workers (update, under the watchdog) and on
 * the threads that merge partial states (merge, finalize).
 */
export function aggregateUdfInstance(name: string): AggregateUdfInstance {
  const entry = findLibraryPlugin(name);
  const cached = aggregates.get(name);
  if (cached && entry && cached.manifest.sha256 === entry.manifest.sha256) return cached;
  if (!entry || entry.manifest.kind !== 'aggregate-udf') {
    throw new PluginError(`aggregate-UDF plugin "${name}" is not installed on this node`, {
      hint: 'run `pushdown plugins list` to see the installed plugins',
    });
  }
  const instance = instantiateAggregateUdf(verifiedModule(entry), entry.manifest);
  aggregates.set(name, instance);
  return instance;
}

/** The module of a library plugin after its hash, imports and exports were checked. */
function verifiedModule(entry: LibraryPlugin): WebAssembly.Module {
  const { manifest } = entry;
  const name = manifest.name;
  const bytes = new Uint8Array(readFileSync(entry.wasmPath));
  const actual = sha256Hex(bytes);
  if (actual !== manifest.sha256) {
    throw new PluginError(
      `plugin "${name}" refused: manifest.sha256 does not match the module (expected ${manifest.sha256}, got ${actual})`,
    );
  }
  const problems = moduleProblems(manifest, readWasmModuleInfo(bytes, `plugin "${name}"`));
  if (problems.length > 0) throw new PluginError(`plugin "${name}" refused: ${problems.join('; ')}`);
  return new WebAssembly.Module(bytes);
}

function libraryEntry(registry: Registry, name: string): LibraryPlugin | undefined {
  const e = registry.find(name);
  return (
    e && {
      manifest: readManifest(e.manifestPath),
      wasmPath: e.wasmPath,
      manifestPath: e.manifestPath,
      origin: 'registry',
    }
  );
}
