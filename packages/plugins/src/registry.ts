/**
 * The plugin registry: the index of modules this package ships (`registry/index.json`, written
 * by the build) and a node's install folder (`<data-dir>/plugins/<name>/{manifest.json,
 * <name>.wasm}`), plain files a base node will load at start. Installing verifies the plugin
 * first (hash before anything is compiled) and writes through a temporary folder and a rename,
 * so a half-copied plugin is never visible.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AlreadyExistsError, InvalidArgumentError, NotFoundError } from '@pushdown/proto';
import type { PluginKind, PluginManifest } from './manifest-types.js';
import { validateManifest } from './manifest-validate.js';
import { verifyPlugin, type PluginFiles } from './plugin-verify.js';

// dist/registry.js or src/registry.ts → package root.
const PACKAGE_ROOT = resolve(import.meta.dirname, '..');

/** The index the build writes. */
export const REGISTRY_INDEX_PATH = join(PACKAGE_ROOT, 'registry', 'index.json');

export interface RegistryEntry {
  name: string;
  version: string;
  kind: PluginKind;
  /** A built-in operator (loaded by the engine itself) rather than an installable plugin. */
  builtin: boolean;
  sha256: string;
  description: string;
  /** Absolute paths of the module and its published manifest. */
  wasmPath: string;
  manifestPath: string;
}

export interface Registry {
  plugins: RegistryEntry[];
  /** The entry called `name`, if any. */
  find(name: string): RegistryEntry | undefined;
}

/**
 * Reads the registry index written by `npm run build -w @pushdown/plugins`.
 *
 * @example
 * const hash = loadRegistry().find('hash64');
 */
export function loadRegistry(indexPath: string = REGISTRY_INDEX_PATH): Registry {
  if (!existsSync(indexPath)) {
    throw new NotFoundError(`the plugin registry index ${indexPath} does not exist`, {
      hint: 'run `npm run build -w @pushdown/plugins`',
    });
  }
  const root = resolve(indexPath, '..', '..');
  const raw = JSON.parse(readFileSync(indexPath, 'utf8')) as {
    plugins: (Omit<RegistryEntry, 'wasmPath' | 'manifestPath'> & { path: string; manifest: string })[];
  };
  const plugins = raw.plugins.map(({ path, manifest, ...entry }) => ({
    ...entry,
    wasmPath: join(root, path),
    manifestPath: join(root, manifest),
  }));
  return { plugins, find: (name) => plugins.find((p) => p.name === name) };
}

/** The install folder of a base node whose data directory is `dataDir`. */
export function pluginInstallDir(dataDir: string): string {
  return join(dataDir, 'plugins');
}

export interface InstalledPlugin {
  manifest: PluginManifest;
  /** Folder holding `manifest.json` and `<name>.wasm`. */
  dir: string;
  wasmPath: string;
}

export interface InstallResult extends InstalledPlugin {
  /** `unchanged` when the same module (same SHA-256) was already installed. */
  status: 'installed' | 'replaced' | 'unchanged';
}

export interface InstallOptions {
  /** Replace an installed plugin of the same name but a different module. */
  replace?: boolean;
}

/**
 * Verifies the plugin at `src` (a folder, a `.wasm` beside its manifest, or explicit paths) and
 * copies it into `destDir/<name>/`. Throws PluginError when verification refuses it and
 * AlreadyExistsError when another module of that name is installed (unless `replace`).
 *
 * @example
 * await installPlugin('packages/plugins/build/geo.wasm', pluginInstallDir('.pushdown/nodes/b0'));
 */
export async function installPlugin(
  src: string | PluginFiles,
  destDir: string,
  options: InstallOptions = {},
): Promise<InstallResult> {
  const plugin = await verifyPlugin(src);
  const name = plugin.manifest.name;
  const dir = join(destDir, name);
  const wasmPath = join(dir, `${name}.wasm`);
  const existing = await readInstalled(dir).catch(() => undefined);
  if (existing?.manifest.sha256 === plugin.manifest.sha256) {
    return { ...existing, status: 'unchanged' };
  }
  if (existing && !options.replace) {
    throw new AlreadyExistsError(
      `plugin "${name}" ${existing.manifest.version} (sha256 ${existing.manifest.sha256.slice(0, 12)}…) ` +
        `is already installed in ${destDir}`,
      { hint: 'remove it first or pass --replace' },
    );
  }
  await mkdir(destDir, { recursive: true });
  const staging = join(destDir, `.${name}.installing-${process.pid}-${Date.now()}`);
  await mkdir(staging);
  try {
    await cp(plugin.manifestPath, join(staging, 'manifest.json'));
    await cp(plugin.wasmPath, join(staging, `${name}.wasm`));
    // Re-verify the copy: what lands in the install folder is what the hash vouched for.
    await verifyPlugin({
      manifestPath: join(staging, 'manifest.json'),
      wasmPath: join(staging, `${name}.wasm`),
    });
    if (existing) await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  return { manifest: plugin.manifest, dir, wasmPath, status: existing ? 'replaced' : 'installed' };
}

/** Removes the installed plugin `name` from `destDir`; NotFoundError when it is not there. */
export async function removePlugin(name: string, destDir: string): Promise<InstalledPlugin> {
  if (!/^[a-z][a-z0-9_-]{0,63}$/.test(name)) {
    throw new InvalidArgumentError(`"${name}" is not a plugin name`);
  }
  const dir = join(destDir, name);
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new NotFoundError(`plugin "${name}" is not installed in ${destDir}`);
  }
  const installed = await readInstalled(dir);
  await rm(dir, { recursive: true, force: true });
  return installed;
}

/** The plugins installed in `destDir` (not re-verified: `verifyPlugin` each before loading). */
export async function listInstalledPlugins(destDir: string): Promise<InstalledPlugin[]> {
  if (!existsSync(destDir)) return [];
  const out: InstalledPlugin[] = [];
  for (const entry of (await readdir(destDir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    out.push(await readInstalled(join(destDir, entry.name)));
  }
  return out;
}

async function readInstalled(dir: string): Promise<InstalledPlugin> {
  const manifest = validateManifest(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
  return { manifest, dir, wasmPath: join(dir, `${manifest.name}.wasm`) };
}
