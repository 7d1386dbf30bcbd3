/**
 * BaseNode.InstallPlugin and RemovePlugin: plugins arrive as bytes with the SHA-256 the sender
 * expects; `installPluginUpload` checks sizes, manifest, hash and module in memory before
 * compiling or writing anything, then installs through a staging folder and a rename. After a
 * change the process's plugin library is re-read, so the next Scan (and Capabilities) sees it
 * without a restart. Shipped plugins cannot be removed (INVALID_ARGUMENT).
 */
import {
  installPluginUpload,
  listInstalledPlugins,
  loadRegistry,
  refreshPluginLibrary,
  removePlugin,
  type PluginManifest,
} from '@pushdown/plugins';
import {
  InvalidArgumentError,
  NotFoundError,
  type InstallPluginRequest__Output,
  type InstallPluginResponse,
  type PluginInfo,
  type RemovePluginRequest__Output,
  type RemovePluginResponse,
} from '@pushdown/proto';
import { KeyedLock } from '../storage/keyed-lock.js';
import type { ServiceContext } from './service-context.js';

/** The summary Capabilities and the install responses give of a plugin. */
export function pluginInfoOf(m: PluginManifest): PluginInfo {
  return { name: m.name, version: m.version, kind: m.kind, sha256: m.sha256 };
}

export interface PluginHandlers {
  install(req: InstallPluginRequest__Output): Promise<InstallPluginResponse>;
  remove(req: RemovePluginRequest__Output): Promise<RemovePluginResponse>;
}

export function createPluginHandlers(ctx: ServiceContext): PluginHandlers {
  // One change at a time per plugin name: two installs of one name must not race between the
  // "is another module installed?" check and the rename.
  const lock = new KeyedLock();
  const dir = (): string => {
    if (!ctx.pluginDir) {
      throw new InvalidArgumentError(`base node ${ctx.nodeId} has no plugin folder`, {
        hint: 'start it with --plugin-dir DIR (or --data-dir, whose plugins/ is the default)',
      });
    }
    return ctx.pluginDir;
  };
  return {
    async install(req) {
      const upload = { manifestJson: req.manifestJson, wasm: req.wasm, sha256: req.sha256.toLowerCase() };
      const name = manifestName(req.manifestJson);
      const r = await lock.run(name, () => installPluginUpload(upload, dir(), { replace: req.replace }));
      refreshPluginLibrary();
      ctx.log(`plugin ${r.manifest.name} ${r.manifest.version} ${r.status} (sha256 ${r.manifest.sha256})`);
      return { plugin: pluginInfoOf(r.manifest), status: r.status };
    },
    // A scan already using the plugin is unaffected: its worker holds the compiled module and a
    // snapshot of the library for the task it runs. Tasks dispatched after the refresh below
    // resolve the plugin again and fail with "not installed on this node".
    async remove(req) {
      const folder = dir();
      const installed = await listInstalledPlugins(folder);
      if (!installed.some((p) => p.manifest.name === req.name)) {
        // Same refusal as Intermediary.RemovePlugin; a name it never had is NOT_FOUND, which a
        // cluster removal reports as "absent".
        if (isShipped(req.name)) {
          throw new InvalidArgumentError(
            `plugin "${req.name}" is shipped with the build of base node ${ctx.nodeId} and cannot be removed`,
            { hint: 'only plugins installed with InstallPlugin can be removed; see Capabilities' },
          );
        }
        throw new NotFoundError(`plugin "${req.name}" is not installed on base node ${ctx.nodeId}`, {
          hint: 'see Capabilities for what this node has',
        });
      }
      const r = await lock.run(req.name, () => removePlugin(req.name, folder));
      // The SQL binder and the scan pool's workers re-read the library from this generation on.
      refreshPluginLibrary();
      ctx.log(`plugin ${r.manifest.name} removed`);
      return { plugin: pluginInfoOf(r.manifest) };
    },
  };
}

/** Whether `name` ships with this build (registry plugins and built-in operators alike). */
function isShipped(name: string): boolean {
  try {
    return loadRegistry().find(name) !== undefined;
  } catch {
    return false; // registry not built: nothing is shipped
  }
}

/** The lock key: the manifest's name when it parses (verification reports it otherwise). */
function manifestName(json: string): string {
  try {
    const name = (JSON.parse(json) as { name?: unknown }).name;
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}
