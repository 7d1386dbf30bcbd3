/**
 * Admission of a format-reader module before it runs: a VerifiedPlugin is used as verified; a
 * library entry (manifest + wasm path) is verified here, synchronously, with the same checks as
 * verifyPlugin (hash first, then the module's imports, memory and exports), plus what only this
 * kind needs: kind `format-reader`, every ABI function exported, an ABI_VERSION global. Compiled
 * modules are cached by path and hash, so a scan per object does not recompile.
 */
import { readFileSync } from 'node:fs';
import { PluginError } from '@pushdown/proto';
import type { PluginManifest } from '../manifest-types.js';
import { moduleProblems, sha256Hex } from '../plugin-verify.js';
import { readWasmModuleInfo, type WasmModuleInfo } from '../wasm-binary.js';
import { FORMAT_READER_EXPORTS } from './format-reader-abi.js';

/** A VerifiedPlugin, a LibraryPlugin, or anything with a manifest and a module or its path. */
export interface FormatReaderPlugin {
  readonly manifest: PluginManifest;
  readonly module?: WebAssembly.Module;
  readonly info?: WasmModuleInfo;
  readonly wasmPath?: string;
}

const cache = new Map<string, WebAssembly.Module>();

/** The compiled, admitted module of `plugin`; throws PluginError with every reason it is refused. */
export function formatReaderModule(plugin: FormatReaderPlugin): WebAssembly.Module {
  const { manifest } = plugin;
  const name = manifest.name;
  if (manifest.kind !== 'format-reader') {
    throw new PluginError(`plugin "${name}" is of kind ${manifest.kind}, not format-reader`);
  }
  if (plugin.module) {
    checkExports(name, plugin.module);
    return plugin.module;
  }
  if (!plugin.wasmPath) throw new PluginError(`plugin "${name}" has neither a module nor a wasm path`);
  const key = `${plugin.wasmPath}\0${manifest.sha256}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const bytes = new Uint8Array(readFileSync(plugin.wasmPath));
  const actual = sha256Hex(bytes);
  if (actual !== manifest.sha256) {
    throw new PluginError(
      `plugin "${name}" refused: manifest.sha256 does not match the module ` +
        `(expected ${manifest.sha256}, got ${actual})`,
    );
  }
  const info = readWasmModuleInfo(bytes, `plugin "${name}" (${plugin.wasmPath})`);
  const reasons = moduleProblems(manifest, info);
  if (reasons.length > 0) throw new PluginError(`plugin "${name}" refused: ${reasons.join('; ')}`);
  const module = new WebAssembly.Module(bytes);
  checkExports(name, module);
  cache.set(key, module);
  return module;
}

function checkExports(name: string, module: WebAssembly.Module): void {
  const exported = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  const reasons: string[] = [];
  for (const fn of FORMAT_READER_EXPORTS) {
    if (exported.get(fn) !== 'function') reasons.push(`it does not export the function ${fn}`);
  }
  if (exported.get('ABI_VERSION') !== 'global') reasons.push('it does not export the ABI_VERSION global');
  if (reasons.length > 0) {
    throw new PluginError(`format reader "${name}" refused: ${reasons.join('; ')}`, {
      hint: 'see packages/plugins/src/format-reader/format-reader-abi.ts',
    });
  }
}
