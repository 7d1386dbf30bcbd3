/**
 * What a host does about persisted scratch state over one plugin instance's life, in one place,
 * so the format-reader session and `runWasiModule` follow the same rules:
 *
 * - Only a manifest with `persist.scratch: true` and a configured state folder
 *   (`pluginStateDir()`) enables it. Otherwise nothing on disk is read or written, and /scratch
 *   starts empty and is dropped.
 * - At instantiation the snapshot is loaded whole, before the module runs: a damaged snapshot
 *   fails the instantiation with CorruptDataError naming the file, so the plugin never runs on
 *   half a state (and the file is left for the operator to inspect or delete).
 * - At shutdown the whole folder is saved, atomically, bounded by `persist.maxBytes`
 *   (ResourceExhaustedError, previous snapshot kept). Shutdown includes an instance that
 *   returned an error status or exited through proc_exit: it stopped between its own steps.
 * - An instance that trapped, overflowed its stack or had a host call throw (anything but
 *   proc_exit escaping a guest call) is not saved: it stopped in the middle of whatever it was
 *   doing, maybe mid-write, and its folder cannot be trusted. The previous snapshot stays.
 * - Concurrent instances: the last to shut down wins (see scratch-persist.ts).
 *
 * @example
 * const persist = scratchPersistence(manifest, pluginStateDir()); // loads the snapshot, if any
 * const host = createWasiHost({ imports, ...persist.scratchOption() });
 * try { run(); } catch (err) { persist.noteFailure(err); throw err; }
 * persist.save(host.scratchFiles());                    // no-op after a trap
 */
import type { PluginManifest } from '../manifest-types.js';
import { loadPersistedScratchSync, savePersistedScratchSync } from './scratch-persist.js';
import { WasiExit } from './wasi-types.js';

export interface ScratchPersistence {
  /** True when this instance's scratch folder is loaded and saved. */
  readonly enabled: boolean;
  /** `{ scratch }` for createWasiHost: the restored folder, or nothing. */
  scratchOption(): { scratch?: ReadonlyMap<string, Uint8Array> };
  /** Records an error that escaped a guest call; a trap poisons the instance (no save). */
  noteFailure(err: unknown): void;
  /** True once a trap was noted. */
  readonly poisoned: boolean;
  /** Saves the folder unless disabled, poisoned or already saved; throws what saving throws. */
  save(files: ReadonlyMap<string, Uint8Array>): void;
}

/**
 * The persistence of one new instance of `manifest`'s plugin, its snapshot loaded now
 * (synchronously), so call it before instantiating. `stateDir` is usually `pluginStateDir()`;
 * undefined turns persistence off.
 */
export function scratchPersistence(
  manifest: Pick<PluginManifest, 'name' | 'persist'>,
  stateDir: string | undefined,
): ScratchPersistence {
  if (manifest.persist?.scratch !== true || stateDir === undefined) return disabled();
  const restored = loadPersistedScratchSync(stateDir, manifest.name);
  let poisoned = false;
  let saved = false;
  return {
    enabled: true,
    scratchOption: () => (restored ? { scratch: restored } : {}),
    noteFailure(err) {
      if (isGuestTrap(err)) poisoned = true;
    },
    get poisoned() {
      return poisoned;
    },
    save(files) {
      if (poisoned || saved) return;
      saved = true; // a failed save is not retried: its error was reported once
      savePersistedScratchSync(stateDir, manifest.name, files, manifest.persist?.maxBytes);
    },
  };
}

/** Whether an error escaping a guest call means the instance stopped mid-step (not proc_exit). */
function isGuestTrap(err: unknown): boolean {
  return !(err instanceof WasiExit);
}

function disabled(): ScratchPersistence {
  let poisoned = false;
  return {
    enabled: false,
    scratchOption: () => ({}),
    noteFailure(err) {
      if (isGuestTrap(err)) poisoned = true;
    },
    get poisoned() {
      return poisoned;
    },
    save() {},
  };
}
