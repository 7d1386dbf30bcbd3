/**
 * Scan workers resolve plugin names exactly as their owner does: each task that calls plugins
 * carries the owner's plugin folders and the content hash it resolved each plugin to, and the
 * worker re-reads its own plugin library when either differs (a folder configured after the
 * pool started, a plugin installed or replaced while the node runs). Without this a worker
 * could run an older build of a plugin than the one the query was planned and placed with.
 * The plugin state folder (scratch snapshots) travels the same way, so a plugin that persists
 * its scratch folder sees one state whichever thread runs it.
 *
 * @example
 * const plugins = ownerPlugins(fragment);   // owner: { dirs, sha256: { geo: 'ab…' } } or undefined
 * syncWorkerPlugins(plugins);               // worker, before running the task
 */
import {
  configurePluginDirs,
  configurePluginStateDir,
  findLibraryPlugin,
  pluginDirs,
  pluginStateDir,
  refreshPluginLibrary,
} from '@pushdown/plugins';
import { fragmentPlugins, type Fragment } from '../plan/fragment.js';

export interface WorkerPlugins {
  readonly dirs: readonly string[];
  /** Plugin name → the sha256 the owner's library lists (null: the owner has none). */
  readonly sha256: Readonly<Record<string, string | null>>;
  /** The owner's plugin state folder (`pluginStateDir()`; null: persistence off). */
  readonly stateDir?: string | null;
}

/** What a task of `fragment` tells its worker about plugins; undefined when there is nothing to tell. */
export function ownerPlugins(fragment: Fragment): WorkerPlugins | undefined {
  const names = fragmentPlugins(fragment);
  const stateDir = pluginStateDir() ?? null;
  // A task may run a plugin its fragment does not name (a format reader), so the state folder
  // alone is reason enough to send this.
  if (names.length === 0 && stateDir === null) return undefined;
  return {
    dirs: pluginDirs(),
    sha256: Object.fromEntries(names.map((n) => [n, findLibraryPlugin(n)?.manifest.sha256 ?? null])),
    stateDir,
  };
}

/** Brings this worker's plugin library in line with the owner's before a task runs. */
export function syncWorkerPlugins(plugins: WorkerPlugins | undefined): void {
  if (!plugins) return;
  if (plugins.stateDir !== undefined && (pluginStateDir() ?? null) !== plugins.stateDir) {
    configurePluginStateDir(plugins.stateDir ?? undefined);
  }
  const mine = pluginDirs();
  if (mine.length !== plugins.dirs.length || mine.some((d, i) => d !== plugins.dirs[i])) {
    configurePluginDirs(plugins.dirs);
  }
  for (const [name, sha] of Object.entries(plugins.sha256)) {
    if ((findLibraryPlugin(name)?.manifest.sha256 ?? null) !== sha) {
      refreshPluginLibrary();
      return;
    }
  }
}
