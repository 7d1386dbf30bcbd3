/**
 * Page decompression for our own Parquet page decoder: ZSTD through parquet-zstd.ts, SNAPPY
 * through hyparquet's decoder, GZIP and BROTLI through node:zlib. Other codecs (LZ4, LZO) are
 * left to parquet-wasm.
 *
 * Sizes are checked before the zstd module allocates anything: a corrupt size must not make it
 * allocate gigabytes, and a frame whose declared size disagrees with the page header is refused.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { snappyUncompress } from 'hyparquet';
import { PageFormatError } from './parquet-page-header.js';
import { zstdDecompress, zstdReady } from './parquet-zstd.js';

/** The Parquet file uses something our decoder does not handle; parquet-wasm takes over. */
export class UnsupportedPageError extends Error {}

export type Codec = 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP' | 'BROTLI' | 'ZSTD';

const SUPPORTED = new Set<string>(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'ZSTD']);

/** Largest page we decompress ourselves (parquet writers default to 1 MiB pages). */
export const MAX_PAGE_BYTES = 256 * 2 ** 20;

/** Loads the zstd WebAssembly module once; call (and await) before decompressing. */
export function codecsReady(): Promise<void> {
  return zstdReady();
}

export function isSupportedCodec(codec: string | undefined): codec is Codec {
  return codec !== undefined && SUPPORTED.has(codec);
}

/**
 * Decompresses one page body to exactly `size` bytes. The result may be a view that the next call
 * overwrites (zstd) or of `src` itself (uncompressed): consume it before decompressing again.
 */
export function decompressPage(codec: Codec, src: Uint8Array, size: number): Uint8Array {
  if (size < 0 || size > MAX_PAGE_BYTES) throw new PageFormatError(`page size ${size} is out of range`);
  let out: Uint8Array;
  switch (codec) {
    case 'UNCOMPRESSED':
      out = src;
      break;
    case 'ZSTD': {
      if (size === 0 && src.length === 0) return src;
      checkZstdFrame(src, size);
      out = zstdDecompress(src, size);
      break;
    }
    case 'SNAPPY':
      out = new Uint8Array(size);
      try {
        snappyUncompress(src, out);
      } catch (cause) {
        throw new PageFormatError(`snappy: ${(cause as Error).message}`);
      }
      return out;
    case 'GZIP':
      out = gunzipSync(src, { maxOutputLength: size + 1 });
      break;
    case 'BROTLI':
      out = brotliDecompressSync(src, { maxOutputLength: size + 1 });
      break;
  }
  if (out.length !== size)
    throw new PageFormatError(`page decompressed to ${out.length} bytes, its header says ${size}`);
  return out;
}

const ZSTD_MAGIC = 0xfd2fb528;

/**
 * Reads the frame header: the module trusts a declared content size for its allocation, so a
 * declared size must be exactly the page's. Several frames in one page (legal, unusual) go to
 * parquet-wasm.
 */
function checkZstdFrame(src: Uint8Array, size: number): void {
  if (src.length < 6) throw new PageFormatError('zstd page is too short');
  const magic = (src[0]! | (src[1]! << 8) | (src[2]! << 16) | (src[3]! << 24)) >>> 0;
  if (magic !== ZSTD_MAGIC) throw new PageFormatError('zstd page has bad magic bytes');
  const fhd = src[4]!;
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const dictIdBytes = [0, 1, 2, 4][fhd & 3]!;
  const fcsBytes = [single, 2, 4, 8][fcsFlag]!;
  if (fcsBytes === 0) return;
  const at = 5 + (single ? 0 : 1) + dictIdBytes;
  if (at + fcsBytes > src.length) throw new PageFormatError('zstd frame header is truncated');
  let declared = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) declared = declared * 256 + src[at + i]!;
  if (fcsBytes === 2) declared += 256;
  if (declared !== size) {
    throw new UnsupportedPageError(`zstd frame declares ${declared} bytes, the page header ${size}`);
  }
}
