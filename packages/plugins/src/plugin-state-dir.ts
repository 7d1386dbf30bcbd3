/**
 * The process-wide plugin state folder: where plugins that ask for it (manifest
 * `persist: { scratch: true }`) keep their scratch snapshots between instantiations. Configured
 * once at start like the plugin folders (`configurePluginDirs`): a base node and an intermediary
 * use `<data-dir>/plugin-state`. Unset (a CLI command, a unit test), persistence is off: such a
 * plugin gets an empty /scratch that is dropped when the instance shuts down, and nothing on disk
 * is read or written. One folder per process, not per node: several nodes started in one
 * process (tests) share the folder the last one configured.
 *
 * Scan worker threads get the same folder in each task (engine parallel/worker-plugins.ts), so
 * a plugin sees one state no matter which thread ran it.
 *
 * @example
 * configurePluginStateDir(join(dataDir, 'plugin-state'));
 * pluginStateDir(); // '/var/pushdown/b0/plugin-state'
 */
import { isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError } from '@pushdown/proto';

let stateDir: string | undefined;

/** Sets (or with undefined, clears) the folder of plugin state; relative paths are resolved now. */
export function configurePluginStateDir(dir: string | undefined): void {
  if (dir === undefined) {
    stateDir = undefined;
    return;
  }
  if (typeof dir !== 'string' || dir === '') {
    throw new InvalidArgumentError('the plugin state folder must be a non-empty path');
  }
  // Resolved once, so a later process.chdir cannot move a plugin's state elsewhere.
  stateDir = isAbsolute(dir) ? dir : resolve(dir);
}

/** The folder `configurePluginStateDir` set, or undefined when persistence is off. */
export function pluginStateDir(): string | undefined {
  return stateDir;
}
