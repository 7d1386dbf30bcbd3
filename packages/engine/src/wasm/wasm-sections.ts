/**
 * A minimal reader of a WebAssembly binary's section table. The JS API lists imports and
 * exports but not whether a module *defines* a memory or where its data segments land, and
 * the operator ABI needs both: a module must import its memory, and its static data must stay
 * below the host's arena.
 */
import { PluginError } from '@pushdown/proto';

const SECTION_MEMORY = 5;
const SECTION_DATA = 11;

export interface ModuleLayout {
  /** Memories the module defines itself (section 5). */
  definedMemories: number;
  /** One past the last byte any active data segment writes (0 when there is none). */
  staticDataEnd: number;
}

export function readModuleLayout(name: string, bytes: Uint8Array): ModuleLayout {
  let pos = 8; // magic + version
  const fail = (why: string): never => {
    throw new PluginError(`WASM module "${name}" is malformed: ${why}`);
  };
  const uleb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= bytes.length) fail('truncated LEB128');
      const b = bytes[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  const sleb32 = (): number => {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      if (pos >= bytes.length) fail('truncated LEB128');
      b = bytes[pos++]!;
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return shift < 32 && b & 0x40 ? result | (-1 << shift) : result;
  };
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    fail('bad magic');
  }
  const layout: ModuleLayout = { definedMemories: 0, staticDataEnd: 0 };
  while (pos < bytes.length) {
    const id = bytes[pos++]!;
    const size = uleb();
    const end = pos + size;
    if (end > bytes.length) fail('section runs past the end');
    if (id === SECTION_MEMORY) layout.definedMemories = uleb();
    if (id === SECTION_DATA) {
      const count = uleb();
      for (let i = 0; i < count; i++) {
        const flags = uleb();
        if (flags === 1) {
          pos += uleb(); // passive segment: no fixed place in memory
          continue;
        }
        if (flags === 2) uleb(); // memory index
        if (bytes[pos++] !== 0x41) fail('data segment offset is not an i32.const');
        const offset = sleb32();
        if (bytes[pos++] !== 0x0b) fail('data segment offset expression too long');
        const len = uleb();
        pos += len;
        layout.staticDataEnd = Math.max(layout.staticDataEnd, (offset >>> 0) + len);
      }
    }
    pos = end;
  }
  return layout;
}
