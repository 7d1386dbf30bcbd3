/**
 * A small reader of a WebAssembly binary's type, import, function, memory and export sections.
 * The JS API lists imports and exports but neither the signatures of exported functions nor
 * whether a module *defines* a memory, and plugin verification needs both; reading the bytes
 * also means nothing is compiled before the module is admitted.
 */
import { PluginError } from '@pushdown/proto';

export type ExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag';

export interface WasmImport {
  module: string;
  name: string;
  kind: ExternKind;
}

export interface WasmExport {
  name: string;
  kind: ExternKind;
  /** For functions: the value types of parameters and results (`i32`, `i64`, `f32`, `f64`, ...). */
  params?: string[];
  results?: string[];
}

export interface WasmModuleInfo {
  imports: WasmImport[];
  exports: WasmExport[];
  /** Memories the module defines itself (the memory section), not counting imported ones. */
  definedMemories: number;
  /** One past the last byte an active data segment writes at instantiation (0 when none). */
  staticDataEnd: number;
}

const KINDS: ExternKind[] = ['function', 'table', 'memory', 'global', 'tag'];
const VALTYPES: Record<number, string> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
  0x70: 'funcref',
  0x6f: 'externref',
};

/** Reads the sections plugin verification needs; throws PluginError on a malformed binary. */
export function readWasmModuleInfo(bytes: Uint8Array, label = 'module'): WasmModuleInfo {
  let pos = 0;
  const fail = (why: string): never => {
    throw new PluginError(`${label} is not a valid WebAssembly binary: ${why}`);
  };
  const byte = (): number => (pos < bytes.length ? bytes[pos++]! : fail('unexpected end of the binary'));
  const uleb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) fail('LEB128 number too long');
    }
  };
  const sleb32 = (): number => {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = byte();
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80 && shift < 35);
    return shift < 32 && b & 0x40 ? result | (-1 << shift) : result;
  };
  const name = (): string => {
    const len = uleb();
    if (pos + len > bytes.length) fail('name runs past the end');
    const s = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(pos, pos + len));
    pos += len;
    return s;
  };
  const limits = (): void => {
    const flags = byte();
    uleb();
    if (flags & 1) uleb();
  };
  const valtype = (): string => {
    const b = byte();
    return VALTYPES[b] ?? `0x${b.toString(16)}`;
  };

  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    fail('it does not start with the \\0asm magic');
  }
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0)
    fail('unsupported binary version');
  pos = 8;

  const types: { params: string[]; results: string[] }[] = [];
  const funcTypes: number[] = []; // type index of every function, imported ones first
  const info: WasmModuleInfo = { imports: [], exports: [], definedMemories: 0, staticDataEnd: 0 };
  const rawExports: { name: string; kind: ExternKind; index: number }[] = [];

  while (pos < bytes.length) {
    const id = byte();
    const size = uleb();
    const end = pos + size;
    if (end > bytes.length) fail(`section ${id} runs past the end`);
    if (id === 1) {
      for (let n = uleb(); n > 0; n--) {
        if (byte() !== 0x60) fail('type section holds a non-function type');
        const params = Array.from({ length: uleb() }, valtype);
        const results = Array.from({ length: uleb() }, valtype);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = uleb(); n > 0; n--) {
        const module = name();
        const field = name();
        const kindByte = byte();
        const kind = KINDS[kindByte] ?? fail(`import ${module}.${field} has unknown kind ${kindByte}`);
        if (kind === 'function') funcTypes.push(uleb());
        else if (kind === 'table') {
          byte();
          limits();
        } else if (kind === 'memory') limits();
        else if (kind === 'global') {
          valtype();
          byte();
        } else {
          byte();
          uleb();
        }
        info.imports.push({ module, name: field, kind });
      }
    } else if (id === 3) {
      for (let n = uleb(); n > 0; n--) funcTypes.push(uleb());
    } else if (id === 5) {
      info.definedMemories = uleb();
    } else if (id === 11) {
      for (let n = uleb(); n > 0; n--) {
        const flags = uleb();
        if (flags === 1) {
          pos += uleb(); // passive segment: copied only when the code asks, to where it says
          continue;
        }
        if (flags === 2) uleb(); // memory index
        if (byte() !== 0x41) fail('a data segment offset is not an i32.const');
        const offset = sleb32();
        if (byte() !== 0x0b) fail('a data segment offset expression is too long');
        const len = uleb();
        pos += len;
        info.staticDataEnd = Math.max(info.staticDataEnd, (offset >>> 0) + len);
      }
    } else if (id === 7) {
      for (let n = uleb(); n > 0; n--) {
        const exportName = name();
        const kindByte = byte();
        const kind = KINDS[kindByte] ?? fail(`export "${exportName}" has unknown kind ${kindByte}`);
        rawExports.push({ name: exportName, kind, index: uleb() });
      }
    }
    pos = end;
  }
  for (const e of rawExports) {
    if (e.kind !== 'function') {
      info.exports.push({ name: e.name, kind: e.kind });
      continue;
    }
    const sig = types[funcTypes[e.index] ?? -1] ?? fail(`export "${e.name}" names an unknown function`);
    info.exports.push({ name: e.name, kind: e.kind, params: sig.params, results: sig.results });
  }
  return info;
}
