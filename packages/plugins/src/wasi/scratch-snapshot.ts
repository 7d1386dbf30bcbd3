/**
 * A scratch folder as bytes, so persistence can keep it between instantiations. The format is
 * small and versioned, and ends with a SHA-256 of everything before it, so a torn write or a
 * flipped bit is refused as a whole before any file is restored (a half-restored folder would be
 * worse than an empty one: the plugin would trust state that never existed).
 *
 *   offset 0   "PDWS"                 magic (pushdown WASI scratch)
 *          4   u8 version (1), 3 zero bytes
 *          8   u32 file count
 *         12   per file: u32 path length, path (UTF-8), u32 data length, data
 *        end   32 bytes SHA-256 of bytes [0, end)
 * Integers are little-endian.
 *
 * @example
 * const bytes = encodeScratchSnapshot(host.scratchFiles());
 * const files = decodeScratchSnapshot(bytes); // Map { '/scratch/state.bin' => ... }
 */
import { createHash } from 'node:crypto';
import { CorruptDataError, InvalidArgumentError } from '@pushdown/proto';
import { normalizeGuestPath } from './wasi-paths.js';

const MAGIC = [0x50, 0x44, 0x57, 0x53]; // "PDWS"
const VERSION = 1;
const HEADER = 12;
const DIGEST = 32;

export function encodeScratchSnapshot(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const enc = new TextEncoder();
  const entries = [...files].map(([path, data]) => {
    const norm = normalizeGuestPath(path);
    if (norm === undefined || !norm.startsWith('/scratch/')) {
      throw new InvalidArgumentError(`scratch snapshot: "${path}" is not a file under /scratch`);
    }
    return { path: enc.encode(norm), data };
  });
  const size = HEADER + entries.reduce((n, e) => n + 8 + e.path.length + e.data.length, 0) + DIGEST;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[4] = VERSION;
  view.setUint32(8, entries.length, true);
  let at = HEADER;
  for (const e of entries) {
    view.setUint32(at, e.path.length, true);
    out.set(e.path, at + 4);
    at += 4 + e.path.length;
    view.setUint32(at, e.data.length, true);
    out.set(e.data, at + 4);
    at += 4 + e.data.length;
  }
  out.set(createHash('sha256').update(out.subarray(0, at)).digest(), at);
  return out;
}

export function decodeScratchSnapshot(bytes: Uint8Array): Map<string, Uint8Array> {
  const bad = (why: string) => new CorruptDataError(`scratch snapshot refused: ${why}`);
  if (bytes.length < HEADER + DIGEST) throw bad(`${bytes.length} bytes is shorter than any snapshot`);
  if (MAGIC.some((b, i) => bytes[i] !== b)) throw bad('it does not start with "PDWS"');
  if (bytes[4] !== VERSION) throw bad(`version ${bytes[4]} is not supported (this host reads ${VERSION})`);
  const body = bytes.subarray(0, bytes.length - DIGEST);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(bytes.subarray(body.length))) throw bad('checksum mismatch (torn or altered)');
  // The checksum passed, but the writer might still have been wrong: parse with bounds checks
  // into a fresh map and only return it whole.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const files = new Map<string, Uint8Array>();
  const dec = new TextDecoder('utf-8', { fatal: true });
  let at = HEADER;
  const take = (what: string): Uint8Array => {
    if (at + 4 > body.length) throw bad(`${what} runs past the end`);
    const len = view.getUint32(at, true);
    if (at + 4 + len > body.length) throw bad(`${what} runs past the end`);
    const part = bytes.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    return part;
  };
  for (let i = 0; i < count; i++) {
    let path: string;
    try {
      path = dec.decode(take(`file ${i}'s path`));
    } catch (err) {
      if (err instanceof CorruptDataError) throw err;
      throw bad(`file ${i}'s path is not UTF-8`);
    }
    if (normalizeGuestPath(path) !== path || !path.startsWith('/scratch/')) {
      throw bad(`file ${i}'s path "${path}" is not a plain path under /scratch`);
    }
    if (files.has(path)) throw bad(`"${path}" appears twice`);
    files.set(path, take(`file ${i}'s data`).slice()); // own copy: the caller may reuse `bytes`
  }
  if (at !== body.length) throw bad(`${body.length - at} bytes follow the last file`);
  return files;
}

/** Total bytes of file data in a scratch folder (the figure persist.maxBytes bounds). */
export function scratchSize(files: ReadonlyMap<string, Uint8Array>): number {
  let n = 0;
  for (const data of files.values()) n += data.length;
  return n;
}
