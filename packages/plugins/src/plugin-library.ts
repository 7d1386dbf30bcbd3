/**
 * The plugins one process can load: the modules this package ships (the registry, built-in
 * operators excluded) plus the plugins installed in the folders it was told about (a base
 * node's `<data-dir>/plugins`). An installed plugin replaces a shipped one of the same name, so
 * a user can ship a newer build of an example. Read lazily and cached; `refreshPluginLibrary`
 * after an install or removal. Worker threads get the same folders (`pluginDirs()`) in their
 * workerData, so they resolve names exactly as their owner does.
 *
 * @example
 * configurePluginDirs([pluginInstallDir(dataDir)]);
 * const geo = findLibraryPlugin('geo'); // { manifest, wasmPath, origin: 'registry' | 'installed' }
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginManifest } from './manifest-types.js';
import { validateManifest } from './manifest-validate.js';
import { loadRegistry } from './registry.js';

export interface LibraryPlugin {
  readonly manifest: PluginManifest;
  readonly wasmPath: string;
  readonly manifestPath: string;
  /** Shipped with this package (registry) or installed in a plugin folder. */
  readonly origin: 'registry' | 'installed';
}

let dirs: readonly string[] = [];
let cached: LibraryPlugin[] | undefined;
// Bumped on every change, so caches built from the library (the SQL binder's function catalog)
// can tell they are stale without being told one by one.
let generation = 0;

/** Folders of installed plugins, searched after the registry (later folders win on a name clash). */
export function configurePluginDirs(folders: readonly string[]): void {
  dirs = [...folders];
  cached = undefined;
  generation++;
}

/** Changes whenever the library may list other plugins (configure or refresh). */
export function libraryGeneration(): number {
  return generation;
}

/** The folders `configurePluginDirs` set. */
export function pluginDirs(): readonly string[] {
  return dirs;
}

/** Forget the cached listing (after `installPlugin` or `removePlugin`). */
export function refreshPluginLibrary(): void {
  cached = undefined;
  generation++;
}

/** Every loadable plugin, by name: registry first, installed plugins replacing same-named ones. */
export function libraryPlugins(): LibraryPlugin[] {
  if (!cached) {
    const byName = new Map<string, LibraryPlugin>();
    for (const p of registryEntries()) byName.set(p.manifest.name, p);
    for (const dir of dirs) for (const p of installedEntries(dir)) byName.set(p.manifest.name, p);
    cached = [...byName.values()];
  }
  return cached;
}

/** The plugin called `name`, if this process can load one. */
export function findLibraryPlugin(name: string): LibraryPlugin | undefined {
  return libraryPlugins().find((p) => p.manifest.name === name);
}

function registryEntries(): LibraryPlugin[] {
  let registry;
  try {
    registry = loadRegistry();
  } catch {
    return []; // not built: nothing shipped to load
  }
  return registry.plugins
    .filter((e) => !e.builtin)
    .map((e) => ({
      manifest: readManifest(e.manifestPath),
      wasmPath: e.wasmPath,
      manifestPath: e.manifestPath,
      origin: 'registry' as const,
    }));
}

/** Installed plugins of `dir`; a folder with a broken manifest is skipped (verify reports it). */
function installedEntries(dir: string): LibraryPlugin[] {
  if (!existsSync(dir)) return [];
  const out: LibraryPlugin[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const manifestPath = join(dir, entry.name, 'manifest.json');
    try {
      const manifest = readManifest(manifestPath);
      out.push({
        manifest,
        manifestPath,
        wasmPath: join(dir, entry.name, `${manifest.name}.wasm`),
        origin: 'installed',
      });
    } catch {
      continue;
    }
  }
  return out;
}

function readManifest(path: string): PluginManifest {
  return validateManifest(JSON.parse(readFileSync(path, 'utf8')));
}
