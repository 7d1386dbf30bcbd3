/**
 * Admission of a plugin before anything runs: the manifest is valid, the module's SHA-256 is the
 * one the manifest names (checked before the bytes are parsed or compiled), it imports its memory
 * as `env.memory` and nothing its manifest does not declare, defines and exports no memory of its
 * own, keeps its static data below the host's arena, and exports every function the manifest
 * lists with the signature the scalar-UDF ABI gives its types (an aggregate UDF: its four phase
 * exports, aggregate-udf-abi.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { NotFoundError, PluginError } from '@pushdown/proto';
import { exportName, manifestFunctions, type PluginManifest } from './manifest-types.js';
import { validateManifest } from './manifest-validate.js';
import { PLUGIN_ARENA_BASE, scalarUdfSignature } from './udf-abi.js';
import { AGGREGATE_UDF_PHASES, aggregateExportName, aggregateUdfSignatures } from './aggregate-udf-abi.js';
import { readWasmModuleInfo, type WasmModuleInfo } from './wasm-binary.js';
import { unsupportedWasiImports } from './wasi/wasi-signatures.js';
import { WASI_MODULE } from './wasi/wasi-types.js';

/** Where a plugin's two files are. */
export interface PluginFiles {
  manifestPath: string;
  wasmPath: string;
}

export interface VerifiedPlugin extends PluginFiles {
  manifest: PluginManifest;
  bytes: Uint8Array;
  /** The module compiled after every check passed; hosts may send it to workers. */
  module: WebAssembly.Module;
  info: WasmModuleInfo;
}

/**
 * Finds a plugin's manifest and module from a folder (`manifest.json` and `<name>.wasm`, or a
 * build folder's `<name>.manifest.json` beside `<name>.wasm`), a `.wasm` path, or a manifest path.
 */
export function resolvePluginFiles(path: string): PluginFiles {
  if (!existsSync(path)) throw new NotFoundError(`no plugin at ${path}`);
  if (statSync(path).isDirectory()) {
    const manifestPath = join(path, 'manifest.json');
    if (existsSync(manifestPath)) {
      const wasm = readdirSync(path).filter((f) => f.endsWith('.wasm'));
      if (wasm.length !== 1) {
        throw new NotFoundError(`${path} must hold exactly one .wasm module beside manifest.json`, {
          hint: wasm.length === 0 ? 'build the plugin first' : `found ${wasm.join(', ')}`,
        });
      }
      return { manifestPath, wasmPath: join(path, wasm[0]!) };
    }
    throw new NotFoundError(`${path} has no manifest.json`);
  }
  if (path.endsWith('.wasm')) {
    const stem = basename(path, '.wasm');
    const candidates = [join(dirname(path), `${stem}.manifest.json`), join(dirname(path), 'manifest.json')];
    const manifestPath = candidates.find((c) => existsSync(c));
    if (!manifestPath)
      throw new NotFoundError(`no manifest beside ${path} (looked for ${candidates.join(', ')})`);
    return { manifestPath, wasmPath: path };
  }
  if (path.endsWith('.json')) {
    const stem = basename(path).replace(/(\.manifest)?\.json$/, '');
    const dir = dirname(path);
    const wasmPath = stem === 'manifest' ? undefined : join(dir, `${stem}.wasm`);
    if (wasmPath && existsSync(wasmPath)) return { manifestPath: path, wasmPath };
    return { ...resolvePluginFiles(dir), manifestPath: path };
  }
  throw new NotFoundError(`${path} is neither a plugin folder, a .wasm module nor a manifest`);
}

/**
 * Verifies a plugin and returns it compiled; throws PluginError with every reason it is refused.
 *
 * @example
 * const { manifest } = await verifyPlugin('packages/plugins/build/hash64.wasm');
 */
export async function verifyPlugin(src: string | PluginFiles): Promise<VerifiedPlugin> {
  const files = typeof src === 'string' ? resolvePluginFiles(src) : src;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(files.manifestPath, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? `is not valid JSON: ${err.message}` : `cannot be read`;
    throw new PluginError(`${files.manifestPath} ${why}`, { cause: err });
  }
  const manifest = validateManifest(json);
  const bytes = new Uint8Array(await readFile(files.wasmPath));
  const actual = sha256Hex(bytes);
  if (actual !== manifest.sha256) {
    throw new PluginError(
      `plugin "${manifest.name}" refused: manifest.sha256 does not match the module ` +
        `(expected ${manifest.sha256}, got ${actual})`,
      { hint: `${files.wasmPath} is not the module the manifest was written for` },
    );
  }
  const info = readWasmModuleInfo(bytes, `plugin "${manifest.name}" (${files.wasmPath})`);
  const reasons = moduleProblems(manifest, info);
  if (reasons.length > 0) {
    throw new PluginError(`plugin "${manifest.name}" refused: ${reasons.join('; ')}`);
  }
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (err) {
    throw new PluginError(`plugin "${manifest.name}" does not compile: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return { ...files, manifest, bytes, module, info };
}

/** Hex SHA-256 of `bytes`, as manifests record it. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Why the module does not keep the promises of its manifest and the ABI (empty when it does). */
export function moduleProblems(manifest: PluginManifest, info: WasmModuleInfo): string[] {
  const reasons: string[] = [];
  if (info.definedMemories > 0) {
    reasons.push('it defines its own memory; plugins must import env.memory from the host');
  }
  for (const e of info.exports) {
    if (e.kind === 'memory')
      reasons.push(`it exports a memory ("${e.name}"); plugins must not expose memory`);
  }
  const declared = new Set(manifest.imports);
  let importsMemory = false;
  for (const imp of info.imports) {
    const key = `${imp.module}.${imp.name}`;
    if (!declared.has(key)) {
      reasons.push(`it imports ${key} (${imp.kind}), which manifest.imports does not declare`);
    }
    if (imp.kind === 'memory') {
      if (key === 'env.memory') importsMemory = true;
      else reasons.push(`it imports a memory as ${key}; the ABI names it env.memory`);
    }
  }
  if (!importsMemory && info.definedMemories === 0) reasons.push('it does not import env.memory');
  for (const name of unsupportedWasiImports(info.imports.map((i) => `${i.module}.${i.name}`))) {
    reasons.push(`it imports ${WASI_MODULE}.${name}, a WASI call this host does not provide`);
  }
  if (info.staticDataEnd > PLUGIN_ARENA_BASE) {
    reasons.push(
      `its static data ends at byte ${info.staticDataEnd}, above the host arena at ${PLUGIN_ARENA_BASE}`,
    );
  }
  const exported = new Map(info.exports.map((e) => [e.name, e]));
  if (manifest.kind === 'aggregate-udf') reasons.push(...aggregateExportProblems(manifest, exported));
  for (const entry of manifest.kind === 'aggregate-udf' ? [] : manifest.exports) {
    const name = exportName(entry);
    if (!exported.has(name))
      reasons.push(`manifest.exports lists "${name}" but the module does not export it`);
  }
  const isUdf = manifest.kind === 'scalar-udf' || manifest.kind === 'aggregate-udf';
  for (const fn of manifestFunctions(manifest)) {
    const e = exported.get(fn.name);
    if (!e) continue;
    if (e.kind !== 'function') {
      reasons.push(`"${fn.name}" is a ${e.kind}, but manifest.exports declares a function`);
      continue;
    }
    if (manifest.kind !== 'scalar-udf') continue; // other kinds' calling conventions come later
    const want = scalarUdfSignature(fn);
    const got = { params: e.params ?? [], results: e.results ?? [] };
    if (sig(got) !== sig(want)) {
      reasons.push(
        `"${fn.name}" has signature ${sig(got)}, but the scalar-UDF ABI for ` +
          `(${fn.args.join(', ')}) -> ${fn.result} needs ${sig(want)}`,
      );
    }
  }
  if (isUdf && exported.get('ABI_VERSION')?.kind !== 'global') {
    reasons.push('it does not export the ABI_VERSION global');
  }
  return reasons;
}

/** An aggregate entry `f` stands for the exports f_init, f_update, f_merge, f_finalize (aggregate-udf-abi.ts). */
function aggregateExportProblems(
  manifest: PluginManifest,
  exported: ReadonlyMap<string, WasmModuleInfo['exports'][number]>,
): string[] {
  const reasons: string[] = [];
  for (const fn of manifestFunctions(manifest)) {
    const want = aggregateUdfSignatures(fn);
    for (const phase of AGGREGATE_UDF_PHASES) {
      const name = aggregateExportName(fn.name, phase);
      const e = exported.get(name);
      if (!e || e.kind !== 'function') {
        reasons.push(`aggregate "${fn.name}" needs the export "${name}", which the module lacks`);
        continue;
      }
      const got = { params: e.params ?? [], results: e.results ?? [] };
      if (sig(got) !== sig(want[phase])) {
        reasons.push(
          `"${name}" has signature ${sig(got)}, but the aggregate-UDF ABI for ` +
            `(${fn.args.join(', ')}) -> ${fn.result} needs ${sig(want[phase])}`,
        );
      }
    }
  }
  return reasons;
}

function sig(s: { params: string[]; results: string[] }): string {
  return `(${s.params.join(', ')}) -> (${s.results.join(', ')})`;
}
