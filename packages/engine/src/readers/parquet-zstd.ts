/**
 * ZSTD page decompression with @bokuweb/zstd-wasm (the reference C zstd compiled to WebAssembly,
 * about 10x faster than a pure-JS port and faster than the zstd inside parquet-wasm).
 *
 * Its public `decompress` mallocs, decompresses and copies the result out for every call; at a
 * thousand pages per query those copies and the garbage they make cost as much as a third of the
 * decompression. So we call the module's own exports (the emscripten `Module` of that exact,
 * pinned version) with input and output regions kept across calls, and hand out a view of the
 * output: a page is decoded straight from the module's memory. If the module does not look as
 * expected, the public function is used instead.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decompress as publicDecompress, init } from '@bokuweb/zstd-wasm';
import { PageFormatError } from './parquet-page-header.js';

interface EmscriptenZstd {
  _malloc(size: number): number;
  _free(ptr: number): void;
  _ZSTD_decompress(dst: number, capacity: number, src: number, size: number): number;
  _ZSTD_isError(code: number): number;
  _ZSTD_createDCtx?(): number;
  _ZSTD_decompress_usingDict?(
    dctx: number,
    dst: number,
    capacity: number,
    src: number,
    size: number,
    dict: number,
    dictSize: number,
  ): number;
  HEAPU8: Uint8Array;
}

let zstdModule: EmscriptenZstd | null = null;
let ready: Promise<void> | null = null;
let inPtr = 0;
let inCap = 0;
let outPtr = 0;
let outCap = 0;
/** A decompression context kept across pages (ZSTD_decompress makes and frees one per call). */
let dctx = 0;

/** Loads the module once. */
export function zstdReady(): Promise<void> {
  ready ??= init().then(() => {
    try {
      const require = createRequire(join(import.meta.dirname, 'noop.js'));
      const main = require.resolve('@bokuweb/zstd-wasm');
      const m = (require(join(dirname(main), 'module.js')) as { Module?: Partial<EmscriptenZstd> }).Module;
      if (
        m &&
        typeof m._malloc === 'function' &&
        typeof m._free === 'function' &&
        typeof m._ZSTD_decompress === 'function' &&
        typeof m._ZSTD_isError === 'function' &&
        m.HEAPU8 instanceof Uint8Array
      )
        zstdModule = m as EmscriptenZstd;
      if (zstdModule?._ZSTD_createDCtx && zstdModule._ZSTD_decompress_usingDict)
        dctx = zstdModule._ZSTD_createDCtx();
    } catch {
      zstdModule = null;
    }
  });
  return ready;
}

/**
 * Decompresses one zstd page of exactly `size` bytes. The result may be a view of the module's
 * memory: valid until the next call, so read it (or copy it) before decompressing again.
 */
export function zstdDecompress(src: Uint8Array, size: number): Uint8Array {
  const m = zstdModule;
  if (!m) {
    try {
      return publicDecompress(src, { defaultHeapSize: size });
    } catch (cause) {
      throw new PageFormatError(`zstd: ${(cause as Error).message}`);
    }
  }
  if (src.length > inCap) {
    if (inPtr) m._free(inPtr);
    inCap = Math.max(src.length, 1 << 20);
    inPtr = m._malloc(inCap);
  }
  if (size > outCap) {
    if (outPtr) m._free(outPtr);
    outCap = Math.max(size, 1 << 20);
    outPtr = m._malloc(outCap);
  }
  if (!inPtr || !outPtr) {
    inCap = outCap = 0;
    throw new PageFormatError(`zstd: cannot allocate ${src.length + size} bytes`);
  }
  // malloc may have grown the memory: take the current view.
  m.HEAPU8.set(src, inPtr);
  const n =
    dctx && m._ZSTD_decompress_usingDict
      ? m._ZSTD_decompress_usingDict(dctx, outPtr, size, inPtr, src.length, 0, 0)
      : m._ZSTD_decompress(outPtr, size, inPtr, src.length);
  if (m._ZSTD_isError(n)) throw new PageFormatError(`zstd: the page does not decompress (error ${-n})`);
  return m.HEAPU8.subarray(outPtr, outPtr + n);
}
