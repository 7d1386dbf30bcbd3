/**
 * File-backed Blobs that remember their path. Reading a Blob from `fs.openAsBlob` goes through
 * Node's chunked Blob reader (a fresh buffer per chunk, then a concatenating copy): for a Parquet
 * scan that costs several times what positioned reads into a reused buffer cost. A Blob made by
 * `openFileBlob` is an ordinary Blob everywhere, and readers that know its path read the file.
 *
 * @example
 * const blob = await openFileBlob('data/lineitem.parquet');
 * const reader = openObject(blob, 'parquet'); // reads pages with fs positioned reads
 */
import { openAsBlob } from 'node:fs';

const paths = new WeakMap<Blob, string>();

/** `fs.openAsBlob(path)`, remembered as backed by `path`. */
export async function openFileBlob(path: string): Promise<Blob> {
  const blob = await openAsBlob(path);
  paths.set(blob, path);
  return blob;
}

/** The file behind `blob` when it came from openFileBlob (not for its slices). */
export function filePathOf(blob: Blob): string | null {
  return paths.get(blob) ?? null;
}
