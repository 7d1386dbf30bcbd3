/**
 * Persistence of a plugin's scratch folder (manifest `persist: { scratch: true, maxBytes }`): the
 * host loads the snapshot when it instantiates the plugin and saves it when the instance shuts
 * down. One file per plugin, `<stateDir>/<plugin>.scratch`, written to a temporary name, synced
 * and renamed over the old one, so a crash mid-save leaves the previous snapshot intact.
 *
 * Async and sync variants write the same file the same way: the format-reader host runs inside a
 * synchronous generator (the engine iterates it between awaits), so it uses the sync pair.
 *
 * Concurrent instances of one plugin (two scans at once, two worker threads): each starts from
 * the snapshot that was saved when it started and saves its whole folder when it shuts down;
 * the last one to shut down wins, whole. There is no merge: a file is never half one instance's
 * and half another's, but an update made by an instance that closed earlier can be replaced.
 * A plugin that needs every update kept must keep them in a way that tolerates this (for
 * instance a cache, which is what scratch state is meant for).
 *
 * When a host does not save (see scratch-persistence.ts): an instance that trapped or threw out
 * of a call, since its files may be half-written.
 *
 * @example
 * const scratch = await loadPersistedScratch(stateDir, manifest.name);
 * const host = createWasiHost({ imports: manifest.imports, ...(scratch ? { scratch } : {}) });
 * // ... run ...
 * await savePersistedScratch(stateDir, manifest.name, host.scratchFiles(), manifest.persist?.maxBytes);
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, ResourceExhaustedError } from '@pushdown/proto';
import { decodeScratchSnapshot, encodeScratchSnapshot, scratchSize } from './scratch-snapshot.js';

// The manifest's name rule: also keeps the file name inside stateDir.
const PLUGIN_NAME_RE = /^[a-z][a-z0-9_-]{0,63}$/;

/** Where a plugin's snapshot lives. */
export function persistedScratchPath(stateDir: string, pluginName: string): string {
  if (!PLUGIN_NAME_RE.test(pluginName)) {
    throw new InvalidArgumentError(`"${pluginName}" is not a plugin name (lowercase, digits, _ and -)`);
  }
  return join(stateDir, `${pluginName}.scratch`);
}

/**
 * The plugin's saved scratch folder, or undefined when none was saved. A snapshot that fails its
 * checksum is refused with CorruptDataError (naming the file) rather than silently dropped: the
 * operator decides whether to delete it.
 */
export async function loadPersistedScratch(
  stateDir: string,
  pluginName: string,
): Promise<Map<string, Uint8Array> | undefined> {
  const path = persistedScratchPath(stateDir, pluginName);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return decodeAt(path, bytes);
}

/** `loadPersistedScratch`, synchronously. */
export function loadPersistedScratchSync(
  stateDir: string,
  pluginName: string,
): Map<string, Uint8Array> | undefined {
  const path = persistedScratchPath(stateDir, pluginName);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return decodeAt(path, bytes);
}

/**
 * Saves the scratch folder atomically. When its file data exceeds `maxBytes` nothing is written
 * (the previous snapshot stays) and ResourceExhaustedError says by how much.
 */
export async function savePersistedScratch(
  stateDir: string,
  pluginName: string,
  files: ReadonlyMap<string, Uint8Array>,
  maxBytes?: number,
): Promise<void> {
  const { path, bytes } = prepare(stateDir, pluginName, files, maxBytes);
  await mkdir(stateDir, { recursive: true });
  const tmp = tempName(path);
  try {
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(bytes);
      await fh.sync(); // the rename must not become visible before the data is on disk
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** `savePersistedScratch`, synchronously (same checks, same temp + fsync + rename). */
export function savePersistedScratchSync(
  stateDir: string,
  pluginName: string,
  files: ReadonlyMap<string, Uint8Array>,
  maxBytes?: number,
): void {
  const { path, bytes } = prepare(stateDir, pluginName, files, maxBytes);
  mkdirSync(stateDir, { recursive: true });
  const tmp = tempName(path);
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd); // as above: data on disk before the name points at it
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Checks the size bound, then encodes; throws before anything touches the disk. */
function prepare(
  stateDir: string,
  pluginName: string,
  files: ReadonlyMap<string, Uint8Array>,
  maxBytes: number | undefined,
): { path: string; bytes: Uint8Array } {
  const path = persistedScratchPath(stateDir, pluginName);
  const size = scratchSize(files);
  if (maxBytes !== undefined && size > maxBytes) {
    throw new ResourceExhaustedError(
      `plugin "${pluginName}": scratch folder holds ${size} bytes, above persist.maxBytes ${maxBytes}; ` +
        `snapshot not saved (${path} keeps the previous one)`,
      { hint: 'delete files from /scratch before the instance shuts down, or raise persist.maxBytes' },
    );
  }
  return { path, bytes: encodeScratchSnapshot(files) };
}

// Unique per writer, so concurrent savers never write into each other's temporary file.
function tempName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

function decodeAt(path: string, bytes: Uint8Array): Map<string, Uint8Array> {
  try {
    return decodeScratchSnapshot(bytes);
  } catch (err) {
    (err as Error).message =
      `${path}: ${(err as Error).message} (delete it to start from an empty scratch folder)`;
    throw err;
  }
}
