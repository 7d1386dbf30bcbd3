/**
 * Loading and admission of operator modules. Each module is compiled once per process and
 * cached; before that it must pass the ABI checks: it imports its memory as `env.memory`,
 * defines and exports no memory of its own, imports nothing its manifest does not declare,
 * exports what the manifest lists, agrees on `ABI_VERSION`, and keeps its static data below
 * the host's arena.
 */
import { readFileSync } from 'node:fs';
import { operatorManifest, operatorWasmPath, type OperatorManifest } from '@pushdown/plugins';
import { PluginError } from '@pushdown/proto';
import { ABI_VERSION, ARENA_BASE } from './abi.js';
import { readModuleLayout } from './wasm-sections.js';

export interface LoadedModule {
  readonly name: string;
  readonly module: WebAssembly.Module;
  readonly manifest: OperatorManifest;
}

const cache = new Map<string, LoadedModule>();

/** The built-in operator module `name`, compiled once per process. */
export function loadOperatorModule(name: string): LoadedModule {
  const hit = cache.get(name);
  if (hit) return hit;
  let bytes: Uint8Array;
  let manifest: OperatorManifest;
  try {
    bytes = readFileSync(operatorWasmPath(name));
    manifest = operatorManifest(name);
  } catch (err) {
    throw new PluginError(`cannot load WASM operator "${name}": ${(err as Error).message}`, {
      cause: err,
      hint: 'run `npm run build -w @pushdown/plugins`',
    });
  }
  const loaded = admitModule(name, bytes, manifest);
  cache.set(name, loaded);
  return loaded;
}

/** The compiled built-in module `name`, to send to a worker thread (WebAssembly.Module is clonable). */
export function compiledOperatorModule(name: string): WebAssembly.Module {
  return loadOperatorModule(name).module;
}

/**
 * Use `module` for the built-in operator `name` in this thread: it was admitted and compiled by
 * the thread that sent it, so this one neither reads nor compiles the file again.
 */
export function adoptOperatorModule(name: string, module: WebAssembly.Module): void {
  if (cache.has(name)) return;
  cache.set(name, { name, module, manifest: operatorManifest(name) });
}

/** Compile `bytes` and check it against the ABI and `manifest`; throws PluginError on refusal. */
export function admitModule(name: string, bytes: Uint8Array, manifest: OperatorManifest): LoadedModule {
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (err) {
    throw new PluginError(`WASM operator "${name}" does not compile: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const refuse = (why: string): never => {
    throw new PluginError(`WASM operator "${name}" refused: ${why}`);
  };
  if (manifest.abiVersion !== ABI_VERSION) {
    refuse(`manifest abiVersion ${manifest.abiVersion}, host speaks ${ABI_VERSION}`);
  }
  const layout = readModuleLayout(name, bytes);
  if (layout.definedMemories > 0) refuse('it defines its own memory; operators must import env.memory');
  if (layout.staticDataEnd > ARENA_BASE) {
    refuse(`its static data ends at byte ${layout.staticDataEnd}, above the host arena at ${ARENA_BASE}`);
  }
  const declared = new Set(manifest.imports);
  let importsMemory = false;
  for (const imp of WebAssembly.Module.imports(module)) {
    const key = `${imp.module}.${imp.name}`;
    if (!declared.has(key)) refuse(`it imports ${key} (${imp.kind}), which its manifest does not declare`);
    if (imp.kind === 'memory') {
      if (key !== 'env.memory') refuse(`it imports memory as ${key}; the ABI names it env.memory`);
      importsMemory = true;
    }
  }
  if (!importsMemory) refuse('it does not import env.memory');
  const exported = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  for (const [exp, kind] of exported) {
    if (kind === 'memory') refuse(`it exports a memory ("${exp}"); operators must not expose memory`);
  }
  for (const exp of manifest.exports) {
    if (!exported.has(exp)) refuse(`its manifest lists export "${exp}" but the module has none`);
  }
  if (exported.get('ABI_VERSION') !== 'global') refuse('it does not export the ABI_VERSION global');
  return { name, module, manifest };
}
