/**
 * Persistence of a plugin's scratch folder (manifest `persist: { scratch: true, maxBytes }`): the
 * host loads the snapshot when it instantiates the plugin and saves it when the instance shuts
 * down. One file per plugin, `<stateDir>/<plugin>.scratch`, written to a temporary name, synced
 * and renamed over the old one, so a crash mid-save leaves the previous snapshot intact.
 *
 * @example
 * const scratch = await loadPersistedScratch(stateDir, manifest.name);
 * const host = createWasiHost({ imports: manifest.imports, ...(scratch ? { scratch } : {}) });
 * // ... run ...
 * await savePersistedScratch(stateDir, manifest.name, host.scratchFiles(), manifest.persist?.maxBytes);
 */
import { randomBytes } from 'node:crypto';
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
  try {
    return decodeScratchSnapshot(bytes);
  } catch (err) {
    (err as Error).message =
      `${path}: ${(err as Error).message} (delete it to start from an empty scratch folder)`;
    throw err;
  }
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
  const path = persistedScratchPath(stateDir, pluginName);
  const size = scratchSize(files);
  if (maxBytes !== undefined && size > maxBytes) {
    throw new ResourceExhaustedError(
      `plugin "${pluginName}": scratch folder holds ${size} bytes, above persist.maxBytes ${maxBytes}; ` +
        'snapshot not saved',
    );
  }
  const bytes = encodeScratchSnapshot(files);
  await mkdir(stateDir, { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
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
