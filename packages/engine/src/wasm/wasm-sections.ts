/**
 * What the operator ABI needs from a module's binary that the JS API does not say: whether it
 * *defines* a memory (it must import env.memory) and where its static data ends (it must stay
 * below the host's arena). Read by the plugins package's one section reader.
 */
import { readWasmModuleInfo } from '@pushdown/plugins';

export interface ModuleLayout {
  /** Memories the module defines itself (section 5). */
  definedMemories: number;
  /** One past the last byte any active data segment writes (0 when there is none). */
  staticDataEnd: number;
}

export function readModuleLayout(name: string, bytes: Uint8Array): ModuleLayout {
  const { definedMemories, staticDataEnd } = readWasmModuleInfo(bytes, `WASM module "${name}"`);
  return { definedMemories, staticDataEnd };
}
